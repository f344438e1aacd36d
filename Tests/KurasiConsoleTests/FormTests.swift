import KurasiConsole
import KurasiCore
import Testing

/// The forms: a new product of a producer, a permit of a product, a curator.
@Suite struct FormTests {
    static let round = ProducersTests.registry
    static let producer = ProducersTests.pending[0]

    func fill(_ app: Driver, _ values: [String]) {
        for (i, v) in values.enumerated() {
            app.type(v)
            if i < values.count - 1 { app.type(.tab) }
        }
    }

    @Test func aNewProductOfAProducer() throws {
        let app = console(curator: "K1", round: Self.round)
        let before = Self.round.products(of: Self.producer).count
        app.type(.char("v"), .char("+"))
        #expect(app.state.form?.purpose == .product(producer: Self.producer))
        app.type("Sambal Pecel Jeruk Purut"); app.type(.tab)
        app.type(.right, .left)  // the cluster: mamin stays
        app.type(.tab); fill(app, ["Sambal", "Rp 15.000", "1.200", "bungkus", "pedas, jeruk purut"])
        let effects = app.type(.enter)
        var expected = Product(id: "", producer: Self.producer, name: "Sambal Pecel Jeruk Purut", cluster: .mamin,
                               category: "Sambal", description: "pedas, jeruk purut", price: 15000)
        expected.capacity = Capacity(amount: 1200, unit: "bungkus")
        #expect(effects == [.commit(.addProduct(expected), by: "K1")])
        #expect(app.state.form == nil)
        let added = try #require(app.round.products.last)
        #expect(added.producer == Self.producer && added.price == 15000 && added.id == Self.round.nextProductID)
        #expect(app.state.producerList.productCounts[Self.producer] == before + 1)
    }

    @Test func aWrongFieldIsNamedAndTheFormStays() throws {
        let app = console(lang: .id, curator: "K1", round: Self.round)
        app.type(.char("v"), .char("+"))
        app.type("Brem"); app.type(.tab, .tab); fill(app, ["Brem", "lima ribu"])
        #expect(app.type(.ctrl("s")) == [])
        #expect(app.state.message?.isWarning == true)
        #expect(app.state.message?.text.hasPrefix("harga: \"lima ribu\" bukan jumlah rupiah") == true)
        #expect(app.state.form?.fields[app.state.form!.focus].name == "price")
        // An empty name: the domain refuses, the form stays open on the name.
        app.type(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        app.type("15000")
        app.type(.up, .up, .up, .backspace, .backspace, .backspace, .backspace)
        app.type(.ctrl("s"))
        #expect(app.state.form != nil && app.state.message?.isWarning == true)
        #expect(app.state.form?.fields[app.state.form!.focus].name == "name")
        #expect(app.round.revision == Self.round.revision)
        app.type(.escape)
        #expect(app.state.form == nil && app.state.screen == .producers)
    }

    @Test func aPermitOfAProduct() throws {
        let app = console(lang: .en, curator: "K2", round: madiun)
        app.type(.enter, .char("+"))
        let product = try #require(app.state.detailProduct)
        #expect(app.state.form?.purpose == .permit(product: product))
        app.type(.right, .right, .right)  // NIB → P-IRT → BPOM MD → halal
        app.type(.tab); app.type("ID00410000123"); app.type(.tab); app.type("2027-01-31")
        #expect(app.type(.enter) == [.commit(.addPermit(product: product, Permit(kind: .halal, number: "ID00410000123", expires: "2027-01-31")), by: "K2")])
        #expect(app.round.product(product)?.permits.contains { $0.kind == .halal } == true)
        #expect(app.state.form == nil)
        // A P-IRT number of the wrong length: refused by the domain, the number field in focus.
        app.type(.char("+"), .right); app.type(.tab); app.type("12345"); app.type(.tab, .enter)
        #expect(app.state.form != nil)
        #expect(app.state.message?.text.contains("15 digits") == true)
        #expect(app.state.form?.fields[app.state.form!.focus].name == "number")
        try expectGolden(app.screen, "form-permit-en-80x24")
    }

    @Test func editingAProductStartsFromItsFacts() throws {
        let app = console(lang: .en, curator: "K2", round: madiun)
        app.type(.enter, .char("e"))
        let product = try #require(app.state.detail?.product)
        #expect(app.state.form?.purpose == .editProduct(product: product.id))
        #expect(app.state.form?.fields.first { $0.name == "name" }?.text == product.name)
        #expect(app.state.form?.fields.first { $0.name == "price" }?.text == product.price.map(String.init) ?? "")
        app.type(.tab, .tab, .tab)  // the price
        app.type(.backspace); app.type("0")
        var fields = product.fields
        fields.price = (product.price ?? 0) / 10 * 10
        #expect(app.type(.ctrl("s")) == [.commit(.editProduct(id: product.id, fields), by: "K2")])
        #expect(app.round.product(product.id)?.price == fields.price)
        #expect(app.state.form == nil)
    }

    @Test func aCuratorFromThePicker() throws {
        let app = console(lang: .id, curator: "K1", round: madiun)
        app.type(.char("c"), .char("+"))
        #expect(app.state.form?.fields[0].text == "K6")
        app.type(.tab); app.type("Dr. Wahyu Hidayat"); app.type(.tab, .right, .right)  // curator → secretary → chair
        try expectGolden(app.screen, "form-curator-id-80x24")
        #expect(app.type(.enter) == [.commit(.addCurator(Curator(id: "K6", name: "Dr. Wahyu Hidayat", role: .chair)), by: "K1")])
        #expect(app.round.curator("K6")?.role == .chair)
        #expect(app.state.screen == .curators && app.state.form == nil)
    }

    @Test func aNewRoundSaysHowToAddItsCuratorsAndTheFirstMayBeTheChair() throws {
        let empty = Round(round: RoundInfo(title: "Kurasi Baru", date: "2020-10-15"))
        let app = console(lang: .id, curator: nil, round: empty)
        #expect(app.screenText.contains("Putaran ini belum punya kurator."))
        #expect(app.screenText.contains("Tekan + untuk menambah kurator"))
        app.type(.char("+"))
        #expect(app.state.form != nil)
        app.type(.tab); app.type("Dra. Sri Rahayu"); app.type(.tab, .right)  // curator → secretary
        #expect(app.screenText.contains("[sekretaris]"))
        app.type(.right)  // → chair
        let effects = app.type(.enter)
        guard case let .commit(.addCurator(added), _)? = effects.first else { Issue.record("no curator added: \(effects) \(String(describing: app.state.message)) \(app.screenText)"); return }
        #expect(added.role == .chair && added.name == "Dra. Sri Rahayu")
        #expect(app.round.curators.count == 1)
        #expect(app.round.events.last?.by == added.id, "the first curator adds themselves")
        // They are signed in: the next edit is theirs.
        #expect(app.state.curator == added.id)
        #expect(!app.screenText.contains("belum punya kurator"))
    }

    @Test(arguments: [Language.id, .en])
    func theProductForm(_ lang: Language) throws {
        let app = console(lang: lang, curator: "K1", round: Self.round)
        app.type(.char("v"), .char("+"))
        app.type("Sambal Pecel Jeruk Purut"); app.type(.tab, .right, .tab); app.type("Sambal"); app.type(.tab); app.type("Rp 15.000")
        try expectGolden(app.screen, "form-product-\(lang.rawValue)-80x24")
    }
}
