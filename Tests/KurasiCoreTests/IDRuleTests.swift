import KurasiCore
import Testing

/// Ids are refused where they are made if they hold control characters, spaces, or more than
/// 32 characters: they are typed, shown in columns and written into the minutes.
@Suite struct IDRuleTests {
    static let bad = ["K 1", "K\t1", "K1\n# heading", "\u{1B}]2;x\u{07}", "K\u{202E}1", String(repeating: "K", count: 33), "K\u{00A0}1"]

    @Test(arguments: bad)
    func aCuratorWithABadIDIsRefused(_ id: String) throws {
        var round = Round(round: RoundInfo(title: "Uji", date: "2020-10-15"))
        do {
            try round.perform(.addCurator(Curator(id: CuratorID(id), name: "Sri", role: .chair)), by: "", at: "t")
            Issue.record("the id \(id.debugDescription) was accepted")
        } catch {
            guard case .invalidID = error else { Issue.record("refused for another reason: \(error)"); return }
            #expect(error.text(.en).contains("at most 32 characters"))
            #expect(!error.text(.en).contains("\u{1B}") && !error.text(.en).contains("\n"))
        }
        #expect(round.curators.isEmpty)
    }

    @Test(arguments: bad)
    func producersAndProductsWithABadIDAreRefused(_ id: String) throws {
        var round = Round(round: RoundInfo(title: "Uji", date: "2020-10-15"))
        let producer = Producer(id: ProducerID(id), name: "Usaha", owner: "", address: "", kelurahan: "Taman", kecamatan: "Taman")
        #expect(throws: Refusal.self) { try round.perform(.add(producers: [producer], products: []), by: "import", at: "t") }
        let ok = Producer(id: "U-1", name: "Usaha", owner: "", address: "", kelurahan: "Taman", kecamatan: "Taman")
        let product = Product(id: ProductID(id), producer: "U-1", name: "Sambal", cluster: .mamin, category: "Sambal")
        #expect(throws: Refusal.self) { try round.perform(.add(producers: [ok], products: [product]), by: "import", at: "t") }
        #expect(round.producers.isEmpty && round.products.isEmpty)
    }

    @Test func ordinaryIDsPass() {
        for id in ["K1", "U-0001", "P-0200", "kurator_7", String(repeating: "K", count: 32), "Ketua"] {
            #expect(IDRule.problem(id) == nil, "\(id)")
        }
    }
}
