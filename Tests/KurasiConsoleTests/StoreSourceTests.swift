import Foundation
import KurasiConsole
import KurasiCore
import KurasiStore
import Testing

@Suite struct StoreSourceTests {
    func copyOfMadiun() throws -> (String, Store) {
        let dir = NSTemporaryDirectory() + "kurasi-console-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/kurasi.json"
        try FileManager.default.copyItem(atPath: repoRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json").path, toPath: path)
        return (dir, Store(path: path))
    }

    @Test func everyEditIsOnDiskTheMomentItIsMade() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = ConsoleApp(source: try StoreSource(store: store), lang: .id, curator: "K2")
        app.handle(.resize(width: 80, height: 24))
        app.type(.enter, .char("4"))
        let product = app.state.detailProduct!
        #expect(try store.load().sheet(product: product, curator: "K2")["kualitas"] == 4)
        #expect(try store.load().revision == madiun.revision + 1)
    }

    @Test func anotherTerminalsEditShowsAfterATick() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = ConsoleApp(source: try StoreSource(store: store), lang: .en, curator: "K2")
        app.handle(.resize(width: 80, height: 24))
        // Another terminal (another StoreSource on the same file) scores as K4.
        let other = try StoreSource(store: Store(path: store.path))
        _ = other.commit(.score(product: "P-0003", points: ["kualitas": 2]), by: "K4")
        app.tick()
        #expect(app.state.round.revision == madiun.revision + 1)
        #expect(app.state.round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
        #expect(app.state.message?.text.contains("another terminal") == true)
        // An edit made here builds on the other terminal's, never over it.
        app.type(.enter, .char("5"))
        let round = try store.load()
        #expect(round.revision == madiun.revision + 2)
        #expect(round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
    }

    @Test func anEditAgainstAStaleRoundIsAppliedToTheLatest() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mine = try StoreSource(store: store)
        let theirs = try StoreSource(store: Store(path: store.path))
        _ = theirs.commit(.score(product: "P-0003", points: ["kualitas": 2]), by: "K4")
        // mine has not refreshed, but its commit runs against the file under the lock.
        let current = mine.round.sheet(product: "P-0004", curator: "K2")["kualitas"]
        let result = mine.commit(.score(product: "P-0004", points: ["kualitas": current == 1 ? 2 : 1]), by: "K2")
        guard case .success(let event?) = result else { Issue.record("commit failed: \(result)"); return }
        #expect(event.revision == madiun.revision + 2)
        #expect(mine.round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
    }

    @Test func aStoreThatCannotBeWrittenIsReportedAndTheConsoleKeepsRunning() throws {
        let (dir, store) = try copyOfMadiun()
        defer { chmod(dir, 0o755); try? FileManager.default.removeItem(atPath: dir) }
        let app = ConsoleApp(source: try StoreSource(store: store), lang: .en, curator: "K2")
        app.handle(.resize(width: 80, height: 24))
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        // A read-only directory: the lock file exists already? Not yet; make one so only the write fails.
        FileManager.default.createFile(atPath: store.path + ".lock", contents: nil)
        chmod(dir, 0o555)
        guard getuid() != 0 else { return }  // root writes anyway; the CLI tests cover refusal paths
        app.type(.enter, .char("4"))
        #expect(app.state.saveFailed)
        #expect(app.state.message?.text.hasPrefix("Not saved") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
    }
}
