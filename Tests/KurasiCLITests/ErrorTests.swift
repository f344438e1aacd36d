import Foundation
import Testing

/// Bad input gets a clear error naming the file and what to do, a non-zero exit, and nothing
/// on disk changes.
@Suite struct ErrorTests {
    static let badStores = ["truncated.json", "corrupt.json", "newer-schema.json", "not-a-store.json", "random-bytes.json"]

    @Test(arguments: badStores)
    func everyBadStoreIsRefusedAndLeftUnchanged(_ name: String) throws {
        let cli = try CLI(copying: "bad/" + name)
        defer { cli.cleanUp() }
        let before = try cli.storeBytes()
        for args in [["check"], ["rank"], ["score", "P-0001", "--curator", "K1", "kualitas=3"],
                     ["import", CLI.fixture("madiun-2020/registry.csv")], ["pin", "P-0001", "--curator", "K1"]] {
            let r = try cli.run(args)
            #expect(r.status == 1, "kurasi \(args) on \(name): \(r.stdout)")
            #expect(r.stderr.hasPrefix("kurasi: kurasi.json"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try cli.storeBytes() == before)
        let check = try cli.run(["check"]).stderr
        switch name {
        case "newer-schema.json": #expect(check.contains("version 99") && check.contains("version 2"))
        case "corrupt.json", "truncated.json": #expect(check.firstMatch(of: #/kurasi\.json:\d+:\d+: /#) != nil, "\(check)")
        default: #expect(check.contains("not"))
        }
    }

    /// `kurasi check` on a store that cannot be read says what is wrong and what to do (not "run
    /// `kurasi check`", which is this command), and `--format json` still prints its document.
    @Test(arguments: ["truncated.json", "corrupt.json"])
    func checkOnAStoreThatCannotBeReadSaysWhatToDoAndKeepsItsJSON(_ name: String) throws {
        let cli = try CLI(copying: "bad/" + name)
        defer { cli.cleanUp() }
        let before = try cli.storeBytes()
        let table = try cli.run(["check"])
        #expect(table.status == 1 && table.stdout.isEmpty)
        #expect(table.stderr.firstMatch(of: #/^kurasi: kurasi\.json:\d+:\d+: /#) != nil, "\(table.stderr)")
        #expect(!table.stderr.contains("kurasi check"), "\(table.stderr)")
        #expect(table.stderr.contains("`kurasi recover` rebuilds the store from the backups and journal beside it."), "\(table.stderr)")
        // Every other command still points to `kurasi check`.
        #expect(try cli.run(["status"]).stderr.contains("`kurasi check` tells more"))
        let json = try cli.run(["check", "--format", "json"])
        #expect(json.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        #expect(doc["ok"] as? Bool == false)
        #expect(doc["store"] as? String == "kurasi.json")
        #expect(doc["revision"] is NSNull)
        let problems = try #require(doc["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["kind"] as? String == "store")
        #expect((problems.first?["message"] as? String)?.hasPrefix("kurasi.json:") == true)
        #expect(try cli.storeBytes() == before)
        // In Bahasa Indonesia too.
        let id = try cli.run(["check"], env: ["LANG": "id_ID.UTF-8"])
        #expect(!id.stderr.contains("kurasi check") && id.stderr.contains("`kurasi recover` membangun ulang"), "\(id.stderr)")
    }

    @Test func escapesInDataNeverReachTheTerminal() throws {
        let cli = try CLI(copying: "bad/escapes.json")
        defer { cli.cleanUp() }
        for args in [["rank"], ["curator", "list"], ["export", "--format", "md"], ["history"]] {
            let out = try cli.ok(args)
            #expect(!out.contains("\u{1B}") && !out.contains("\u{07}") && !out.contains("\u{202E}") && !out.contains("\u{9B}"),
                    "kurasi \(args) printed a control character")
        }
        try cli.ok(["import", CLI.fixture("bad/escapes.csv")])
        let out = try cli.ok(["rank"])
        #expect(!out.contains("\u{1B}") && !out.contains("\u{202E}"))
        #expect(out.contains("\u{FFFD}"))
    }

    @Test func invalidUTF8RowsAreReportedByLine() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let r = try cli.run(["import", CLI.fixture("bad/invalid-utf8.csv")])
        #expect(r.status == 1)  // rows were refused; the readable ones are imported and counted
        #expect(r.stdout.contains("2 unreadable rows"))
        #expect(r.stderr.contains("UTF-8"))
    }

    @Test func missingStoreNamesInitAndDemo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let r = try cli.run(["rank"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("kurasi.json") && r.stderr.contains("kurasi init") && r.stderr.contains("kurasi demo"))
        #expect(!FileManager.default.fileExists(atPath: cli.store))
        // $KURASI_STORE is honoured, and --store wins over it.
        let viaEnv = try cli.run(["rank"], env: ["KURASI_STORE": cli.dir + "/env.json"])
        #expect(viaEnv.stderr.contains("env.json"))
        let viaFlag = try cli.run(["rank", "--store", cli.dir + "/flag.json"], env: ["KURASI_STORE": cli.dir + "/env.json"])
        #expect(viaFlag.stderr.contains("flag.json"))
    }

    @Test func usageErrorsExitTwo() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for args in [["bogus"], ["score", "P-0001", "kualitas=3"], ["score", "P-0001", "--curator", "K2", "kualitas"],
                     ["score", "P-0001", "--curator", "K2", "kualitas=empat"], ["rank", "--format", "xml"],
                     ["validate", "U-0001", "--curator", "K1"], ["pin", "P-0001", "--slot", "x", "--curator", "K1"]] {
            let r = try cli.run(args)
            #expect(r.status == 2, "kurasi \(args) exited \(r.status): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
        #expect(try cli.run(["--help"]).status == 0)
    }

    @Test func initRefusesToOverwriteAStore() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let before = try cli.storeBytes()
        let r = try cli.run(["init"])
        #expect(r.status == 1 && r.stderr.contains("already exists"))
        let e = try cli.run(["export", "--format", "md", "-o", cli.store])
        #expect(e.status != 0)
        #expect(try cli.storeBytes() == before)
    }

    @Test func idsWithSpacesOrControlCharactersAreRefusedWhereTheyAreMade() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let before = try cli.storeBytes()
        for id in ["K 1", "K1\n# Judul", "\u{1B}]2;x\u{07}", String(repeating: "K", count: 33)] {
            let r = try cli.run(["curator", "add", id, "--name", "Sri", "--chair"])
            #expect(r.status == 1, "\(id.debugDescription) exited \(r.status)")
            #expect(r.stderr.contains("cannot be used") && r.stderr.contains("at most 32 characters"), "\(r.stderr)")
            #expect(!r.stderr.contains("\u{1B}"))
        }
        #expect(try cli.storeBytes() == before)
        #expect(!FileManager.default.fileExists(atPath: cli.store + ".journal"))
        let recover = try cli.run(["recover", "--store", "/dev/null", "--yes"])
        #expect(recover.status == 1 && recover.stderr.contains("/dev/null: is a device"), "\(recover.stderr)")
    }

    @Test func demoWorksFromAnyDirectoryAndSaysWhere() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let r = try cli.run(["demo"], cwd: "/")
        #expect(r.status == 0, "\(r.stderr)")
        let path = try #require(r.stdout.firstMatch(of: /is at (\S+\.json)/)).1
        #expect(path.hasPrefix(cli.dir))  // under $HOME/.local/share/kurasi/demo
        #expect(FileManager.default.fileExists(atPath: String(path)))
        #expect(try cli.run(["check", "--store", String(path)]).status == 0)
    }
}
