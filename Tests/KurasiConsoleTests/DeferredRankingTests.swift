import KurasiConsole
import KurasiCore
import Testing

/// A console opened on a store ranks only the cluster its first screen shows; the other comes
/// from behind the screen (`Effect.rank`, answered by `Msg.ranked`) or is made on demand when a
/// key needs it first. In between, every screen is the one a fully ranked console shows, and an
/// edit made meanwhile is neither lost nor overwritten by a ranking made for an older round.
@Suite struct DeferredRankingTests {
    /// The console as the runtime opens it, its background ranking held until the test answers it.
    func opened(lang: Language = .id, curator: CuratorID? = "K2", width: Int = 80, height: Int = 24,
                round: Round = madiun, seat: Seat = .shared) -> Driver {
        Driver(lang: lang, curator: curator, width: width, height: height, round: round, seat: seat,
               deferringRankings: true, ranking: false)
    }

    /// The same console, ranked whole at once (as before), driven by the same keys.
    func whole(lang: Language = .id, curator: CuratorID? = "K2", width: Int = 80, height: Int = 24,
               round: Round = madiun, seat: Seat = .shared) -> Driver {
        Driver(lang: lang, curator: curator, width: width, height: height, round: round, seat: seat)
    }

    func expectSameScreen(_ a: Driver, _ b: Driver, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.screen.lines == b.screen.lines, "\(what): text", sourceLocation: sourceLocation)
        #expect(a.screen.styleLayer == b.screen.styleLayer, "\(what): styles", sourceLocation: sourceLocation)
    }

    @Test(arguments: [Language.id, .en])
    func theFirstScreenIsRankedBeforeTheOtherClusterIs(_ lang: Language) throws {
        for (w, h) in [(80, 24), (200, 60)] {
            let app = opened(lang: lang, width: w, height: h), full = whole(lang: lang, width: w, height: h)
            #expect(app.state.rankings.keys.sorted() == [.mamin], "only the list's cluster is ranked")
            #expect(app.state.rankings[.mamin]! == madiun.ranking(.mamin))
            // The first update asked for the other cluster, behind the screen, once.
            #expect(app.effects == [.rank(revision: madiun.revision, clusters: [.nonMamin])])
            #expect(app.state.rankingRequested == madiun.revision)
            app.type(.down)
            #expect(app.effects.count == 1, "asked once while it is being made")
            full.type(.down)
            // The tab of the cluster still being ranked counts its products as the ranked one would.
            #expect(app.screenText.contains("NON-MAMIN \(madiun.products(in: .nonMamin).count)"))
            expectSameScreen(app, full, "\(w)x\(h) before the other ranking")
            try expectGolden(app.screen, "list-first-cluster-ranked-\(lang)-\(w)x\(h)")
            app.answerRankings()
            #expect(app.state.rankingRequested == nil)
            #expect(app.state.rankings[.nonMamin]! == madiun.ranking(.nonMamin))
            expectSameScreen(app, full, "\(w)x\(h) after it came")
            app.type(.tab); full.type(.tab)
            expectSameScreen(app, full, "\(w)x\(h) the other cluster")
            #expect(app.effects.count == 1, "nothing more to ask for")
        }
    }

    /// How many times the other cluster was asked for behind the screen.
    func rankRequests(_ d: Driver) -> Int {
        d.effects.filter { if case .rank = $0 { true } else { false } }.count
    }

    /// Tab before the other cluster's ranking came: the key waits for it (not ranked a second
    /// time on the spot), the status line says so at once, keys typed meanwhile wait behind it,
    /// and all of them take effect, in order, the moment the ranking arrives.
    @Test(arguments: [Language.id, .en])
    func tabBeforeTheRankingCameWaitsForItAndTakesEffectWhenItComes(_ lang: Language) throws {
        let app = opened(lang: lang), full = whole(lang: lang)
        app.type(.down, .down, .tab); full.type(.down, .down, .tab)
        #expect(app.state.list.cluster == .mamin, "the key waits")
        #expect(app.state.awaitingRanking == [.nonMamin])
        #expect(app.state.queued == [.tab])
        #expect(app.state.rankings[.nonMamin] == nil && app.state.rankedOnDemand == 0, "nothing ranked on the spot")
        let status = app.screen.text(row: app.state.layout.status)
        #expect(status.contains(lang == .id ? "menyusun peringkat non-mamin…" : "ranking non-mamin…"))
        try expectGolden(app.screen, "list-waiting-for-ranking-\(lang)-80x24")
        app.type(.down); full.type(.down)  // typed meanwhile: waits behind the Tab
        #expect(app.state.queued == [.tab, .down])
        #expect(app.state.selectedIndex == 2)
        app.answerRankings()
        #expect(app.state.awaitingRanking == nil && app.state.queued.isEmpty)
        #expect(app.state.list.cluster == .nonMamin)
        #expect(app.state.selectedIndex == 1, "the Down after the Tab moved in the other cluster")
        #expect(app.state.rankings[.nonMamin]! == madiun.ranking(.nonMamin))
        #expect(!app.screen.text(row: app.state.layout.status).contains("…"), "the waiting message goes with the wait")
        expectSameScreen(app, full, "the other cluster, once its ranking came")
        #expect(rankRequests(app) == 1 && app.state.rankedOnDemand == 0, "ranked once, behind the screen")
        if lang == .id {
            app.type(.up); full.type(.up)
            try expectGolden(app.screen, "list-other-cluster-after-waiting-id-80x24")
        }
        app.type(.down, .backTab); full.type(.down, .backTab)
        #expect(app.state.selectedIndex == 2, "each cluster keeps its cursor")
        expectSameScreen(app, full, "back to the first cluster")
    }

    @Test func keysQueuedBehindASaveThatTurnToTheOtherClusterActOnItsRows() throws {
        let app = opened(curator: "K1"), full = whole(curator: "K1")
        for d in [app, full] {
            d.answering = false
            d.type(.enter, .char("4"))  // a score being saved
            d.type(.escape, .tab, .down, .down, .enter)  // typed meanwhile: the other cluster's third product
            d.answerAll()
        }
        // The save stands; the Tab after it waits for the other cluster, the keys after it too.
        #expect(app.state.pending == nil && app.state.round.revision == madiun.revision + 1)
        #expect(app.state.screen == .list && app.state.list.cluster == .mamin)
        #expect(app.state.queued == [.tab, .down, .down, .enter])
        // The ranking asked for the round as opened is dropped (the score came first) and asked again.
        app.answerRankings()
        #expect(app.state.awaitingRanking == [.nonMamin])
        app.answerRankings()
        #expect(app.state.screen == .detail)
        #expect(app.state.detailProduct == full.state.detailProduct)
        #expect(app.state.detail?.product.cluster == .nonMamin)
        expectSameScreen(app, full, "the detail opened from the queued keys")
        #expect(app.state.rankedOnDemand == 0)
    }

    /// The worker's ranking is dropped because an edit came first (another terminal's, here):
    /// the ranking asked for again releases the waiting key.
    @Test func aRankingDroppedForAnEditIsAskedAgainAndStillReleasesTheWaitingKey() throws {
        let app = opened(curator: "K1")
        app.type(.tab)
        #expect(app.state.awaitingRanking == [.nonMamin])
        let product = try #require(madiun.products(in: .nonMamin).first { madiun.isEligible($0) }).id
        var other = app.round
        try other.perform(.score(product: product, points: Dictionary(uniqueKeysWithValues: madiun.rubric.criteria.map { ($0.id, 5) })),
                          by: "K3", at: "2020-10-15T09:30:00Z")
        app.round = other
        app.send(.tick)  // another terminal's score, while the Tab waits
        #expect(app.state.round.revision == madiun.revision + 1)
        #expect(app.state.awaitingRanking == [.nonMamin] && app.state.queued == [.tab])
        app.answerRankings()  // made for the round as opened: dropped
        #expect(app.state.rankings[.nonMamin] == nil)
        #expect(app.state.list.cluster == .mamin, "still waiting")
        #expect(app.screen.text(row: app.state.layout.status).contains("menyusun peringkat non-mamin…"))
        #expect(app.effects.last == .rank(revision: other.revision, clusters: [.nonMamin]))
        app.answerRankings()
        #expect(app.state.awaitingRanking == nil && app.state.list.cluster == .nonMamin)
        #expect(app.state.rankings[.nonMamin]! == other.ranking(.nonMamin))
        #expect(app.state.rankedOnDemand == 0 && rankRequests(app) == 2)
        #expect(ScaleTests.plainRows(app.state, .nonMamin) == app.state.visibleRows.map(\.product.id))
    }

    /// q quits at once while a key waits; Esc lets go of the waiting keys; a q typed into a
    /// filter that waits is a letter of the filter.
    @Test func qAndEscActAtOnceWhileAKeyWaits() throws {
        let quitting = opened()
        quitting.type(.tab, .down)
        #expect(quitting.type(.char("q")) == [.quit])
        #expect(quitting.finished)
        let ctrlC = opened()
        ctrlC.type(.char("b"))
        #expect(ctrlC.type(.ctrl("c")) == [.quit])

        let cancelling = opened()
        cancelling.type(.down, .tab, .down)
        cancelling.type(.escape)
        #expect(cancelling.state.awaitingRanking == nil && cancelling.state.queued.isEmpty)
        #expect(cancelling.screen.text(row: cancelling.state.layout.status).contains("Dibatalkan."))
        cancelling.answerRankings()  // the ranking still comes, and changes nothing on screen
        #expect(cancelling.state.list.cluster == .mamin && cancelling.state.selectedIndex == 1)
        #expect(cancelling.state.rankings[.nonMamin]! == madiun.ranking(.nonMamin))

        let searching = opened(), full = whole()
        searching.type(.char("/")); full.type(.char("/"))
        #expect(searching.state.awaitingRanking == [.nonMamin])
        #expect(searching.type("qu").isEmpty, "letters of the filter, not quit"); full.type("qu")
        searching.answerRankings()
        #expect(searching.state.list.filter == "qu" && searching.state.list.editingFilter)
        expectSameScreen(searching, full, "the filter typed while it waited")
    }

    /// An edit made while the other cluster is being ranked: the ranking made for the older round
    /// is dropped, asked for again for the new round, and then equals the round's own.
    @Test func anEditMadeInBetweenIsNeverOverwrittenByTheOlderRanking() throws {
        let app = opened(curator: "K1")
        let product = try #require(madiun.products(in: .nonMamin).first { madiun.isEligible($0) }).id
        var other = app.round
        try other.perform(.score(product: product, points: Dictionary(uniqueKeysWithValues: madiun.rubric.criteria.map { ($0.id, 5) })),
                          by: "K3", at: "2020-10-15T09:30:00Z")
        app.round = other
        app.send(.tick)  // another terminal's score on the cluster being ranked
        #expect(app.state.round.revision == madiun.revision + 1)
        #expect(app.state.rankings[.nonMamin] == nil)
        #expect(app.state.rankings[.mamin]! == other.ranking(.mamin))
        // And one here, on the first cluster.
        app.type(.enter, .char("3"))
        #expect(app.state.round.revision == madiun.revision + 2)
        #expect(app.state.rankings[.mamin]! == app.round.ranking(.mamin))
        #expect(app.unansweredRankings.count == 1, "still the first request, for the round as opened")
        app.answerRankings()  // the ranking of the round as opened: dropped, asked again
        #expect(app.state.rankings[.nonMamin] == nil)
        #expect(app.effects.last == .rank(revision: app.round.revision, clusters: [.nonMamin]))
        app.answerRankings()
        #expect(app.state.rankings[.nonMamin]! == app.round.ranking(.nonMamin))
        #expect(app.state.rankings[.mamin]! == app.round.ranking(.mamin))
        #expect(app.state.rankings[.nonMamin]!.first { $0.product.id == product }?.aggregate.count
                == app.round.aggregate(app.round.product(product)!).count)
        app.type(.escape, .tab)
        #expect(ScaleTests.plainRows(app.state, .nonMamin) == app.state.visibleRows.map(\.product.id))
    }

    @Test func theBoardAndAFilterWaitForBothClusters() throws {
        let app = opened(), full = whole()
        app.type(.char("b")); full.type(.char("b"))
        #expect(app.state.screen == .list && app.state.awaitingRanking == [.nonMamin])
        app.answerRankings()
        #expect(app.state.rankings.count == 2 && app.state.rankedOnDemand == 0)
        expectSameScreen(app, full, "the board")
        let filtering = opened(width: 132, height: 40), fullFilter = whole(width: 132, height: 40)
        filtering.type(.char("/")); fullFilter.type(.char("/"))
        filtering.type("ke"); fullFilter.type("ke")
        #expect(!filtering.state.list.editingFilter && filtering.state.queued == [.char("/"), .char("k"), .char("e")])
        filtering.answerRankings()
        expectSameScreen(filtering, fullFilter, "a filter counts both clusters")
        let projector = opened(curator: nil, seat: .projector)
        #expect(projector.state.rankings.count == 2, "the projector opens on the board")
        #expect(projector.effects.isEmpty)
    }

    /// Every key on every screen the console can show before the other cluster is ranked: a key
    /// that needs that cluster waits for it, none is ranked on the spot, and once the ranking
    /// comes the screen is the one a console ranked whole from the start shows after that key.
    static let routes: [String: [Key]] = ["list": [], "detail": [.enter], "picker": [.char("c")], "producers": [.char("v")],
                                          "producer": [.char("v"), .enter], "analysis": [.char("a")], "pairwise": [.char("w")],
                                          "help": [.char("?")]]

    @Test(arguments: ["list", "detail", "picker", "producers", "producer", "analysis", "pairwise", "help"])
    func everyKeyOnEveryScreenWaitsForWhatItNeedsAndNothingIsRankedOnTheSpot(_ name: String) throws {
        let tables: [[BindingGroup]] = [Keymap.list, Keymap.detail, Keymap.board, Keymap.curators, Keymap.producers,
                                        Keymap.producer, Keymap.analysis, Keymap.pairwise, Keymap.global]
        var keys: [Key] = [.escape, .enter, .tab, .backTab, .char("x")]
        for key in tables.flatMap({ $0.flatMap(\.keys) }) where !keys.contains(key) { keys.append(key) }
        let route = try #require(Self.routes[name])
        var waited: [Key] = []
        let other = madiun.ranking(.nonMamin)
        let app = opened(curator: "K1"), full = whole(curator: "K1")
        for key in route { app.type(key); full.type(key) }
        #expect(app.state.awaitingRanking == nil && app.state.rankings[.nonMamin] == nil)
        let start = (app.state, app.round, app.effects, app.unansweredRankings)
        let fullStart = (full.state, full.round)
        for key in keys {
            (app.state, app.round, app.effects, app.unansweredRankings) = start
            (full.state, full.round) = fullStart
            app.finished = false; full.finished = false
            app.type(key); full.type(key)
            #expect(app.state.rankedOnDemand == 0, "\(key): ranked on the spot")
            #expect(app.state.rankings[.nonMamin] == nil, "\(key): ranked before its answer")
            if app.state.awaitingRanking != nil {
                waited.append(key)
                #expect(app.screen.text(row: app.state.layout.status).contains("menyusun peringkat non-mamin…"), "\(key)")
            }
            // The worker's answer (the ranking of the round as opened made once for all keys).
            while !app.unansweredRankings.isEmpty {
                let (r, clusters) = app.unansweredRankings.removeFirst()
                app.send(.ranked(revision: r.revision, r.revision == madiun.revision && clusters == [.nonMamin] ? [.nonMamin: other]
                                 : Dictionary(uniqueKeysWithValues: clusters.map { ($0, r.ranking($0)) })))
            }
            #expect(app.state.awaitingRanking == nil && app.state.queued.isEmpty, "\(key)")
            #expect(app.finished == full.finished, "\(key): quit")
            expectSameScreen(app, full, "\(name), \(key)")
        }
        let expected: [String: [Key]] = ["list": [.tab, .backTab, .char("/"), .char("b")], "detail": [.char("b")],
                                         "analysis": [.tab, .backTab], "pairwise": [.tab, .backTab]]
        #expect(waited == expected[name] ?? [], "the keys that wait on \(name)")
    }

    /// Keys typed while the round loaded that need the other cluster wait for it too, once the
    /// round is there; the request for it goes out with the loaded round.
    @Test func keysTypedWhileLoadingThatNeedTheOtherClusterWaitForIt() throws {
        var s = State.loading(file: "kurasi.json", lang: .id)
        _ = update(&s, .resize(width: 80, height: 24))
        _ = update(&s, .key(.tab)); _ = update(&s, .key(.down))
        let effects = update(&s, .loaded(Opened(State(round: madiun, lang: .id, curator: "K2", seat: .personal, deferringRankings: true))))
        #expect(effects == [.rank(revision: madiun.revision, clusters: [.nonMamin])])
        #expect(s.awaitingRanking == [.nonMamin] && s.queued == [.tab, .down] && s.list.cluster == .mamin)
        #expect(s.rankedOnDemand == 0)
        _ = update(&s, .ranked(revision: madiun.revision, [.nonMamin: madiun.ranking(.nonMamin)]))
        #expect(s.list.cluster == .nonMamin && s.selectedIndex == 1 && s.queued.isEmpty)
    }
}
