import KurasiConsole
import KurasiCore
import Testing

/// The producers screen: the registry validated from the console.
@Suite struct ProducersTests {
    /// Madiun (its registry validated, rejected or still waiting) plus five more entries waiting: one
    /// with a twin (a duplicate suspect), one that looks like a trader, one with a remark.
    static let registry: Round = {
        var r = madiun
        let at = "2020-10-15T08:00:00Z"
        let entries = [
            Producer(id: "", name: "Sambel Pecel Bu Tini", owner: "Sutini", address: "Jl. Pahlawan 12", kelurahan: "Nambangan Lor",
                     kecamatan: "Manguharjo", phone: "0812-3456-7890", nib: "1234567890123", businessType: "Produksi"),
            Producer(id: "", name: "UD Pecel Mbok Sri", owner: "Sri Rahayu", address: "Jl. Salak 3", kelurahan: "Kejuron",
                     kecamatan: "Taman", businessType: "Produksi"),
            Producer(id: "", name: "Pecel Mbok Sri", owner: "Sri R.", address: "Jl. Salak 3A", kelurahan: "Kejuron",
                     kecamatan: "Taman", businessType: "Produksi"),
            Producer(id: "", name: "Toko Sumber Rejeki", owner: "Hendra", address: "Jl. Cokroaminoto 40", kelurahan: "Taman",
                     kecamatan: "Taman", businessType: "Dagang"),
            Producer(id: "", name: "Keripik Tempe Sagu", owner: "Wartini", address: "Jl. Kutai 7", kelurahan: "Kelun",
                     kecamatan: "Kartoharjo", businessType: "Produksi", remark: "pindah alamat 2019"),
        ]
        for p in entries { try! r.perform(.addProducer(p), by: "K1", at: at) }
        return r
    }()

    static var pending: [ProducerID] { registry.producers.filter { $0.validation.status == .pending }.map(\.id) }

    @Test func vOpensTheProducersWaitingForValidation() {
        let app = console(curator: "K1", round: Self.registry)
        app.type(.char("v"))
        #expect(app.state.screen == .producers)
        #expect(app.state.producerList.tab == .pending)
        #expect(app.state.producerList.rows.map { Self.registry.producers[$0].id } == Self.pending)
        app.type(.tab)
        #expect(app.state.producerList.tab == .valid)
        #expect(app.state.producerList.rows.count == madiun.producers.filter { $0.validation.status == .valid }.count)
        app.type(.tab, .tab, .tab, .backTab, .tab)
        #expect(app.state.producerList.tab == .pending)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func aValidatesTheSelectedProducer() {
        let app = console(curator: "K1", round: Self.registry)
        app.type(.char("v"))
        let first = Self.pending[0]
        #expect(app.type(.char("a")) == [.commit(.validate(producer: first, status: .valid, reason: nil), by: "K1")])
        #expect(app.round.producer(first)?.validation.status == .valid)
        // It leaves the pending tab; the cursor is on the next one.
        #expect(app.state.producerList.selected(in: app.state.round)?.id == Self.pending[1])
        #expect(app.state.message?.isWarning == false)
    }

    @Test func spaceMarksSeveralAndOneKeyValidatesThemAsOneEvent() {
        let app = console(curator: "K1", round: Self.registry)
        app.type(.char("v"), .char(" "), .down, .char(" "))
        #expect(app.state.producerList.marked == [Self.pending[0], Self.pending[2]])
        let effects = app.type(.char("a"))
        #expect(effects == [.commit(.validateMany([ValidationDecision(producer: Self.pending[0], status: .valid),
                                                   ValidationDecision(producer: Self.pending[2], status: .valid)]), by: "K1")])
        #expect(app.round.revision == Self.registry.revision + 1)
        #expect(app.round.producer(Self.pending[0])?.validation.status == .valid)
        #expect(app.round.producer(Self.pending[2])?.validation.status == .valid)
        #expect(app.round.producer(Self.pending[1])?.validation.status == .pending)
        #expect(app.state.producerList.marked.isEmpty)
        // One undo takes both back.
        app.type(.char("u"))
        #expect(app.round.producer(Self.pending[0])?.validation.status == .pending)
        #expect(app.round.producer(Self.pending[2])?.validation.status == .pending)
        // z on a producer already pending changes nothing.
        let before = app.round.revision
        app.type(.char("g"), .char("z"))
        #expect(app.round.revision == before)
    }

    @Test func xAsksWhyAndTheStandardReasonsAreOneDigit() {
        let app = console(curator: "K2", round: Self.registry)
        app.type(.char("v"), .down, .down, .down)  // the trader
        let trader = Self.pending[3]
        app.type(.char("x"))
        #expect(app.state.prompt?.purpose == .rejectReason(producers: [trader]))
        app.type("3")
        #expect(app.type(.enter) == [.commit(.validate(producer: trader, status: .rejected, reason: "bukan produsen / pedagang"), by: "K2")])
        #expect(app.round.producer(trader)?.validation.reason == "bukan produsen / pedagang")
        // A duplicate, typed; and an empty reason is refused with what to do.
        app.type(.up, .char("x")); app.type("duplikat dari \(Self.pending[1])"); app.type(.enter)
        #expect(app.round.producer(Self.pending[2])?.validation.reason == "duplikat dari \(Self.pending[1])")
        app.type(.char("x"), .enter)
        #expect(app.state.message?.isWarning == true)
    }

    @Test func nFindsTheNextProducerWaiting() {
        let app = console(curator: "K1", round: Self.registry)
        app.type(.char("v"), .tab, .tab, .tab)  // all
        #expect(app.state.producerList.tab == .all)
        let first = app.state.producerList.selected(in: app.state.round)!.id
        let after = Self.pending.first { $0 > first }!
        app.type(.char("n"))
        #expect(app.state.producerList.selected(in: app.state.round)?.id == after)
        // From the last one waiting, nothing is left.
        app.type(.char("G"), .char("n"))
        #expect(app.state.producerList.selected(in: app.state.round)?.id == Self.pending.last)
        #expect(app.state.message?.text.contains("menunggu") == true)
    }

    @Test func escLetsGoOfTheMarksFirst() {
        let app = console(curator: "K1", round: Self.registry)
        app.type(.char("v"), .char(" "), .escape)
        #expect(app.state.screen == .producers && app.state.producerList.marked.isEmpty)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func slashFiltersTheProducersAsYouTypeAcrossTabs() throws {
        let app = console(lang: .id, curator: "K1", round: Self.registry)
        app.type(.char("v"), .char("/"))
        for ch in "mbok sri" { app.type(.char(ch)) }
        let shown = app.state.producerList.rows.map { Self.registry.producers[$0].name }
        #expect(shown == ["UD Pecel Mbok Sri", "Pecel Mbok Sri"])
        #expect(app.screenText.contains("mbok sri"))
        // By NIB and by phone digits too, and in every tab (the tab says how many match there).
        app.type(.escape, .char("/"))
        for ch in "081234" { app.type(.char(ch)) }
        #expect(app.state.producerList.rows.map { Self.registry.producers[$0].name } == ["Sambel Pecel Bu Tini"])
        app.type(.enter)
        #expect(!app.state.producerList.editingFilter)
        app.type(.tab)
        #expect(app.state.producerList.tab == .valid && app.state.producerList.rows.isEmpty)
        #expect(app.screenText.contains("Tidak ada pelaku yang cocok dengan"))
        app.type(.backTab)
        // a validates the one found; Esc clears the filter before it leaves the screen.
        let found = try #require(app.state.producerList.selected(in: app.state.round)).id
        #expect(app.type(.char("a")) == [.commit(.validate(producer: found, status: .valid, reason: nil), by: "K1")])
        app.type(.escape)
        #expect(app.state.screen == .producers && app.state.producerList.filter.isEmpty)
        #expect(app.state.producerList.rows.count == Self.pending.count - 1)
        app.type(.escape)
        #expect(app.state.screen == .list)
    }

    @Test func enterOpensTheProducerAndItsKeysDecideAboutItAlone() throws {
        var r = Self.registry
        try r.perform(.addProduct(Product(id: "", producer: Self.pending[2], name: "Pecel Madiun Bungkus", cluster: .mamin,
                                          category: "Sambal")), by: "K1", at: "2020-10-15T09:31:00Z")
        let app = console(lang: .id, curator: "K1", round: r)
        app.type(.char("v"), .char(" "), .down, .enter)  // one marked, the third opened
        #expect(app.state.screen == .producer && app.state.producerDetail == Self.pending[2])
        try expectGolden(app.screen, "producer-id-80x24")
        #expect(app.type(.char("a")) == [.commit(.validate(producer: Self.pending[2], status: .valid, reason: nil), by: "K1")])
        #expect(app.state.producerList.marked == [Self.pending[0]])  // the mark stays for the list
        app.type(.char("+"))
        #expect(app.state.form?.purpose == .product(producer: Self.pending[2]))
        app.type(.escape, .escape)
        #expect(app.state.screen == .producers)
    }

    @Test(arguments: [Language.id, .en])
    func theScreen(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: Self.registry)
        app.type(.char("v"), .char(" "), .down)
        try expectGolden(app.screen, "producers-\(lang.rawValue)-80x24")
        app.type(.char("?"))
        try expectGolden(app.screen, "help-producers-\(lang.rawValue)-80x24")
        app.type(.escape, .down, .down, .char("x"))
        try expectGolden(app.screen, "prompt-reject-\(lang.rawValue)-80x24")
    }

    @Test func theSidePaneShowsProductsAndHistory() throws {
        var r = Self.registry
        try r.perform(.validate(producer: Self.pending[0], status: .valid, reason: nil), by: "K1", at: "2020-10-15T09:30:00Z")
        try r.perform(.addProduct(Product(id: "", producer: Self.pending[0], name: "Sambel Pecel Jeruk Purut", cluster: .mamin,
                                          category: "Sambal")), by: "K1", at: "2020-10-15T09:31:00Z")
        let app = console(lang: .en, curator: "K1", width: 132, height: 40, round: r)
        app.type(.char("v"), .tab)
        let i = try #require(app.state.producerList.rows.firstIndex { app.state.round.producers[$0].id == Self.pending[0] })
        for _ in 0..<i { app.type(.down) }
        #expect(app.state.producerList.selected(in: app.state.round)?.id == Self.pending[0])
        try expectGolden(app.screen, "producers-valid-en-132x40")
    }
}
