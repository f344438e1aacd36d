import Foundation
import KurasiCore
import KurasiStore
import Testing

/// Compaction is off the edit path: edits only append to the journal, and the snapshot is
/// rewritten by `kurasi compact` (and when the console quits), under the lock and crash-safe.
@Suite(.serialized) struct CompactionTests {
    static let points: [CrashPoint] = [.backupTempWritten, .backupRenamed, .snapshotTempWritten, .indexTempWritten,
                                        .compactionStaged, .segmentRenamed, .snapshotRenamed, .journalRotated, .compacted]
    /// The points after the lock is taken again, where an edit made in between is carried over.
    static let carryPoints: [CrashPoint] = [.carryOverWritten, .segmentRenamed, .snapshotRenamed, .journalRotated, .compacted]

    /// `kurasi compact` on a schema 1 store with nothing in its journal upgrades it all the same,
    /// keeping the old file; the round read back is the same, and a second run has nothing to do.
    @Test func kurasiCompactUpgradesASchema1Store() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let snapshot = try cli.storeBytes()
        let before = try Store.decode(snapshot, file: cli.store)
        let rank = try cli.ok(["rank"])
        let out = try cli.ok(["compact", "--lang", "id"])
        #expect(out == "Penyimpanan ditulis ulang dengan skema data versi 2 (setiap lembar nilai satu baris); berkas versi 1 disimpan sebagai kurasi.json.v1.bak.\n")
        #expect(Store(path: cli.store).schemaOnDisk == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".v1.bak")) == snapshot)
        #expect(try Store.decode(cli.storeBytes(), file: cli.store) == before)
        #expect(try cli.ok(["rank"]) == rank)
        #expect(try cli.run(["check"]).status == 0)
        #expect(try cli.ok(["compact"]) == "The journal is empty; nothing to compact (rev \(before.revision)).\n")
    }

    @Test func editsNeverCompactAndKurasiCompactFoldsTheJournalIn() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let snapshot = try cli.storeBytes()
        for v in 1...5 { try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=\(v)"]) }
        #expect(try cli.storeBytes() == snapshot, "an edit rewrote the snapshot")
        let journal = try String(contentsOfFile: cli.store + ".journal", encoding: .utf8)
        #expect(journal.split(separator: "\n").count == 5)
        let out = try cli.ok(["compact"])
        // The bundled round is schema 1: this first compaction is also the migration to schema 2.
        #expect(out == "The store is now written in schema version 2 (each score sheet on one line); the version 1 file is kept as kurasi.json.v1.bak.\n"
                + "rev 14: 5 journal lines folded into the snapshot.\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".v1.bak")) == snapshot)
        #expect(!FileManager.default.fileExists(atPath: cli.store + ".journal"))
        #expect(FileManager.default.fileExists(atPath: cli.store + ".r9.bak"))
        #expect(FileManager.default.fileExists(atPath: cli.store + ".journal.r9"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".r9.bak")) == snapshot)
        let round = try Store.decode(cli.storeBytes(), file: cli.store)
        #expect(round.revision == 14 && round.sheet(product: "P-0003", curator: "K2")["kualitas"] == 5)
        #expect(try cli.ok(["compact"]) == "The journal is empty; nothing to compact (rev 14).\n")
        #expect(try cli.ok(["compact", "--lang", "id"]) == "Jurnal kosong; tidak ada yang dipadatkan (rev 14).\n")
        // The index written with the new snapshot serves the next score.
        #expect(FileManager.default.fileExists(atPath: cli.store + ".index"))
        try cli.ok(["score", "P-0003", "--curator", "K2", "kemasan=4"])
        #expect(try cli.run(["check"]).status == 0)
    }

    /// `kurasi compact` killed at each named point of its path: nothing that reached the journal
    /// is lost, `check` passes, the next compaction finishes and clears the temp files the kill
    /// left, and `recover` has nothing to do.
    @Test(arguments: Self.points)
    func aKillAtEveryPointOfACompactionLosesNothing(_ point: CrashPoint) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for (k, v) in [("kualitas", 1), ("kemasan", 2), ("keunikan", 3)] {
            try cli.ok(["score", "P-0003", "--curator", "K2", "\(k)=\(v)"])
        }
        let expected: Sheet = ["kualitas": 1, "kemasan": 2, "keunikan": 3]
        let p = try cli.spawn(["compact"], env: ["KURASI_CRASH_AT": point.rawValue])
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL,
                "compact did not stop at \(point.rawValue)")
        let check = try cli.run(["check"])
        #expect(check.status == 0, "after a kill at \(point.rawValue): \(check.stderr)")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == 12)
        #expect(round.sheet(product: "P-0003", curator: "K2") == expected)
        // An edit goes on from there, through the index when it is current and otherwise whole.
        try cli.ok(["score", "P-0003", "--curator", "K2", "pasar=4"])
        // (A kill before the new snapshot was in place leaves the schema 1 one: this compaction
        // finishes the migration and says so first.)
        #expect(try cli.ok(["compact"]).split(separator: "\n").last?.hasPrefix("rev 13: ") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "temp files left after the next compaction: \(names)")
        let after = Store(path: cli.store).loadOrFail()
        #expect(after.revision == 13)
        #expect(after.sheet(product: "P-0003", curator: "K2") == expected.merging(["pasar": 4]) { $1 })
        let recover = try cli.run(["recover", "--yes"])
        #expect(recover.status == 0 && recover.stdout.contains("nothing to recover"), "\(recover.stdout)\(recover.stderr)")
        // A score through the index after all that matches the store read whole.
        try cli.ok(["score", "P-0003", "--curator", "K2", "harga=5"])
        #expect(Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")["harga"] == 5)
        #expect(try cli.run(["check"]).status == 0)
    }

    /// A compaction whose write fails (a full disk) changes nothing and says so.
    @Test(arguments: [CrashPoint.backupTempWritten, .snapshotTempWritten])
    func aCompactionThatCannotWriteChangesNothing(_ point: CrashPoint) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=1"])
        let snapshot = try cli.storeBytes()
        let journal = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))
        let r = try cli.run(["compact"], env: ["KURASI_FAIL_AT": point.rawValue])
        #expect(r.status == 1)
        #expect(r.stderr.contains("could not be saved") && r.stderr.contains("Input/output error"), "\(r.stderr)")
        // The store is ./kurasi.json: its directory is named in full, never as "." ("of ..").
        let dir = URL(fileURLWithPath: cli.dir).resolvingSymlinksInPath().path
        #expect(r.stderr.contains("check free space and permissions of \(dir).\n"), "\(r.stderr)")
        #expect(!r.stderr.contains("of .."), "\(r.stderr)")
        #expect(try cli.storeBytes() == snapshot)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")) == journal)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: cli.dir)).contains { $0.contains(".tmp-") })
        #expect(try cli.run(["check"]).status == 0)
    }

    /// Wait until `p` has stopped itself (SIGSTOP at `KURASI_STOP_AT`) or exited; true when stopped.
    /// The wait is for a state, however long the loaded machine takes to reach it (capped at
    /// ten minutes, so that a broken build fails instead of hanging).
    static func waitUntilStopped(_ p: Process) -> Bool {
        let deadline = Date(timeIntervalSinceNow: 600)
        while p.isRunning, Date() < deadline {
            if let stat = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")") {
                let state = stat[stat.index(after: close)...].split(separator: " ").first
                if state == "T" || state == "t" { return true }
            }
            usleep(5_000)
        }
        return false
    }

    /// Run `kurasi ARGS` to its end; nil when it has not ended while `compactor` stays stopped
    /// (it waits for a lock that the stopped compaction holds), then it is killed.
    static func runWhileStopped(_ cli: CLI, _ args: [String]) throws -> Int32? {
        let p = try cli.spawn(args)
        let deadline = Date(timeIntervalSinceNow: 600)
        while p.isRunning, Date() < deadline { usleep(5_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit(); return nil }
        return p.terminationStatus
    }

    /// `kurasi score` from another terminal while `kurasi compact` is stopped between its two
    /// lock holds (with the new snapshot written): the edit ends on its own (it does not wait for
    /// the rewrite), and the compaction, let go on, carries its line over byte for byte.
    @Test func anEditDuringACompactionDoesNotWaitAndIsKept() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for (k, v) in [("kualitas", 1), ("kemasan", 2), ("keunikan", 3)] {
            try cli.ok(["score", "P-0003", "--curator", "K2", "\(k)=\(v)"])
        }
        let oldJournal = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))
        let compact = try cli.spawn(["compact"], env: ["KURASI_STOP_AT": CrashPoint.compactionStaged.rawValue])
        defer { if compact.isRunning { kill(compact.processIdentifier, SIGKILL) } }
        #expect(Self.waitUntilStopped(compact), "compact did not stop between its lock holds")
        #expect(FileManager.default.fileExists(atPath: cli.store + ".r9.bak"))
        #expect(try Self.runWhileStopped(cli, ["score", "P-0003", "--curator", "K2", "pasar=4"]) == 0,
                "the edit waited for the stopped compaction")
        let edit = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")).dropFirst(oldJournal.count)
        #expect(String(decoding: edit, as: UTF8.self).split(separator: "\n").count == 1)
        // A reader meanwhile sees every edit.
        #expect(Store(path: cli.store).loadOrFail().revision == 13)
        kill(compact.processIdentifier, SIGCONT)
        compact.waitUntilExit()
        #expect(compact.terminationReason == .exit && compact.terminationStatus == 0)
        let snapshot = try Store.decode(cli.storeBytes(), file: cli.store)
        #expect(snapshot.revision == 12)
        #expect(try cli.storeBytes() == (try Store.encode(snapshot)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")) == Data(edit))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal.r9")) == oldJournal)
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == 13)
        #expect(round.sheet(product: "P-0003", curator: "K2") == ["kualitas": 1, "kemasan": 2, "keunikan": 3, "pasar": 4])
        #expect(try cli.run(["check"]).status == 0)
        #expect(try cli.ok(["compact"]).hasPrefix("rev 13: 1 "))
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    }

    /// As above, and the compaction is killed at each point after it takes the lock again: the
    /// edit made in between, acknowledged, survives with every other, its journal line byte for
    /// byte; the next edit and compaction go on, and `recover` rebuilds every edit from the
    /// backups and segments.
    @Test(arguments: Self.carryPoints)
    func aKillAfterAnEditDuringTheCompactionLosesNothing(_ point: CrashPoint) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for (k, v) in [("kualitas", 1), ("kemasan", 2), ("keunikan", 3)] {
            try cli.ok(["score", "P-0003", "--curator", "K2", "\(k)=\(v)"])
        }
        let oldJournal = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))
        let compact = try cli.spawn(["compact"], env: ["KURASI_STOP_AT": CrashPoint.compactionStaged.rawValue,
                                                      "KURASI_CRASH_AT": point.rawValue])
        defer { if compact.isRunning { kill(compact.processIdentifier, SIGKILL) } }
        #expect(Self.waitUntilStopped(compact), "compact did not stop between its lock holds")
        #expect(try Self.runWhileStopped(cli, ["score", "P-0003", "--curator", "K2", "pasar=4"]) == 0)
        let line = Data(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")).dropFirst(oldJournal.count))
        kill(compact.processIdentifier, SIGCONT)
        compact.waitUntilExit()
        #expect(compact.terminationReason == .uncaughtSignal && compact.terminationStatus == SIGKILL,
                "compact did not stop at \(point.rawValue)")
        let journal = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))
        if point == .journalRotated || point == .compacted {
            #expect(journal == line)
        } else {
            // The old journal is still the live one, the edit's line at its end.
            #expect(journal == oldJournal + line)
        }
        let check = try cli.run(["check"])
        #expect(check.status == 0, "after a kill at \(point.rawValue): \(check.stderr)")
        let expected: Sheet = ["kualitas": 1, "kemasan": 2, "keunikan": 3, "pasar": 4]
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == 13)
        #expect(round.sheet(product: "P-0003", curator: "K2") == expected)
        try cli.ok(["score", "P-0003", "--curator", "K2", "harga=5"])
        #expect(try cli.ok(["compact"]).split(separator: "\n").last?.hasPrefix("rev 14: ") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "temp files left after the next compaction: \(names)")
        let after = Store(path: cli.store).loadOrFail()
        #expect(after.revision == 14 && after.sheet(product: "P-0003", curator: "K2") == expected.merging(["harga": 5]) { $1 })
        #expect(try cli.run(["recover", "--yes"]).stdout.contains("nothing to recover"))
        // With the snapshot cut in half, the backups and segments rebuild every edit.
        let snapshot = try cli.storeBytes()
        try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: cli.store))
        let rebuilt = try cli.run(["recover", "--yes"])
        #expect(rebuilt.status == 0 && !rebuilt.stdout.contains("skipped"), "\(rebuilt.stdout)\(rebuilt.stderr)")
        let recovered = Store(path: cli.store).loadOrFail()
        #expect(recovered.revision == 14 && recovered.sheet(product: "P-0003", curator: "K2") == expected.merging(["harga": 5]) { $1 })
    }
}
