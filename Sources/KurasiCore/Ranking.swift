/// The computed ranking of a cluster.
///
/// Ranked: eligible products with at least one counted sheet, ordered by this chain, each step
/// deciding only when every step before it is equal:
///   1. score (mean or median, as the round is set), higher first;
///   2. number of counted sheets, more first;
///   3. median of the sheet scores, higher first;
///   4. mean point of the round's tie-break criterion (default `kualitas`), higher first;
///   5. product id, in ascending order: the same data always gives the same ranking.
/// Only a product with at least the round's `minSheets` counted sheets is ranked. After the
/// ranked products come the eligible products with too few counted sheets (none, or fewer than
/// the minimum), then the ineligible ones, each group by id; neither has a rank, and each says
/// why (`unranked`).
public struct RankedProduct: Hashable, Sendable {
    /// The round's products (the round's own array, shared: no copy of the product per entry)
    /// and this product's position in them.
    @usableFromInline let products: [Product]
    @usableFromInline let ordinal: Int
    /// The product, read in place from the round's products.
    @inlinable public var product: Product { products[ordinal] }
    /// The product's position in `products` when this entry holds that very array (a ranking
    /// made from the round those are the products of); nil otherwise.
    @inlinable public func position(in products: [Product]) -> Int? {
        let mine = self.products.withUnsafeBufferPointer { $0.baseAddress }
        return mine != nil && mine == products.withUnsafeBufferPointer({ $0.baseAddress }) ? ordinal : nil
    }
    /// 1-based, nil for unscored or ineligible products.
    public var rank: Int?
    public var aggregate: Aggregate
    public var ineligibility: [Ineligibility]
    public var pinnedSlot: Int?
    /// Why the product has no rank; nil when it is ranked.
    public var unranked: Unranked?
    public var eligible: Bool { ineligibility.isEmpty }

    public init(product: Product, rank: Int?, aggregate: Aggregate, ineligibility: [Ineligibility], pinnedSlot: Int?, unranked: Unranked? = nil) {
        self.init(products: [product], ordinal: 0, rank: rank, aggregate: aggregate, ineligibility: ineligibility, pinnedSlot: pinnedSlot, unranked: unranked)
    }

    init(products: [Product], ordinal: Int, rank: Int?, aggregate: Aggregate, ineligibility: [Ineligibility], pinnedSlot: Int?, unranked: Unranked? = nil) {
        self.products = products; self.ordinal = ordinal; self.rank = rank; self.aggregate = aggregate
        self.ineligibility = ineligibility; self.pinnedSlot = pinnedSlot; self.unranked = unranked
    }

    /// Equal by content: the product itself, not where it is held.
    public static func == (a: RankedProduct, b: RankedProduct) -> Bool {
        a.rank == b.rank && a.pinnedSlot == b.pinnedSlot && a.unranked == b.unranked && a.ineligibility == b.ineligibility
            && a.aggregate == b.aggregate && a.product == b.product
    }
    public func hash(into h: inout Hasher) {
        h.combine(product); h.combine(rank); h.combine(aggregate); h.combine(ineligibility); h.combine(pinnedSlot); h.combine(unranked)
    }
}

/// One changed product's move in a re-rank (`Round.rerank`): taken out of the list at `from`
/// (nil: not taken out here) and put back at `to` (nil: not put back here).
public struct RankMove: Hashable, Sendable {
    public var product: ProductID
    public var from: Int?
    public var to: Int?
    public init(product: ProductID, from: Int?, to: Int?) { self.product = product; self.from = from; self.to = to }
}

/// Why a product has no rank.
public enum Unranked: Hashable, Sendable {
    /// Not eligible (the reasons are in `RankedProduct.ineligibility`).
    case ineligible
    /// Eligible, but no sheet counts yet.
    case noSheets
    /// Eligible, but fewer counted sheets than the round's minimum.
    case tooFewSheets(counted: Int, needed: Int)

    public func text(_ lang: Language) -> String {
        switch self {
        case .ineligible: return tr(.rnkIneligible, lang)
        case .noSheets: return tr(.rnkNoSheets, lang)
        case let .tooFewSheets(n, need):
            return tr(.rnkTooFewSheets, lang, n, need)
        }
    }
}

extension Round {
    public func ranking(_ cluster: Cluster) -> [RankedProduct] {
        // On the normalised basis every sheet of a curator moves with each of their edits.
        ranking(cluster, normalisation: scoreBasis == .normalised ? normalisation() : nil)
    }

    /// The ranking with each sheet score adjusted by `norm` (nil: raw scores).
    func ranking(_ cluster: Cluster, normalisation norm: Normalisation?) -> [RankedProduct] {
        var ranked: [RankedProduct] = [], unscored: [RankedProduct] = [], ineligible: [RankedProduct] = []
        // The chain's keys of each ranked entry (`ChainKey`, its index among `ranked`), read once
        // instead of from the entries' aggregates in every comparison.
        var keys: [ChainKey] = []
        let slots = pinSlots(cluster)
        let weights = criterionWeights(cluster)
        let k = round.settings.tieBreakCriterion
        // The cluster's permit gate once, and the last product's producer's status (a producer's
        // products mostly come together): not a look-up per product.
        let gate = round.settings.permitGates[cluster] ?? []
        var producerSeen: ProducerStatus?
        var size = 0
        for i in products.indices where products[i].cluster == cluster { size += 1 }
        ranked.reserveCapacity(size); keys.reserveCapacity(size)
        // By index, reading the product's fields in place: no copy of a product per entry.
        for i in products.indices where products[i].cluster == cluster {
            let entry = entry(at: i, slots: slots, normalisation: norm, weights: weights, gate: gate, producer: &producerSeen)
            switch group(of: entry) {
            case 0:
                let a = entry.aggregate
                keys.append(ChainKey(score: a.score!, count: a.count, median: a.median!, tie: a.criterionMeans[k] ?? 0, index: ranked.count))
                ranked.append(entry)
            case 1: unscored.append(entry)
            default: ineligible.append(entry)
            }
        }
        // The chain (`precedes`) on the keys; the product ids only when all else is equal.
        keys.sort { x, y in
            if x.score != y.score { return x.score > y.score }
            if x.count != y.count { return x.count > y.count }
            if x.median != y.median { return x.median > y.median }
            if x.tie != y.tie { return x.tie > y.tie }
            return ranked[x.index].product.id.precedes(ranked[y.index].product.id)
        }
        // The entries put in the chain's order where they are, by swaps along the permutation's
        // cycles: an entry is moved, never copied and released (about 15,000 entries at 30,000
        // products, each holding several arrays: a copy touched every one's reference count).
        Self.permute(&ranked, by: keys)
        for i in ranked.indices { ranked[i].rank = i + 1 }
        let byID: (RankedProduct, RankedProduct) -> Bool = { $0.product.id.precedes($1.product.id) }
        for i in unscored.indices { unscored[i].unranked = unrankedReason(unscored[i]) }
        for i in ineligible.indices { ineligible[i].unranked = .ineligible }
        unscored.sort(by: byID)
        ineligible.sort(by: byID)
        ranked.reserveCapacity(ranked.count + unscored.count + ineligible.count)
        ranked.append(contentsOf: unscored)
        ranked.append(contentsOf: ineligible)
        return ranked
    }

    /// Reorder `entries` in place so that position i holds the entry at `keys[i].index` before:
    /// each cycle of the permutation followed once, by swaps.
    static func permute(_ entries: inout [RankedProduct], by keys: [ChainKey]) {
        let n = entries.count
        precondition(keys.count == n, "a key per entry")
        var placed = [Bool](repeating: false, count: n)
        entries.withUnsafeMutableBufferPointer { e in
            for start in 0..<n where !placed[start] {
                var i = start
                while true {
                    placed[i] = true
                    let from = keys[i].index
                    if from == start { break }
                    e.swapAt(i, from)
                    i = from
                }
            }
        }
    }

    /// Bring a cluster's ranking up to date after changes to some of its products (their scores
    /// or pins), without recomputing the others: each changed product is taken out and put back
    /// where the chain puts it, and the ranks between the two places renumbered. Same result as
    /// `ranking`.
    ///
    /// `hint`, when given, says where a changed product is in `list` (the console keeps each
    /// entry's position beside its ranking); it is checked, and the list searched when it is
    /// wrong. Returns each changed product's move in the order they were made (a product taken
    /// out at `from` of the list as it then was, put back at `to` of the list as it then is; the
    /// same moves made on an array beside the list keep it beside the list), or nil when the
    /// list was made whole again (scores on the normalised basis move with every edit).
    @discardableResult
    public func rerank(_ list: inout [RankedProduct], changed: Set<ProductID>, hint: ((ProductID) -> Int?)? = nil) -> [RankMove]? {
        guard !changed.isEmpty else { return [] }
        let cluster = list.first?.product.cluster
        if scoreBasis == .normalised, let c = cluster ?? changed.lazy.compactMap({ self.product($0)?.cluster }).first {
            list = ranking(c); return nil
        }
        let slots = cluster.map(pinSlots) ?? [:]
        var moves: [RankMove] = []
        moves.reserveCapacity(changed.count)
        // The places touched (taken from or put at): outside them every entry keeps its place,
        // its rank (a ranked entry's rank is its place + 1: the ranked come first) and its reason.
        var firstTouched = list.count, lastTouched = -1
        // Where the product belongs in `list` without the entry at `skip` (binary search).
        func place(_ entry: RankedProduct, skipping skip: Int?) -> Int {
            let g = group(of: entry)
            var lo = 0, hi = list.count - (skip == nil ? 0 : 1)
            while lo < hi {
                let mid = (lo + hi) / 2
                let other = list[skip.map { mid >= $0 ? mid + 1 : mid } ?? mid], og = group(of: other)
                let after = og > g || (og == g && (g == 0 ? precedes(entry, other) : entry.product.id.precedes(other.product.id)))
                if after { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        func find(_ id: ProductID) -> Int? {
            if let h = hint?(id), list.indices.contains(h), list[h].product.id == id { return h }
            return list.firstIndex { $0.product.id == id }
        }
        // The entry the product has now, nil when it is no longer in this cluster.
        func entry(_ id: ProductID) -> RankedProduct? {
            guard let at = productPosition(id), cluster == nil || products[at].cluster == cluster else { return nil }
            return self.entry(at: at, slots: slots)
        }
        if changed.count == 1, let id = changed.first {
            // One product (an edit): moved from its place to its new one, the entries between shift.
            let from = find(id)
            if let entry = entry(id) {
                let to = place(entry, skipping: from)
                if let from { Self.move(&list, from: from, to: to, entry) } else { list.insert(entry, at: to) }
                firstTouched = min(from ?? to, to); lastTouched = from == nil ? list.count - 1 : max(from!, to)
                moves.append(RankMove(product: id, from: from, to: to))
            } else if let from {
                list.remove(at: from)
                firstTouched = from; lastTouched = list.count - 1
                moves.append(RankMove(product: id, from: from, to: nil))
            }
        } else {
            // Several (a batch, a pin that moves another): all taken out first, so that each is put
            // back into a list in the chain's order; in id order, the same moves in every run.
            let ids = changed.sorted()
            var found: [(at: Int, id: ProductID)] = ids.compactMap { id in find(id).map { ($0, id) } }
            found.sort { $0.at > $1.at }
            for f in found {
                list.remove(at: f.at)
                moves.append(RankMove(product: f.id, from: f.at, to: nil))
                firstTouched = min(firstTouched, f.at)
            }
            for id in ids {
                guard let entry = entry(id) else { continue }
                let to = place(entry, skipping: nil)
                list.insert(entry, at: to)
                moves.append(RankMove(product: id, from: nil, to: to))
                firstTouched = min(firstTouched, to)
            }
            lastTouched = list.count - 1
        }
        guard firstTouched <= lastTouched else { return moves }
        for i in firstTouched...min(lastTouched, list.count - 1) {
            guard group(of: list[i]) == 0 else { list[i].rank = nil; list[i].unranked = unrankedReason(list[i]); continue }
            list[i].rank = i + 1
            list[i].unranked = nil
        }
        return moves
    }

    /// Take the entry at `from` out and put `entry` at `to` (of the list without it), moving only
    /// the entries between the two places.
    private static func move(_ list: inout [RankedProduct], from: Int, to: Int, _ entry: RankedProduct) {
        list.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            _ = (p + from).move()
            if to < from { (p + to + 1).moveInitialize(from: p + to, count: from - to) }
            else if to > from { (p + from).moveInitialize(from: p + from + 1, count: to - from) }
            (p + to).initialize(to: entry)
        }
    }

    private func pinSlots(_ cluster: Cluster) -> [ProductID: Int] {
        Dictionary(pins(in: cluster).map { ($0.product, $0.slot) }, uniquingKeysWith: { a, _ in a })
    }

    /// The entry of the product at position `i` of the round's products (holding the round's
    /// array, not a copy of the product).
    private func entry(at i: Int, slots: [ProductID: Int], normalisation: Normalisation? = nil, weights: [Double]? = nil) -> RankedProduct {
        RankedProduct(products: products, ordinal: i, rank: nil, aggregate: aggregate(products[i], normalisation: normalisation, weights: weights),
                      ineligibility: ineligibility(products[i]), pinnedSlot: slots.isEmpty ? nil : slots[products[i].id])
    }

    /// The same, for a whole ranking: the cluster's weights and permit gate given, the product's
    /// fields read in place, its sheets found once, and the producer's status remembered from the
    /// product before when it is the same producer.
    private func entry(at i: Int, slots: [ProductID: Int], normalisation: Normalisation?, weights: [Double],
                       gate: [PermitKind], producer seen: inout ProducerStatus?) -> RankedProduct {
        let id = products[i].id, producer = products[i].producer
        let sheets = scores[id] ?? ProductSheets()
        let aggregate = aggregate(products[i], sheets: sheets, normalisation: normalisation, weights: weights)
        if seen?.producer != producer { seen = ProducerStatus(producer: producer, status: producerPosition(producer).map { producers[$0].validation.status }) }
        let reasons = ineligibility(producer: producer, status: seen!.status, permits: products[i].permits, gate: gate)
        return RankedProduct(products: products, ordinal: i, rank: nil, aggregate: aggregate,
                             ineligibility: reasons, pinnedSlot: slots.isEmpty ? nil : slots[id])
    }

    /// 0 ranked, 1 eligible but with too few counted sheets, 2 ineligible.
    private func group(of entry: RankedProduct) -> Int {
        !entry.eligible ? 2 : (entry.aggregate.score == nil || entry.aggregate.count < round.settings.minSheets) ? 1 : 0
    }

    private func unrankedReason(_ entry: RankedProduct) -> Unranked? {
        switch group(of: entry) {
        case 2: return .ineligible
        case 1: return entry.aggregate.count == 0 ? .noSheets : .tooFewSheets(counted: entry.aggregate.count, needed: round.settings.minSheets)
        default: return nil
        }
    }

    /// The tie-break chain (see the type's documentation) for two ranked products.
    func precedes(_ a: RankedProduct, _ b: RankedProduct) -> Bool {
        let x = a.aggregate, y = b.aggregate
        if x.score! != y.score! { return x.score! > y.score! }
        if x.count != y.count { return x.count > y.count }
        if x.median! != y.median! { return x.median! > y.median! }
        let k = round.settings.tieBreakCriterion
        let tx = x.criterionMeans[k] ?? 0, ty = y.criterionMeans[k] ?? 0
        if tx != ty { return tx > ty }
        return a.product.id.precedes(b.product.id)
    }

    /// The ids of the computed top five of a cluster: the five the rules allow. With one pin per
    /// producer, a product whose producer already has a higher product in it is passed over.
    public func topFive(_ cluster: Cluster) -> [ProductID] {
        topFive(of: ranking(cluster))
    }

    /// The top five of an already computed ranking of one cluster.
    public func topFive(of ranking: [RankedProduct]) -> [ProductID] {
        var chosen: [ProductID] = [], producers = Set<ProducerID>()
        for entry in ranking where entry.rank != nil {
            guard chosen.count < Round.pinSlots else { break }
            if round.settings.onePinPerProducer, !producers.insert(entry.product.producer).inserted { continue }
            chosen.append(entry.product.id)
        }
        return chosen
    }
}
