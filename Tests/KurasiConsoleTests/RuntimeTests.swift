import Foundation
import KurasiTestSupport
import KurasiConsole
import KurasiConsoleRuntime
import KurasiCore
import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The runtime on a real store: effects performed, answers fed back as messages.
@Suite struct RuntimeTests {
    func copyOfMadiun() throws -> (String, Store) {
        let (dir, path) = try copyOfMadiunStore("console")
        return (dir, Store(path: path))
    }

    func runtime(_ store: Store, lang: Language = .en, curator: CuratorID = "K2") throws -> ConsoleRuntime {
        let r = try ConsoleRuntime(store: store, lang: lang, curator: curator, environment: ["KURASI_NOW": "2020-10-15T09:00:00Z"])
        r.handle(.resize(width: 80, height: 24))
        return r
    }

    @Test func everyEditIsOnDiskTheMomentItIsAnswered() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store, lang: .id)
        app.handle(.key(.enter)); app.handle(.key(.char("4")))
        #expect(app.settle())
        let product = try #require(app.state.detailProduct)
        let saved = try store.load()
        #expect(saved.sheet(product: product, curator: "K2")["kualitas"] == 4)
        #expect(saved.revision == madiun.revision + 1)
        #expect(saved.events.last?.at == "2020-10-15T09:00:00Z")  // the clock is KURASI_NOW
        #expect(app.state.criterion == 1)
    }

    /// `kurasi demo` makes a fresh copy somewhere under /tmp: the help says where the round's data
    /// lives, whole when it fits, its end kept when the path is longer than the screen.
    @Test func theHelpSaysWhereTheRoundsDataIs() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store, lang: .id)
        app.handle(.key(.char("?")))
        let frame = app.frame()
        let line = frame.text(row: app.state.layout.hint)
        #expect(line.hasPrefix(" Data putaran ini: "))
        #expect(line.contains(String(store.path.suffix(50))))
        if store.path.count > 80 - 2 - " Data putaran ini: ".count { #expect(line.contains("…")) }
        else { #expect(line.contains(store.path)) }
        // At 200 columns the whole path shows, in English too.
        let wide = try runtime(store, lang: .en)
        wide.handle(.resize(width: 200, height: 60))
        wide.handle(.key(.char("?")))
        #expect(wide.frame().text(row: wide.state.layout.hint).contains("This round's data: " + store.path))
    }

    /// Another terminal's edits with a `kurasi compact` between them, beside an open console: the
    /// console shows every edit and keeps the one round it read (the compacted snapshot is that
    /// round, not read a second time: at 100,000 products a second round held 2.6× the file).
    /// Its quit then folds what came after the compaction.
    @Test func anotherTerminalsCompactionLeavesTheConsoleOneRound() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        #expect(app.settle())
        let products = app.state.round.products.withUnsafeBufferPointer { $0.baseAddress }
        let k4 = try #require(madiun.curator("K4"))
        let product = try #require(madiun.products.first { !k4.isRecused(from: $0.producer) }).id
        let other = try StoreHandle(store: Store(path: store.path))
        try other.commit { try $0.perform(.score(product: product, points: ["kualitas": 3]), by: "K4", at: "t") }
        try other.compact()
        try other.commit { try $0.perform(.score(product: product, points: ["kemasan": 2]), by: "K4", at: "t") }
        app.handle(.timeout)  // a tick looks for other terminals' edits
        #expect(app.settle())
        let saved = try store.load()
        #expect(app.state.round == saved && saved.revision == madiun.revision + 2)
        #expect(app.state.round.sheet(product: product, curator: "K4")["kemasan"] == 2)
        #expect(app.state.round.products.withUnsafeBufferPointer { $0.baseAddress } == products, "the round was read again")
        app.close()
        #expect(try Store.decode(Data(contentsOf: URL(fileURLWithPath: store.path)), file: store.path) == saved)
    }

    /// The store replaced by hand with other content at the same revision (a copy put back): the
    /// console reads it and shows it, and keeps no second round (it kept showing the old one,
    /// while the store's handle held the new one beside it).
    @Test func aStorePutBackAtTheSameRevisionIsShown() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        #expect(app.settle())
        let first = madiun.products[0]
        var other = madiun
        var fields = first.fields
        fields.name = "Nama Baru Dari Salinan"
        try other.perform(.editProduct(id: first.id, fields), by: "K1", at: "t")
        let copy = Store(path: dir + "/copy.json")
        try copy.create(other.handEdited { $0.revision = madiun.revision; $0.events.removeLast() })
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.copyItem(atPath: copy.path, toPath: store.path)
        app.handle(.timeout)
        #expect(app.settle())
        #expect(app.state.round.product(first.id)?.name == "Nama Baru Dari Salinan")
        #expect(app.state.round == (try store.load()))
        app.close()
    }

    /// The console opens on the list's cluster ranked; the other is ranked on the worker behind
    /// the first screen and taken when it comes.
    @Test func theOtherClusterIsRankedOnTheWorkerBehindTheFirstScreen() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try ConsoleRuntime(store: store, lang: .en, curator: "K2", environment: ["KURASI_NOW": "2020-10-15T09:00:00Z"])
        #expect(app.state.rankings.keys.sorted() == [.mamin])
        app.handle(.resize(width: 80, height: 24))  // the first message asks for the rest
        #expect(app.state.rankingRequested == app.state.round.revision || app.state.rankings.count == 2)
        #expect(app.settle())
        #expect(app.state.rankingRequested == nil)
        for cluster in Cluster.allCases { #expect(app.state.rankings[cluster]! == app.state.round.ranking(cluster)) }
        app.handle(.key(.tab))
        #expect(app.frame().text(row: 1).contains("[ NON-MAMIN"))
        app.close()
    }

    @Test func theAnalysisIsComputedOnTheWorker() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store, lang: .id)
        app.handle(.key(.char("a")))
        #expect(app.state.screen == .analysis)
        // Until the worker answers the screen says so, and its answer wakes the loop.
        if app.state.analysis == nil {
            #expect(app.frame().lines.joined().contains("menghitung…"))
            #expect(app.waker != nil)  // the worker's answer ends the loop's wait
        }
        #expect(app.settle())
        #expect(app.state.analysisRevision == madiun.revision)
        #expect(app.state.analysisRequested == nil)
        #expect(app.frame().lines.joined().contains("Peluang masuk lima besar"))
        // An edit made here (the list is under the screen) is answered, and the analysis follows it.
        app.handle(.key(.escape)); app.handle(.key(.enter)); app.handle(.key(.char("4")))
        app.handle(.key(.escape)); app.handle(.key(.escape)); app.handle(.key(.char("a")))
        #expect(app.settle())
        #expect(app.state.analysisRevision == madiun.revision + 1)
    }

    @Test func anotherTerminalsEditShowsAfterATick() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        // Another terminal scores as K4.
        let other = try StoreHandle(store: Store(path: store.path))
        _ = try other.commit { try $0.perform(.score(product: "P-0003", points: ["kualitas": 2]), by: "K4", at: "t") }
        app.handle(.timeout)
        #expect(app.settle())
        #expect(app.state.round.revision == madiun.revision + 1)
        #expect(app.state.round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
        #expect(app.state.message?.text.contains("another terminal") == true)
        // An edit made here builds on the other terminal's, never over it.
        app.handle(.key(.enter)); app.handle(.key(.char("5")))
        #expect(app.settle())
        let round = try store.load()
        #expect(round.revision == madiun.revision + 2)
        #expect(round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
    }

    @Test func anEditAgainstAStaleRoundIsAppliedToTheLatest() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        let other = try StoreHandle(store: Store(path: store.path))
        _ = try other.commit { try $0.perform(.score(product: "P-0003", points: ["kualitas": 2]), by: "K4", at: "t") }
        // No tick: the console has not seen the other edit, but its commit runs against the file.
        app.handle(.key(.enter)); app.handle(.key(.char("1")))
        #expect(app.settle())
        #expect(app.state.round.revision == madiun.revision + 2)
        #expect(app.state.round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
        #expect(app.state.rankings[.mamin]! == app.state.round.ranking(.mamin))
    }

    /// The store cannot be written (its journal's place is taken by a directory; root cannot write
    /// there either): the console says "not saved" and keeps running; nothing on disk changes.
    @Test func aStoreThatCannotBeWrittenIsReportedAndTheConsoleKeepsRunning() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        try FileManager.default.createDirectory(atPath: store.journalPath, withIntermediateDirectories: false)
        app.handle(.key(.enter)); app.handle(.key(.char("4")))
        #expect(app.settle())
        #expect(app.state.saveFailed)
        #expect(app.state.message?.text.hasPrefix("Not saved") == true)
        #expect(app.state.criterion == 0)  // the score did not stand: the cursor stays
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        app.handle(.key(.escape))
        #expect(app.state.screen == .list)
    }

    /// Another terminal holds the store's lock: the edit waits for it, the status line says so, and
    /// the screen keeps answering (a resize, a tick); keys typed meanwhile are handled in order
    /// once the edit is saved.
    @Test func aCommitWaitingForAnotherTerminalsLockShowsSavingAndTheScreenKeepsAnswering() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        let lock = open(store.path + ".lock", O_RDWR | O_CREAT, 0o600)
        #expect(lock >= 0)
        #expect(flock(lock, LOCK_EX) == 0)
        app.handle(.key(.enter)); app.handle(.key(.char("4")))
        #expect(app.state.pending != nil)
        #expect(app.frame().text(row: 23).hasPrefix(" saving… · rev \(madiun.revision)"))
        app.handle(.key(.char("5")))  // waits for the first
        app.handle(.resize(width: 132, height: 40))
        #expect(app.frame().width == 132)
        #expect(app.frame().text(row: 39).hasPrefix(" saving…"))
        app.handle(.timeout)  // no refresh while the store is busy
        #expect(!app.state.refreshing)
        #expect(!app.settle(timeout: 0.2))  // still waiting for the lock
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))  // nothing written yet
        flock(lock, LOCK_UN); close(lock)
        #expect(app.settle())
        let product = try #require(app.state.detailProduct)
        let round = try store.load()
        #expect(round.sheet(product: product, curator: "K2") == ["kualitas": 4, "kemasan": 5])
        #expect(app.state.criterion == 2)
        #expect(app.frame().text(row: 39).hasPrefix(" Saved · rev \(madiun.revision + 2)"))
    }

    @Test(arguments: [Language.en, .id])
    func quittingEndsTheProgramAndCompactsTheJournal(_ lang: Language) throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store, lang: lang)
        var said: [String] = []
        app.say = { said.append($0) }
        app.handle(.key(.enter)); app.handle(.key(.char("3")))
        app.handle(.key(.char("q")))
        #expect(app.settle())
        #expect(app.isFinished)
        app.close()
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
        #expect(try store.load().revision == madiun.revision + 1)
        // The screen is gone while the journal is folded (seconds at province size): the terminal
        // says what is happening, once.
        #expect(said == [lang == .en
            ? "Folding the journal into \(store.path) for a quicker next start… (every edit is already saved)"
            : "Merapikan jurnal ke \(store.path) agar pembukaan berikutnya cepat… (setiap suntingan sudah tersimpan)"])
        // Nothing edited, nothing to fold: nothing said.
        let again = try runtime(store, lang: lang)
        var quiet: [String] = []
        again.say = { quiet.append($0) }
        again.handle(.key(.char("q")))
        #expect(again.settle())
        again.close()
        #expect(quiet.isEmpty)
    }

    /// The fold on quit cannot write (a directory where its backup goes): the terminal says so and
    /// that nothing is lost; the edit stays in the journal and the store reads with it.
    @Test func aFoldOnQuitThatFailsIsSaidAndLosesNothing() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try runtime(store)
        var said: [String] = []
        app.say = { said.append($0) }
        app.handle(.key(.enter)); app.handle(.key(.char("3")))
        app.handle(.key(.char("q")))
        #expect(app.settle())
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: store.path))
        try FileManager.default.createDirectory(atPath: store.path + ".r\(madiun.revision).bak", withIntermediateDirectories: false)
        app.close()
        #expect(said.count == 2)
        #expect(said.last?.hasPrefix("kurasi: the journal could not be folded into the store: ") == true, "\(said)")
        #expect(said.last?.hasSuffix(" Nothing is lost: every edit stays in the journal, and the next quit or `kurasi compact` folds it.") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == snapshot)
        #expect(try store.load().revision == madiun.revision + 1)
    }

    /// Wait until the worker has reached the named point before the other cluster's ranking (it
    /// creates the file there), however long the loaded machine takes to get there.
    func waitForPause(_ path: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) {
            guard Date() < deadline else { throw CocoaError(.fileNoSuchFile) }
            usleep(10_000)
        }
    }

    /// The worker is held before it ranks the other cluster: Tab waits for it (the status line
    /// says so and the answer wakes the loop), the key typed after it waits behind it,
    /// and both take effect once the worker's ranking comes; nothing is ranked on the spot.
    @Test func aKeyThatNeedsTheOtherClusterWaitsForTheWorkersRanking() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pause = dir + "/ranking-paused"
        let app = try ConsoleRuntime(store: store, lang: .en, curator: "K2",
                                     environment: ["KURASI_NOW": "2020-10-15T09:00:00Z", "KURASI_TEST_PAUSE_BEFORE_RANKING": pause])
        app.handle(.resize(width: 80, height: 24))  // asks for the other cluster; the worker holds it
        app.handle(.key(.tab)); app.handle(.key(.down))
        #expect(app.state.list.cluster == .mamin)
        #expect(app.state.awaitingRanking == [.nonMamin] && app.state.queued == [.tab, .down])
        #expect(app.frame().text(row: 23).contains("ranking non-mamin…"))
        #expect(app.waker != nil)  // the worker's ranking ends the loop's wait when it comes
        try waitForPause(pause)
        try FileManager.default.removeItem(atPath: pause)
        #expect(app.settle())
        #expect(app.state.awaitingRanking == nil && app.state.queued.isEmpty)
        #expect(app.state.list.cluster == .nonMamin && app.state.selectedIndex == 1)
        #expect(app.state.rankedOnDemand == 0)
        #expect(app.state.rankings[.nonMamin]! == app.state.round.ranking(.nonMamin))
        #expect(app.frame().text(row: 1).contains("[ NON-MAMIN"))
        app.close()
    }

    /// q while a key waits for the other cluster quits at once; the quit then waits for the
    /// worker's ranking to finish (it is still running when the wait starts, or not yet begun)
    /// and writes nothing: the store is the same byte for byte.
    @Test func quitWhileAKeyWaitsForTheRankingEndsCleanly() throws {
        let (dir, store) = try copyOfMadiun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let pause = dir + "/ranking-paused"
        let app = try ConsoleRuntime(store: store, lang: .id, curator: "K2",
                                     environment: ["KURASI_NOW": "2020-10-15T09:00:00Z", "KURASI_TEST_PAUSE_BEFORE_RANKING": pause])
        app.handle(.resize(width: 80, height: 24))
        app.handle(.key(.char("b")))
        #expect(app.state.awaitingRanking == [.nonMamin])
        #expect(app.frame().text(row: 23).contains("menyusun peringkat non-mamin…"))
        app.handle(.key(.char("q")))
        #expect(app.isFinished, "q quits at once")
        #expect(app.state.screen == .list)
        // Let the worker go on only once the quit is under way.
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? waitForPause(pause)
            try? FileManager.default.removeItem(atPath: pause)
            released.signal()
        }
        app.close()
        released.wait()
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
    }
}
