import Foundation
import KurasiCore
import Testing

/// The typed ids are stored exactly as the plain strings they replaced: as a JSON string, and as
/// a plain key of a JSON object, so that no store, journal or export changes by one byte.
@Suite struct IDTypeTests {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func roundTrip<ID: KurasiID>(_ type: ID.Type, _ raw: String) throws {
        let id = ID(raw)
        #expect(try json(id) == json(raw), "\(ID.self) is one JSON string")
        #expect(try JSONDecoder().decode(ID.self, from: Data(json(raw).utf8)) == id)
        #expect(id.description == raw && id.rawValue == raw && "\(id)" == raw)
        // As a dictionary key: a JSON object keyed by the id's text, in the same order.
        let keyed: [ID: Int] = [ID(raw): 1, ID(raw + "-2"): 2, ID("A" + raw): 3]
        let plain: [String: Int] = [raw: 1, raw + "-2": 2, "A" + raw: 3]
        #expect(try json(keyed) == json(plain), "\(ID.self) keys a JSON object")
        #expect(try JSONDecoder().decode([ID: Int].self, from: Data(json(plain).utf8)) == keyed)
    }

    @Test(arguments: ["P-0012", "K2", "kualitas", "U-0412", "", "Sambal \"Pecel\" é/ü"])
    func everyIDIsStoredAsItsPlainString(_ raw: String) throws {
        try Self.roundTrip(ProductID.self, raw)
        try Self.roundTrip(ProducerID.self, raw)
        try Self.roundTrip(CuratorID.self, raw)
        try Self.roundTrip(CriterionID.self, raw)
    }

    @Test func idsSortAsTheirText() {
        let ids: [ProductID] = ["P-0101", "P-0012", "P-0044", "P-10"]
        #expect(ids.sorted().map(\.rawValue) == ids.map(\.rawValue).sorted())
        #expect(ids.sorted().joined(separator: ", ") == "P-0012, P-0044, P-0101, P-10")
    }

    /// A round with scores, pins, conflicts, events and per-cluster weights writes the same bytes
    /// as before the ids were typed: the scores keyed by product, curator and criterion text.
    @Test func aRoundWritesItsIDsAsPlainText() throws {
        var r = smallRound()
        try r.perform(.setWeight(criterion: "harga", weight: 10, cluster: .mamin), by: "K1", at: "2020-10-15T09:00:00Z")
        try r.score("P-M1", by: "K2", full(4))
        try r.pin("P-M1", reason: "keputusan komite")
        let text = try Self.json(r)
        #expect(text.contains(#""scores" : {\#n    "P-M1" : {\#n      "K2" : {\#n        "harga" : 4,"#))
        #expect(text.contains(#""product" : "P-M1""#) && text.contains(#""by" : "K1""#))
        #expect(text.contains(#""mamin" : {\#n        "harga" : 10\#n      }"#))
        #expect(text.contains(#""producer" : "U-2""#))  // K3's conflict
        // Read back (as the store's loader does, key by key) and written again: the same bytes.
        let scores = try JSONDecoder().decode([ProductID: ProductSheets].self, from: Data(Self.json(r.scores).utf8))
        #expect(ScoreMap(scores) == r.scores)  // a dictionary's bytes, both ways
        #expect(try Self.json(scores) == Self.json(r.scores))
        let events = try JSONDecoder().decode([Event].self, from: Data(Self.json(r.events).utf8))
        #expect(events == r.events)
        #expect(try Self.json(events) == Self.json(r.events))
    }
}

/// A round changes only through commands and events (its collections are `internal(set)`; that
/// is checked by the compiler, not here), and every command keeps its lookups by id in step with
/// its collections: adding, replacing, editing and (by undo) removing producers and products.
@Suite struct RoundIndexTests {
    static func expectConsistent(_ r: Round, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for p in r.products { #expect(r.product(p.id) == p, "\(step): \(p.id)", sourceLocation: sourceLocation) }
        for p in r.producers { #expect(r.producer(p.id) == p, "\(step): \(p.id)", sourceLocation: sourceLocation) }
        for c in r.curators { #expect(r.curator(c.id) == c, "\(step): \(c.id)", sourceLocation: sourceLocation) }
        #expect(r.product("P-GONE") == nil && r.producer("U-GONE") == nil, "\(step)", sourceLocation: sourceLocation)
    }

    @Test func commandsKeepTheLookupsInStepWithTheCollections() throws {
        var r = smallRound()
        let at = "2020-10-15T09:00:00Z"
        Self.expectConsistent(r, "start")
        let u = Producer(id: "U-20", name: "Usaha Baru", owner: "Bu Sri", address: "Jl. Salak 1", kelurahan: "Taman", kecamatan: "Taman")
        let added = (1...3).map { Product(id: ProductID("P-X\($0)"), producer: "U-20", name: "Brem \($0)", cluster: .mamin, category: "Brem") }
        try r.perform(.add(producers: [u], products: added), by: "K1", at: at)
        Self.expectConsistent(r, "import")
        try r.perform(.addProduct(Product(id: "", producer: "U-3", name: "Sambal Baru", cluster: .mamin, category: "Sambal")), by: "K2", at: at)
        Self.expectConsistent(r, "add product")
        var fields = try #require(r.product("P-M2")).fields
        fields.name = "Sambal Pecel Jeruk Purut"
        try r.perform(.editProduct(id: "P-M2", fields), by: "K2", at: at)
        #expect(r.product("P-M2")?.name == "Sambal Pecel Jeruk Purut")
        Self.expectConsistent(r, "edit")
        var replaced = try #require(r.product("P-X2"))
        replaced.price = 12_000
        try r.perform(.putProducts([replaced, Product(id: "P-X9", producer: "U-20", name: "Brem 9", cluster: .mamin, category: "Brem")]),
                      by: "K1", at: at)
        Self.expectConsistent(r, "put")
        try r.perform(.validate(producer: "U-20", status: .valid, reason: nil), by: "K2", at: at)
        Self.expectConsistent(r, "validate")
        // Undo takes the import back: its products and producer leave, and the lookups with them.
        try r.perform(.undo, by: "K1", at: at)  // the products file
        try r.perform(.undo, by: "K2", at: at)  // the validation
        try r.perform(.undo, by: "K2", at: at)  // the edit
        try r.perform(.undo, by: "K2", at: at)  // the new product
        try r.perform(.undo, by: "K1", at: at)  // the import
        Self.expectConsistent(r, "undone")
        #expect(r.product("P-X1") == nil && r.producer("U-20") == nil && r.products.count == smallRound().products.count)
        #expect(r.products == smallRound().products && r.producers == smallRound().producers)
    }
}
