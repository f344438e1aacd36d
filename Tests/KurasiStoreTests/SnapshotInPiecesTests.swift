import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// The snapshot is written a piece at a time (a buffer of a few MB handed to the temp file), so
/// that a compaction never holds the whole file in memory. The bytes are the same, byte for byte,
/// as the whole document encoded at once, whatever the size of the pieces.
@Suite(.serialized) struct SnapshotInPiecesTests {
    static let madiun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")

    func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Rounds of every shape the writer meets: the bundled Madiun round (events, pins, many
    /// products), the tiny one, one whose texts hold escapes and newlines, and an empty one.
    func rounds() throws -> [(String, Round)] {
        let madiun = try Store.decode(Data(contentsOf: Self.madiun), file: "madiun")
        var odd = tinyRound()
        try odd.perform(.score(product: "P-1", points: ["kemasan": 3, "harga": nil]), by: "K1", at: "2020-10-15T09:10:00Z")
        let escaped = Round(round: RoundInfo(title: "Uji \"kutip\"\nbaris / garis \\ miring", organizer: "Kadin", date: "2020-10-15"),
                            curators: [Curator(id: "K1", name: "Sri\tTab", role: .chair)],
                            producers: [Producer(id: "U-1", name: "Bu \"Tini\"\n", owner: "", address: "Jl. Salak 3/4",
                                                 kelurahan: "Taman", kecamatan: "Taman", validation: Validation(status: .valid))],
                            products: [Product(id: "P-1", producer: "U-1", name: "Sambal\n\nPecel", cluster: .mamin, category: "Sambal",
                                               price: 15000, permits: [])])
        let empty = Round(round: RoundInfo(title: "Kosong", organizer: "Kadin", date: "2020-10-15"),
                          curators: [], producers: [], products: [])
        return [("madiun", madiun), ("tiny", tinyRound()), ("edited", odd), ("escaped", escaped), ("empty", empty)]
    }

    /// Every buffer from 1 to 17 bytes, and a few batch sizes: the pieces are never larger than
    /// the buffer, and together they are the document encoded whole.
    @Test func aSnapshotWrittenThroughATinyBufferIsTheWholeDocumentByteForByte() throws {
        for (name, round) in try rounds() {
            let whole = try Store.encodeInOnePiece(round)
            #expect(try Store.encode(round) == whole, "\(name)")
            // The large round through a few sizes (a byte at a time is slow in a debug build).
            let capacities = name == "madiun" ? [1, 7, 17] : Array(1...17)
            for capacity in capacities {
                for batch in [1, 2, 3, 512] where capacity == 7 || batch == 512 {
                    var out = Data(), largest = 0
                    let sink = SnapshotSink(capacity: capacity) { piece in
                        largest = max(largest, piece.count)
                        out.append(contentsOf: piece)
                    }
                    try Store.write(round, to: sink, batch: batch)
                    try sink.flush()
                    #expect(largest <= capacity, "\(name) \(capacity)")
                    #expect(out == whole, "\(name): buffer \(capacity), batch \(batch)")
                }
            }
        }
    }

    /// The index made from the pieces as they are written is the one made from the whole file.
    @Test func theIndexMadeFromThePiecesIsTheIndexOfTheWholeFile() throws {
        let round = try Store.decode(Data(contentsOf: Self.madiun), file: "madiun")
        let whole = try Store.encodeInOnePiece(round)
        let stamp = FileStamp(Self.madiun.path)!
        let expected = StoreIndex.build(whole, stamp: stamp, revision: round.revision)
        #expect(expected != nil)
        for size in [1, 2, 7, 17, 4096] {
            let builder = StoreIndex.Builder()
            var at = 0
            while at < whole.count {
                let piece = whole[at..<min(whole.count, at + size)]
                piece.withUnsafeBytes { builder.feed($0) }
                at += size
            }
            #expect(builder.finish(stamp: stamp, revision: round.revision) == expected, "pieces of \(size)")
        }
    }

    /// Saved through a buffer of a few bytes: the file is the whole document byte for byte, and
    /// the index written beside it is the whole file's.
    @Test func aStoreSavedThroughATinyBufferIsByteForByteTheSame() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        for (name, round) in try rounds() {
            for buffer in name == "madiun" ? [17] : [1, 5, 17] {
                let index = try store.saveIndexed(round, buffer: buffer)
                #expect(bytes(store.path) == (try Store.encodeInOnePiece(round)), "\(name) \(buffer)")
                let stamp = FileStamp(store.path)!
                #expect(index.finish(stamp: stamp, revision: round.revision)
                        == StoreIndex.build(bytes(store.path)!, stamp: stamp, revision: round.revision), "\(name) \(buffer)")
            }
        }
    }

    /// The first write of a schema 1 store, through a tiny buffer: the copy `<store>.v1.bak` is
    /// the old file byte for byte (copied a piece at a time), and the new file the schema 2
    /// document of the same round, byte for byte.
    @Test func theUpgradeFromSchema1ThroughATinyBufferIsByteForByteTheSame() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("kurasi.json"))
        let original = try Data(contentsOf: Self.madiun)
        try original.write(to: URL(fileURLWithPath: store.path))
        let round = try store.load()
        _ = try store.saveIndexed(round, buffer: 13)
        #expect(bytes(store.v1BackupPath) == original)
        #expect(Store.headerVersion(bytes(store.path)!) == 2)
        #expect(bytes(store.path) == (try Store.encodeInOnePiece(round)))
        #expect(try store.load() == round)
    }

    /// A backup copied through a buffer of a few bytes is the file byte for byte.
    @Test func aCopyThroughATinyBufferIsTheFileByteForByte() throws {
        let dir = TempDir()
        let source = dir.file("source")
        let original = try Data(contentsOf: Self.madiun)
        try original.write(to: URL(fileURLWithPath: source))
        let fd = open(source, O_RDONLY)
        defer { close(fd) }
        for buffer in [17, 4096] {
            let tmp = try Store.writeTemp(for: dir.file("copy"), shownAs: "copy") { file in
                let copied = try Store.copy(fd, length: nil, to: file, shownAs: "copy", buffer: buffer)
                #expect(copied == original.count)
            }
            #expect(bytes(tmp) == original)
            unlink(tmp)
        }
        for buffer in [1, 3] {
            let tmp = try Store.writeTemp(for: dir.file("copy"), shownAs: "copy") { file in
                let copied = try Store.copy(fd, length: 1000, to: file, shownAs: "copy", buffer: buffer)
                #expect(copied == 1000)
            }
            #expect(bytes(tmp) == original.prefix(1000))
            unlink(tmp)
        }
        let tmp = try Store.writeTemp(for: dir.file("copy"), shownAs: "copy") { file in
            let copied = try Store.copy(fd, length: 100, to: file, shownAs: "copy", buffer: 7)
            #expect(copied == 100)
        }
        #expect(bytes(tmp) == original.prefix(100))
    }

    /// A write that fails part way through the snapshot (a disk that fills up: the injected
    /// fault fails the second write) leaves the old snapshot untouched and no temp file, and the
    /// error says the store on disk was not changed.
    @Test func aSnapshotWriteThatFailsPartWayLeavesTheOldSnapshotAndSaysSo() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let old = bytes(store.path)
        let round = try Store.decode(Data(contentsOf: Self.madiun), file: "madiun")
        WriteFaults.fail(store.path, at: [.snapshotTempWritten])
        defer { WriteFaults.clear(store.path) }
        // Part way: a first write went to the temp file before the second failed.
        var wroteBeforeFailing = false
        #expect(throws: StoreError.self) {
            _ = try Store.writeTemp(for: store.targetPath, shownAs: store.path, written: .snapshotTempWritten, faultsFor: store.targetPath) { file in
                try Data("{\n".utf8).withUnsafeBytes { try file.write($0) }
                wroteBeforeFailing = true
                try Data("  ".utf8).withUnsafeBytes { try file.write($0) }
            }
        }
        #expect(wroteBeforeFailing)
        do {
            _ = try store.saveIndexed(round, buffer: 64)
            Issue.record("the write did not fail")
        } catch {
            #expect(error.text(.en).contains("could not be saved") && error.text(.en).contains("was not changed"), "\(error.text(.en))")
            #expect(error.text(.en).contains("Input/output error"), "\(error.text(.en))")
            #expect(error.text(.id).contains("tidak diubah"), "\(error.text(.id))")
        }
        #expect(bytes(store.path) == old)
        #expect(try store.load() == tinyRound())
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
    }

    /// A compaction whose snapshot write fails part way changes nothing: the snapshot and the
    /// journal are as they were, no temp file is left, and the next compaction folds the edit in.
    @Test func aCompactionWhoseWriteFailsPartWayChangesNothing() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("kurasi.json"))
        try Store.encode(try Store.decode(Data(contentsOf: Self.madiun), file: "madiun")).write(to: URL(fileURLWithPath: store.path))
        let h = try StoreHandle(store: store)
        let product = h.round.products[0].id
        _ = try h.commit { try $0.perform(.score(product: product, points: ["kualitas": 1]), by: "K2", at: "2020-10-15T11:00:00Z") }
        let snapshot = bytes(store.path), journal = bytes(store.journalPath)
        let edited = try store.load()
        WriteFaults.fail(store.path, at: [.snapshotTempWritten])
        #expect(throws: StoreError.self) { _ = try h.compact() }
        WriteFaults.clear(store.path)
        #expect(bytes(store.path) == snapshot && bytes(store.journalPath) == journal)
        #expect(try store.load() == edited)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains(".tmp-") })
        #expect(try h.compact() == 1)
        #expect(bytes(store.path) == (try Store.encodeInOnePiece(edited)))
        #expect(try store.load() == edited)
    }
}
