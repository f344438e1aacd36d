import Foundation
import KurasiCore
import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kurasi import` of a large registry saves a new snapshot instead of one huge journal line
/// (`KURASI_SNAPSHOT_ABOVE` sets the threshold low here, so the bundled registry is "large"),
/// Ctrl-C says what was saved, `kurasi compact` says what it folded and what stays, and
/// `kurasi check` counts one backup in the singular.
@Suite(.serialized) struct LargeImportTests {
    static let registry = CLI.fixture("madiun-2020/registry.csv")
    static let large = ["KURASI_SNAPSHOT_ABOVE": "10"]

    func newRound() throws -> CLI {
        let cli = try CLI()
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Ketua", "--chair"])
        return cli
    }

    func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Start `kurasi ARGS` with its output in files of the test's directory (read them once it ends).
    func start(_ cli: CLI, _ args: [String], env extra: [String: String]) throws -> (Process, out: String, err: String) {
        let out = cli.dir + "/out.txt", err = cli.dir + "/err.txt"
        FileManager.default.createFile(atPath: out, contents: Data())
        FileManager.default.createFile(atPath: err, contents: Data())
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--store", cli.store] + args
        p.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        var env = ["PATH": "/usr/bin:/bin", "HOME": cli.dir, "LANG": "C.UTF-8", "KURASI_NOW": "2020-10-15T09:00:00Z"]
        for (k, v) in extra { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out, err)
    }

    func text(_ path: String) -> String { String(decoding: bytes(path) ?? Data(), as: UTF8.self) }

    /// The import is in the snapshot, the journal holds no line of it, the round is the one the
    /// same import through the journal gives, `check` passes, the history names it, a second
    /// import of the file changes nothing, and with the snapshot cut in half `recover` rebuilds
    /// it from the backup and its segment.
    @Test func aLargeImportIsANewSnapshotAndReadsAsTheJournalsWould() throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        let start = Store(path: cli.store).loadOrFail().revision
        let snapshotRevision = try Store.decode(cli.storeBytes(), file: cli.store).revision
        let out = try cli.ok(["import", Self.registry], env: Self.large)
        #expect(out.contains(" 0 unreadable rows") || out.contains("0 unreadable rows"), "\(out)")
        #expect(!FileManager.default.fileExists(atPath: cli.store + ".journal"), "the import left a journal line")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == start + 1 && round.producers.count > 10)
        #expect(round.events.last?.by == "import")
        #expect(Store(path: cli.store).backups().map(\.revision) == [snapshotRevision])
        #expect(FileManager.default.fileExists(atPath: cli.store + ".index"))

        let journal = try newRound()
        defer { journal.cleanUp() }
        try journal.ok(["import", Self.registry])
        #expect(FileManager.default.fileExists(atPath: journal.store + ".journal"))
        #expect(Store(path: journal.store).loadOrFail() == round)

        #expect(try cli.run(["check"]).status == 0)
        let history = try cli.ok(["history"])
        #expect(history.contains("import"), "\(history)")
        try cli.ok(["import", Self.registry], env: Self.large)
        #expect(Store(path: cli.store).loadOrFail().revision == round.revision)

        let snapshot = try cli.storeBytes()
        try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: cli.store))
        let rebuilt = try cli.run(["recover", "--yes"])
        #expect(rebuilt.status == 0, "\(rebuilt.stdout)\(rebuilt.stderr)")
        #expect(Store(path: cli.store).loadOrFail() == round)
    }

    /// Killed at each named point of saving the import as a snapshot: the store reads and passes
    /// `check`, with all of the import (from the snapshot's rename on) or none of it, and the
    /// import run again completes and clears the temp files.
    @Test(arguments: [CrashPoint.backupTempWritten, .backupRenamed, .snapshotTempWritten, .indexTempWritten,
                      .segmentRenamed, .snapshotRenamed, .journalRotated])
    func aKillWhileALargeImportIsSavedLeavesAllOrNoneOfIt(_ point: CrashPoint) throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        let before = Store(path: cli.store).loadOrFail()
        var env = Self.large
        env["KURASI_CRASH_AT"] = point.rawValue
        let p = try cli.spawn(["import", Self.registry], env: env)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL, "the import did not stop at \(point.rawValue)")
        let check = try cli.run(["check"])
        #expect(check.status == 0, "after a kill at \(point.rawValue): \(check.stderr)")
        let round = Store(path: cli.store).loadOrFail()
        let saved = point == .snapshotRenamed || point == .journalRotated
        #expect(round.revision == before.revision + (saved ? 1 : 0), "after a kill at \(point.rawValue)")
        #expect(round.producers.count == (saved ? round.producers.count : before.producers.count))
        if !saved { #expect(round == before) }
        try cli.ok(["import", Self.registry], env: Self.large)
        let after = Store(path: cli.store).loadOrFail()
        #expect(after.revision == before.revision + 1 && after.producers.count > 10)
        // The next edit clears the temp files the kill left (an import with nothing to add takes no lock).
        try cli.ok(["curator", "add", "K2", "--name", "Dua", "--curator", "K1"])
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "temp files left: \(names)")
        #expect(try cli.run(["check"]).status == 0)
    }

    /// Ctrl-C once the plan is made, before anything is saved: the import stops at once, says
    /// nothing was saved and names the store; every file is as it was.
    @Test func ctrlCBeforeTheSaveSaysNothingWasSaved() throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        let snapshot = try cli.storeBytes(), journal = bytes(cli.store + ".journal")
        let gate = cli.dir + "/planned"
        let (p, out, err) = try start(cli, ["import", Self.registry], env: ["KURASI_TEST_PAUSE_AFTER_PLAN": gate])
        let deadline = Date(timeIntervalSinceNow: 600)
        while !FileManager.default.fileExists(atPath: gate), p.isRunning, Date() < deadline { usleep(5_000) }
        #expect(FileManager.default.fileExists(atPath: gate))
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130)
        #expect(text(err).hasSuffix("kurasi: import stopped (Ctrl-C) before it was saved: nothing was saved, the store \(cli.store) is as it was. Run the import again when you want it.\n"),
                "\(text(err))")
        #expect(text(out).isEmpty)
        #expect(try cli.storeBytes() == snapshot && bytes(cli.store + ".journal") == journal)
    }

    /// Ctrl-C once the import is saved, before its summary is written: Kurasi says what was
    /// saved (not that it is still saving) and exits 130; the import is in the store.
    @Test(arguments: [[:], LargeImportTests.large])
    func ctrlCAfterTheSaveSaysWhatWasSaved(_ extra: [String: String]) throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        let before = Store(path: cli.store).loadOrFail()
        let gate = cli.dir + "/saved"
        var env = extra
        env["KURASI_TEST_PAUSE_AFTER_SAVE"] = gate
        let (p, out, err) = try start(cli, ["import", Self.registry], env: env)
        let deadline = Date(timeIntervalSinceNow: 600)
        while !FileManager.default.fileExists(atPath: gate), p.isRunning, Date() < deadline { usleep(5_000) }
        #expect(FileManager.default.fileExists(atPath: gate))
        kill(p.processIdentifier, SIGINT)
        // The stop ends the process where it is; should it not (it waited for a save already
        // done), the gate is opened after a while so that the test ends and says what it did.
        let patience = Date(timeIntervalSinceNow: 60)
        while p.isRunning, Date() < patience { usleep(10_000) }
        try? FileManager.default.removeItem(atPath: gate)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(text(err))")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == before.revision + 1)
        let said = text(err)
        #expect(!said.contains("being saved"), "\(said)")
        #expect(said.hasSuffix("kurasi: stopped (Ctrl-C) after the import was saved: \(Format.count(round.producers.count - before.producers.count, .en)) producers and \(Format.count(round.products.count - before.products.count, .en)) products added (rev \(round.revision)).\n"), "\(said)")
        #expect(text(out).isEmpty)
        #expect(try cli.run(["check"]).status == 0)
    }

    /// Ctrl-C while the import is being saved (the process stopped at the named point where its
    /// line is written): Kurasi says it stops once the import is saved, saves it whole, then says
    /// what was saved and exits 130.
    @Test(arguments: [[:], LargeImportTests.large])
    func ctrlCWhileSavingStopsOnceTheImportIsSaved(_ extra: [String: String]) throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        let before = Store(path: cli.store).loadOrFail()
        var env = extra
        env["KURASI_STOP_AT"] = extra.isEmpty ? CrashPoint.journalWritten.rawValue : CrashPoint.snapshotTempWritten.rawValue
        let (p, _, err) = try start(cli, ["import", Self.registry], env: env)
        #expect(CompactionTests.waitUntilStopped(p))
        kill(p.processIdentifier, SIGINT)
        kill(p.processIdentifier, SIGCONT)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(text(err))")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == before.revision + 1)
        let added = round.producers.count - before.producers.count
        let said = text(err)
        #expect(said.contains("kurasi: Ctrl-C: the import is being saved; Kurasi stops once it is saved whole (a store is never left half-written).\n"), "\(said)")
        #expect(said.hasSuffix("kurasi: stopped (Ctrl-C) after the import was saved: \(Format.count(added, .en)) producers and \(Format.count(round.products.count - before.products.count, .en)) products added (rev \(round.revision)).\n"), "\(said)")
        #expect(try cli.run(["check"]).status == 0)
    }

    /// Edits from another terminal while `kurasi compact` is between its lock holds: it says the
    /// revision of the snapshot it wrote and the lines it folded, and that the others stay.
    @Test func compactSaysWhatItFoldedAndWhatStays() throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        try cli.ok(["curator", "add", "K5", "--name", "Lima", "--curator", "K1"])
        let noted = Store(path: cli.store).loadOrFail().revision
        let (p, out, err) = try start(cli, ["compact"], env: ["KURASI_STOP_AT": CrashPoint.compactionStaged.rawValue])
        #expect(CompactionTests.waitUntilStopped(p))
        try cli.ok(["curator", "add", "K2", "--name", "Dua", "--curator", "K1"])
        try cli.ok(["curator", "add", "K3", "--name", "Tiga", "--curator", "K1"])
        kill(p.processIdentifier, SIGCONT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text(err))")
        #expect(text(out) == "rev \(noted): 2 journal lines folded into the snapshot.\n"
                + "2 journal lines written during the compaction stay in the journal (rev \(noted + 1)–\(noted + 2)).\n", "\(text(out))")
        #expect(try Store.decode(cli.storeBytes(), file: cli.store).revision == noted)
        let one = try cli.ok(["compact"])
        #expect(one == "rev \(noted + 2): 2 journal lines folded into the snapshot.\n", "\(one)")
        try cli.ok(["curator", "add", "K4", "--name", "Empat", "--curator", "K1"])
        #expect(try cli.ok(["compact"]) == "rev \(noted + 3): 1 journal line folded into the snapshot.\n")
    }

    /// One backup is "1 backup" (Indonesian has no plural: "1 cadangan").
    @Test func checkCountsOneBackupInTheSingular() throws {
        let cli = try newRound()
        defer { cli.cleanUp() }
        try cli.ok(["compact"])
        #expect(Store(path: cli.store).backups().count == 1)
        let en = try cli.ok(["check"])
        #expect(en.hasSuffix(" · 1 backup\n"), "\(en)")
        let id = try cli.ok(["check", "--lang", "id"])
        #expect(id.hasSuffix(" · 1 cadangan\n"), "\(id)")
        try cli.ok(["curator", "add", "K2", "--name", "Dua", "--curator", "K1"])
        try cli.ok(["compact"])
        #expect(try cli.ok(["check"]).hasSuffix(" · 2 backups\n"))
    }
}
