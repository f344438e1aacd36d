import Foundation
import KurasiCore
@testable import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A large edit (a registry import of many rows) is saved as a new snapshot instead of one huge
/// journal line that every later open would read; a long journal line already on disk is read the
/// fast way; a compaction drops a torn last line and says what it folded; old backups are kept
/// within a budget. The thresholds are set low here: no test writes a large file.
@Suite(.serialized) struct LargeEditTests {
    func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    /// `n` producers and their products, as a registry import adds them.
    func imported(_ n: Int, from first: Int = 100) -> Command {
        var producers: [Producer] = [], products: [Product] = []
        for i in first..<(first + n) {
            producers.append(Producer(id: ProducerID("U-\(i)"), name: "Usaha \(i)", owner: "Pemilik \(i)", address: "Jl. Salak \(i)",
                                      kelurahan: "Taman", kecamatan: "Taman", phone: "0812\(i)", nib: "\(1_000_000 + i)",
                                      registryKey: "\(1_000_000 + i)", sector: "Makanan", validation: .pending))
            products.append(Product(id: ProductID("P-\(i)"), producer: ProducerID("U-\(i)"), name: "Keripik \(i)", cluster: .mamin,
                                    category: "Makanan", price: 10_000 + i, permits: []))
        }
        return .add(producers: producers, products: products)
    }

    func newStore(_ dir: TempDir) throws -> (Store, StoreHandle) {
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let h = try StoreHandle(store: store)
        try h.commit { try $0.perform(.score(product: "P-1", points: ["kemasan": 3]), by: "K1", at: "2020-10-15T09:01:00Z") }
        return (store, h)
    }

    func tempFiles(_ dir: TempDir) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".tmp-") }
    }

    /// Over the threshold: no journal line; the snapshot holds the edit (its event in the
    /// history), the old snapshot is the backup and the segment leads from it to the new one
    /// (its last line the edit's event), the index is written, and the next small edit goes to
    /// the journal as always.
    @Test func aLargeEditIsSavedAsANewSnapshotNotAJournalLine() throws {
        let dir = TempDir()
        let (store, h) = try newStore(dir)
        h.snapshotAbove = 10
        let oldSnapshot = bytes(store.path)!, oldJournal = bytes(store.journalPath)!
        var reports: [(Int, Int)] = []
        h.saving = { reports.append(($0, $1)) }
        let event = try h.commit { try $0.perform(imported(6), by: "import", at: "2020-10-15T09:02:00Z") }
        #expect(event?.revision == 3)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath), "the large edit left a journal line")
        let snapshot = try Store.decode(bytes(store.path)!, file: store.path)
        #expect(snapshot.revision == 3 && snapshot.producers.count == 7 && snapshot.products.count == 7)
        #expect(snapshot.events.last == event)
        #expect(bytes(store.path) == (try Store.encode(snapshot)))
        #expect(bytes(store.targetPath + ".r1.bak") == oldSnapshot)
        let segment = bytes(store.journalPath + ".r1")!
        #expect(segment.prefix(oldJournal.count) == oldJournal)
        #expect(try Journal.read(segment, file: "segment").events.last == event)
        #expect(segment.dropFirst(oldJournal.count) == (try Journal.encode(event!)))
        #expect(FileManager.default.fileExists(atPath: store.targetPath + StoreIndex.suffix))
        #expect(tempFiles(dir).isEmpty)
        // The bar was told of the snapshot as it was written, up to its whole.
        #expect(reports.last.map { $0.0 == $0.1 } == true && reports.count >= 2, "\(reports)")
        // Another handle reads the same round; the history holds the import.
        let other = try StoreHandle(store: Store(path: store.path))
        #expect(other.round == h.round)
        #expect(other.round.history(product: "P-105").map(\.revision) == [3])
        // The next small edit is a journal line again.
        try h.commit { try $0.perform(.score(product: "P-1", points: ["keunikan": 4]), by: "K1", at: "2020-10-15T09:03:00Z") }
        #expect(try Journal.read(bytes(store.journalPath)!, file: "j").events.map(\.revision) == [4])
        #expect(try store.load() == h.round)
    }

    /// At or under the threshold the edit is one journal line, as before.
    @Test func anEditAtTheThresholdIsStillAJournalLine() throws {
        let dir = TempDir()
        let (store, h) = try newStore(dir)
        h.snapshotAbove = 12
        try h.commit { try $0.perform(imported(6), by: "import", at: "2020-10-15T09:02:00Z") }
        #expect(try Journal.read(bytes(store.journalPath)!, file: "j").events.map(\.revision) == [2, 3])
        #expect(store.backups().isEmpty)
    }

    /// The new snapshot cannot be written (a full disk at a named point): the edit is refused
    /// with the store's name and the reason, every file is as it was, and the handle goes on.
    @Test(arguments: [CrashPoint.backupTempWritten, .snapshotTempWritten])
    func aLargeEditThatCannotBeWrittenChangesNothing(_ point: CrashPoint) throws {
        let dir = TempDir()
        let (store, h) = try newStore(dir)
        h.snapshotAbove = 10
        let snapshot = bytes(store.path)!, journal = bytes(store.journalPath)!
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        WriteFaults.fail(store.path, at: [point])
        defer { WriteFaults.clear(store.path) }
        #expect {
            try h.commit { try $0.perform(imported(6), by: "import", at: "2020-10-15T09:02:00Z") }
        } throws: { error in
            let text = (error as? StoreError)?.text(.en) ?? ""
            return text.contains("k.json") && text.contains("Input/output error")
        }
        #expect(bytes(store.path) == snapshot && bytes(store.journalPath) == journal)
        #expect(tempFiles(dir).isEmpty)
        let after = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(after.filter { !$0.hasSuffix(".bak") } == before.filter { !$0.hasSuffix(".bak") })
        #expect(h.round.revision == 2 && h.round.producers.count == 1)
        WriteFaults.clear(store.path)
        try h.commit { try $0.perform(imported(6), by: "import", at: "2020-10-15T09:02:00Z") }
        #expect(try store.load().producers.count == 7)
    }

    /// A batch event larger than the chunk is written in pieces, byte for byte what the whole
    /// document encoded at once gives, and its journal line streamed to a file is `encode`'s.
    @Test func aLargeBatchIsWrittenInChunksByteForByte() throws {
        var round = tinyRound()
        try round.perform(imported(7), by: "import", at: "2020-10-15T09:02:00Z")
        try round.perform(.score(product: "P-1", points: ["kemasan": 2]), by: "K1", at: "2020-10-15T09:03:00Z")
        try round.perform(imported(3, from: 200), by: "import", at: "2020-10-15T09:04:00Z")
        let whole = try Store.encodeInOnePiece(round)
        for changes in [1, 2, 3, 5, 13, 1_000] {
            for batch in [1, 2, 512] {
                var out = Data()
                let sink = SnapshotSink(capacity: 7) { out.append(contentsOf: $0) }
                var last = 0
                try Store.write(round, to: sink, batch: batch, changes: changes, progress: { last = $0 })
                try sink.flush()
                #expect(out == whole, "changes \(changes), batch \(batch)")
                #expect(last == Store.units(round, changes: changes))
            }
        }
        let dir = TempDir()
        for event in round.events {
            let path = try Store.writeTemp(for: dir.file("line"), shownAs: "line") { try Journal.write(event, to: $0) }
            #expect(bytes(path) == (try Journal.encode(event)))
        }
    }

    /// A long line is read by the one-pass reader when its checksum is its bytes': the same event
    /// as Foundation's decoder gives; a flipped byte is still refused as a checksum mismatch.
    @Test func aLongJournalLineIsReadTheFastWayToTheSameEvent() throws {
        var round = tinyRound()
        let event = try #require(try round.perform(imported(400), by: "import", at: "2020-10-15T09:02:00Z"))
        let line = try Journal.encode(event).dropLast()
        #expect(line.count > Journal.largeLine)
        #expect(Journal.parseFast(Data(line)) == event)
        let slow = try JSONDecoder().decode(Journal.Line.self, from: line)
        #expect(slow.event == event)
        guard case .success(let parsed) = Journal.parse(Data(line)) else { Issue.record("the line does not read"); return }
        #expect(parsed == event)
        var flipped = [UInt8](line)
        let at = flipped.count / 2
        flipped[at] = flipped[at] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
        if case .failure(let p) = Journal.parse(Data(flipped)) {
            #expect(p.fault == .checksum || p.fault == .unreadable)
        } else {
            Issue.record("a flipped byte was read")
        }
        // A whole journal of such lines reads to the same events.
        var journal = Data()
        journal.append(try Journal.encode(event))
        let tail = try Journal.read(journal, file: "j")
        #expect(tail.events == [event] && tail.warning == nil)
    }

    /// A torn last line (a writer killed mid-append) is not carried into the new journal by a
    /// compaction: it is dropped with the warning that names it, and the intact lines are folded.
    @Test func aCompactionDropsATornLastLineWithItsWarning() throws {
        let dir = TempDir()
        let (store, h) = try newStore(dir)
        try h.commit { try $0.perform(.score(product: "P-1", points: ["keunikan": 5]), by: "K1", at: "t") }
        let torn = Data("{\"checksum\":\"crc32:0000".utf8)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: store.journalPath))
        try file.seekToEnd(); try file.write(contentsOf: torn); try file.close()
        let compacting = try StoreHandle(store: Store(path: store.path))
        #expect(try compacting.compact() == 2)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath), "the torn line survived the fold")
        #expect(compacting.lastCompaction == StoreHandle.Compaction(revision: 3, folded: 2, carried: 0, droppedTornLine: true))
        #expect(compacting.warnings.contains { if case .tornLastLine = $0 { true } else { false } })
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3, "keunikan": 5])
        // The segment is the intact lines, the torn one not among them.
        #expect(try Journal.read(bytes(store.journalPath + ".r1")!, file: "s").warning == nil)
    }

    /// At the named point between the two lock holds (`compactionStaged`), another terminal
    /// edits and then a writer dies mid-append: the edit is carried over byte for byte, the torn
    /// bytes are not, and the compaction reports the snapshot's revision, the lines it folded and
    /// the line that stays.
    @Test func aTornLineWrittenDuringTheCompactionIsNotCarriedOver() throws {
        let dir = TempDir()
        let (store, h) = try newStore(dir)
        let theirs = try StoreHandle(store: Store(path: store.path))
        var line = Data()
        h.betweenLockHolds = {
            let before = self.bytes(store.journalPath)!
            try theirs.commit { try $0.perform(.score(product: "P-1", points: ["pasar": 2]), by: "K1", at: "t") }
            line = self.bytes(store.journalPath)!.dropFirst(before.count)
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: store.journalPath))
            try file.seekToEnd(); try file.write(contentsOf: Data("{\"checksum\":\"crc".utf8)); try file.close()
        }
        #expect(try h.compact() == 1)
        #expect(h.lastCompaction == StoreHandle.Compaction(revision: 2, folded: 1, carried: 1, droppedTornLine: true))
        #expect(bytes(store.journalPath) == line)
        #expect(try store.load().revision == 3)
        #expect(h.round.revision == 3)
    }

    /// The newest three backups are kept whatever their size; older ones, ten at most, while
    /// the backups and their segments take no more than the budget (twice the snapshot, or the
    /// floor); once one is dropped, every older one is, with its segment.
    @Test func backupsAreKeptWithinTheirBudget() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        func file(_ name: String, _ size: Int) {
            FileManager.default.createFile(atPath: dir.file(name), contents: Data(repeating: 0x20, count: size))
        }
        func reset() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] { unlink(dir.file(name)) }
            file("k.json", 1_000)
            for r in 1...12 { file("k.json.r\(r).bak", 300); file("k.json.journal.r\(r)", 50) }
        }
        // Budget 2 × 1,000 bytes: 350 bytes a backup, five fit (1,750); the sixth would not.
        reset()
        store.rotateBackups(always: 3, most: 10, budget: 2, floor: 0)
        #expect(store.backups().map(\.revision) == [12, 11, 10, 9, 8])
        #expect(store.journalSegments().map(\.revision) == [8, 9, 10, 11, 12])
        // A tiny budget still keeps the newest three.
        reset()
        store.rotateBackups(always: 3, most: 10, budget: 0, floor: 0)
        #expect(store.backups().map(\.revision) == [12, 11, 10])
        #expect(store.journalSegments().map(\.revision) == [10, 11, 12])
        // A large budget (the floor, for a small store) keeps ten.
        reset()
        store.rotateBackups(always: 3, most: 10, budget: 2, floor: 1 << 20)
        #expect(store.backups().count == 10 && store.backups().last?.revision == 3)
        // A large older backup ends what is kept there, even if older ones would fit.
        reset()
        file("k.json.r9.bak", 5_000)
        store.rotateBackups(always: 3, most: 10, budget: 2, floor: 0)
        #expect(store.backups().map(\.revision) == [12, 11, 10])
        // A backup with a second name (the migration's .v1.bak) keeps that name.
        reset()
        #expect(link(dir.file("k.json.r1.bak"), dir.file("k.json.v1.bak")) == 0)
        store.rotateBackups(always: 3, most: 10, budget: 2, floor: 0)
        #expect(FileManager.default.fileExists(atPath: dir.file("k.json.v1.bak")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("k.json.r1.bak")))
    }
}
