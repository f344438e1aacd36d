import Foundation
import KurasiCore
import Testing

/// Field checks a form calls per field, and the commands that take the registry to a round the
/// committee can score: validating several producers, adding producers, products and permits,
/// settings and the rubric.
@Suite struct FieldTests {
    @Test func pirtNumbersHaveFifteenDigits() throws {
        #expect(try Fields.permitNumber("2063577010123-25", kind: .pirt) == "2063577010123-25")
        #expect(try Fields.permitNumber(" 206357701012325 ", kind: .pirt) == "206357701012325")
        #expect(throws: FieldProblem("number", .pirtNumber("20635770101"))) { try Fields.permitNumber("20635770101", kind: .pirt) }
        #expect(throws: FieldProblem("number", .pirtNumber("P-IRT 2063577010123-25"))) {
            try Fields.permitNumber("P-IRT 2063577010123-25", kind: .pirt)
        }
        #expect(throws: FieldProblem("number", .empty)) { try Fields.permitNumber("  ", kind: .pirt) }
    }

    @Test func bpomNumbersAreMDAndTwelveDigits() throws {
        #expect(try Fields.permitNumber("MD 224513001234", kind: .bpomMD) == "MD 224513001234")
        #expect(try Fields.permitNumber("md224513001234", kind: .bpomMD) == "MD 224513001234")
        #expect(try Fields.permitNumber("BPOM RI MD 224513001234", kind: .bpomMD) == "MD 224513001234")
        #expect(throws: FieldProblem("number", .bpomNumber("ML 224513001234"))) { try Fields.permitNumber("ML 224513001234", kind: .bpomMD) }
        #expect(throws: FieldProblem("number", .bpomNumber("MD 2245130012"))) { try Fields.permitNumber("MD 2245130012", kind: .bpomMD) }
        #expect(try Fields.permitNumber("IDM000123456", kind: .hki) == "IDM000123456")
    }

    @Test func datesAreRealDates() throws {
        #expect(try Fields.date("2025-03-31") == "2025-03-31")
        #expect(try Fields.date("31/03/2025") == "2025-03-31")
        #expect(try Fields.date("1-3-2025") == "2025-03-01")
        #expect(try Fields.date("2024-02-29") == "2024-02-29")
        #expect(try Fields.date("") == nil)
        for bad in ["2025-02-30", "2023-02-29", "2025-13-01", "31 Maret 2025", "2025/03/31x", "20250331"] {
            #expect(throws: FieldProblem("expires", .notDate(bad))) { try Fields.date(bad) }
        }
    }

    @Test func pricesAreRupiahAndCapacitiesPositive() throws {
        #expect(try Fields.rupiah("Rp 15.000") == 15000)
        #expect(try Fields.rupiah("15000") == 15000)
        #expect(try Fields.rupiah("Rp15.000,-") == 15000)
        #expect(try Fields.rupiah("") == nil)
        #expect(throws: FieldProblem("price", .notRupiah("lima belas ribu"))) { try Fields.rupiah("lima belas ribu") }
        #expect(throws: FieldProblem("price", .notRupiah("15.000,50"))) { try Fields.rupiah("15.000,50") }
        #expect(try Fields.positive("1.200") == 1200)
        #expect(throws: FieldProblem("capacity", .notPositive("0"))) { try Fields.positive("0") }
        #expect(throws: FieldProblem("capacity", .notPositive("-5"))) { try Fields.positive("-5") }
    }

    @Test func textHasAMaximumLength() throws {
        let long = String(repeating: "x", count: FieldLimit.name + 1)
        #expect(throws: FieldProblem("name", .tooLong(length: FieldLimit.name + 1, max: FieldLimit.name))) {
            try Fields.text(long, field: "name", max: FieldLimit.name, required: true)
        }
        #expect(throws: FieldProblem("name", .empty)) { try Fields.text(" ", field: "name", max: 10, required: true) }
        #expect(try Fields.text(" Brem ", field: "name", max: 10) == "Brem")
    }

    @Test func problemsSayWhatToWriteInBothLanguages() {
        let p = FieldProblem("price", .notRupiah("lima ribu"))
        #expect(p.text(.en) == "price: \"lima ribu\" is not a rupiah amount; write e.g. 15000 or Rp 15.000.")
        #expect(p.text(.id).hasPrefix("harga: \"lima ribu\" bukan jumlah rupiah"))
        #expect(FieldProblem("number", .pirtNumber("123")).text(.en).contains("15 digits"))
    }

    @Test func kindsAndClustersAsPeopleWriteThem() throws {
        #expect(try Fields.permitKind("pirt") == .pirt)
        #expect(try Fields.permitKind("BPOM MD") == .bpomMD)
        #expect(try Fields.permitKind("Merek") == .hki)
        #expect(throws: FieldProblem.self) { try Fields.permitKind("izin usaha") }
        #expect(try Fields.cluster("Makanan") == .mamin)
        #expect(try Fields.cluster("non-mamin") == .nonMamin)
    }
}

@Suite struct IntakeRuleTests {
    @Test func tradersAreMarked() {
        #expect(TraderRule.isTrader(sector: "Perdagangan", businessType: "Dagang", name: "Toko Kelontong Rahayu"))
        #expect(TraderRule.isTrader(sector: "Kerajinan", businessType: "Dagang", name: "Rumah Tugu Pendekar"))
        #expect(TraderRule.isTrader(sector: "Minuman", businessType: "Produksi", name: "Agen Kopi Wilis"))
        #expect(TraderRule.isTrader(sector: nil, businessType: "Reseller", name: "Jilbab Ninik"))
        #expect(!TraderRule.isTrader(sector: "Makanan", businessType: "Produksi", name: "Sambel Pecel Bu Tini"))
        #expect(!TraderRule.isTrader(sector: "Makanan", businessType: "Produksi", name: "Bluder Sagen"))  // "agen" only as a word
    }

    @Test func duplicatesBySameNIBOrSameNameAndKelurahan() {
        var r = smallRound()
        r = r.handEdited {
            $0.producers[0].nib = "9183474443278"
            $0.producers[3].nib = "9183-4744-43278"
            $0.producers[5].name = "UD  usaha 7."  // same as "Usaha 7" in Kuncen
        }
        let d = r.duplicateSuspects()
        #expect(d["U-1"] == "U-4" && d["U-4"] == "U-1")
        #expect(d["U-6"] == "U-7" && d["U-7"] == "U-6")
        #expect(d["U-2"] == nil && d["U-9"] == nil)
    }

    @Test func rejectionReasons() {
        #expect(RejectionReason.parse("Sudah  Tutup") == .closed)
        #expect(RejectionReason.parse("not found at the address") == .notFound)
        #expect(RejectionReason.parse("duplikat dari U-0102") == .duplicate(of: "U-0102"))
        #expect(RejectionReason.parse("pindah ke Ponorogo") == .other("pindah ke Ponorogo"))
        #expect(RejectionReason.duplicate(of: "U-0102").stored == "duplikat dari U-0102")
        #expect(RejectionReason.standard.map { $0.text(.id) } == ["tidak ditemukan di alamat", "sudah tutup", "bukan produsen / pedagang", "duplikat dari ", "lainnya"])
    }

    @Test func settingsWithoutMinSheetsReadAsOne() throws {
        let json = #"{"aggregation":"mean","blindScoring":true,"onePinPerProducer":true,"disagreementThreshold":25,"tieBreakCriterion":"kualitas","permitGates":{"mamin":["P-IRT"]}}"#
        let s = try JSONDecoder().decode(Settings.self, from: Data(json.utf8))
        #expect(s.minSheets == 1)
    }
}

@Suite struct IntakeCommandTests {
    let at = "2020-10-15T09:00:00Z"

    @Test func validatingSeveralIsOneEventUndoneAsOne() throws {
        var r = smallRound()
        r = r.handEdited { $0.producers[1].validation = .pending }
        let decisions = ["U-2", "U-9"].map { ValidationDecision(producer: $0, status: .rejected, reason: RejectionReason.closed.stored) }
        let e = try #require(try r.perform(.validateMany(decisions), by: "K2", at: at))
        #expect(r.producer("U-2")?.validation.status == .rejected && r.producer("U-9")?.validation.reason == "sudah tutup")
        #expect(e.summary(.id) == "validasi 2 pelaku: rejected")
        try r.perform(.undo, by: "K2", at: at)
        #expect(r.producer("U-2")?.validation.status == .pending && r.producer("U-9")?.validation.status == .pending)
        // One unknown id refuses the whole set.
        let before = r
        #expect(throws: Refusal.unknownProducer("U-99")) {
            try r.perform(.validateMany([ValidationDecision(producer: "U-9", status: .valid), ValidationDecision(producer: "U-99", status: .valid)]), by: "K2", at: at)
        }
        #expect(r == before)
    }

    @Test func curatorsHaveShortIDs() throws {
        var r = smallRound()
        #expect(throws: Refusal.invalidField(FieldProblem("id", .tooLong(length: 21, max: 20)))) {
            try r.perform(.addCurator(Curator(id: CuratorID(String(repeating: "K", count: 21)), name: "Sri")), by: "admin", at: at)
        }
    }

    @Test func addingAProducerTakesTheNextID() throws {
        var r = smallRound()
        let e = try #require(try r.perform(.addProducer(Producer(id: "", name: "Brem Baru", owner: "Sri", address: "", kelurahan: "Kejuron", kecamatan: "Taman", nib: "91-8347-4443278")), by: "K2", at: at))
        guard case let .producer(id, nil, p?) = e.change else { Issue.record("\(e.change)"); return }
        #expect(id == "U-0010" && p.validation.status == .pending && p.nib == "9183474443278")
        #expect(throws: Refusal.invalidField(FieldProblem("nib", .nibNumber("123")))) {
            try r.perform(.addProducer(Producer(id: "", name: "X", owner: "", address: "", kelurahan: "", kecamatan: "", nib: "123")), by: "K2", at: at)
        }
        #expect(throws: Refusal.invalidField(FieldProblem("name", .empty))) {
            try r.perform(.addProducer(Producer(id: "", name: " ", owner: "", address: "", kelurahan: "", kecamatan: "")), by: "K2", at: at)
        }
    }

    @Test func aProductOfAPendingProducerCanBeAddedAndSaysWhyItIsIneligible() throws {
        var r = smallRound()
        let p = Product(id: "", producer: "U-9", name: "Brem Durian", cluster: .mamin, category: "Brem", price: 15000,
                        capacity: Capacity(amount: 300, unit: "kotak"))
        let e = try #require(try r.perform(.addProduct(p), by: "K2", at: at))
        guard case let .product(id, nil, _) = e.change else { Issue.record("\(e.change)"); return }
        #expect(id == "P-0001")
        let added = try #require(r.product(id))
        #expect(r.ineligibility(added) == [.producerNotValidated(.pending), .missingPermit(anyOf: [.pirt, .bpomMD], expired: [])])

        // A permit makes it pass the gate; validation does the rest.
        try r.perform(.addPermit(product: id, Permit(kind: .pirt, number: "2063577010123-25", expires: "31/03/2025")), by: "K2", at: at)
        #expect(r.product(id)?.permits == [Permit(kind: .pirt, number: "2063577010123-25", expires: "2025-03-31")])
        try r.perform(.validate(producer: "U-9", status: .valid, reason: nil), by: "K2", at: at)
        #expect(r.isEligible(r.product(id)!))
        #expect(r.events.last(where: { $0.change.products.contains(id) })?.summary(.en) == "permit P-IRT 2063577010123-25 added to P-0001")
        #expect(r.historyWithProducts(producer: "U-9").map { $0.summary(.en) } == [
            "product P-0001 added", "permit P-IRT 2063577010123-25 added to P-0001", "validation of U-9: pending → valid"])

        #expect(throws: Refusal.permitExists(product: id, kind: .pirt, number: "2063577010123-25")) {
            try r.perform(.addPermit(product: id, Permit(kind: .pirt, number: "2063577010123-25")), by: "K2", at: at)
        }
        #expect(throws: Refusal.invalidField(FieldProblem("number", .pirtNumber("12345")))) {
            try r.perform(.addPermit(product: id, Permit(kind: .pirt, number: "12345")), by: "K2", at: at)
        }
        #expect(throws: Refusal.invalidField(FieldProblem("expires", .notDate("2025-02-30")))) {
            try r.perform(.addPermit(product: id, Permit(kind: .halal, number: "ID001", expires: "2025-02-30")), by: "K2", at: at)
        }
        #expect(throws: Refusal.invalidField(FieldProblem("capacity", .notPositive("0")))) {
            try r.perform(.addProduct(Product(id: "", producer: "U-1", name: "X", cluster: .mamin, category: "", capacity: Capacity(amount: 0, unit: "pcs"))), by: "K2", at: at)
        }
    }

    @Test func permitsAreRemovedByKindAndNumber() throws {
        var r = smallRound()
        try r.perform(.addPermit(product: "P-M1", Permit(kind: .pirt, number: "2063577010999-26")), by: "K2", at: at)
        #expect(throws: Refusal.permitAmbiguous(product: "P-M1", kind: .pirt, numbers: ["2063577010123-25", "2063577010999-26"])) {
            try r.perform(.removePermit(product: "P-M1", kind: .pirt, number: nil), by: "K2", at: at)
        }
        #expect(throws: Refusal.noSuchPermit(product: "P-M1", kind: .bpomMD, held: [])) {
            try r.perform(.removePermit(product: "P-M1", kind: .bpomMD, number: nil), by: "K2", at: at)
        }
        try r.perform(.removePermit(product: "P-M1", kind: .pirt, number: "2063577010123-25"), by: "K2", at: at)
        #expect(r.product("P-M1")?.permits.map(\.number) == ["2063577010999-26"])
        try r.perform(.undo, by: "K2", at: at)
        #expect(r.product("P-M1")?.permits.count == 2)
    }

    @Test func editingAProductChangesItsFieldsNotItsPermits() throws {
        var r = smallRound()
        var f = try #require(r.product("P-M1")).fields
        f.price = 17500; f.description = "Sambal kacang"
        try r.perform(.editProduct(id: "P-M1", f), by: "K2", at: at)
        #expect(r.product("P-M1")?.price == 17500 && r.product("P-M1")?.permits.count == 1)
        try r.pin("P-N1", reason: "x")
        var g = try #require(r.product("P-N1")).fields
        g.cluster = .mamin
        #expect(throws: Refusal.pinnedElsewhere(product: "P-N1", cluster: .nonMamin, slot: 1)) {
            try r.perform(.editProduct(id: "P-N1", g), by: "K2", at: at)
        }
    }

    @Test func settingsAreTheChairsAndEveryChangeIsAnEvent() throws {
        var r = smallRound()
        var s = r.round.settings
        s.minSheets = 3; s.aggregation = .median; s.permitGates[.mamin] = [.pirt]
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.changeSettings(s), by: "K2", at: at) }
        let e = try #require(try r.perform(.changeSettings(s), by: "K1", at: at))
        #expect(e.summary(.en) == "settings: aggregation mean → median, min-sheets 1 → 3, mamin-permits P-IRT,BPOM MD → P-IRT")
        #expect(r.round.settings.minSheets == 3)
        s.minSheets = 0
        #expect(throws: Refusal.invalidField(FieldProblem("min-sheets", .outOfRange("0", min: 1, max: 100)))) {
            try r.perform(.changeSettings(s), by: "K1", at: at)
        }
        try r.perform(.undo, by: "K1", at: at)
        #expect(r.round.settings == Settings())
    }

    @Test func weightsAreTheChairsAndFixedOnceASheetCounts() throws {
        var r = smallRound()
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.setWeight(criterion: "harga", weight: 20, cluster: nil), by: "K2", at: at) }
        try r.perform(.setWeight(criterion: "harga", weight: 20, cluster: .nonMamin), by: "K1", at: at)
        #expect(r.rubric.weight(of: r.rubric.criterion("harga")!, in: .nonMamin) == 20)
        #expect(r.rubric.weight(of: r.rubric.criterion("harga")!, in: .mamin) == 10)
        #expect(throws: Refusal.unknownCriterion("rasa", known: criteria)) { try r.perform(.setWeight(criterion: "rasa", weight: 20, cluster: nil), by: "K1", at: at) }
        try r.score("P-M1", by: "K2", ["kualitas": 4])  // an incomplete sheet does not count
        try r.perform(.setWeight(criterion: "kualitas", weight: 30, cluster: nil), by: "K1", at: at)
        try r.score("P-M1", by: "K2", full(4))
        #expect(throws: Refusal.rubricLocked(countedSheets: 1)) {
            try r.perform(.setWeight(criterion: "kualitas", weight: 25, cluster: nil), by: "K1", at: at)
        }
    }

    @Test func aProductNeedsTheMinimumNumberOfSheetsToBeRanked() throws {
        var r = smallRound()
        var s = r.round.settings
        s.minSheets = 2
        try r.perform(.changeSettings(s), by: "K1", at: at)
        try r.score("P-M1", by: "K2", full(5))
        try r.score("P-M3", by: "K2", full(3))
        try r.score("P-M3", by: "K4", full(3))
        let ranking = r.ranking(.mamin)
        #expect(ranking.first?.product.id == "P-M3" && ranking.first?.rank == 1)
        let m1 = try #require(ranking.first { $0.product.id == "P-M1" })
        #expect(m1.rank == nil && m1.unranked == .tooFewSheets(counted: 1, needed: 2))
        #expect(m1.unranked?.text(.en) == "1 of at least 2 complete score sheets")
        #expect(ranking.first { $0.product.id == "P-M2" }?.unranked == .noSheets)
        #expect(ranking.first { $0.product.id == "P-M9" }?.unranked == .ineligible)
        #expect(r.topFive(.mamin) == ["P-M3"])
        // Incremental re-ranking agrees with a full one.
        var list = ranking
        try r.score("P-M1", by: "K4", full(5))
        r.rerank(&list, changed: ["P-M1"])
        #expect(list == r.ranking(.mamin))
        #expect(list.first?.product.id == "P-M1" && list.first?.unranked == nil)
    }
}
