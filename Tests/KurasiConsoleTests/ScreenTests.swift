import KurasiConsole
import KurasiCore
import Testing

/// Screens rendered into a cell grid and compared with golden text files, at 80×24 and 132×40,
/// in both languages. KURASI_UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
@Suite struct ScreenTests {
    static let sizes = [(80, 24), (132, 40)]

    /// A round with some pins and a reopened status, so the board and marks have content.
    static let pinned: Round = {
        var r = madiun
        let at = "2020-10-15T10:00:00Z"
        for cluster in Cluster.allCases {
            var producers = Set<ProducerID>()
            var n = 0
            for row in r.ranking(cluster) where row.rank != nil && n < 3 && producers.insert(row.product.producer).inserted {
                try! r.perform(.pin(product: row.product.id, slot: nil, reason: row.rank! > 5 ? "satu pelaku satu pin" : nil), by: "K1", at: at)
                n += 1
            }
        }
        // One pin from outside the top five, with its reason.
        let pinnedProducers = Set(r.pins(in: .mamin).compactMap { r.product($0.product)?.producer })
        let outsider = r.ranking(.mamin).first { row in
            (row.rank ?? 0) > 10 && !pinnedProducers.contains(row.product.producer)
        }!
        try! r.perform(.pin(product: outsider.product.id, slot: nil, reason: "ikon oleh-oleh Madiun"), by: "K1", at: at)
        return r
    }()

    /// The same round once the chair opened deliberation: every score visible.
    static let deliberating: Round = CommitteeTests.deliberating(pinned)

    @Test(arguments: [Language.id, .en])
    func productList(_ lang: Language) throws {
        for (w, h) in Self.sizes {
            let app = console(lang: lang, curator: "K1", width: w, height: h, round: Self.pinned)
            app.type(.down, .down)
            try expectGolden(app.screen, "list-\(lang.rawValue)-\(w)x\(h)")
        }
    }

    @Test(arguments: [Language.id, .en])
    func listFilteredOnNonMamin(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: Self.pinned)
        app.type(.tab, .char("/"))
        app.type("batik")
        try expectGolden(app.screen, "list-filter-\(lang.rawValue)-80x24")
    }

    @Test(arguments: [Language.id, .en])
    func detailBlindThenRevealed(_ lang: Language) throws {
        for (w, h) in Self.sizes {
            let app = console(lang: lang, curator: "K2", width: w, height: h, round: Self.pinned)
            // The first product with two or more sheets that K2 has not scored.
            let target = Self.pinned.ranking(.mamin).first { r in
                r.aggregate.count >= 2 && Self.pinned.sheet(product: r.product.id, curator: "K2").isEmpty
            }!
            app.type(.char("/")); app.type(target.product.id); app.type(.enter, .enter)
            try expectGolden(app.screen, "detail-blind-\(lang.rawValue)-\(w)x\(h)")
            app.type(.char("4"), .char("3"), .char("5"), .char("4"), .char("4"), .char("3"))
            try expectGolden(app.screen, "detail-scored-\(lang.rawValue)-\(w)x\(h)")
        }
    }

    @Test(arguments: [Language.id, .en])
    func detailOfARecusedCurator(_ lang: Language) throws {
        let k3 = madiun.curator("K3")!
        let product = madiun.products.first { $0.producer == k3.conflicts[0].producer }!
        let app = console(lang: lang, curator: "K3", round: Self.pinned)
        app.type(.char("/")); app.type(product.id); app.type(.enter, .enter, .char("5"))
        try expectGolden(app.screen, "detail-recused-\(lang.rawValue)-80x24")
    }

    @Test(arguments: [Language.id, .en])
    func board(_ lang: Language) throws {
        for (w, h) in Self.sizes {
            let app = console(lang: lang, curator: "K1", width: w, height: h, round: Self.deliberating)
            app.type(.char("b"))
            try expectGolden(app.screen, "board-\(lang.rawValue)-\(w)x\(h)")
        }
    }

    /// The projector during blind scoring: the pins, no scores, no top five, and when it comes.
    @Test(arguments: [Language.id, .en])
    func boardWhileBlind(_ lang: Language) throws {
        let app = Driver(lang: lang, curator: nil, width: 80, height: 24, round: Self.pinned, seat: .projector)
        try expectGolden(app.screen, "board-blind-\(lang.rawValue)-80x24")
    }

    @Test(arguments: [Language.id, .en])
    func pickerHelpAndPrompt(_ lang: Language) throws {
        let app = console(lang: lang, curator: nil, round: Self.deliberating)
        try expectGolden(app.screen, "picker-\(lang.rawValue)-80x24")
        app.type(.enter, .char("?"))
        try expectGolden(app.screen, "help-list-\(lang.rawValue)-80x24")
        app.type(.char("x"))
        for _ in 0..<7 { app.type(.down) }  // rank 8: outside the top five, its producer not pinned
        app.type(.char("p"))
        #expect(app.state.prompt != nil)
        try expectGolden(app.screen, "prompt-\(lang.rawValue)-80x24")
    }

    @Test func tooSmall() throws {
        let app = console(width: 40, height: 10)
        try expectGolden(app.screen, "too-small-40x10")
    }

    @Test func namesWithEscapesWideGlyphsAndBidiControls() throws {
        let r = madiun
        let first = r.products.first { $0.cluster == .mamin }!
        var p = first
        p.name = "Keripik \u{1B}]2;pwned\u{07}\u{202E}Tempe 🌶️ 辣 Café"
        var products = r.products
        products[products.firstIndex { $0.id == first.id }!] = p
        let round = Round(revision: r.revision, round: r.round, rubric: r.rubric, curators: r.curators,
                          producers: r.producers, products: products, scores: r.scores, pins: r.pins, events: r.events)
        let app = console(curator: "K1", round: round)
        app.type(.char("/")); app.type(first.id); app.type(.enter)
        let canvas = app.screen
        let text = canvas.lines.joined(separator: "\n")
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && !text.contains("\u{202E}"))
        #expect(text.contains("Keripik \u{FFFD}]2;pwned"))
        try expectGolden(canvas, "list-escapes-80x24")
        app.type(.enter)
        app.send(.resize(width: 132, height: 40))
        let detail = app.screen
        #expect(detail.text(row: 0).contains("Keripik \u{FFFD}]2;pwned\u{FFFD}\u{FFFD}Tempe 🌶️ 辣 Café"))
        try expectGolden(detail, "detail-escapes-132x40")
    }
}

/// The states the first goldens never showed: an ineligible row, a final round, a save that
/// failed or is waiting, a refusal too long for one line, the side pane's history.
@Suite struct StateScreenTests {
    /// Five pins per cluster (from the top, one per producer, a reason outside the top five), finalised by the chair.
    static let final: Round = {
        var r = madiun
        let at = "2020-10-15T14:00:00Z"
        for cluster in Cluster.allCases {
            var producers = Set<ProducerID>()
            var n = 0
            for row in r.ranking(cluster) where row.rank != nil && row.eligible && n < 5 && producers.insert(row.product.producer).inserted {
                try! r.perform(.pin(product: row.product.id, slot: nil, reason: row.rank! > 5 ? "satu pelaku satu pin" : nil), by: "K1", at: at)
                n += 1
            }
        }
        try! r.perform(.finalize, by: "K1", at: "2020-10-15T15:00:00Z")
        return r
    }()

    @Test(arguments: [Language.id, .en])
    func anIneligibleProductSelected(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: ScreenTests.pinned)
        let i = try #require(app.state.visibleRows.firstIndex { !$0.eligible })
        for _ in 0..<i { app.type(.down) }
        #expect(app.state.selected?.eligible == false)
        try expectGolden(app.screen, "list-ineligible-\(lang.rawValue)-80x24")
    }

    @Test(arguments: [Language.id, .en])
    func aFinalRound(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K2", round: Self.final)
        try expectGolden(app.screen, "list-final-\(lang.rawValue)-80x24")
        app.type(.char("b"))
        try expectGolden(app.screen, "board-final-\(lang.rawValue)-80x24")
        // An edit on a final round: the refusal is too long for the status line and takes the hint line too.
        app.type(.escape, .enter, .char("4"))
        #expect(app.state.message?.isWarning == true)
        try expectGolden(app.screen, "detail-refused-\(lang.rawValue)-80x24")
    }

    @Test(arguments: [Language.id, .en])
    func savingThenNotSaved(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K2", round: ScreenTests.pinned)
        app.answering = false
        app.type(.enter, .char("4"))
        try expectGolden(app.screen, "detail-saving-\(lang.rawValue)-80x24")
        app.send(.committed(.failed(lang == .id ? "disk penuh" : "disk full")))
        try expectGolden(app.screen, "detail-not-saved-\(lang.rawValue)-80x24")
    }

    @Test func theSidePaneShowsTheHistory() throws {
        var r = ScreenTests.pinned
        let top = r.ranking(.mamin)[0].product.id
        for (i, curator) in (["K2", "K4", "K5"] as [CuratorID]).enumerated() where !r.curator(curator)!.isRecused(from: r.product(top)!.producer) {
            try r.perform(.score(product: top, points: ["kualitas": 3 + i % 2, "kemasan": 4]), by: curator, at: "2020-10-15T11:0\(i):00Z")
        }
        let app = console(lang: .en, curator: "K1", width: 132, height: 40, round: r)
        let i = try #require(app.state.visibleRows.firstIndex { $0.product.id == top })
        for _ in 0..<i { app.type(.down) }
        #expect(app.state.selected?.product.id == top)
        try expectGolden(app.screen, "list-history-en-132x40")
    }
}
