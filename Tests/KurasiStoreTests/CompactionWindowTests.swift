import Foundation
import KurasiCore
@testable import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A compaction holds the store's lock for two short moments only: between them, while the new
/// snapshot is written, other handles edit, read and even compact, and nothing is lost.
@Suite struct CompactionWindowTests {
    func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    func score(_ h: StoreHandle, _ criterion: CriterionID, _ value: Int) throws {
        try h.commit { try $0.perform(.score(product: "P-1", points: [criterion: value]), by: "K1", at: "t") }
    }

    /// A new store in `dir` with `mine` (its first edits `scores` made) and `theirs`, a second
    /// handle on it, as another terminal's.
    func twoHandles(in dir: TempDir, scores: [(CriterionID, Int)] = [("kualitas", 2)]) throws -> (Store, mine: StoreHandle, theirs: StoreHandle) {
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let mine = try StoreHandle(store: store)
        for (c, v) in scores { try score(mine, c, v) }
        return (store, mine, try StoreHandle(store: Store(path: store.path)))
    }

    /// Whether the store's exclusive lock can be taken at once, as another terminal's edit would.
    func lockIsFree(_ store: Store) -> Bool {
        let fd = open(store.targetPath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        flock(fd, LOCK_UN)
        return true
    }

    /// Another handle's edit between the two lock holds: the lock is free (the edit does not
    /// wait for the rewrite), a reader then sees every edit, and afterwards the new snapshot
    /// holds what was noted, the new journal is the edit's line byte for byte, and the segment
    /// and backup are the old journal and snapshot byte for byte.
    @Test func anEditBetweenTheTwoLockHoldsIsCarriedOverAndDoesNotWait() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir, scores: [("kualitas", 2), ("kemasan", 3), ("keunikan", 2)])
        let oldSnapshot = bytes(store.path)!, oldJournal = bytes(store.journalPath)!
        var carried = Data(), seenBetween: Round?, freeBetween = false
        mine.betweenLockHolds = {
            freeBetween = self.lockIsFree(store)
            guard freeBetween else { return }  // the edit would wait (here: forever)
            try self.score(theirs, "pasar", 5)
            carried = self.bytes(store.journalPath)!.dropFirst(oldJournal.count)
            seenBetween = try store.load()
        }
        #expect(try mine.compact() == 3)
        #expect(freeBetween, "the lock was held between the two holds")
        #expect(String(decoding: carried, as: UTF8.self).split(separator: "\n").count == 1)
        #expect(seenBetween?.revision == 5 && seenBetween?.sheet(product: "P-1", curator: "K1")["pasar"] == 5)
        // The snapshot holds revision 4 (what was noted); the journal the edit made meanwhile.
        let snapshot = try Store.decode(bytes(store.path)!, file: store.path)
        #expect(snapshot.revision == 4)
        #expect(snapshot.sheet(product: "P-1", curator: "K1") == ["kualitas": 2, "kemasan": 3, "keunikan": 2])
        #expect(bytes(store.path) == (try Store.encode(snapshot)))
        #expect(bytes(store.journalPath) == carried)
        #expect(bytes(store.targetPath + ".r1.bak") == oldSnapshot)
        #expect(bytes(store.journalPath + ".r1") == oldJournal)
        let expected: Sheet = ["kualitas": 2, "kemasan": 3, "keunikan": 2, "pasar": 5]
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == expected)
        #expect(try store.load().revision == 5)
        // Both handles go on from there.
        #expect(mine.round.revision == 5 && mine.round.sheet(product: "P-1", curator: "K1") == expected)
        try score(theirs, "harga", 1)
        try score(mine, "kapasitas", 2)
        let final = try store.load()
        #expect(final.revision == 7)
        #expect(final.sheet(product: "P-1", curator: "K1") == expected.merging(["harga": 1, "kapasitas": 2]) { $1 })
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
        // The next compaction folds the carried line in like any other.
        #expect(try mine.compact() == 3)
        #expect(try Store.decode(bytes(store.path)!, file: store.path) == final)
    }

    /// Another handle compacts between the two holds (twice): the first compaction notices the
    /// snapshot was replaced, drops its temp files and starts over, the third time under the
    /// lock throughout; every edit is kept, and the backups and segments rebuild them all.
    @Test func aCompactionInBetweenMakesTheOtherStartOverAndLosesNothing() throws {
        for clashes in 1...2 {
            let dir = TempDir()
            let (store, mine, theirs) = try twoHandles(in: dir)
            var calls = 0
            mine.betweenLockHolds = {
                calls += 1
                guard calls <= clashes else { return }
                // An edit, a compaction, and an edit after it (so that there is still something to fold).
                try self.score(theirs, CriterionID(["kemasan", "keunikan"][calls - 1]), 3)
                try theirs.compact()
                try self.score(theirs, CriterionID(["pasar", "harga"][calls - 1]), 2)
            }
            #expect(try mine.compact() == 1)
            #expect(calls == 2, "clashes \(clashes)")
            let expected: Sheet = clashes == 1 ? ["kualitas": 2, "kemasan": 3, "pasar": 2]
                : ["kualitas": 2, "kemasan": 3, "pasar": 2, "keunikan": 3, "harga": 2]
            let round = try store.load()
            #expect(round.revision == 2 + 2 * clashes)
            #expect(round.sheet(product: "P-1", curator: "K1") == expected)
            #expect(try Store.decode(bytes(store.path)!, file: store.path).revision == round.revision, "the last compaction folded everything")
            #expect(mine.round == round)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
            // With the snapshot cut in half, the backups and segments rebuild every edit.
            let snapshot = bytes(store.path)!
            try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: store.path))
            let plan = try Recovery.plan(store)
            #expect(plan.round.revision == round.revision && plan.skipped.isEmpty, "\(plan.notes)")
            #expect(plan.round.sheet(product: "P-1", curator: "K1") == expected)
        }
    }

    /// A write that fails between the holds (a full disk): nothing in place changes but the
    /// backup, the temp files are gone, and the edits made meanwhile are in the journal.
    @Test func aCompactionThatFailsBetweenTheHoldsChangesNothing() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        let snapshot = bytes(store.path)
        mine.betweenLockHolds = {
            try self.score(theirs, "pasar", 5)
            WriteFaults.fail(store.path, at: [.carryOverWritten])
        }
        defer { WriteFaults.clear(store.path) }
        #expect(throws: StoreError.self) { try mine.compact() }
        WriteFaults.clear(store.path)
        #expect(bytes(store.path) == snapshot)
        #expect(String(decoding: bytes(store.journalPath)!, as: UTF8.self).split(separator: "\n").count == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == ["kualitas": 2, "pasar": 5])
        mine.betweenLockHolds = nil
        #expect(try mine.compact() == 2)
        #expect(try Store.decode(bytes(store.path)!, file: store.path).revision == 3)
    }

    /// A line appended between the holds that is damaged (not the last one: something other
    /// than a crash changed it) is not carried over: the compaction is refused naming the line,
    /// and the snapshot and journal stay as they were.
    @Test func aDamagedLineAppendedBetweenTheHoldsIsRefusedByItsLineNumber() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        let snapshot = bytes(store.path)!
        var journal = Data()
        mine.betweenLockHolds = {
            try self.score(theirs, "pasar", 5)
            try self.score(theirs, "harga", 1)
            var b = [UInt8](self.bytes(store.journalPath)!)
            let second = b.firstIndex(of: UInt8(ascii: "\n"))! + 1
            let at = b[second...].firstIndex(of: UInt8(ascii: "5"))!  // "pasar" = 5 in line 2
            b[at] = UInt8(ascii: "4")
            journal = Data(b)
            try journal.write(to: URL(fileURLWithPath: store.journalPath))
        }
        do {
            try mine.compact()
            Issue.record("a damaged line was carried over")
        } catch let error as StoreError {
            #expect(error.description.contains("line 2"), "\(error)")
        }
        #expect(bytes(store.path) == snapshot)
        #expect(bytes(store.journalPath) == journal)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    }
}
