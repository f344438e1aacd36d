import Foundation
import KurasiCore
import Testing

/// The round's scores (`ScoreMap`, in buckets) are a value like the dictionary they replaced: an
/// edit to a round that shares its scores with another copy changes that round only, and the
/// encoding is a dictionary's, byte for byte.
@Suite struct ScoreMapTests {
    static func sheets(_ i: Int) -> ProductSheets { ["K1": ["kualitas": 1 + i % 5], "K2": ["harga": 1 + (i / 5) % 5]] }

    static func big(_ n: Int) -> (ScoreMap, [ProductID: ProductSheets]) {
        var map = ScoreMap(), dictionary: [ProductID: ProductSheets] = [:]
        for i in 0..<n { let id = ProductID("P-\(i)"); map[id] = sheets(i); dictionary[id] = sheets(i) }
        return (map, dictionary)
    }

    @Test func readsLikeTheDictionaryItReplaced() {
        let (map, dictionary) = Self.big(5_000)
        #expect(map.count == 5_000 && !map.isEmpty && ScoreMap().isEmpty && ScoreMap().first == nil)
        #expect(map.dictionary == dictionary && ScoreMap(dictionary) == map)
        // Every product once, whatever the order; keys and values in the same order as the pairs.
        #expect(Array(map.keys).count == 5_000 && Set(map.keys) == Set(dictionary.keys))
        #expect(map.keys.sorted() == dictionary.keys.sorted())
        #expect(Array(map.keys) == map.map(\.key) && Array(map.values) == map.map(\.value))
        #expect(map["P-17"] == Self.sheets(17) && map["P-5000"] == nil && map["P-5000", default: [:]].isEmpty)
        let (first, _) = map.first!
        #expect(first == map.keys.first { _ in true })
        var smaller = map
        smaller["P-17"] = nil; smaller["P-17"] = nil; smaller["nobody"] = nil
        #expect(smaller.count == 4_999 && smaller != map)
        smaller["P-17", default: [:]]["K3"] = ["pasar": 2]
        #expect(smaller.count == 5_000 && smaller["P-17"] == ["K3": ["pasar": 2]])
    }

    /// Two rounds share their scores (the store's handle and the console's state hold the same
    /// round); an edit to one leaves the other as it was.
    @Test func anEditToASharedRoundLeavesTheOtherCopyUnchanged() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", full(4))
        try r.score("P-N2", by: "K2", full(3))
        let shared = r
        try r.score("P-M1", by: "K2", full(2))
        try r.score("P-M3", by: "K4", full(5))
        #expect(shared.scores["P-M1"]?["K2"] == Sheet(full(4).compactMapValues { $0 }))
        #expect(shared.scores["P-M3"] == nil && shared.scores.count == 2)
        #expect(r.scores["P-M1"]?["K2"] == Sheet(full(2).compactMapValues { $0 }) && r.scores.count == 3)
        #expect(r.scores["P-N2"] == shared.scores["P-N2"] && r.scores != shared.scores)

        // The same at a size where every bucket holds several products, removal included.
        var (map, dictionary) = Self.big(20_000)
        let copy = map
        map["P-3"] = nil; map["P-20000"] = Self.sheets(1); map["P-4", default: [:]]["K9"] = ["harga": 5]
        #expect(copy.dictionary == dictionary && copy.count == 20_000)
        dictionary["P-3"] = nil; dictionary["P-20000"] = Self.sheets(1); dictionary["P-4", default: [:]]["K9"] = ["harga": 5]
        #expect(map.dictionary == dictionary && map.count == 20_000 && map != copy)
    }

    /// Encoded (schema 1's `scores` object) and decoded exactly as the dictionary was.
    @Test func encodesAndDecodesAsADictionary() throws {
        let (map, dictionary) = Self.big(3_000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = try encoder.encode(dictionary)
        #expect(try encoder.encode(map) == bytes)
        #expect(try JSONDecoder().decode(ScoreMap.self, from: bytes) == map)
        #expect(try encoder.encode(ScoreMap()) == encoder.encode([ProductID: ProductSheets]()))
        // A refusal is the dictionary's too.
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ScoreMap.self, from: Data(#"{"P-1": 3}"#.utf8)) }
    }
}
