import KurasiConsole
import KurasiCore
import Testing

/// The analysis screen (`a` from the list), the sheets as dots on the detail screen, and the raw
/// score beside the normalised one when the ranking uses normalised scores.
@Suite struct AnalysisTests {
    /// The pinned round on the normalised basis (the chair's choice, before deliberation).
    static let normalisedOpen: Round = {
        var r = ScreenTests.pinned
        try! r.perform(.fairness(.setScoreBasis(.normalised)), by: "K1", at: "2020-10-15T07:00:00Z")
        return r
    }()
    static let normalised: Round = CommitteeTests.deliberating(normalisedOpen)

    @Test(arguments: [Language.id, .en])
    func theAnalysisScreenAtEverySize(_ lang: Language) throws {
        for (w, h) in [(80, 24), (132, 40), (200, 60)] {
            let app = console(lang: lang, curator: "K1", width: w, height: h, round: ScreenTests.deliberating)
            app.type(.char("a"))
            #expect(app.state.screen == .analysis)
            try expectGolden(app.screen, "analysis-\(lang.rawValue)-\(w)x\(h)")
        }
    }

    @Test func itScrollsAndPagesAt80x24() throws {
        let app = console(lang: .id, curator: "K1", round: ScreenTests.deliberating)
        app.type(.char("a"))
        #expect(app.screenText.contains("baris lagi"))
        app.type(.pageDown)
        #expect(app.state.analysisScroll > 0)
        try expectGolden(app.screen, "analysis-paged-id-80x24")
        app.type(.end)
        #expect(!app.screenText.contains("baris lagi"))
        let bottom = app.state.analysisScroll
        app.type(.down)
        #expect(app.state.analysisScroll == bottom)
        app.type(.home)
        #expect(app.state.analysisScroll == 0)
        // Tab shows the other cluster; Esc goes back to the list.
        app.type(.tab)
        #expect(app.screenText.contains("[ NON-MAMIN ]"))
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func theAnalysisIsComputedAwayFromTheScreen() throws {
        let app = console(lang: .id, curator: "K1", round: ScreenTests.deliberating)
        app.analysing = false
        let effects = app.type(.char("a"))
        #expect(effects == [.analyse(revision: app.state.round.revision)])
        #expect(app.screenText.contains("menghitung…"))
        // Keys meanwhile neither stall nor ask again.
        #expect(app.type(.down, .tab, .tab) == [])
        app.analyseNow()
        #expect(!app.screenText.contains("menghitung…"))
        #expect(app.screenText.contains("Peluang masuk lima besar"))
        // Back and in again on the same revision: nothing to compute.
        #expect(app.type(.escape, .char("a")) == [])
    }

    @Test func anEditOnTheAnalysisScreenRecomputesOnce() throws {
        let app = console(lang: .id, curator: "K2", round: ScreenTests.deliberating)
        app.type(.char("a"))
        let before = app.state.analysisRevision
        app.analysing = false
        // Another terminal's edit arrives while the screen is open.
        let target = app.round.products.first { app.round.sheet(product: $0.id, curator: "K2").isEmpty }!
        try app.round.perform(.score(product: target.id, points: ["kualitas": 4]), by: "K2", at: "2020-10-15T11:00:00Z")
        let n = app.effects.count
        app.send(.tick)
        #expect(Array(app.effects[n...]) == [.refresh, .analyse(revision: app.round.revision)])
        #expect(app.state.analysisRevision == before)
        #expect(app.screenText.contains("data rev \(before!) · menghitung…"))
        #expect(app.send(.tick).allSatisfy { $0 == .refresh })
        app.analyseNow()
        #expect(app.state.analysisRevision == app.round.revision)
    }

    /// While scoring is blind, a curator sees through this screen only what KurasiCore's one rule
    /// lets them see: their own bars, and the chances and ranks of products whose sheet they completed.
    @Test func blindnessAppliesToTheAnalysis() throws {
        let round = ScreenTests.pinned
        #expect(!round.scoresArePublic)
        let app = console(lang: .id, curator: "K2", width: 200, height: 60, round: round)
        app.type(.char("a"))
        let text = app.screenText
        #expect(text.contains("Penilaian tertutup"))
        let data = try #require(app.state.analysis)
        let seen = round.analysisData(data, visibleTo: "K2")
        #expect(seen.curators.map(\.curator) == ["K2"])
        for other in round.curators where other.id != "K2" {
            #expect(!text.contains("  \(other.id.rawValue.padded(to: 4)) \(other.name)"), "\(other.id)'s bars show to K2")
        }
        for (_, list) in seen.probabilities { for p in list { #expect(round.visibility(of: p.product, to: "K2").score) } }
        for (_, list) in seen.ranks { for p in list { #expect(round.visibility(of: p.product, to: "K2").score) } }
        // Products K2 has not completed appear nowhere on the screen, in either cluster.
        let hidden = round.products.filter { !round.visibility(of: $0.id, to: "K2").score }.map(\.id)
        #expect(!hidden.isEmpty)
        for cluster in [Cluster.mamin, .nonMamin] {
            for id in hidden { #expect(!app.screenText.contains(" \(id) "), "\(id) shows on the blind analysis (\(cluster))") }
            app.type(.tab)
        }
        // Once deliberation opens, everything shows.
        let open = CommitteeTests.deliberating(round)
        #expect(open.analysisData(data, visibleTo: "K2") == data)
        #expect(open.analysisData(data, visibleTo: nil) == data)
        // The projector, nobody signed in, sees none of it while blind.
        let none = round.analysisData(data, visibleTo: nil)
        #expect(none.curators.isEmpty && none.probabilities.values.allSatisfy(\.isEmpty) && none.ranks.values.allSatisfy(\.isEmpty))
        try expectGolden(app.screen, "analysis-blind-id-200x60")
    }

    /// The detail's dots follow the same rule as the other curators' columns.
    @Test func sheetDotsOnlyOnceTheSheetIsComplete() throws {
        let round = ScreenTests.pinned
        let target = round.ranking(.mamin).first { r in
            r.aggregate.count >= 2 && round.sheet(product: r.product.id, curator: "K2").isEmpty
        }!
        let app = console(lang: .en, curator: "K2", round: round)
        app.type(.char("/")); app.type(target.product.id); app.type(.enter, .enter)
        #expect(!app.screenText.contains("● sheet"))
        app.type(.char("4"), .char("3"), .char("5"), .char("4"), .char("4"), .char("3"))
        #expect(app.screenText.contains("● sheet"))
        #expect(app.screenText.contains("0 ├"))
    }

    @Test(arguments: [Language.id, .en])
    func rawBesideNormalised(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: Self.normalised)
        try expectGolden(app.screen, "list-normalised-\(lang.rawValue)-80x24")
        let top = try #require(app.state.selected)
        let raw = Format.score(Self.normalised.aggregate(top.product).score, lang)
        #expect(app.screenText.contains(" \(raw) "))
        app.type(.enter)
        #expect(app.screenText.contains((lang == .id ? "mentah " : "raw ") + raw))
        // The dots and ◆ are on the basis the list ranks by: the normalised sheets and score.
        let round = Self.normalised
        func line(_ d: SheetDots) -> String {
            "0 ├" + (0..<d.width).map { i in d.counts[i].map { $0 == 1 ? "●" : "\($0)" } ?? (d.score == i ? "◆" : "─") }.joined() + "┤ 100"
        }
        let normalisedDots = line(try #require(round.sheetDots(product: top.product.id, width: 50, visibleTo: "K1")))
        let rawDots = line(try #require(round.sheetDots(product: top.product.id, width: 50, visibleTo: "K1",
                                                         aggregate: round.aggregate(top.product))))
        #expect(normalisedDots != rawDots)
        #expect(round.sheetDots(product: top.product.id, width: 50, visibleTo: "K1", aggregate: top.aggregate)
                == round.sheetDots(product: top.product.id, width: 50, visibleTo: "K1"))
        #expect(app.screenText.contains(normalisedDots) && !app.screenText.contains(rawDots))
        app.type(.escape, .char("b"))
        try expectGolden(app.screen, "board-normalised-\(lang.rawValue)-80x24")
        // On the raw basis nothing extra shows.
        let plain = console(lang: lang, curator: "K1", round: ScreenTests.deliberating)
        plain.type(.enter)
        #expect(!plain.screenText.contains(lang == .id ? "mentah " : "raw "))
    }

    @Test func theKeyIsDocumented() {
        #expect(Keymap.action(for: .char("a"), on: .list) == .analysis)
        #expect(Keymap.action(for: .char("a"), on: .analysis) == .back)
        #expect(Keymap.list.contains { $0.help == .hAnalysis })
        #expect(tr(.analysisComputing, .id) == "menghitung…")
    }
}

/// The pairwise round at the cut line on the console (`w` from the list).
@Suite struct PairwiseScreenTests {
    @Test(arguments: [Language.id, .en])
    func comparePairsAtTheCutLine(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K2", round: ScreenTests.deliberating)
        app.type(.char("w"))
        #expect(app.state.screen == .pairwise)
        let first = try #require(app.state.pair)
        let expected = try #require(app.round.nextPair(.mamin, for: "K2"))
        #expect(first == [expected.0, expected.1])
        try expectGolden(app.screen, "pairwise-\(lang.rawValue)-80x24")
        // A is better: one comparison, through the existing command, as an event.
        let effects = app.type(.char("1"))
        #expect(effects == [.commit(.fairness(.compare(first[0], first[1], prefer: .a)), by: "K2")])
        #expect(app.round.comparisons.last == Comparison(a: first[0], b: first[1], curator: "K2", prefer: .a, at: app.clock))
        // The next pair is another one, and the order shows the comparison.
        #expect(app.state.pair != first)
        #expect(app.screenText.contains(lang == .id ? "1 menang" : "1 won"))
        app.type(.right)
        #expect(app.round.comparisons.count == 2 && app.round.comparisons.last?.prefer == .b)
        app.type(.char("="))
        #expect(app.round.comparisons.count == 3 && app.round.comparisons.last?.prefer == .same)
        // Undo takes the last one back; Esc leaves.
        app.type(.char("u"))
        #expect(app.round.comparisons.count == 2)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func othersJudgementsStayHiddenWhileBlind() throws {
        var round = ScreenTests.pinned
        let pair = try #require(round.nextPair(.mamin, for: "K4"))
        try round.perform(.fairness(.compare(pair.0, pair.1, prefer: .a)), by: "K4", at: "2020-10-15T10:00:00Z")
        let app = console(lang: .en, curator: "K2", round: round)
        app.type(.char("w"))
        #expect(app.screenText.contains("No comparison you may see yet."))
        #expect(app.screenText.contains("Blind scoring"))
        // Once K2 has judged the same pair, K4's judgement counts in what K2 sees.
        app.answering = true
        while let p = app.state.pair, p != [pair.0, pair.1] { app.type(.char("=")) }
        app.type(.char("2"))
        #expect(app.round.pairwise(.mamin, visibleTo: "K2").comparisons >= 2)
        #expect(app.screenText.contains("1 won"))
    }

    @Test func theProjectorCannotCompare() {
        let app = Driver(lang: .id, curator: nil, width: 80, height: 24, round: ScreenTests.deliberating, seat: .projector)
        app.type(.escape, .char("w"))
        #expect(app.state.screen != .pairwise)
    }
}
