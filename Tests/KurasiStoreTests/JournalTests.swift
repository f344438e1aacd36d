import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// The journal: one durable line per edit, replayed on load, compacted into the snapshot, with a
/// torn last line dropped and damage anywhere else refused.
@Suite struct JournalTests {
    func store(_ dir: TempDir, compactEvery: Int = 1000) throws -> (Store, StoreHandle) {
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let handle = try StoreHandle(store: store)
        handle.compactEvery = compactEvery
        return (store, handle)
    }

    func score(_ h: StoreHandle, _ criterion: CriterionID, _ value: Int, by: CuratorID = "K1") throws {
        try h.commit { try $0.perform(.score(product: "P-1", points: [criterion: value]), by: by, at: "t") }
    }

    func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func anEditAppendsOneLineAndLeavesTheSnapshotAlone() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        let snapshot = bytes(store.path)
        try score(h, "kemasan", 3)
        try score(h, "keunikan", 5)
        #expect(bytes(store.path) == snapshot)
        let lines = String(decoding: bytes(store.journalPath)!, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("{\"checksum\":\"crc32:"))
        let loaded = try store.load()
        #expect(loaded.revision == 3)
        #expect(loaded.sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3, "keunikan": 5])
        #expect(mode(store.journalPath) == 0o600)
    }

    @Test func compactionRewritesTheSnapshotAndKeepsTenBackupsWithTheirJournals() throws {
        let dir = TempDir()
        let (store, h) = try store(dir, compactEvery: 3)
        for i in 0..<40 { try score(h, "kemasan", i % 5 + 1) }
        let round = try store.load()
        #expect(round.revision == 41)
        #expect(try Store.decode(bytes(store.path)!, file: "s").revision == 40)  // compacted after every third edit
        let backups = store.backups()
        #expect(backups.count == 10)
        #expect(backups.first!.revision == 37)
        // Each kept backup has the journal segment that leads on from it.
        #expect(store.journalSegments().map(\.revision) == backups.map(\.revision).reversed())
        // The audit trail survives compaction.
        #expect(round.events.count == 41)
    }

    @Test func aTornLastLineIsDroppedWithAWarningAndCutBeforeTheNextEdit() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        try score(h, "kemasan", 3)
        try score(h, "keunikan", 5)
        var journal = bytes(store.journalPath)!
        let good = journal
        journal.removeLast(20)  // a crash mid-append
        try journal.write(to: URL(fileURLWithPath: store.journalPath))
        let reopened = try StoreHandle(store: store)
        #expect(reopened.round.revision == 2)
        #expect(reopened.warnings.count == 1)
        #expect(reopened.warnings[0].text(.en).contains("k.json.journal:2"))
        #expect(reopened.warnings[0].text(.id).contains("k.json.journal:2: baris jurnal terakhir dibuang"))
        #expect(bytes(store.journalPath) == journal)  // reading changes nothing
        try score(reopened, "pasar", 2)
        let after = try store.load()
        #expect(after.revision == 3)
        #expect(after.sheet(product: "P-1", curator: "K1")["keunikan"] == nil)
        #expect(after.sheet(product: "P-1", curator: "K1")["pasar"] == 2)
        #expect(bytes(store.journalPath)!.count < good.count + 400)
    }

    @Test func aFlippedByteMidJournalIsAnErrorNamingTheLine() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        for v in [1, 2, 3] { try score(h, "kemasan", v) }
        var journal = [UInt8](bytes(store.journalPath)!)
        let firstLineEnd = journal.firstIndex(of: UInt8(ascii: "\n"))!
        let secondLine = firstLineEnd + 1
        // Change the score in line 2 ("to":2 -> "to":7): valid JSON, wrong checksum.
        let text = String(decoding: journal, as: UTF8.self)
        let range = text.range(of: "\"to\":2")!
        let at = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 5
        #expect(at > secondLine)
        journal[at] = UInt8(ascii: "7")
        try Data(journal).write(to: URL(fileURLWithPath: store.journalPath))
        let snapshot = bytes(store.path), before = bytes(store.journalPath)
        do {
            _ = try store.load()
            Issue.record("a damaged journal loaded")
        } catch {
            #expect(error.line == 2)
            #expect(error.description.contains("journal line 2 is damaged"))
            #expect(error.description.contains("kurasi recover"))
        }
        #expect(throws: StoreError.self) { try store.update { _ in } }
        #expect(bytes(store.path) == snapshot && bytes(store.journalPath) == before)
    }

    @Test func aMissingRevisionIsAnError() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        for v in [1, 2, 3] { try score(h, "kemasan", v) }
        let lines = String(decoding: bytes(store.journalPath)!, as: UTF8.self).split(separator: "\n")
        try Data((lines[0] + "\n" + lines[2] + "\n").utf8).write(to: URL(fileURLWithPath: store.journalPath))
        do { _ = try store.load(); Issue.record("loaded with a gap") } catch {
            #expect(error.description.contains("an edit is missing"))
        }
    }

    @Test func anotherHandlesEditsArePickedUpIncrementally() throws {
        let dir = TempDir()
        let (store, mine) = try store(dir)
        let theirs = try StoreHandle(store: Store(path: store.path))
        try score(theirs, "kemasan", 2)
        #expect(try mine.refresh())
        #expect(mine.round.revision == 2)
        // My edit is applied after theirs, under the lock, never over it.
        try score(mine, "keunikan", 4)
        try score(theirs, "pasar", 1)
        let final = try store.load()
        #expect(final.revision == 4)
        #expect(final.sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 2, "keunikan": 4, "pasar": 1])
        // A compaction by one handle is noticed by the other.
        try theirs.compact()
        #expect(FileStamp(store.journalPath) == nil)
        try score(mine, "harga", 5)
        #expect(try store.load().revision == 5)
    }

    @Test func editsThroughASymlinkKeepTheLinkAndJournalBesideTheTarget() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        try Store(path: dir.file("data/real.json")).create(tinyRound())
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: "data/real.json")
        let h = try StoreHandle(store: Store(path: dir.file("link.json")))
        h.compactEvery = 2
        try score(h, "kemasan", 3); try score(h, "harga", 2); try score(h, "pasar", 4)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.json")) == "data/real.json")
        #expect(FileManager.default.fileExists(atPath: dir.file("data/real.json.journal")))
        #expect(try Store(path: dir.file("data/real.json")).load().revision == 4)
    }

    /// The write fails at a named point (as a full or broken disk would make it, and as root,
    /// who may write anywhere, still meets it): nothing on disk changes, the handle keeps the
    /// round as on disk and goes on working once writes succeed again.
    @Test func aWriteThatFailsLeavesTheStoreAsItWasAndTheHandleKeepsWorking() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        try score(h, "kemasan", 3)
        let snapshot = bytes(store.path), journal = bytes(store.journalPath)
        WriteFaults.fail(store.path, at: [.journalWritten])
        defer { WriteFaults.clear(store.path) }
        do {
            try score(h, "harga", 2)
            Issue.record("the edit was saved despite the failing write")
        } catch let error as StoreError {
            #expect(error.kind == .writeFailed)
            #expect(error.description.contains("the edit was not saved") && error.description.contains("Input/output error"), "\(error)")
        }
        #expect(bytes(store.path) == snapshot && bytes(store.journalPath) == journal)
        #expect(h.round.revision == 2)
        #expect(h.round.sheet(product: "P-1", curator: "K1")["harga"] == nil)
        WriteFaults.clear(store.path)
        try score(h, "harga", 2)
        #expect(try store.load().sheet(product: "P-1", curator: "K1")["harga"] == 2)
    }

    @Test func aCompactionThatCannotWriteKeepsTheEditInTheJournal() throws {
        let dir = TempDir()
        let (store, h) = try store(dir, compactEvery: 1)
        let snapshot = bytes(store.path)
        WriteFaults.fail(store.path, at: [.snapshotTempWritten])
        defer { WriteFaults.clear(store.path) }
        try score(h, "harga", 2)
        #expect(h.warnings.contains { $0.text(.en).contains("compacting the store failed") })
        #expect(h.warnings.contains { $0.text(.id).contains("pemadatan data gagal") })
        #expect(bytes(store.path) == snapshot)
        #expect(try store.load().sheet(product: "P-1", curator: "K1")["harga"] == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    }

    /// l2 → l1 → real: every link stays a link, the real file gets every edit, and both links
    /// share one lock and one journal.
    @Test func aChainOfSymlinksLeadsEveryWriterToTheRealStore() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        try Store(path: dir.file("data/real.json")).create(tinyRound())
        try FileManager.default.createSymbolicLink(atPath: dir.file("l1.json"), withDestinationPath: "data/real.json")
        try FileManager.default.createSymbolicLink(atPath: dir.file("l2.json"), withDestinationPath: "l1.json")
        let viaL2 = try StoreHandle(store: Store(path: dir.file("l2.json")))
        let viaL1 = try StoreHandle(store: Store(path: dir.file("l1.json")))
        viaL2.compactEvery = 2
        try score(viaL2, "kemasan", 3); try score(viaL1, "harga", 2); try score(viaL2, "pasar", 4)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("l2.json")) == "l1.json")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("l1.json")) == "data/real.json")
        let real = try Store(path: dir.file("data/real.json")).load()
        #expect(real.revision == 4)
        #expect(real.sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3, "harga": 2, "pasar": 4])
        let top = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(top == ["data", "l1.json", "l2.json"], "lock or journal files beside a link: \(top)")
    }

    /// Temp files a killed compaction left (`.k.json.tmp-PID`, `.k.json.rN.bak.tmp-PID`) are
    /// removed by the next writer; those of a process that still runs, and other files, stay.
    @Test func theNextWriterRemovesTheTempFilesOfDeadProcesses() throws {
        let dir = TempDir()
        let (store, h) = try store(dir)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run(); child.waitUntilExit()
        let dead = child.processIdentifier
        let snapshot = bytes(store.path)!
        let stale = [".k.json.tmp-\(dead)", ".k.json.r3.bak.tmp-\(dead)"]
        let kept = [".k.json.tmp-1", ".k.json.tmp-\(getpid())", ".other.json.tmp-\(dead)", ".k.json.notes.tmp-\(dead)"]
        for name in stale + kept { try snapshot.write(to: URL(fileURLWithPath: dir.file(name))) }
        _ = try StoreHandle(store: store)  // reading removes nothing
        #expect(stale.allSatisfy { FileManager.default.fileExists(atPath: dir.file($0)) })
        try score(h, "kemasan", 3)
        for name in stale { #expect(!FileManager.default.fileExists(atPath: dir.file(name)), "\(name) was left") }
        for name in kept { #expect(FileManager.default.fileExists(atPath: dir.file(name)), "\(name) was removed") }
    }

    @Test func journalFuzzNeverCrashes() throws {
        var rng = SplitMix64(seed: 44)
        let dir = TempDir()
        let (store, h) = try store(dir)
        for v in [1, 2, 3, 4] { try score(h, "kemasan", v) }
        let good = [UInt8](bytes(store.journalPath)!)
        for i in 0..<150 {
            var b = good
            if i % 2 == 0 { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            else { b = Array(b.prefix(Int(rng.next() % UInt64(b.count)))) }
            _ = try? Journal.read(Data(b), from: 0, firstLine: 1, file: "fuzz")
        }
    }
}
