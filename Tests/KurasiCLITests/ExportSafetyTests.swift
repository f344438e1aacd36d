import Foundation
import KurasiStore
import Testing

/// An export never lands on a file of a store, whatever name or link leads there; paths that are
/// not what a command needs get a sentence naming the path and what it is.
@Suite struct ExportSafetyTests {
    /// A store with a journal, a backup, a journal segment and a lock beside it.
    func storeWithEverything() throws -> CLI {
        try CLI.building("madiun-2020/kurasi.json") { cli in
            let env = ["KURASI_COMPACT_EVERY": "2"]
            for v in [1, 2, 3] { try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=\(v)"], env: env) }
        }
    }

    func snapshotOfDirectory(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir)
            if !isDir.boolValue { out[name] = FileManager.default.contents(atPath: dir + "/" + name) ?? Data() }
        }
        return out
    }

    @Test func anExportRefusesEveryFileOfTheStoreByNameLinkOrHardLink() throws {
        let cli = try storeWithEverything()
        defer { cli.cleanUp() }
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        let segment = try #require(names.first { $0.hasPrefix("kurasi.json.journal.r") })
        let backup = try #require(names.first { $0.hasPrefix("kurasi.json.r") && $0.hasSuffix(".bak") })
        // A temp file as a compaction killed mid-way leaves it (the pid of no running process).
        try cli.storeBytes().write(to: URL(fileURLWithPath: cli.dir + "/.kurasi.json.tmp-999999"))
        // Links to the journal: a chain of two symlinks, and a hard link under an innocent name.
        try FileManager.default.createSymbolicLink(atPath: cli.dir + "/l1", withDestinationPath: "kurasi.json.journal")
        try FileManager.default.createSymbolicLink(atPath: cli.dir + "/l2.csv", withDestinationPath: "l1")
        #expect(link(cli.dir + "/kurasi.json.journal", cli.dir + "/hasil.csv") == 0)
        let before = try snapshotOfDirectory(cli.dir)
        let cases: [(String, String)] = [
            ("kurasi.json", "the Kurasi store"), ("kurasi.json.journal", "the journal of the Kurasi store"),
            (segment, "a journal segment"), (backup, "a backup"), ("kurasi.json.lock", "the lock file"),
            (".kurasi.json.tmp-999999", "temporary file"), ("l2.csv", "the journal of the Kurasi store"),
            ("hasil.csv", "the journal of the Kurasi store"),
        ]
        for format in ["csv", "json", "md"] {
            for (target, what) in cases {
                let r = try cli.run(["export", "--format", format, "-o", target])
                #expect(r.status == 1, "export -o \(target) exited \(r.status)")
                #expect(r.stderr.hasPrefix("kurasi: \(target): is ") && r.stderr.contains(what), "\(r.stderr)")
                #expect(r.stderr.contains("Nothing was written"), "\(r.stderr)")
                #expect(!r.stderr.contains("Usage"), "\(r.stderr)")
            }
        }
        #expect(try snapshotOfDirectory(cli.dir) == before)
        // recover still has every edit to replay, and the store reads fine.
        #expect(Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")["kualitas"] == 3)
    }

    @Test func anExportRefusesTheFilesOfAnotherStoreAndOfOnesNotYetWritten() throws {
        let cli = try storeWithEverything()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.dir + "/lain", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.fixture("madiun-2020/kurasi.json"), toPath: cli.dir + "/lain/toko.json")
        for target in ["lain/toko.json", "lain/toko.json.journal", "lain/toko.json.lock", "lain/toko.json.r4.bak", "lain/toko.json.v1.bak"] {
            let r = try cli.run(["export", "--format", "csv", "-o", target])
            #expect(r.status == 1 && r.stderr.contains("lain/toko.json"), "\(target): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/lain/toko.json.journal"))
        // A dangling symlink into where this store's journal goes.
        try FileManager.default.moveItem(atPath: cli.dir + "/lain/toko.json", toPath: cli.dir + "/lain/x.json")
        try FileManager.default.createSymbolicLink(atPath: cli.dir + "/ke-jurnal.csv", withDestinationPath: "lain/x.json.journal")
        let r = try cli.run(["export", "--format", "csv", "-o", "ke-jurnal.csv"])
        #expect(r.status == 1 && r.stderr.contains("journal"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/lain/x.json.journal"))
    }

    @Test func anExportToAnOrdinaryFileWorksAgainAndAgain() throws {
        let cli = try storeWithEverything()
        defer { cli.cleanUp() }
        for _ in 0..<2 {
            let r = try cli.run(["export", "--format", "csv", "-o", "kurasi.json.csv"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let csv = try String(contentsOfFile: cli.dir + "/kurasi.json.csv", encoding: .utf8)
        #expect(csv.hasPrefix("cluster,rank,"))
        // A longer earlier file is cut to the new export, not left with a tail.
        try Data(repeating: UInt8(ascii: "x"), count: 1_000_000).write(to: URL(fileURLWithPath: cli.dir + "/old.md"))
        try cli.ok(["export", "--format", "md", "-o", "old.md"])
        #expect(try String(contentsOfFile: cli.dir + "/old.md", encoding: .utf8) == (try cli.ok(["export", "--format", "md"])))
    }

    @Test func pathsThatAreNotFilesGetASentence() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let dirExport = try cli.run(["export", "--format", "csv", "-o", cli.dir])
        #expect(dirExport.status == 1)
        #expect(dirExport.stderr.contains("\(cli.dir): is a directory") && dirExport.stderr.contains("ranking.csv"), "\(dirExport.stderr)")
        #expect(!dirExport.stderr.contains("error 512") && !dirExport.stderr.contains("Usage"))
        let dirStore = try cli.run(["rank", "--store", cli.dir])
        #expect(dirStore.status == 1)
        #expect(dirStore.stderr.contains("\(cli.dir): is a directory, not a Kurasi store file"), "\(dirStore.stderr)")
        #expect(!dirStore.stderr.contains("NSCocoaErrorDomain"))
        let nullExisted = FileManager.default.fileExists(atPath: "/dev/null.lock")
        let devNull = try cli.run(["rank", "--store", "/dev/null"])
        #expect(devNull.status == 1)
        #expect(devNull.stderr.contains("/dev/null: is a device, not a Kurasi store file"), "\(devNull.stderr)")
        #expect(!devNull.stderr.contains("permission"))
        if !nullExisted { #expect(!FileManager.default.fileExists(atPath: "/dev/null.lock")) }
        #expect(mkfifo(cli.dir + "/pipa", 0o600) == 0)
        let fifo = try cli.run(["check", "--store", cli.dir + "/pipa"])
        #expect(fifo.status == 1)
        #expect(fifo.stderr.contains("pipa: is a FIFO (named pipe)"), "\(fifo.stderr)")
        let initDir = try cli.run(["init", "--store", cli.dir])
        #expect(initDir.status == 1 && initDir.stderr.contains("is a directory"), "\(initDir.stderr)")
    }

    @Test func readingAFileThatIsNotAStoreLeavesNoLockFileBesideIt() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try FileManager.default.copyItem(atPath: CLI.fixture("madiun-2020/registry.csv"), toPath: cli.dir + "/dup.csv")
        try Data("{\"a\": 1}\n".utf8).write(to: URL(fileURLWithPath: cli.dir + "/lain.json"))
        for file in ["dup.csv", "lain.json"] {
            for args in [["rank"], ["check"], ["history"], ["export", "--format", "csv"]] {
                let r = try cli.run(args + ["--store", file])
                #expect(r.status == 1, "\(args) on \(file)")
            }
            let r = try cli.run(["score", "P-0001", "--curator", "K1", "kualitas=3", "--store", file])
            #expect(r.status == 1)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir).sorted()
        #expect(names == ["dup.csv", "lain.json"], "\(names)")
    }
}
