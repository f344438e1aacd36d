import Foundation
import KurasiTestSupport
import KurasiCore
@testable import KurasiStore
import Testing

/// The store's reading tells how far it has come (the console's loading screen), and can be
/// abandoned without writing anything.
@Suite struct LoadProgressTests {
    func copyOfMadiun() throws -> (String, Store) {
        let (dir, path) = try copyOfMadiunStore("progress")
        return (dir, Store(path: path))
    }

    @Test func theReaderReportsEveryFewBytesAndReadsTheSameRound() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json"))
        var reports: [LoadProgress] = []
        let (round, abandoned) = StoreReader.read(data, file: "kurasi.json", progress: { reports.append($0); return true }, every: 64 << 10)
        #expect(!abandoned)
        #expect(round == StoreReader.read(data))
        // One report per 64 KB passed (give or take the value it falls in), in order, never past the end.
        #expect(reports.count >= data.count / (64 << 10) - 1 && reports.count <= data.count / (64 << 10) + 2)
        #expect(reports.map(\.done) == reports.map(\.done).sorted())
        #expect(reports.allSatisfy { $0.phase == .snapshot && $0.file == "kurasi.json" && $0.total == data.count && $0.done <= data.count })
    }

    @Test func openingAStoreReportsTheSnapshotThenTheJournal() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var reports: [LoadProgress] = []
        let handle = try StoreHandle(store: store, progress: { reports.append($0); return true })
        #expect(handle.round == (try store.load()))
        let size = try Data(contentsOf: URL(fileURLWithPath: store.path)).count
        #expect(reports.first == LoadProgress(phase: .snapshot, file: store.path, done: 0, total: size))
        #expect(reports.last == LoadProgress(phase: .journal, file: store.path + ".journal", done: 0, total: 0))
    }

    @Test func anAbandonedReadingStopsAndWritesNothing() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        var reports = 0
        #expect(throws: StoreError.self) {
            _ = try StoreHandle(store: store, progress: { _ in reports += 1; return reports < 2 })
        }
        #expect(reports == 2)  // stopped at the report that said so
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted().filter { !$0.hasSuffix(".lock") } == before)
    }
}
