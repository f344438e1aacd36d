import Foundation
import KurasiTestSupport
import KurasiCore
@testable import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The store's load reads the snapshot a piece at a time: the same round, the same refusals and
/// the same progress as reading the whole file, without the whole file in memory.
@Suite struct LoadInPiecesTests {
    static let madiun = repositoryRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json")

    /// The Madiun round read from its file through a 4 KB window: the round `Store.decode` gives
    /// from the whole file, by the one-pass reader itself, and the window grows only to the
    /// longest value it has to keep whole (an event), well below the file.
    @Test func theMadiunStoreReadsThroughASmallWindow() throws {
        let data = try Data(contentsOf: Self.madiun)
        let fd = open(Self.madiun.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let window = StoreReader.ByteWindow.reading(fd, capacity: 4096, total: data.count)
        let (round, abandoned) = StoreReader.read(window, file: "kurasi.json", progress: nil, schema: Store.headerVersion(data)!)
        #expect(!abandoned)
        #expect(round == (try Store.decode(data, file: "kurasi.json", oneReader: false)))
        // It grew only to hold its longest value whole: the registry import's event, 1.6 MB.
        #expect(window.buffer.count <= 2 << 20, "the window grew to \(window.buffer.count) bytes for a \(data.count)-byte file")
        #expect(window.atEnd && !window.failed)
    }

    /// The window reports the bytes passed as the whole-file reader does, report for report.
    @Test func progressInPiecesIsTheSame() throws {
        let data = try Data(contentsOf: Self.madiun)
        var whole: [LoadProgress] = [], pieces: [LoadProgress] = []
        _ = StoreReader.read(data, file: "kurasi.json", progress: { whole.append($0); return true }, every: 64 << 10)
        let window = StoreReader.ByteWindow.pieces(of: data, capacity: 4096, piece: 1000)
        _ = StoreReader.read(window, file: "kurasi.json", progress: { pieces.append($0); return true }, every: 64 << 10, schema: Store.headerVersion(data)!)
        #expect(pieces.count > 10)
        #expect(pieces == whole)
    }

    /// Opening a store reads it in pieces: the same round as the whole file decoded, and a store
    /// cut short on disk (or damaged, or of a newer schema) is refused with the words it always had.
    @Test func openingReadsInPiecesAndRefusesTheSame() throws {
        let (dir, path) = try copyOfMadiunStore("pieces")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = Store(path: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try store.loadSnapshot(window: 100) == (try Store.decode(data, file: path)))
        #expect(try StoreHandle(store: store).round == (try Store.decode(data, file: path)))
        let text = String(decoding: data, as: UTF8.self)
        let header = "\"schemaVersion\" : \(try #require(Store.headerVersion(data)))"
        let damaged: [Data] = [
            data.prefix(data.count / 2), data.prefix(10), Data(),
            Data(text.replacingOccurrences(of: header, with: "\"schemaVersion\" : 3").utf8),
            Data(text.replacingOccurrences(of: header + ",", with: "").utf8),
            Data(text.replacingOccurrences(of: "\"products\" : [", with: "\"products\" : [1, ").utf8),
        ]
        for (n, bytes) in damaged.enumerated() {
            try bytes.write(to: URL(fileURLWithPath: path))
            var expected: StoreError?
            do { _ = try Store.decode(bytes, file: path) } catch { expected = error }
            let want = try #require(expected, "damaged file \(n) is refused")
            for window in [1, 7, 4096, 4 << 20] {
                #expect(throws: want, "damaged file \(n), window \(window)") { _ = try store.loadSnapshot(window: window) }
            }
            #expect(throws: want) { _ = try StoreHandle(store: store) }
        }
    }

    /// A file that ends early while it is read (another program cut it short, or a read
    /// failed) ends the reading there: the reader declines, and the file read again whole is
    /// refused as cut short, with no crash (the file is read with read(2), never mapped).
    @Test func aFileEndingMidReadIsDeclinedNotCrashed() throws {
        let data = try Data(contentsOf: Self.madiun)
        let third = data.count / 3
        let cut = data.prefix(third)
        var expected: StoreError?
        do { _ = try Store.decode(cut, file: "kurasi.json") } catch { expected = error }
        let want = try #require(expected)
        for failing in [false, true] {
            var served = 0
            // The file's size was taken before the reading; the reads end (or fail) at a third.
            let window = StoreReader.ByteWindow(capacity: 4096, total: data.count) { p, n in
                let k = min(n, third - served)
                guard k > 0 else { return failing ? -1 : 0 }
                data.withUnsafeBytes { raw in p.copyMemory(from: raw.baseAddress! + served, byteCount: k) }
                served += k
                return k
            }
            #expect(throws: want) { _ = try Store.decode(window, file: "kurasi.json", progress: nil) { cut } }
            #expect(window.atEnd && window.failed == failing)
        }
    }
}
