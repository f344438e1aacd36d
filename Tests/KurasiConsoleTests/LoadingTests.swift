import Foundation
import KurasiTestSupport
import KurasiConsole
import KurasiConsoleRuntime
import KurasiCore
import KurasiStore
import KurasiTerminal
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func screen(_ s: State) -> String {
    let c = View.render(s)
    return (0..<c.height).map { c.text(row: $0) }.joined(separator: "\n")
}

private func loading(_ lang: Language = .id, width: Int = 80, height: Int = 24) -> State {
    var s = State.loading(file: "kurasi.json", lang: lang)
    _ = update(&s, .resize(width: width, height: height))
    return s
}

/// The console's first frame: the loading screen while the round is read behind it.
@Suite struct LoadingTests {
    // MARK: The reducer

    @Test(arguments: [Language.id, .en])
    func theFirstFrameSaysWhatIsBeingReadWithABar(_ lang: Language) throws {
        for (w, h) in [(80, 24), (200, 60)] {
            var s = loading(lang, width: w, height: h)
            try expectGolden(View.render(s), "loading-start-\(lang)-\(w)x\(h)")
            _ = update(&s, .loadProgress(.snapshot(file: "kurasi.json", done: 120_400_000, total: 394_000_000)))
            try expectGolden(View.render(s), "loading-snapshot-\(lang)-\(w)x\(h)")
        }
        var s = loading(lang)
        _ = update(&s, .loadProgress(.snapshot(file: "kurasi.json", done: 120_400_000, total: 394_000_000)))
        #expect(screen(s).contains(lang == .id ? "Membaca kurasi.json · 120,4 dari 394,0 MB" : "Reading kurasi.json · 120.4 of 394.0 MB"))
        #expect(screen(s).contains("27%"))
        _ = update(&s, .loadProgress(.journal(file: "kurasi.json.journal")))
        #expect(screen(s).contains(tr(.loadJournal, lang, "kurasi.json.journal")))
        _ = update(&s, .loadProgress(.ranking))
        #expect(screen(s).contains(tr(.loadRanking, lang)) && screen(s).contains("95%"))
    }

    @Test func qQuitsAtOnceWhileLoading() {
        var s = loading()
        #expect(update(&s, .key(.char("q"))) == [.quit])
        #expect(update(&s, .key(.ctrl("c"))) == [.quit])
    }

    @Test func keysTypedWhileLoadingAreHandledOnceTheRoundIsThere() {
        var s = loading()
        #expect(update(&s, .tick) == [])  // nothing to refresh yet
        #expect(update(&s, .key(.char("b"))) == [])
        #expect(s.queued == [.char("b")])
        _ = update(&s, .resize(width: 132, height: 40))
        let opened = State(round: madiun, lang: .id, curator: "K2", seat: .personal)
        _ = update(&s, .loaded(Opened(opened)))
        #expect(s.loading == nil)
        #expect(s.round == madiun)
        #expect(s.screen == .board)  // the b typed while loading
        #expect(s.queued.isEmpty)
        #expect(s.layout == Layout(width: 132, height: 40))  // the terminal's size is kept
        #expect(screen(s).contains("PAPAN PILIHAN"))
    }

    @Test(arguments: [Language.id, .en])
    func aFailedLoadShowsTheStoresErrorUntilQ(_ lang: Language) throws {
        var s = loading(lang)
        _ = update(&s, .key(.char("b")))
        let error = "kurasi.json:12:5: is not valid JSON here (the file may be cut short or damaged); it was not changed. `kurasi check` tells more."
        _ = update(&s, .loadFailed(error))
        #expect(s.queued.isEmpty)
        try expectGolden(View.render(s), "loading-failed-\(lang)-80x24")
        let text = screen(s)
        #expect(text.contains(tr(.loadFailed, lang)) && text.contains("kurasi.json:12:5:") && text.contains("kurasi check"))
        #expect(update(&s, .key(.char("b"))) == [])
        #expect(s.queued.isEmpty)  // nothing waits for a round that will not come
        _ = update(&s, .loadProgress(.ranking))  // a late report changes nothing
        #expect(s.loading?.failure == error)
        #expect(update(&s, .key(.char("q"))) == [.quit])
    }

    // MARK: The runtime

    func copyOfMadiun() throws -> (String, Store) {
        let (dir, path) = try copyOfMadiunStore("loading")
        return (dir, Store(path: path))
    }

    /// A reading the test holds: it reports a third of the file, says so, and waits for `go`;
    /// then it reads the store for real.
    final class HeldOpen: @unchecked Sendable {
        let reported = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        var lastAnswer = true

        func open(_ store: Store, _ progress: @escaping LoadObserver) throws(StoreError) -> StoreHandle {
            defer { done.signal() }
            _ = progress(LoadProgress(phase: .snapshot, file: store.path, done: 1_000_000, total: 3_000_000))
            reported.signal()
            go.wait()
            lastAnswer = progress(LoadProgress(phase: .snapshot, file: store.path, done: 2_000_000, total: 3_000_000))
            guard lastAnswer else { throw StoreError(.unreadable, file: store.path, .abandoned) }
            return try StoreHandle(store: store, progress: progress)
        }
    }

    @Test func theFirstFrameIsTheLoadingScreenAndProgressArrives() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let held = HeldOpen()
        let app = ConsoleRuntime(opening: store, lang: .en, curator: "K2", seat: .personal,
                                 environment: ["KURASI_NOW": "2020-10-15T09:00:00Z"], open: held.open)
        app.handle(.resize(width: 200, height: 60))
        let first = app.frame()
        #expect(first.text(row: 0).contains("Kurasi · Opening \(store.path)"))
        held.reported.wait()
        app.handle(.timeout)  // the main loop's next turn takes the report
        let text = (0..<60).map { app.frame().text(row: $0) }.joined(separator: "\n")
        #expect(text.contains("Reading \(store.path) · 1.0 of 3.0 MB"))
        #expect(text.contains("30%"))
        // The bar moves with each report: the worker wakes the loop, which waits only for its tick.
        #expect(app.waker != nil && app.waitMilliseconds == Terminal.tickMilliseconds)
        app.handle(.key(.char("b")))  // waits for the round
        held.go.signal()
        #expect(app.settle())
        #expect(app.state.loading == nil)
        #expect(app.state.screen == .board)
        #expect(app.state.round == (try store.load()))
        // The board needs both clusters: ranked before it shows, and nothing left to rank.
        for cluster in Cluster.allCases { #expect(app.state.rankings[cluster]! == app.state.round.ranking(cluster)) }
        #expect(app.state.rankingRequested == nil)
        #expect(app.loadFailure == nil)
        app.close()
    }

    /// The terminal's loop with a keyboard nobody types on (a pipe): each wait is a minute long,
    /// so only the worker's wake-up can end it. The loop draws every report and then the list the
    /// moment the round is read, never waiting for a timeout, whatever the machine's speed.
    @Test func theLoopDrawsTheListTheMomentTheWorkerHasReadTheRound() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var keyboard: [Int32] = [0, 0]
        #expect(pipe(&keyboard) == 0)
        defer { close(keyboard[0]); close(keyboard[1]) }
        let held = HeldOpen()
        let app = ConsoleRuntime(opening: store, lang: .en, curator: "K2", seat: .personal,
                                 environment: ["KURASI_NOW": "2020-10-15T09:00:00Z"], open: held.open)
        app.handle(.resize(width: 80, height: 24))
        var frames: [String] = [], waits: [Terminal.Read] = []
        let ending = Terminal.drive(app, read: { wait in
            if wait == 0 { return .nothing }  // nothing typed meanwhile
            if app.state.loading == nil { return .ended(.hungUp) }  // the list is drawn: stop here
            if waits.isEmpty { held.go.signal() }  // the reading goes on once the loop waits
            let read = Terminal.read(wait: 60_000, input: keyboard[0], waker: app.waker) { _ in .nothing }
            waits.append(read)
            return read
        }, paint: { canvas, _ in frames.append((0..<canvas.height).map { canvas.text(row: $0) }.joined(separator: "\n")) })
        #expect(ending == .hungUp)
        #expect(!waits.isEmpty && waits.allSatisfy { $0 == .woken })  // no wait ran out
        #expect(frames.first?.contains("Kurasi · Opening") == true)
        let list = try #require(frames.last)
        #expect(list.contains("[ MAMIN") && !list.contains("Opening") && !list.contains("Reading"))
        #expect(app.state.round == (try store.load()))
        app.close()
    }

    @Test func qWhileLoadingQuitsAtOnceAbandonsTheReadingAndWritesNothing() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let held = HeldOpen()
        let app = ConsoleRuntime(opening: store, lang: .id, curator: "K2", seat: .personal, open: held.open)
        app.handle(.resize(width: 80, height: 24))
        held.reported.wait()
        app.handle(.key(.char("q")))
        #expect(app.isFinished)
        app.close()  // returns at once: the reading is still held
        held.go.signal()
        held.done.wait()
        #expect(held.lastAnswer == false)  // the reading was told to stop
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: store.path + ".journal"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".bak") || $0.contains(".tmp") }.isEmpty)
    }

    @Test func aStoreThatCannotBeReadShowsItsErrorOnTheScreen() throws {
        let dir = NSTemporaryDirectory() + "kurasi-loading-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/kurasi.json"
        try FileManager.default.copyItem(atPath: repoRoot.appendingPathComponent("fixtures/bad/truncated.json").path, toPath: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let app = ConsoleRuntime(opening: Store(path: path), lang: .en, curator: "K2", seat: .personal)
        app.handle(.resize(width: 200, height: 60))
        #expect(app.settle())
        let failure = try #require(app.loadFailure)
        #expect(failure.status == 1)
        let text = (0..<60).map { app.frame().text(row: $0) }.joined(separator: "\n")
        #expect(text.contains("The store cannot be opened:"))
        #expect(text.contains(path + ":"))  // the file, with its line
        #expect(text.contains("kurasi check"))  // what to do
        app.handle(.key(.char("q")))
        #expect(app.isFinished)
        app.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func anUnknownCuratorIsRefusedOnTheScreenWithStatus2() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = ConsoleRuntime(opening: store, lang: .en, curator: "K9", seat: .personal)
        app.handle(.resize(width: 80, height: 24))
        #expect(app.settle())
        let failure = try #require(app.loadFailure)
        #expect(failure.status == 2)
        #expect(failure.text.contains("no curator K9"))
        app.close()
    }
}
