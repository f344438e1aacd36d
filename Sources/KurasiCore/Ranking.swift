/// The computed ranking of a cluster.
///
/// Ranked: eligible products with at least one counted sheet, ordered by this chain, each step
/// deciding only when every step before it is equal:
///   1. score (mean or median, as the round is set), higher first;
///   2. number of counted sheets, more first;
///   3. median of the sheet scores, higher first;
///   4. mean point of the round's tie-break criterion (default `kualitas`), higher first;
///   5. product id, in ascending order: the same data always gives the same ranking.
/// After the ranked products come the eligible products nobody has scored yet, then the
/// ineligible ones, each group by id; neither has a rank.
public struct RankedProduct: Hashable, Sendable {
    public var product: Product
    /// 1-based, nil for unscored or ineligible products.
    public var rank: Int?
    public var aggregate: Aggregate
    public var ineligibility: [Ineligibility]
    public var pinnedSlot: Int?
    public var eligible: Bool { ineligibility.isEmpty }
}

extension Round {
    public func ranking(_ cluster: Cluster) -> [RankedProduct] {
        let slots = Dictionary(pins(in: cluster).map { ($0.product, $0.slot) }, uniquingKeysWith: { a, _ in a })
        let tieCriterion = round.settings.tieBreakCriterion
        var ranked: [RankedProduct] = [], unscored: [RankedProduct] = [], ineligible: [RankedProduct] = []
        for product in products where product.cluster == cluster {
            let entry = RankedProduct(product: product, rank: nil, aggregate: aggregate(product),
                                      ineligibility: ineligibility(product), pinnedSlot: slots[product.id])
            if !entry.eligible { ineligible.append(entry) }
            else if entry.aggregate.score == nil { unscored.append(entry) }
            else { ranked.append(entry) }
        }
        ranked.sort { a, b in
            let x = a.aggregate, y = b.aggregate
            if x.score! != y.score! { return x.score! > y.score! }
            if x.count != y.count { return x.count > y.count }
            if x.median! != y.median! { return x.median! > y.median! }
            let tx = x.criterionMeans[tieCriterion] ?? 0, ty = y.criterionMeans[tieCriterion] ?? 0
            if tx != ty { return tx > ty }
            return a.product.id < b.product.id
        }
        for i in ranked.indices { ranked[i].rank = i + 1 }
        let byID: (RankedProduct, RankedProduct) -> Bool = { $0.product.id < $1.product.id }
        return ranked + unscored.sorted(by: byID) + ineligible.sorted(by: byID)
    }

    /// The ids of the computed top five of a cluster.
    public func topFive(_ cluster: Cluster) -> [String] {
        ranking(cluster).prefix { $0.rank != nil }.prefix(Round.pinSlots).map(\.product.id)
    }
}
