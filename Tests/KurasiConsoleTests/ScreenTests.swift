import KurasiConsole
import KurasiCore
import KurasiTestSupport
import Testing

/// Screens rendered into a cell grid and compared with golden text files, at 80×24 and 132×40,
/// in both languages. KURASI_UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
@Suite struct ScreenTests {
    static let sizes = [(80, 24), (132, 40), (200, 60)]

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

/// Words and layout for the committee (issue 14): the help explains every symbol, the picker
/// moves with g/G and shows the chair's whole name, hints show only keys that act.
@Suite struct WordsAndLayoutTests {
    /// Everything on a screen that is neither a letter, a digit nor plain punctuation is a symbol
    /// the help's second page must explain (a bar's eighths ▁…▇ are the bar █; − is the minus sign).
    static let plain = Set(" .,;:()/-+'\"#%[]!&=@*…─│▏↓←→▕├┤▁▂▃▄▅▆▇−")

    static func symbols(on canvas: Canvas) -> Set<Character> {
        Set((0..<canvas.height).map { canvas.text(row: $0) }.joined().filter { !$0.isLetter && !$0.isNumber && !plain.contains($0) })
    }

    @Test(arguments: [Language.id, .en])
    func helpExplainsEverySymbolTheScreensUse(_ lang: Language) throws {
        var seen = Set<Character>()
        // The list blind and in deliberation, a detail (blind, scored, recused), the board, the producers.
        for round in [ScreenTests.pinned, ScreenTests.deliberating, StateScreenTests.final] {
            for (w, h) in [(80, 24), (200, 60)] {
                let app = console(lang: lang, curator: "K2", width: w, height: h, round: round)
                seen.formUnion(Self.symbols(on: app.screen))
                app.type(.enter); seen.formUnion(Self.symbols(on: app.screen))
                app.type(.char("4")); seen.formUnion(Self.symbols(on: app.screen))
                app.type(.escape, .char("b")); seen.formUnion(Self.symbols(on: app.screen))
                app.type(.escape, .char("v")); seen.formUnion(Self.symbols(on: app.screen))
                app.type(.tab, .tab, .tab); seen.formUnion(Self.symbols(on: app.screen))
                app.type(.escape, .char("a")); seen.formUnion(Self.symbols(on: app.screen))
            }
        }
        let k3 = madiun.curator("K3")!
        let product = madiun.products.first { $0.producer == k3.conflicts[0].producer }!
        let recused = console(lang: lang, curator: "K1", round: ScreenTests.deliberating)
        recused.type(.char("/")); recused.type(product.id); recused.type(.enter, .enter)
        seen.formUnion(Self.symbols(on: recused.screen))
        let explained = Set(View.symbols.map { Character($0.0) })
        #expect(seen.subtracting(explained).isEmpty, "unexplained: \(String(seen.subtracting(explained)))")
        #expect(seen.contains("⊘") && seen.contains("★") && seen.contains("○") && seen.contains("·"))

        // `?` shows the keys, `?` again the symbols, any other key closes.
        let app = console(lang: lang, curator: "K1", round: ScreenTests.pinned)
        app.type(.char("?"))
        #expect(app.screenText.contains(lang == .id ? "? arti simbol" : "? what the symbols mean"))
        app.type(.char("?"))
        for (symbol, meaning) in View.symbols { #expect(app.screenText.contains("  \(symbol)   " + tr(meaning, lang))) }
        try expectGolden(app.screen, "help-symbols-\(lang.rawValue)-80x24")
        app.type(.char("x"))
        #expect(!app.state.showHelp && app.state.screen == .list)
    }

    @Test func pickerMovesWithGAndShowsWholeNames() throws {
        let app = console(lang: .id, curator: nil, round: ScreenTests.deliberating)
        app.type(.char("G"))
        #expect(app.state.pickerCursor == madiun.curators.count - 1)
        app.type(.char("g"))
        #expect(app.state.pickerCursor == 0)
        let chair = madiun.curators.first { $0.role == .chair }!
        #expect(app.screenText.contains(chair.name))
        #expect(app.screenText.contains("↑↓ pindah  Enter pilih"))
        // Chosen: the title names the curator; the status line does not repeat it.
        app.type(.enter)
        #expect(app.screen.text(row: app.state.layout.status).contains(chair.name) == false)
        #expect(app.screen.text(row: 0).contains(chair.id.rawValue))
        // The round's title is not preceded by the program's name, and is whole at 80 columns
        // beside a curator's name of common length.
        app.type(.char("c"), .down, .down, .down, .enter)
        #expect(app.state.curator == "K4")
        #expect(app.screen.text(row: 0).hasPrefix(" " + madiun.round.title + " "))
    }

    @Test func theBoardShowsFinaliseOnlyWhenItCanAndKeepsAnOutsidersProducer() throws {
        let app = console(lang: .id, curator: "K1", round: ScreenTests.deliberating)
        app.type(.char("b"))
        let hint = app.screen.text(row: app.state.layout.hint)
        #expect(!hint.contains("f finalisasi") && !hint.contains("r buka kembali"))
        // The pin from outside the top five: its producer's line, then its reason.
        let outsider = ScreenTests.pinned.pins(in: .mamin).first { $0.reason != nil }!
        let producer = madiun.producer(madiun.product(outsider.product)!.producer)!
        let screen = app.screen
        let rows = (0..<screen.height).map { screen.text(row: $0) }
        let at = try #require(rows.firstIndex { $0.contains(outsider.product.rawValue) })
        #expect(rows[at + 1].contains(producer.name.prefix(20)))
        #expect(rows[at + 2].contains("↑ alasan: " + outsider.reason!))
        let final = console(lang: .id, curator: "K1", round: StateScreenTests.final)
        final.type(.char("b"))
        #expect(final.screen.text(row: final.state.layout.hint).contains("r buka kembali"))
    }

    @Test func tooSmallIsReadWhole() throws {
        for (w, h) in [(40, 10), (59, 24), (30, 8)] {
            let app = console(width: w, height: h)
            let screen = app.screen
            let text = (0..<screen.height).map { screen.text(row: $0) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            #expect(text.hasSuffix("\(Layout.minWidth)×\(Layout.minHeight)."), "\(w)×\(h): \(text)")
        }
    }

    /// The Madiun round with 1,200 more non-mamin products, each with K2's complete sheet: ranks
    /// of four digits in the non-mamin tab.
    static let thousands: Round = makeThousands()

    static func makeThousands() -> Round {
        var producer: ProducerID = madiun.producers[0].id
        for p in madiun.producers where p.validation.status == .valid {
            if let k2 = madiun.curator("K2"), k2.isRecused(from: p.id) { continue }
            producer = p.id
            break
        }
        let criteria: [CriterionID] = madiun.rubric.criteria.map { $0.id }
        var products: [Product] = []
        var sheets: [ProductID: ProductSheets] = [:]
        for i in 1...1200 {
            let id = ProductID("P-X\(i)")
            products.append(Product(id: id, producer: producer, name: "Batik \(i)", cluster: .nonMamin, category: "Batik"))
            let points: [Int8] = criteria.indices.map { Int8(1 + (i + $0) % 5) }
            sheets[id] = ProductSheets(criteria: criteria, curators: ["K2"], points: points)
        }
        return madiun.handEdited { (p: inout RoundParts) in
            p.products += products
            for (id, sheet) in sheets { p.scores[id] = sheet }
        }
    }

    @Test(arguments: [Language.id, .en], [80, 200])
    func aRankOfFourDigitsIsShownWhole(_ lang: Language, _ width: Int) throws {
        let app = console(lang: lang, curator: "K2", width: width, height: 24, round: Self.thousands)
        app.type(.tab)
        let last = try #require(app.state.rankings[.nonMamin]?.last { $0.rank != nil })
        let rank = try #require(last.rank)
        #expect(rank >= 1000)
        app.type(.char("/"))
        app.type(last.product.id)
        app.type(.enter)
        let rows = app.state.layout.rows
        let shown = (rows.y..<rows.bottom).map { app.screen.text(row: $0) }
        // "1833 P-X…", never "18… P-X…", and the column header's "#" stands over the last digit.
        #expect(shown.contains { $0.hasPrefix(" \(rank) \(last.product.id.rawValue) ") }, "\(shown)")
        #expect(app.screen.text(row: app.state.layout.columnHeader).hasPrefix("    # ID"))
    }

    @Test(arguments: [Language.id, .en])
    func aFilterThatMatchesOnlyInTheOtherClusterSaysWhere(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1")
        let other = try #require(madiun.products.first { $0.cluster == .nonMamin })
        app.type(.char("/"))
        app.type(other.id)
        app.type(.enter)
        #expect(app.state.list.cluster == .mamin && app.state.visibleRows.isEmpty)
        let line = app.screen.text(row: app.state.layout.rows.y).trimmingCharacters(in: .whitespaces)
        let expected = lang == .id
            ? "\"\(other.id.rawValue)\": tidak ada di MAMIN; 1 di NON-MAMIN (Tab). Esc menghapus saringan."
            : "\"\(other.id.rawValue)\": none in MAMIN; 1 in NON-MAMIN (Tab). Esc clears the filter."
        #expect(line == expected)
        // Tab shows it; a filter matching nowhere says so as before.
        app.type(.tab)
        #expect(app.state.visibleRows.map(\.product.id) == [other.id])
        app.type(.char("/"))
        app.type("zzzq")
        let nowhere = app.screen.text(row: app.state.layout.rows.y).trimmingCharacters(in: .whitespaces)
        #expect(nowhere.hasPrefix(lang == .id ? "Tidak ada produk yang cocok" : "No product matches"))
    }

    @Test(arguments: [Language.id, .en])
    func theIneligibilityReasonIsNotCutAt80Columns(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: ScreenTests.pinned)
        let i = try #require(app.state.visibleRows.firstIndex { !$0.eligible })
        for _ in 0..<i { app.type(.down) }
        let r = try #require(app.state.selected)
        let why = r.ineligibility.map { $0.text(lang) }.joined(separator: "; ")
        let screen = app.screen
        let strip = (app.state.layout.strip!.y...app.state.layout.strip!.y + 1).map { screen.text(row: $0) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(strip.contains(why))
        #expect(!strip.contains("…"))
    }
}

/// What a curator who may not pin sees, and the whole scale of a criterion on the detail at
/// 80×24 (the last point was cut when the sheet's dots took a row).
@Suite struct CuratorScreenTests {
    /// The hint line of the screen.
    func hint(_ app: Driver) -> String { app.screen.lines[app.state.layout.hint] }

    /// Pins are recorded by the chair or the secretary: a curator's hint line does not offer `p`
    /// (on the list or the detail), theirs does; `p` still says why it does nothing, and the help
    /// still lists it.
    @Test(arguments: [Language.id, .en])
    func theHintLineOffersPinOnlyToWhoMayPin(_ lang: Language) throws {
        for (curator, pins) in [("K1", true), ("K2", true), ("K4", false)] {
            let app = console(lang: lang, curator: CuratorID(curator), round: ScreenTests.pinned)
            #expect(hint(app).contains(" p pin") == pins, "\(curator) on the list: \(hint(app))")
            app.type(.enter)
            #expect(app.state.screen == .detail)
            #expect(hint(app).contains(" p pin") == pins, "\(curator) on the detail: \(hint(app))")
        }
        // An eligible product, not pinned: the refusal is the role's.
        let app = console(lang: lang, curator: "K4", round: ScreenTests.pinned)
        let target = try #require(ScreenTests.pinned.ranking(.mamin).first { $0.eligible && $0.pinnedSlot == nil })
        app.type(.char("/")); app.type(target.product.id); app.type(.enter)
        app.type(.char("p"))
        #expect(app.state.message?.isWarning == true && app.state.pending == nil, "\(app.screenText)")
        #expect(app.screenText.contains(lang == .en ? "chair or the secretary" : "ketua atau sekretaris"), "\(app.screenText)")
        try expectGolden(app.screen, "list-curator-pin-refused-\(lang.rawValue)-80x24")
        app.type(.escape, .char("?"))
        #expect(app.screenText.contains(lang == .en ? "pin / unpin" : "pin / lepas pin"), "\(app.screenText)")
    }

    /// A curator's complete sheet at 80×24, the last criterion selected: the aggregate, the
    /// sheets' dots and every point of the scale, the fifth included.
    @Test(arguments: [Language.id, .en])
    func theDetailShowsTheWholeScaleAt80x24(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K4", round: ScreenTests.deliberating)
        let target = ScreenTests.deliberating.ranking(.mamin).first { r in
            r.aggregate.count >= 2 && ScreenTests.deliberating.sheet(product: r.product.id, curator: "K4").isEmpty
        }!
        app.type(.char("/")); app.type(target.product.id); app.type(.enter, .enter)
        app.type(.char("4"), .char("3"), .char("5"), .char("4"), .char("4"))
        let scale = ScreenTests.deliberating.rubric.criteria.last!.anchors
        for (i, anchor) in scale.enumerated() {
            #expect(app.screenText.contains("   \(i + 1)  \(anchor.text(lang))"), "point \(i + 1):\n\(app.screenText)")
        }
        try expectGolden(app.screen, "detail-curator-\(lang.rawValue)-80x24")
    }
}
