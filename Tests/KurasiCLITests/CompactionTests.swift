import Foundation
import KurasiCore
import KurasiStore
import Testing

/// Compaction is off the edit path: edits only append to the journal, and the snapshot is
/// rewritten by `kurasi compact` (and when the console quits), under the lock and crash-safe.
@Suite(.serialized) struct CompactionTests {
    static let points: [CrashPoint] = [.backupTempWritten, .backupRenamed, .snapshotTempWritten, .snapshotRenamed,
                                        .journalRotated, .indexTempWritten, .compacted]

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
        #expect(try cli.storeBytes() == snapshot)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")) == journal)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: cli.dir)).contains { $0.contains(".tmp-") })
        #expect(try cli.run(["check"]).status == 0)
    }
}
