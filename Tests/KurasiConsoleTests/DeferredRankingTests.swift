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

    @Test func tabBeforeTheRankingCameRanksTheClusterOnDemandAndTheLateAnswerChangesNothing() throws {
        let app = opened(), full = whole()
        app.type(.down, .down, .tab); full.type(.down, .down, .tab)
        #expect(app.state.list.cluster == .nonMamin)
        #expect(app.state.rankings[.nonMamin]! == madiun.ranking(.nonMamin))
        expectSameScreen(app, full, "the other cluster, ranked on demand")
        try expectGolden(app.screen, "list-other-cluster-on-demand-id-80x24")
        let before = app.state.rankings
        app.answerRankings()  // the answer for the same round arrives late: already there, kept
        #expect(app.state.rankings == before)
        #expect(app.state.rankingRequested == nil)
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
        #expect(app.state.screen == .detail)
        #expect(app.state.detailProduct == full.state.detailProduct)
        #expect(app.state.detail?.product.cluster == .nonMamin)
        expectSameScreen(app, full, "the detail opened from the queued keys")
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

    @Test func theBoardAndAFilterRankBothClustersFirst() throws {
        let app = opened(), full = whole()
        app.type(.char("b")); full.type(.char("b"))
        #expect(app.state.rankings.count == 2)
        expectSameScreen(app, full, "the board")
        let filtering = opened(width: 132, height: 40), fullFilter = whole(width: 132, height: 40)
        filtering.type(.char("/")); fullFilter.type(.char("/"))
        filtering.type("ke"); fullFilter.type("ke")
        expectSameScreen(filtering, fullFilter, "a filter counts both clusters")
        let projector = opened(curator: nil, seat: .projector)
        #expect(projector.state.rankings.count == 2, "the projector opens on the board")
        #expect(projector.effects.isEmpty)
    }
}
