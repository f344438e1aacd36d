import KurasiConsole
import KurasiCore
import Testing

/// Key sequences in, State out.
@Suite struct ReducerTests {
    @Test func withoutACuratorThePickerComesFirst() {
        let app = console(curator: nil)
        #expect(app.state.screen == .curators)
        app.type(.down, .enter)
        #expect(app.state.curator == madiun.curators[1].id)
        #expect(app.state.screen == .list)
        // The title bar names the active curator; the status line does not repeat it.
        #expect(app.state.message == nil)
        #expect(app.screen.text(row: 0).contains("(\(madiun.curators[1].id))"))
    }

    @Test func theCuratorChosenInThePickerSeesTheListInTheirOwnBlindOrder() {
        // Chosen on the opening picker, the list is the one the curator sees with --curator: the
        // products they have not scored first (by id), then the ones they have, by rank; not the
        // order made for nobody before anyone was chosen (every product unscored, by id).
        let chosen = madiun.curators[1].id
        let picked = console(curator: nil)
        picked.type(.down, .enter)
        let direct = console(curator: chosen)
        #expect(picked.state.curator == chosen)
        #expect(picked.state.visibleRows.map(\.product.id) == direct.state.visibleRows.map(\.product.id))
        #expect(picked.state.visibleRows.contains { $0.rank != nil })
        // What the committee sees: the same rows on the screen.
        for y in picked.state.layout.rows.y..<picked.state.layout.rows.bottom {
            #expect(picked.screen.text(row: y) == direct.screen.text(row: y))
        }
        // The curator has scored some products, so their order is not plain id order.
        let ids = direct.state.visibleRows.map(\.product.id)
        #expect(ids != ids.sorted())
    }

    @Test func movingAndPaging() {
        let app = console()
        let count = app.state.visibleRows.count
        app.type(.char("j"), .down)
        #expect(app.state.selectedIndex == 2)
        app.type(.char("k"))
        #expect(app.state.selectedIndex == 1)
        app.type(.char("G"))
        #expect(app.state.selectedIndex == count - 1)
        #expect(app.state.list.top[.mamin]! == count - app.state.layout.rows.height)
        app.type(.char("g"))
        #expect(app.state.selectedIndex == 0 && app.state.list.top[.mamin] == 0)
        app.type(.pageDown)
        #expect(app.state.selectedIndex == app.state.layout.rows.height - 1)
        app.type(.up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up)
        #expect(app.state.selectedIndex == 0)
    }

    @Test func tabSwitchesClustersAndKeepsEachCursor() {
        let app = console()
        app.type(.down, .down)
        app.type(.tab)
        #expect(app.state.list.cluster == .nonMamin)
        #expect(app.state.selectedIndex == 0)
        app.type(.backTab)
        #expect(app.state.list.cluster == .mamin && app.state.selectedIndex == 2)
    }

    @Test func filterAsYouTypeOverNameProducerIDAndKelurahan() {
        let app = console()
        app.type(.char("/"))
        app.type("pecel")
        #expect(app.state.list.editingFilter)
        #expect(!app.state.visibleRows.isEmpty)
        for r in app.state.visibleRows {
            let producer = madiun.producer(r.product.producer)!
            let hay = (r.product.name + r.product.id.rawValue + producer.name + producer.kelurahan).lowercased()
            #expect(hay.contains("pecel"))
        }
        app.type(.enter)
        #expect(!app.state.list.editingFilter && app.state.list.filter == "pecel")
        // By kelurahan and by id too.
        app.type(.char("/"), .escape)
        #expect(app.state.list.filter.isEmpty)
        app.type(.char("/")); app.type("kuncen"); app.type(.enter)
        #expect(app.state.visibleRows.allSatisfy { madiun.producer($0.product.producer)!.kelurahan == "Kuncen" })
        app.type(.escape)  // Esc on the list clears a kept filter
        let cleared = app.state.list.filter.isEmpty
        #expect(cleared)
        app.type(.char("/")); app.type("P-0003"); app.type(.enter)
        let ids = app.state.visibleRows.map(\.product.id)
        #expect(ids == ["P-0003"])
    }

    @Test func sortCycles() {
        let app = console()
        app.type(.char("s"))
        #expect(app.state.list.sort == .name)
        let names = app.state.visibleRows.map { $0.product.name.lowercased() }
        #expect(names == names.sorted())
        app.type(.char("s"), .char("s"), .char("s"), .char("s"))
        #expect(app.state.list.sort == .rank)
    }

    @Test func scoringMovesToTheNextCriterionAndCommits() throws {
        let app = console()
        // Pick a product K2 has not scored and may score.
        let target = madiun.products.first { p in
            p.cluster == .mamin && madiun.sheet(product: p.id, curator: "K2").isEmpty && !madiun.curator("K2")!.isRecused(from: p.producer)
        }!
        app.type(.char("/")); app.type(target.id); app.type(.enter, .enter)
        #expect(app.state.screen == .detail && app.state.detailProduct == target.id)
        #expect(app.state.criterion == 0)
        app.type(.char("4"), .char("3"), .char("5"))
        #expect(app.state.criterion == 3)
        #expect(app.round.sheet(product: target.id, curator: "K2") == ["kualitas": 4, "kemasan": 3, "keunikan": 5])
        app.type(.up, .char("0"))
        #expect(app.round.sheet(product: target.id, curator: "K2")["keunikan"] == nil)
        app.type(.backspace)  // clearing an empty criterion changes nothing
        #expect(app.round.sheet(product: target.id, curator: "K2").count == 2)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func aRecusedCuratorIsRefusedOnScreen() throws {
        let k3 = madiun.curator("K3")!
        let product = madiun.products.first { $0.producer == k3.conflicts[0].producer }!
        let app = console(curator: "K3")
        app.type(.char("/")); app.type(product.id); app.type(.enter, .enter)
        app.type(.char("5"))
        #expect(app.round.sheet(product: product.id, curator: "K3").isEmpty)
        #expect(app.state.message?.isWarning == true)
        #expect(app.state.message?.text.contains("konflik kepentingan") == true)
    }

    @Test func blindScoringHidesOthersUntilMySheetIsComplete() throws {
        let product = madiun.products.first { p in
            p.cluster == .mamin && madiun.aggregate(p).count >= 2 && madiun.sheet(product: p.id, curator: "K2").isEmpty
                && !madiun.curator("K2")!.isRecused(from: p.producer)
        }!
        let app = console()
        app.type(.char("/")); app.type(product.id); app.type(.enter)
        let hidden = !app.state.visibility(of: product.id).score
        #expect(hidden)
        let list = app.screenText
        #expect(list.contains(" ? "))
        app.type(.enter)
        #expect(app.screenText.contains("Skor kurator lain tampil setelah lembar Anda lengkap."))
        for _ in 0..<6 { app.type(.char("4")) }
        let revealed = app.state.visibility(of: product.id).score
        #expect(revealed)
        let detail = app.screenText
        #expect(detail.contains(" · n "))
    }

    @Test func leftAndRightWalkTheList() {
        let app = console()
        app.type(.enter)
        let first = app.state.detailProduct
        app.type(.right)
        #expect(app.state.detailProduct == app.state.visibleRows[1].product.id)
        app.type(.left)
        #expect(app.state.detailProduct == first)
    }

    @Test func nextUnscoredSkipsScoredAndRecusedProducts() {
        let app = console(curator: "K3")
        app.type(.char("n"))
        let r = app.state.selected!
        #expect(!madiun.isComplete(madiun.sheet(product: r.product.id, curator: "K3")))
        #expect(!madiun.curator("K3")!.isRecused(from: r.product.producer))
    }

    @Test func pinningInsideTheTopFiveIsOneKeyAndOutsideAsksForAReason() {
        // In deliberation, where the list is in score order for everyone.
        let app = console(curator: "K1", round: CommitteeTests.deliberating())
        app.type(.char("p"))  // rank 1
        let first = app.state.visibleRows[0].product.id
        #expect(app.round.pin(of: first)?.1.slot == 1)
        #expect(app.state.message?.text.contains("★1") == true)
        // Rank 20 is outside the top five: a prompt asks why.
        app.type(.char("g"))
        for _ in 0..<19 { app.type(.down) }
        let outsider = app.state.selected!.product.id
        app.type(.char("p"))
        #expect(app.state.prompt?.purpose == .pinReason(product: outsider))
        app.type("ikon kota")
        app.type(.enter)
        #expect(app.round.pin(of: outsider)?.1.reason == "ikon kota")
        // p again unpins.
        app.type(.char("p"))
        #expect(app.round.pin(of: outsider) == nil)
        // Esc cancels a prompt without pinning.
        app.type(.char("p"), .escape)
        #expect(app.round.pin(of: outsider) == nil && app.state.prompt == nil)
    }

    @Test(arguments: [Language.id, .en])
    func aCuratorWhoMayNotPinIsToldSoAndNotAskedForAReason(_ lang: Language) {
        // K3 is a curator (not the chair nor the secretary); rank 20 is outside the top five.
        let app = console(lang: lang, curator: "K3", round: CommitteeTests.deliberating())
        for _ in 0..<19 { app.type(.down) }
        let outsider = app.state.selected!.product.id
        app.type(.char("p"))
        #expect(app.state.prompt == nil)
        #expect(app.round.pin(of: outsider) == nil)
        let refusal = Refusal.pinsByChairOrSecretary(curator: "K3").text(lang, naming: { tr($0.onConsole, lang) })
        #expect(app.state.message?.text == refusal)
        // On the status lines at the bottom (a long refusal takes two).
        let bottom = (app.state.layout.height - 2..<app.state.layout.height).map { app.screen.text(row: $0) }.joined()
        #expect(bottom.contains(String(refusal.prefix(40))), "\(bottom)")
    }

    @Test func boardFinaliseNeedsFiveAndFive() {
        let app = console(curator: "K1")
        app.type(.char("b"))
        #expect(app.state.screen == .board)
        app.type(.char("f"))
        #expect(app.state.message?.isWarning == true)
        #expect(app.state.message?.text.contains("5 pin") == true)
        #expect(!app.round.isFinal)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func undoRevertsMyLastChange() {
        let app = console()
        app.type(.enter, .char("2"))
        let product = app.state.detailProduct!
        let before = madiun.sheet(product: product, curator: "K2")
        #expect(app.round.sheet(product: product, curator: "K2") != before)
        app.type(.char("u"))
        #expect(app.round.sheet(product: product, curator: "K2") == before)
    }

    @Test func helpOverlayOpensAndAnyKeyClosesIt() {
        let app = console()
        app.type(.char("?"))
        #expect(app.state.showHelp)
        #expect(app.screenText.contains("saring sambil mengetik"))
        app.type(.char("x"))
        #expect(!app.state.showHelp)
    }

    @Test func aTickAsksForARefreshAndAnotherTerminalsEditShows() throws {
        let app = console()
        var other = app.round
        try other.perform(.score(product: "P-0003", points: ["kualitas": 2]), by: "K4", at: "t")
        app.round = other  // another terminal's edit, in the store
        #expect(app.send(.tick) == [.refresh])
        #expect(app.state.round.revision == madiun.revision + 1)
        #expect(app.state.round.sheet(product: "P-0003", curator: "K4")["kualitas"] == 2)
        #expect(app.state.message?.text.contains("terminal lain") == true)
        #expect(app.state.rankings[.mamin]! == other.ranking(.mamin))
    }

    @Test func oneRefreshAtATime() {
        var state = State(round: madiun, lang: .en, curator: "K2")
        #expect(update(&state, .tick) == [.refresh])
        #expect(update(&state, .tick) == [])  // the first has not been answered
        #expect(update(&state, .refreshed(nil)) == [])
        #expect(update(&state, .tick) == [.refresh])
    }

    @Test func quitKeys() {
        let app = console()
        app.type(.char("q"))
        #expect(app.finished)
        let app2 = console()
        app2.type(.ctrl("c"))
        #expect(app2.finished)
    }

    @Test func tooSmallAndRecovery() {
        let app = console()
        app.send(.resize(width: 40, height: 10))
        #expect(app.screenText.contains("Terminal terlalu kecil (40×10)"))
        app.send(.resize(width: 80, height: 24))
        #expect(app.screenText.contains("MAMIN"))
    }
}

@Suite struct IncrementalStateTests {
    /// Scoring and pinning through the console keeps rankings equal to a full recompute.
    @Test func rankingsStayExactAfterEdits() throws {
        let app = console(curator: "K1")
        app.type(.enter)
        for key in "4354432" { app.type(.char(key)) }
        app.type(.right); for key in "5555" { app.type(.char(key)) }
        app.type(.escape, .char("g"), .char("p"), .down, .char("p"), .tab, .char("p"))
        for cluster in Cluster.allCases {
            #expect(app.state.rankings[cluster]! == app.round.ranking(cluster))
        }
        app.type(.char("u"))
        for cluster in Cluster.allCases {
            #expect(app.state.rankings[cluster]! == app.round.ranking(cluster))
        }
    }

    /// Validating on the producers screen re-places only that producer's products, and the result
    /// equals a full recompute: its products become eligible (or not) in place.
    @Test func rankingsStayExactAfterValidations() throws {
        var r = madiun
        // A valid producer with products, back to pending, so that validating it matters.
        let producer = try #require(r.producers.first { p in
            p.validation.status == .valid && r.products.contains { $0.producer == p.id } && !r.products.contains { $0.producer == p.id && r.pin(of: $0.id) != nil }
        }).id
        try r.perform(.validate(producer: producer, status: .pending, reason: nil), by: "K1", at: "2020-10-15T09:00:00Z")
        let app = console(curator: "K1", round: r)
        app.type(.char("v"))
        while app.state.producerList.selected(in: app.state.round)?.id != producer { app.type(.down) }
        app.type(.char("a"))
        #expect(app.round.producer(producer)?.validation.status == .valid)
        for cluster in Cluster.allCases { #expect(app.state.rankings[cluster]! == app.round.ranking(cluster)) }
        #expect(!app.state.producerList.rows.contains { app.round.producers[$0].id == producer }, "it left the pending tab")
        app.type(.char("u"))
        for cluster in Cluster.allCases { #expect(app.state.rankings[cluster]! == app.round.ranking(cluster)) }
        #expect(app.state.producerList.rows.contains { app.round.producers[$0].id == producer }, "undo brings it back")
    }
}

@Suite struct RescoringTests {
    /// Typing a whole sheet over an existing one walks every criterion, also where a point is unchanged.
    @Test func sameValueStillMovesToTheNextCriterion() {
        let app = console(curator: "K2")
        app.type(.enter)
        let product = app.state.detailProduct!
        for key in "434343" { app.type(.char(key)) }
        app.type(.up, .up, .up, .up, .up, .up)
        #expect(app.state.criterion == 0)
        for key in "435343" { app.type(.char(key)) }
        #expect(app.state.criterion == 5)
        #expect(app.round.sheet(product: product, curator: "K2")["keunikan"] == 5)
    }
}

@Suite struct FilterTests {
    /// Narrowing as letters are typed, widening on Backspace: always what a fresh filter gives.
    @Test func typingAndErasingMatchAFreshFilter() {
        let app = console()
        app.type(.char("/"))
        for text in ["b", "br", "bre", "brem", "bre", "b", "", "k", "ku", "kun"] {
            while !app.state.list.filter.isEmpty && !text.hasPrefix(app.state.list.filter) { app.type(.backspace) }
            app.type(String(text.dropFirst(app.state.list.filter.count)))
            let fresh = console()
            fresh.type(.char("/")); fresh.type(text)
            for cluster in Cluster.allCases {
                let got = app.state.rows[cluster]!.map(\.product.id), want = fresh.state.rows[cluster]!.map(\.product.id)
                #expect(got == want, "filter \"\(text)\" in \(cluster)")
            }
        }
    }

    @Test func filterIsCaseInsensitiveAndFindsNonASCII() throws {
        var round = madiun
        let id = round.products[0].id
        var fields = round.products[0].fields
        fields.name = "Keripik Café Ñam"
        try round.perform(.editProduct(id: id, fields), by: "K1", at: "2020-10-15T09:00:00Z")
        let app = console(round: round)
        app.type(.char("/")); app.type("CAFÉ ñ")
        let ids = (Array(app.state.rows[.mamin]!) + Array(app.state.rows[.nonMamin]!)).map(\.product.id)
        #expect(ids == [id])
    }
}

@Suite struct ProvinceSizeColumnsTests {
    @Test func longIdsAreNeverCut() throws {
        var round = madiun
        let id: ProductID = "P-123456"
        var p = round.products.first { $0.cluster == .mamin }!
        p.id = id
        try round.perform(.addProduct(p), by: "K1", at: "2020-10-15T09:00:00Z")
        let app = console(round: round)
        app.type(.char("/")); app.type("123456")
        #expect(app.screenText.contains(" \(id) "))
    }
}

@Suite struct FinalRoundOnScreenTests {
    /// A refusal in the console names the key that helps there, not only the command.
    @Test func aFinalRoundSaysHowToReopenOnTheBoard() throws {
        // A round finalised elsewhere, as a store holds it.
        let round = madiun.handEdited { $0.round.status = RoundStatus(state: .final, by: "K1", at: "2020-10-15T15:00:00Z") }
        let app = console(curator: "K2", round: round)
        app.type(.enter, .char("4"))
        #expect(app.round.revision == round.revision)
        #expect(app.state.message?.isWarning == true)
        #expect(app.state.message?.text.contains("Di papan: r.") == true)
        #expect(app.state.message?.text.contains("--") == false)
    }
}

/// What `update` asks the world for, and what it does with the answers.
@Suite struct EffectTests {
    /// A product K2 may score and has not.
    static let open = madiun.products.first { p in
        p.cluster == .mamin && madiun.sheet(product: p.id, curator: "K2").isEmpty && !madiun.curator("K2")!.isRecused(from: p.producer)
    }!

    func detail(_ app: Driver) {
        app.type(.char("/")); app.type(Self.open.id); app.type(.enter, .enter)
    }

    @Test func aScoreIsACommitAndTheCursorMovesWhenItStands() {
        let app = console()
        app.answering = false
        detail(app)
        #expect(app.type(.char("4")) == [.commit(.score(product: Self.open.id, points: ["kualitas": 4]), by: "K2")])
        #expect(app.state.pending != nil && app.state.criterion == 0)
        #expect(app.screen.text(row: 23).hasPrefix(" menyimpan… · rev \(madiun.revision)"))
        app.answerAll()
        #expect(app.state.pending == nil && app.state.criterion == 1)
        #expect(app.screen.text(row: 23).hasPrefix(" Tersimpan · rev \(madiun.revision + 1)"))
    }

    @Test func keysTypedWhileSavingWaitAndFollowInOrder() {
        let app = console()
        app.answering = false
        detail(app)
        app.type(.char("4"))
        #expect(app.type(.char("3"), .up, .char("5")) == [])  // all wait for the first save
        #expect(app.state.queued == [.char("3"), .up, .char("5")])
        // The first answer lets "3" through, which commits and holds the rest again.
        let (first, by) = app.unanswered.removeFirst()
        app.answer(first, by: by)
        #expect(app.state.queued == [.up, .char("5")])
        #expect(app.effects.last == .commit(.score(product: Self.open.id, points: ["kemasan": 3]), by: "K2"))
        app.answerAll()
        // ↑ went back to kemasan, 5 replaced its 3 and moved on.
        #expect(app.round.sheet(product: Self.open.id, curator: "K2")["kemasan"] == 5)
        #expect(app.state.criterion == 2)
        let commits = app.effects.filter { if case .commit = $0 { true } else { false } }
        #expect(commits.count == 3)
    }

    @Test func aRefusalLeavesTheCursorAndSaysWhy() {
        let k3 = madiun.curator("K3")!
        let product = madiun.products.first { $0.producer == k3.conflicts[0].producer }!
        let app = console(curator: "K3")
        app.type(.char("/")); app.type(product.id); app.type(.enter, .enter)
        #expect(app.type(.char("5")) == [.commit(.score(product: product.id, points: ["kualitas": 5]), by: "K3")])
        #expect(app.state.criterion == 0 && app.state.message?.isWarning == true)
        #expect(!app.state.saveFailed)
    }

    @Test func aFailedSaveIsNotSaved() {
        let app = console(lang: .en)
        app.answering = false
        app.type(.enter, .char("4"))
        app.send(.committed(.failed("disk full")))
        #expect(app.state.saveFailed && app.state.pending == nil && app.state.criterion == 0)
        #expect(app.screen.text(row: 23).hasPrefix(" NOT SAVED · rev \(madiun.revision) · open · Not saved: disk full"))
        // The next save that works says so again.
        app.answering = true
        app.type(.char("4"))
        #expect(!app.state.saveFailed)
    }

    @Test func onlyTheEditKeysCommit() {
        let app = console()
        #expect(app.type(.down, .down, .up, .tab, .backTab, .char("s"), .char("/")) == [])
        #expect(app.type(.escape, .char("?"), .char("x"), .char("b"), .escape) == [])
        #expect(app.type(.char("u")) == [.commit(.undo, by: "K2")])
        #expect(app.type(.ctrl("l")) == [.redraw])
        #expect(app.type(.char("q")) == [.quit])
    }

    @Test func withoutACuratorNothingIsCommitted() {
        let app = console(curator: nil)
        app.type(.escape)  // the picker cannot be left without choosing
        #expect(app.state.screen == .curators)
        var state = State(round: madiun, lang: .en, curator: nil)
        state.screen = .list
        #expect(update(&state, .key(.char("p"))) == [])
        #expect(state.message?.text.contains("press c") == true)
    }

    @Test func theSizeComesOnlyFromAResize() {
        let app = console(width: 80, height: 24)
        #expect(app.state.layout == Layout(width: 80, height: 24))
        #expect(app.state.layout.rows == Rect(x: 0, y: 3, width: 80, height: 16))
        app.send(.resize(width: 132, height: 40))
        // The side pane takes a third (at least 44 columns); the list, and its columns, the rest.
        #expect(app.state.layout.side == Rect(x: 87, y: 1, width: 44, height: 37))
        #expect(app.state.layout.listWidth == 85)
        #expect(app.state.layout.rows.height == 35 && app.state.layout.page == 34)
        #expect(app.screen.width == 132 && app.screen.height == 40)
        app.type(.pageDown)
        #expect(app.state.selectedIndex == 34)
    }
}
