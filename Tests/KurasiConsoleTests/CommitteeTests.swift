import KurasiConsole
import KurasiCore
import Testing

/// The committee's rules on the console's screens: blind scoring as KurasiCore decides it, the
/// chair's deliberation and finalising with a confirmation, a curator's own terminal, the
/// projector, the number format and the list's selection.
@Suite struct CommitteeTests {
    /// Madiun with every product of the first `n` of each cluster's five pinned by the chair.
    static func pinned(_ n: Int, _ base: Round = madiun) -> Round {
        var r = base
        for cluster in Cluster.allCases {
            for id in r.topFive(cluster).prefix(n) {
                try! r.perform(.pin(product: id, slot: nil, reason: nil), by: "K1", at: "2020-10-15T07:00:00Z")
            }
        }
        return r
    }

    static func deliberating(_ base: Round = madiun) -> Round {
        var r = base
        try! r.perform(.openDeliberation, by: "K1", at: "2020-10-15T07:30:00Z")
        return r
    }

    /// Text that looks like a score: "81,3" or "81.3".
    static func hasScore(_ text: String) -> Bool {
        text.range(of: #"\b\d{1,3}[,.]\d\b"#, options: .regularExpression) != nil
    }

    // MARK: Blind scoring

    @Test(arguments: [Language.id, .en])
    func theBoardWhileBlindShowsPinsAndNoScores(_ lang: Language) throws {
        let round = Self.pinned(3)
        for seat in [Seat.projector, .shared] {
            let app = Driver(lang: lang, curator: seat == .projector ? nil : "K2", width: 132, height: 40, round: round, seat: seat)
            if seat != .projector { app.type(.char("b")) }
            #expect(app.state.screen == .board)
            let text = app.screenText
            for id in Cluster.allCases.flatMap({ round.pins(in: $0) }).map(\.product) { #expect(text.contains(id.rawValue)) }
            #expect(!Self.hasScore(text), "\(text)")
            #expect(!text.contains(tr(.boardTopFive, lang)))
            #expect(text.contains(tr(.boardBlindNote, lang)))
        }
    }

    @Test func theBoardAfterDeliberationShowsTheFiveTheRulesAllow() throws {
        let round = Self.deliberating(Self.pinned(3))
        let app = Driver(lang: .id, curator: nil, width: 132, height: 40, round: round, seat: .projector)
        let text = app.screenText
        #expect(text.contains(tr(.boardTopFive, .id)))
        #expect(text.contains("Musyawarah dibuka oleh K1, 14.30 WIB."))
        for id in round.topFive(.mamin) { #expect(text.contains(id.rawValue)) }
        let score = Format.score(round.ranking(.mamin).first { $0.product.id == round.topFive(.mamin)[0] }!.aggregate.score, .id)
        #expect(score.contains(","))
        #expect(text.contains(score))
    }

    @Test func aBlindCuratorsListHidesRankScoreAndScoreOrder() throws {
        let app = console(curator: "K2")
        let rows = Array(app.state.visibleRows)
        let blind = rows.filter { !madiun.visibility(of: $0.product.id, to: "K2").score }
        let seen = rows.filter { madiun.visibility(of: $0.product.id, to: "K2").score }
        #expect(!blind.isEmpty)
        // Not yet scored by me first, by id; then mine, by rank.
        #expect(rows.prefix(blind.count).map(\.product.id) == blind.map(\.product.id).sorted())
        #expect(Array(rows.dropFirst(blind.count)).map(\.product.id) == seen.map(\.product.id))
        let text = app.screenText
        #expect(text.contains("urut: belum dinilai dulu"))
        let line = try #require(text.split(separator: "\n").first { $0.contains(" \(blind[0].product.id) ") })
        #expect(line.contains(" ? "))
        #expect(line.hasPrefix("   · ") || line.hasPrefix("  · "), "\(line)")
        #expect(!Self.hasScore(String(line)))
    }

    @Test func theSidePaneAndTheHistoryShowOnlyWhatTheRuleAllows() throws {
        // K4 scores a product K2 has not scored; K2 scores another one partly.
        var round = madiun
        let product = try #require(round.products.first { p in
            p.cluster == .mamin && round.sheet(product: p.id, curator: "K2").isEmpty && round.sheet(product: p.id, curator: "K4").isEmpty
                && !round.curator("K2")!.isRecused(from: p.producer) && !round.curator("K4")!.isRecused(from: p.producer)
        })
        try round.perform(.score(product: product.id, points: ["kualitas": 5]), by: "K4", at: "2020-10-15T08:00:00Z")
        try round.perform(.score(product: product.id, points: ["kualitas": 3]), by: "K2", at: "2020-10-15T08:05:00Z")
        let visible = round.history(product: product.id, visibleTo: "K2")
        let hidden = round.history(product: product.id).filter { !visible.contains($0) }
        #expect(hidden.map(\.by) == ["K4"])
        let app = console(curator: "K2", width: 132, height: 40, round: round)
        app.type(.char("/")); app.type(product.id); app.type(.enter)
        #expect(app.state.selected?.product.id == product.id)
        let pane = app.screenText
        #expect(pane.contains("rev \(visible.last!.revision) 15.05 WIB K2"))
        for e in hidden { #expect(!pane.contains("rev \(e.revision) "), "rev \(e.revision) shows in the side pane") }
        app.type(.enter)
        let detail = app.screenText
        #expect(detail.contains("rev \(visible.last!.revision) · 15.05 WIB · K2"))
        for e in hidden { #expect(!detail.contains("rev \(e.revision) "), "rev \(e.revision) shows in the history") }
        // Once K2's sheet is complete, K4's score shows too.
        for _ in round.rubric.criteria.dropFirst() { app.type(.char("4")) }
        for e in hidden { #expect(app.screenText.contains("rev \(e.revision) "), "rev \(e.revision) stays hidden") }
    }

    @Test func afterDeliberationEverythingIsVisible() throws {
        let app = console(curator: "K2", round: Self.deliberating())
        let rows = Array(app.state.visibleRows)
        #expect(rows.map(\.product.id) == madiun.ranking(.mamin).map(\.product.id))
        let lines = app.screen.lines
        for y in app.state.layout.rows.y..<app.state.layout.rows.bottom { #expect(!lines[y].contains(" ? "), "\(lines[y])") }
        #expect(app.screenText.contains("urut: skor ▼"))
    }

    // MARK: The chair's keys

    @Test func theChairOpensDeliberationFromTheBoardAfterConfirming() throws {
        let app = console(curator: "K1")
        app.type(.char("b"))
        #expect(app.screenText.contains("d musyawarah"))
        app.type(.char("d"))
        #expect(app.state.prompt != nil)
        #expect(app.screenText.contains("Buka musyawarah?"))
        #expect(app.round.phase == .open)
        app.type(.escape)
        #expect(app.round.phase == .open)
        app.type(.char("d"), .char("y"))
        #expect(app.round.phase == .deliberation)
        #expect(app.screenText.contains(tr(.boardTopFive, .id)))
        // Open once: the key is gone from the hints.
        #expect(!app.screenText.contains("d musyawarah"))
    }

    @Test func theBoardsHintsShowOnlyKeysThatActForThisRole() throws {
        let app = console(curator: "K3")
        app.type(.char("b"))
        let hints = app.screen.lines[app.state.layout.hint]
        #expect(!hints.contains("musyawarah") && !hints.contains("finalisasi") && !hints.contains("buka lagi"), "\(hints)")
        // The key still answers, with the reason.
        app.type(.char("d"))
        #expect(app.state.prompt == nil)
        #expect(app.state.message?.isWarning == true)
        #expect(app.round.phase == .open)
    }

    @Test func finalisingAsksForConfirmationOnTheScreen() throws {
        let app = console(curator: "K1", round: Self.deliberating(Self.pinned(5)))
        app.type(.char("b"), .char("f"))
        #expect(app.screenText.contains("Finalisasi putaran dengan pin ini?"))
        #expect(!app.round.isFinal)
        app.type(.char("n"))
        #expect(!app.round.isFinal)
        app.type(.char("f"), .enter)
        #expect(app.round.isFinal)
    }

    @Test func finalisingTooEarlyIsRefusedWithoutAQuestion() throws {
        let app = console(curator: "K1", round: Self.pinned(3))
        app.type(.char("b"), .char("f"))
        #expect(app.state.prompt == nil)
        #expect(app.state.message?.isWarning == true)
    }

    // MARK: Whose terminal

    @Test func aCuratorsOwnTerminalKeepsItsCurator() throws {
        let app = Driver(lang: .en, curator: "K4", width: 80, height: 24, round: madiun, seat: .personal)
        #expect(app.state.screen == .list)
        app.type(.char("c"))
        #expect(app.state.screen == .list)
        #expect(app.state.curator == "K4")
        #expect(app.state.message?.text.contains("fixed") == true)
    }

    @Test func anUnknownCuratorFallsBackToNothingFixed() throws {
        let state = State(round: madiun, lang: .en, curator: "K9", seat: .personal)
        #expect(state.seat == .shared)
        #expect(state.screen == .curators)
    }

    @Test(arguments: [Language.id, .en])
    func theProjectorOnlyShows(_ lang: Language) throws {
        let app = Driver(lang: lang, curator: nil, width: 80, height: 24, round: Self.deliberating(Self.pinned(5)), seat: .projector)
        #expect(app.state.screen == .board)
        for key in [Key.char("f"), .char("d"), .char("c"), .char("u")] {
            app.effects = []
            app.type(key)
            #expect(app.effects.isEmpty)
            #expect(app.state.prompt == nil)
            #expect(app.state.message?.text == tr(.readOnly, lang))
        }
        let hints = app.screen.lines[app.state.layout.hint]
        #expect(!hints.contains("f "), "\(hints)")
        app.type(.escape, .enter, .char("p"), .char("5"))
        #expect(app.effects.isEmpty)
        #expect(!app.round.isFinal && app.round.revision == Self.deliberating(Self.pinned(5)).revision)
    }

    // MARK: Too small

    @Test func noKeyActsWhileTheTerminalIsTooSmall() throws {
        let app = console(curator: "K1", width: 50, height: 12, round: Self.deliberating(Self.pinned(5)))
        app.type(.char("b"), .char("f"), .enter, .char("y"), .char("p"), .char("u"))
        #expect(app.effects.isEmpty)
        #expect(app.state.screen == .list && app.state.prompt == nil)
        app.type(.char("q"))
        #expect(app.finished)
    }

    // MARK: The selection follows the product

    @Test func theSelectionFollowsTheProductWhenTheRankingMovesUnderIt() throws {
        let start = Self.deliberating()
        let app = console(curator: "K1", round: start)
        app.type(.down, .down, .down)
        let chosen = try #require(app.state.selected).product.id
        // Another terminal gives a product below it top marks: it climbs above the chosen one.
        let below = try #require(start.ranking(.mamin).dropFirst(6).first { $0.eligible && start.sheet(product: $0.product.id, curator: "K5").isEmpty && !start.curator("K5")!.isRecused(from: $0.product.producer) })
        var other = start
        try other.perform(.score(product: below.product.id, points: Dictionary(uniqueKeysWithValues: start.rubric.criteria.map { ($0.id, start.rubric.scaleMax) })), by: "K5", at: "2020-10-15T08:00:00Z")
        app.round = other
        app.send(.tick)
        #expect(app.state.selected?.product.id == chosen)
        #expect(app.state.selectedIndex != 3 || other.ranking(.mamin).firstIndex { $0.product.id == chosen } == 3)
    }

    @Test func escFromADetailWhoseRankChangedLandsOnTheProduct() throws {
        let start = Self.deliberating()
        let app = console(curator: "K5", round: start)
        let target = try #require(start.ranking(.mamin).dropFirst(8).first { start.sheet(product: $0.product.id, curator: "K5").isEmpty && !start.curator("K5")!.isRecused(from: $0.product.producer) && $0.eligible })
        app.type(.char("/")); app.type(target.product.id); app.type(.enter, .enter)
        app.type(.escape)  // the detail
        app.type(.escape)  // the filter
        app.type(.enter)
        for _ in start.rubric.criteria { app.type(.char("5")) }
        app.type(.escape)
        #expect(app.state.screen == .list)
        #expect(app.state.selected?.product.id == target.product.id)
    }

    // MARK: One number

    @Test func scoresUseTheDecimalCommaInBahasaIndonesia() throws {
        let round = Self.deliberating()
        let id = console(curator: "K1", round: round).screenText
        let en = console(lang: .en, curator: "K1", round: round).screenText
        let top = try #require(round.ranking(.mamin).first)
        #expect(id.contains(Format.score(top.aggregate.score, .id)))
        #expect(en.contains(Format.score(top.aggregate.score, .en)))
    }

    // MARK: Roles and conflicts

    @Test(arguments: [Language.id, .en])
    func thePickerShowsEveryRole(_ lang: Language) throws {
        let app = console(lang: lang, curator: nil)
        let text = app.screenText
        for t in [T.roleChair, .roleSecretary, .roleCurator] { #expect(text.contains(tr(t, lang))) }
    }

    @Test func aCuratorDeclaresAConflictInAFormAndIsShownRecused() throws {
        let round = Self.deliberating()
        let scored = try #require(round.products.first { p in
            round.isComplete(round.sheet(product: p.id, curator: "K3")) && round.aggregate(p).count >= 2
        })
        let app = console(curator: "K3", round: round)
        app.type(.char("/")); app.type(scored.id); app.type(.enter, .enter)
        app.type(.char("!"))
        #expect(app.state.form != nil)
        app.type(.down, .right, .down)
        app.type("keponakan pemilik")
        app.type(.enter)
        #expect(app.state.form == nil, "\(app.state.message?.text ?? "")")
        #expect(app.round.curator("K3")!.isRecused(from: scored.producer))
        #expect(app.round.aggregate(scored).setAside == ["K3"])
        #expect(app.screenText.contains("keponakan pemilik"))
        // Another curator sees K3's sheet set aside.
        let other = console(curator: "K1", round: app.round)
        other.type(.char("/")); other.type(scored.id); other.type(.enter, .enter)
        #expect(other.screenText.contains("K3 ×"))
    }
}
