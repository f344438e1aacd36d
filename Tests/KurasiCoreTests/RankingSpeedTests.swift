@testable import KurasiCore
import Testing

/// The ranking (compact aggregates, the chain's keys read once per entry, the weights once per
/// cluster) gives the same list as the plain computation: aggregates from dictionaries, the
/// chain read from each entry's aggregate in every comparison. The rounds are seeded and built
/// so that every step of the chain decides somewhere: weights summing to 16 make every sheet
/// score exact, so equal sums give equal means.
@Suite struct RankingSpeedTests {
    static let weights: [CriterionID: Int] = ["kualitas": 4, "kemasan": 2, "keunikan": 2, "pasar": 4, "kapasitas": 2, "harga": 2]

    static func round(seed: UInt64, aggregation: Aggregation, minSheets: Int) -> Round {
        var rng = SplitMix64(seed: seed)
        var rubric = Rubric.default
        for i in rubric.criteria.indices { rubric.criteria[i].weight = weights[rubric.criteria[i].id]! }
        let pirt = Permit(kind: .pirt, number: "2063577010123-25", expires: "2025-03-31")
        let producers = (1...10).map { i in
            Producer(id: ProducerID("U-\(i)"), name: "Usaha \(i)", owner: "", address: "", kelurahan: "Kuncen", kecamatan: "Taman",
                     validation: Validation(status: i == 10 ? .pending : .valid, by: "K1", at: "2020-09-20T09:00:00Z"))
        }
        var curators = [Curator(id: "K1", name: "Ketua", role: .chair)]
        for k in 2...8 { curators.append(Curator(id: CuratorID("K\(k)"), name: "Kurator \(k)")) }
        // Each product: a list of sheets (nil: left incomplete), one per curator in turn.
        var plans: [[[Int]?]] = []
        func uniform(_ vs: [Int]) -> [[Int]?] { vs.map { v in Array(repeating: v, count: 6) } }
        for _ in 0..<40 {
            // A random base: 1–4 sheets with points 2–4, some incomplete.
            let base: [[Int]?] = (0..<(1 + rng.below(4))).map { _ in
                rng.below(8) == 0 ? nil : (0..<6).map { _ in 2 + rng.below(3) }
            }
            plans.append(base)
            switch rng.below(4) {
            case 0: plans.append(base.reversed())  // the same sheets: only the id decides
            case 1: plans.append(base + base)  // the same mean and median, more sheets: the count decides
            case 2:  // kualitas and pasar (the same weight) swapped: the tie-break criterion decides
                plans.append(base.map { $0.map { s in var s = s; s.swapAt(0, 3); return s } })
            default: plans.append((0..<(1 + rng.below(3))).map { _ in (0..<6).map { _ in 1 + rng.below(5) } })
            }
        }
        // The same mean (50) and count, different medians (mean aggregation: the median decides).
        plans += [uniform([1, 4, 4]), uniform([3, 3, 3]), uniform([2, 3, 4]), uniform([1, 5, 3]), []]
        var products: [Product] = []
        var sheets: [ProductID: [(CuratorID, [Int]?)]] = [:]
        for (i, plan) in plans.enumerated() {
            let id = ProductID("P-\(String(format: "%03d", (i * 37) % 1000))")
            let mamin = rng.below(2) == 0
            products.append(Product(id: id, producer: ProducerID("U-\(1 + rng.below(10))"), name: "Produk \(i)",
                                    cluster: mamin ? .mamin : .nonMamin, category: "x",
                                    permits: mamin && rng.below(6) != 0 ? [pirt] : []))
            sheets[id] = plan.enumerated().map { (curators[$0.offset].id, $0.element) }
        }
        var r = Round(round: RoundInfo(title: "Acak", organizer: "Kadin", date: "2020-10-15",
                                       settings: Settings(aggregation: aggregation, minSheets: minSheets)),
                      rubric: rubric, curators: curators, producers: producers, products: products)
        for p in products {
            for (curator, points) in sheets[p.id]! {
                var command: [CriterionID: Int?] = [:]
                for (k, c) in criteria.enumerated() { command[c] = points.map { $0[k] } ?? (k == 5 ? .some(nil) : 3) }
                _ = try? r.perform(.score(product: p.id, points: command), by: curator, at: "2020-10-15T10:00:00Z")
            }
        }
        // Declared after the sheets were made: K3's sheets on U-3's products are set aside.
        _ = try? r.perform(.addConflict(curator: "K3", Conflict(producer: "U-3", kind: .family, reason: "adik")), by: "K1", at: "2020-10-15T10:30:00Z")
        for c in Cluster.allCases {
            for (slot, p) in products.filter({ $0.cluster == c }).prefix(2).enumerated() {
                _ = try? r.perform(.pin(product: p.id, slot: slot + 1, reason: "pilihan"), by: "K1", at: "2020-10-15T11:00:00Z")
            }
        }
        return r
    }

    static let rounds: [Round] = [
        round(seed: 11, aggregation: .mean, minSheets: 1),
        round(seed: 12, aggregation: .median, minSheets: 1),
        round(seed: 13, aggregation: .mean, minSheets: 2),
        round(seed: 14, aggregation: .median, minSheets: 2),
    ]

    /// Which step of the chain puts `a` before `b` (1 score … 5 id).
    static func step(_ r: Round, _ a: Aggregate, _ b: Aggregate) -> Int {
        let k = r.round.settings.tieBreakCriterion
        if a.score != b.score { return 1 }
        if a.count != b.count { return 2 }
        if a.median != b.median { return 3 }
        if a.criterionMeans.dictionary[k] ?? 0 != b.criterionMeans.dictionary[k] ?? 0 { return 4 }
        return 5
    }

    /// The ranking as computed before: plain aggregates, the chain read in every comparison.
    static func plainRanking(_ r: Round, _ cluster: Cluster, normalisation: Normalisation?) -> [RankedProduct] {
        let slots = Dictionary(r.pins(in: cluster).map { ($0.product, $0.slot) }, uniquingKeysWith: { a, _ in a })
        let need = r.round.settings.minSheets, k = r.round.settings.tieBreakCriterion
        func group(_ e: RankedProduct) -> Int {
            !e.eligible ? 2 : (e.aggregate.score == nil || e.aggregate.count < need) ? 1 : 0
        }
        func precedes(_ a: RankedProduct, _ b: RankedProduct) -> Bool {
            let x = a.aggregate, y = b.aggregate
            if x.score! != y.score! { return x.score! > y.score! }
            if x.count != y.count { return x.count > y.count }
            if x.median! != y.median! { return x.median! > y.median! }
            let tx = x.criterionMeans.dictionary[k] ?? 0, ty = y.criterionMeans.dictionary[k] ?? 0
            if tx != ty { return tx > ty }
            return a.product.id < b.product.id
        }
        var list = r.products.filter { $0.cluster == cluster }.map { p in
            RankedProduct(product: p, rank: nil, aggregate: AnalysisSpeedTests.plainAggregate(r, p, normalisation: normalisation),
                          ineligibility: r.ineligibility(p), pinnedSlot: slots[p.id])
        }
        list.sort { a, b in
            let ga = group(a), gb = group(b)
            if ga != gb { return ga < gb }
            return ga == 0 ? precedes(a, b) : a.product.id < b.product.id
        }
        var rank = 0
        for i in list.indices {
            switch group(list[i]) {
            case 0: rank += 1; list[i].rank = rank
            case 1:
                let n = list[i].aggregate.count
                list[i].unranked = n == 0 ? .noSheets : .tooFewSheets(counted: n, needed: need)
            default: list[i].unranked = .ineligible
            }
        }
        return list
    }

    @Test(arguments: 0..<4)
    func theRankingIsThePlainOne(_ i: Int) {
        let r = Self.rounds[i]
        let norm = r.normalisation()
        var steps = Set<Int>()
        for c in Cluster.allCases {
            for n in [nil, norm] {
                let fast = r.ranking(c, normalisation: n), plain = Self.plainRanking(r, c, normalisation: n)
                #expect(fast.map(\.product.id) == plain.map(\.product.id), "\(c)")
                #expect(fast.map(\.rank) == plain.map(\.rank), "\(c)")
                #expect(fast == plain, "\(c)")
                let ranked = plain.filter { $0.rank != nil }
                for j in ranked.indices.dropFirst() { steps.insert(Self.step(r, ranked[j - 1].aggregate, ranked[j].aggregate)) }
            }
            #expect(r.ranking(c).map(\.product.id) == Self.plainRanking(r, c, normalisation: nil).map(\.product.id))
            #expect(r.ranking(c).contains { $0.unranked == .ineligible })
            #expect(r.ranking(c).contains { $0.pinnedSlot != nil })
        }
        #expect(Cluster.allCases.contains { c in r.ranking(c).contains { !$0.aggregate.setAside.isEmpty } })
        // Every step of the chain decided at least once (the median only when the score is the mean).
        #expect(steps == (r.round.settings.aggregation == .mean ? [1, 2, 3, 4, 5] : [1, 2, 4, 5]))
    }

    /// The one-pass aggregate (sheets in the rubric's order, the weights' sum once, the median
    /// sorted in a scratch buffer) is the one every scored product of these rounds takes, and it
    /// is the plain computation: incomplete sheets before and among counted ones, sheets set
    /// aside, even and odd counts, raw and normalised.
    @Test(arguments: 0..<4)
    func theOnePassAggregateIsThePlainOne(_ i: Int) {
        let r = Self.rounds[i]
        let norm = r.normalisation()
        var parities = Set<Int>(), incompleteFirst = false, setAside = false
        for p in r.products {
            guard let sheets = r.scores[p.id] else { continue }
            for n in [nil, norm] {
                let fast = r.aggregateInRubricOrder(producer: p.producer, cluster: p.cluster, sheets: sheets, normalisation: n, weights: nil)
                #expect(fast != nil, "\(p.id)")
                #expect(fast == AnalysisSpeedTests.plainAggregate(r, p, normalisation: n), "\(p.id)")
            }
            let a = r.aggregate(p)
            if a.count > 0 { parities.insert(a.count % 2) }
            if let first = sheets.values.first, !r.isComplete(first), a.count > 0 { incompleteFirst = true }
            if !a.setAside.isEmpty { setAside = true }
        }
        #expect(parities == [0, 1])
        #expect(incompleteFirst)
        #expect(setAside)
    }

    /// Eligibility as the ranking reads it (the producer's status remembered across its
    /// products, the cluster's gate once) is `ineligibility(_:)` for every product.
    @Test(arguments: 0..<4)
    func theRankingsEligibilityIsThePlainOne(_ i: Int) {
        let r = Self.rounds[i]
        for c in Cluster.allCases {
            for e in r.ranking(c) { #expect(e.ineligibility == r.ineligibility(e.product), "\(e.product.id)") }
        }
    }

    /// Every product's score visibility at once (`scoresVisible(to:)`, what the console's first
    /// blind order reads) is `visibility(of:to:).score` asked product by product: for each curator,
    /// nobody and a curator not in the round; sheets complete, incomplete and missing; a product
    /// whose sheets are laid out in another order than the rubric's; blind and not.
    @Test(arguments: 0..<4)
    func everyProductsScoreVisibilityAtOnceIsTheRule(_ i: Int) {
        var r = Self.rounds[i]
        // One product's sheets laid out backwards: K1 complete, K2 without its last point.
        let odd = r.products[0].id, backwards = Array(criteria.reversed())
        r.scores[odd] = ProductSheets(criteria: backwards, curators: ["K1", "K2"],
                                      points: [4, 3, 2, 3, 4, 3] + [ProductSheets.notScored, 3, 3, 3, 3, 3])
        func check(_ r: Round) -> (shown: Int, hidden: Int) {
            var seen = (shown: 0, hidden: 0)
            for viewer in [nil] + r.curators.map(\.id) + ["K99"] {
                let all = r.scoresVisible(to: viewer)
                #expect(all.count == r.products.count)
                for (at, p) in r.products.enumerated() {
                    let rule = r.visibility(of: p.id, to: viewer).score
                    #expect(all[at] == rule, "\(p.id) for \(viewer.map(\.rawValue) ?? "nobody")")
                    if rule { seen.shown += 1 } else { seen.hidden += 1 }
                }
            }
            return seen
        }
        let blind = check(r)
        #expect(blind.shown > 0 && blind.hidden > 0)
        #expect(r.visibility(of: odd, to: "K1").score && !r.visibility(of: odd, to: "K2").score)
        r.round.settings.blindScoring = false
        #expect(check(r).hidden == 0)
    }

    /// An edit re-ranked in place gives the full ranking's list.
    @Test(arguments: 0..<4)
    func rerankIsTheRanking(_ i: Int) throws {
        var r = Self.rounds[i]
        for c in Cluster.allCases {
            var list = r.ranking(c)
            guard let p = r.products.first(where: { $0.cluster == c && r.isEligible($0) }) else { continue }
            let command: [CriterionID: Int?] = Dictionary(uniqueKeysWithValues: criteria.map { ($0, 5) })
            _ = try r.perform(.score(product: p.id, points: command), by: "K8", at: "2020-10-15T12:00:00Z")
            r.rerank(&list, changed: [p.id])
            #expect(list == r.ranking(c))
            #expect(list == Self.plainRanking(r, c, normalisation: nil))
        }
    }

    @Test func keyedValuesReadLikeADictionary() {
        var m: KeyedValues<CuratorID, Double> = ["K2": 1, "K1": 2]
        #expect(m["K1"] == 2 && m["K3"] == nil && m.count == 2)
        m["K3"] = 3; m["K2"] = 4; m["K1"] = nil
        #expect(m.keys == ["K2", "K3"] && m.values == [4, 3])
        let same = KeyedValues<CuratorID, Double>(["K3": 3, "K2": 4])
        #expect(m == same && m.hashValue == same.hashValue)
        #expect(m != KeyedValues(["K3": 3, "K2": 5]) && m != KeyedValues(["K3": 3]))
        #expect(m.dictionary == ["K2": 4, "K3": 3])
        #expect(m.sorted(by: { $0.key > $1.key }).map(\.value) == [3, 4])
        m["K4", default: 0] += 1
        #expect(m["K4"] == 1 && m.mapValues { $0 * 2 }["K2"] == 8)
    }
}
