import KurasiCore
import KurasiTestSupport
import Testing

/// The compact scores (`Sheet`, `ProductSheets`) read and compare like the dictionaries they
/// replaced, whatever the layout; a rubric change lays every sheet out anew without losing a point.
@Suite struct SheetsTests {
    static let order: [CriterionID] = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"]

    @Test func aSheetReadsLikeADictionary() {
        var s: Sheet = ["kemasan": 3, "kualitas": 4]
        #expect(s["kualitas"] == 4 && s["kemasan"] == 3 && s["harga"] == nil)
        #expect(s.count == 2 && !s.isEmpty)
        #expect(Set(s.keys) == ["kualitas", "kemasan"] && s.values.sorted() == [3, 4])
        #expect(Dictionary(uniqueKeysWithValues: s.map { ($0.key, $0.value) }) == ["kualitas": 4, "kemasan": 3])
        s["kemasan"] = nil
        #expect(s == ["kualitas": 4] && s.count == 1)
        s["kualitas"] = nil
        #expect(s.isEmpty && s == Sheet())
        // Equal by content, whatever the layout.
        let laidOut = Sheet(criteria: Self.order, points: [4, 3, nil, nil, nil, nil])
        #expect(laidOut == ["kemasan": 3, "kualitas": 4])
        #expect(laidOut.hashValue == (["kemasan": 3, "kualitas": 4] as Sheet).hashValue)
        #expect(laidOut != ["kemasan": 3, "kualitas": 5])
        #expect(laidOut != ["kemasan": 3, "kualitas": 4, "harga": 1])
        // A point outside a byte's range is kept exactly (a hand-edited store; validation names it).
        var wide = laidOut
        wide["harga"] = 1_000_000
        #expect(wide["harga"] == 1_000_000 && wide.count == 3)
    }

    @Test func productSheetsReadLikeADictionaryOfSheets() {
        var p: ProductSheets = ["K2": ["kualitas": 4], "K1": ["harga": 2, "kualitas": 5]]
        #expect(p.count == 2 && p["K1"]?["harga"] == 2 && p["K3"] == nil)
        #expect(Set(p.keys) == ["K1", "K2"])
        p["K3", default: [:]]["pasar"] = 1
        #expect(p["K3"] == ["pasar": 1] && p["K2"] == ["kualitas": 4])
        p["K1"] = nil
        #expect(p.count == 2 && p["K1"] == nil && p["K3"]?["pasar"] == 1)
        // Equal by content, whatever the order the curators came in.
        #expect(p == ["K3": ["pasar": 1], "K2": ["kualitas": 4]])
        #expect(p != ["K3": ["pasar": 1], "K2": ["kualitas": 3]])
        #expect(p.allPoints(within: 1...5, known: p.criteria.count))
        #expect(!p.allPoints(within: 2...5, known: p.criteria.count))
    }

    /// A round lays every product's sheets out in the rubric's order, one array shared.
    @Test func aRoundLaysItsSheetsOutInTheRubricsOrder() {
        let r = Round(round: RoundInfo(title: "t", date: "2020-10-15"),
                      scores: ["P-1": ["K1": ["harga": 2, "kualitas": 5]], "P-2": ["K1": ["pasar": 3]]])
        #expect(r.criterionOrder == Self.order)
        for (_, sheets) in r.scores { #expect(sheets.criteria == Self.order) }
        #expect(r.sheet(product: "P-1", curator: "K1") == ["kualitas": 5, "harga": 2])
        // A criterion outside the rubric (a hand-edited store) is kept after it.
        let odd = Round(round: RoundInfo(title: "t", date: "2020-10-15"), scores: ["P-1": ["K1": ["rasa": 2, "kualitas": 5]]])
        #expect(odd.scores["P-1"]?.criteria == Self.order + ["rasa"])
        #expect(odd.sheet(product: "P-1", curator: "K1") == ["kualitas": 5, "rasa": 2])
    }

    /// A rubric change that reorders and drops criteria keeps every point under its criterion,
    /// and the ranking computed before is the ranking after (the weights follow their criteria).
    @Test func aRubricChangeLaysTheSheetsOutAnew() throws {
        var r = Round(round: RoundInfo(title: "t", date: "2020-10-15", settings: Settings(permitGates: [:])),
                      curators: [Curator(id: "K1", name: "Sri", role: .chair), Curator(id: "K2", name: "Agus")],
                      producers: [Producer(id: "U-1", name: "a", owner: "b", address: "c", kelurahan: "d", kecamatan: "e")],
                      products: (1...4).map { Product(id: "P-\($0)", producer: "U-1", name: "p\($0)", cluster: .mamin, category: "x") })
        for (i, p) in r.products.enumerated() {
            for (j, c) in ["K1", "K2"].enumerated() {
                let points = Dictionary(uniqueKeysWithValues: Self.order.enumerated().map { ($1, Optional((i * 3 + j + $0) % 5 + 1)) })
                try r.perform(.score(product: p.id, points: points), by: CuratorID(c), at: "2020-10-15T10:00:00Z")
            }
        }
        let before = r.ranking(.mamin).map { "\($0.product.id) \($0.rank ?? 0) \($0.aggregate.score ?? -1)" }
        let sheets = r.scores
        var rubric = r.rubric
        rubric.criteria.reverse()
        try r.apply(Event(revision: r.revision + 1, at: "2020-10-15T11:00:00Z", by: "K1", change: .rubric(from: r.rubric, to: rubric)))
        #expect(r.criterionOrder == Self.order.reversed())
        #expect(r.scores == sheets)
        for (_, s) in r.scores { #expect(s.criteria == Array(Self.order.reversed())) }
        #expect(r.ranking(.mamin).map { "\($0.product.id) \($0.rank ?? 0) \($0.aggregate.score ?? -1)" } == before)
        // Dropping a criterion keeps its points (after the rubric's), no longer counted.
        var fewer = rubric
        fewer.criteria.removeAll { $0.id == "harga" }
        try r.apply(Event(revision: r.revision + 1, at: "2020-10-15T11:01:00Z", by: "K1", change: .rubric(from: rubric, to: fewer)))
        #expect(r.scores == sheets)
        #expect(r.scores["P-1"]?.criteria.last == "harga")
    }
}
