import KurasiCore
import KurasiTestSupport
import Testing

/// Ids past P-9999 (an import past 9,999 products gives P-10000 …) come after P-9999 in every
/// sort and tie-break, not before it as their text does; ids of one width keep their order.
@Suite struct IDOrderTests {
    @Test func aNumberAfterTheSamePrefixIsComparedByItsValue() {
        #expect(ProductID("P-9999").precedes("P-10000"))
        #expect(!ProductID("P-10000").precedes("P-9999"))
        #expect(ProductID("P-0012").precedes("P-0044"))
        #expect(CuratorID("K2").precedes("K10"))
        #expect(ProducerID("U-99999").precedes("U-100000"))
        // Longer than any integer: still by value.
        #expect(ProductID("P-99999999999999999999999").precedes("P-100000000000000000000000"))
        // The same number written twice: by the text, and never both ways.
        #expect(ProductID("P-0012").precedes("P-012") && !ProductID("P-012").precedes("P-0012"))
        #expect(!ProductID("P-0012").precedes("P-0012"))
        // Other prefixes by their text; an id without a number before those with one.
        #expect(ProductID("P-9").precedes("Q-1"))
        #expect(CriterionID("harga").precedes("kualitas"))
        #expect(ProductID("P-").precedes("P-1"))
        #expect(ProductID("P-M9").precedes("P-M10"))
    }

    /// A total order, so that a sort by it is one order whatever the input's: antisymmetric and
    /// transitive over ids mixing prefixes, widths, letters after digits and no number at all.
    @Test func itIsATotalOrder() {
        let ids = ["P-9", "P-10", "P-1a", "P-", "P-0012", "P-012", "P-12", "P-9999", "P-10000", "Q-1", "P-M9", "P-M10",
                   "K2", "K10", "K", "U-0001", "P-1-2", "P-1-10", "", "9", "10", "P-00", "P-0"].map(ProductID.init)
        for a in ids {
            #expect(!a.precedes(a))
            for b in ids where a != b {
                #expect(a.precedes(b) != b.precedes(a), "\(a) \(b)")
                for c in ids where a.precedes(b) && b.precedes(c) { #expect(a.precedes(c), "\(a) \(b) \(c)") }
            }
        }
        let shuffled = ids.reversed() + []
        #expect(ids.sortedForPeople() == shuffled.sortedForPeople())
    }

    /// Ids of one width (the Madiun round's P-0001 … P-9999, the benchmark's P-000001 …) are in
    /// the same order as before: the text's.
    @Test func idsOfOneWidthKeepTheTextsOrder() {
        let ids = (0..<2000).map { ProductID("P-" + String(String(($0 * 7919) % 10000 + 10000).dropFirst())) }
        #expect(ids.sortedForPeople() == ids.sorted())
        let six = (0..<500).map { ProductID("P-" + String(String(($0 * 104729) % 1_000_000 + 1_000_000).dropFirst())) }
        #expect(six.sortedForPeople() == six.sorted())
    }

    /// A round whose products run past P-9999: the ranking's last tie-break (products equal in
    /// every other respect) and the unranked products follow the ids' numbers.
    @Test func theRankingsLastTieBreakAndTheUnrankedFollowTheNumbers() throws {
        let ids: [ProductID] = ["P-10001", "P-9998", "P-10000", "P-9999", "P-10002"]
        var r = smallRound().handEdited { parts in
            let template = parts.products.first { $0.id == "P-M1" }!
            for id in ids {
                var p = template
                p.id = id
                p.name = "Sambal \(id)"
                parts.products.append(p)
            }
        }
        for id in ids.prefix(2) + ["P-10000"] { try r.score(id, by: "K2", full(3)) }
        let ranking = r.ranking(.mamin)
        let tied = ranking.filter { $0.rank != nil && ids.contains($0.product.id) }.map(\.product.id)
        #expect(tied == ["P-9998", "P-10000", "P-10001"])
        let unscored = ranking.filter { $0.unranked == .noSheets && ids.contains($0.product.id) }.map(\.product.id)
        #expect(unscored == ["P-9999", "P-10002"])
        // Re-placing an edited product keeps the same order as ranking anew.
        try r.score("P-9999", by: "K2", full(3))
        var list = ranking
        r.rerank(&list, changed: ["P-9999"])
        #expect(list.map(\.product.id) == r.ranking(.mamin).map(\.product.id))
        #expect(list.filter { $0.rank != nil && ids.contains($0.product.id) }.map(\.product.id) == ["P-9998", "P-9999", "P-10000", "P-10001"])
    }
}
