/// Is the top five stable? Two checks, both on the five the rules allow (`Round.topFive(of:)`'s
/// rule: by the ranking's chain, one product per producer when the round says so):
///
/// - leave one curator out: for each curator, the top five recomputed without their sheets, and
///   which products would leave or enter;
/// - a seeded bootstrap: each product's counted sheets resampled with replacement, `resamples`
///   times; the share of resamples in which the product is in its cluster's top five.
///
/// The generator is SplitMix64 on integers only, one stream per product (from the seed and the
/// product id), walked resample after resample, so the same seed gives the same percentages on
/// every machine, and a product's draws do not depend on which other products are drawn.
/// (Before 2026-11-30 one stream was shared, walked cluster, resample, product id, sheet: the
/// same seed gave other percentages then.)
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform integer in 0..<n (Lemire's multiply-shift; no floating point).
    public mutating func below(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}

public struct CuratorEffect: Hashable, Sendable {
    public var curator: CuratorID
    /// The top five without this curator's sheets.
    public var topFive: [ProductID]
    public var leaves: [ProductID]
    public var enters: [ProductID]
    public var changes: Bool { !leaves.isEmpty || !enters.isEmpty }
}

public struct TopFiveProbability: Hashable, Sendable {
    public var product: ProductID
    public var rank: Int?
    public var score: Double?
    /// 0…1: the share of resamples with the product in its cluster's top five.
    public var probability: Double
    public var inTopFive: Bool
}

public struct ClusterStability: Hashable, Sendable {
    public var cluster: Cluster
    public var topFive: [ProductID]
    public var leaveOneOut: [CuratorEffect]
    /// Products that were in the top five in at least one resample, or are in it now; most
    /// probable first, then by rank.
    public var probabilities: [TopFiveProbability]
    /// Curators whose sheets alone decide who is in the top five: without them it changes.
    public var decisive: [CuratorID] { leaveOneOut.filter(\.changes).map(\.curator) }
    public func probability(of product: ProductID) -> Double {
        probabilities.first { $0.product == product }?.probability ?? 0
    }
}

public struct Stability: Hashable, Sendable {
    public static let defaultSeed: UInt64 = 2020
    public static let defaultResamples = 1000
    public var seed: UInt64
    public var resamples: Int
    public var basis: ScoreBasis
    public var clusters: [ClusterStability]
}

/// One ranked product reduced to what the ranking chain needs.
struct Candidate {
    var id: ProductID
    var producer: ProducerID
    /// What the one-pin-per-producer rule counts as one, as a number: the producer's position
    /// among the cluster's producers, or (without the rule) the candidate's own position.
    var group = 0
    var rank: Int?
    var score: Double?
    /// (curator, sheet score on the round's basis, tie-break criterion point)
    var sheets: [(curator: CuratorID, score: Double, tie: Int)]
    var low: Double
    var high: Double
}

/// The ranking chain's key of one (possibly resampled) set of sheets.
struct ChainKey {
    var score: Double
    var count: Int
    var median: Double
    var tie: Double
    var index: Int  // into the candidates, which are in id order

    static func make(_ values: inout [Double], tieSum: Int, index: Int, median useMedian: Bool) -> ChainKey {
        values.sort()
        return sorted(values, tieSum: tieSum, index: index, median: useMedian)
    }

    /// `make` of values already in ascending order.
    static func sorted(_ values: [Double], tieSum: Int, index: Int, median useMedian: Bool) -> ChainKey {
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        let mid = n / 2
        let median = n % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
        return ChainKey(score: useMedian ? median : mean, count: n, median: median,
                        tie: Double(tieSum) / Double(n), index: index)
    }

    /// The chain of `Round.precedes`: score, count, median, tie-break mean, then id.
    static func precedes(_ x: ChainKey, _ y: ChainKey) -> Bool {
        if x.score != y.score { return x.score > y.score }
        if x.count != y.count { return x.count > y.count }
        if x.median != y.median { return x.median > y.median }
        if x.tie != y.tie { return x.tie > y.tie }
        return x.index < y.index
    }
}

extension Round {
    /// Stability of every cluster (or one), on the round's score basis.
    public func stability(clusters: [Cluster] = Cluster.allCases, seed: UInt64 = Stability.defaultSeed,
                          resamples: Int = Stability.defaultResamples) -> Stability {
        let list = clusters.map { clusterStability($0, seed: seed, resamples: resamples) }
        return Stability(seed: seed, resamples: resamples, basis: scoreBasis, clusters: list)
    }

    func candidates(_ ranking: [RankedProduct]) -> [Candidate] {
        let k = round.settings.tieBreakCriterion
        var out: [Candidate] = []
        for r in ranking where r.rank != nil {
            var sheets: [(CuratorID, Double, Int)] = []
            let raw = scores[r.product.id] ?? [:]
            for (c, s) in r.aggregate.sheetScores.sorted(by: { $0.key < $1.key }) {
                sheets.append((c, s, raw[c]?[k] ?? 0))
            }
            let values = sheets.map(\.1)
            out.append(Candidate(id: r.product.id, producer: r.product.producer, rank: r.rank, score: r.aggregate.score,
                                 sheets: sheets.map { (curator: $0.0, score: $0.1, tie: $0.2) },
                                 low: values.min() ?? 0, high: values.max() ?? 0))
        }
        out.sort { $0.id.precedes($1.id) }
        var groups: [ProducerID: Int] = [:]
        for i in out.indices {
            if round.settings.onePinPerProducer {
                out[i].group = groups[out[i].producer] ?? groups.count
                groups[out[i].producer] = out[i].group
            } else {
                out[i].group = i
            }
        }
        return out
    }

    /// The five the rules allow among keyed candidates.
    /// Walking the keys in the chain's order and passing over a producer already in, the five
    /// chosen are, one after the other, the best key whose group (producer) is not in yet: so
    /// they are found by five passes over the keys instead of sorting them all.
    func chooseFive(_ keys: inout [ChainKey], _ candidates: [Candidate], slots: Int = Round.pinSlots) -> [Int] {
        var chosen: [Int] = [], groups: [Int] = []
        while chosen.count < slots {
            var best = -1
            for j in keys.indices {
                let key = keys[j]
                if best >= 0, !ChainKey.precedes(key, keys[best]) { continue }
                if groups.contains(candidates[key.index].group) { continue }
                best = j
            }
            guard best >= 0 else { break }
            chosen.append(keys[best].index)
            groups.append(candidates[keys[best].index].group)
        }
        return chosen
    }

    /// `exhaustive` computes every product's key in every resample (the plain walk, for tests);
    /// otherwise, on the mean, only the keys of the products that can still be chosen (below).
    func clusterStability(_ cluster: Cluster, seed: UInt64, resamples: Int, exhaustive: Bool = false) -> ClusterStability {
        let ranked = ranking(cluster)
        let base = topFive(of: ranked)
        let all = candidates(ranked)
        let useMedian = round.settings.aggregation == .median

        // Leave one curator out. Each candidate's sheets are put in score order once; without a
        // curator, the rest are walked in that order (the values `make` would sort to, summed in
        // the same order), and a candidate the curator did not score keeps its key.
        let curatorIDs = Set(all.flatMap { $0.sheets.map(\.curator) }).sorted()
        let bySheet = all.map { $0.sheets.sorted { $0.score < $1.score } }
        let fullKeys: [ChainKey] = all.indices.map { i in
            ChainKey.sorted(bySheet[i].map(\.score), tieSum: all[i].sheets.reduce(0) { $0 + $1.tie }, index: i, median: useMedian)
        }
        var effects: [CuratorEffect] = []
        var keys: [ChainKey] = [], values: [Double] = []
        keys.reserveCapacity(all.count)
        for c in curatorIDs {
            keys.removeAll(keepingCapacity: true)
            for i in all.indices {
                let sheets = bySheet[i]
                guard sheets.contains(where: { $0.curator == c }) else { keys.append(fullKeys[i]); continue }
                values.removeAll(keepingCapacity: true)
                var tie = 0
                for s in sheets where s.curator != c { values.append(s.score); tie += s.tie }
                guard !values.isEmpty else { continue }
                keys.append(.sorted(values, tieSum: tie, index: i, median: useMedian))
            }
            let five = chooseFive(&keys, all).map { all[$0].id }
            effects.append(CuratorEffect(curator: c, topFive: five,
                                         leaves: base.filter { !five.contains($0) },
                                         enters: five.filter { !base.contains($0) }))
        }

        // Bootstrap. Each product draws from its own stream (`stream(seed:product:)`), resample
        // after resample, so that which other products are drawn, or how far, never changes its
        // draws: a product that cannot matter is skipped without moving anyone else's numbers.
        let bootstrap = resampleHits(all, seed: seed, resamples: resamples, useMedian: useMedian, exhaustive: exhaustive)
        var probabilities: [TopFiveProbability] = []
        for (i, cand) in all.enumerated() where bootstrap[i] > 0 || base.contains(cand.id) {
            probabilities.append(TopFiveProbability(product: cand.id, rank: cand.rank, score: cand.score,
                                                    probability: resamples > 0 ? Double(bootstrap[i]) / Double(resamples) : 0,
                                                    inTopFive: base.contains(cand.id)))
        }
        probabilities.sort {
            $0.probability != $1.probability ? $0.probability > $1.probability : ($0.rank ?? .max) < ($1.rank ?? .max)
        }
        return ClusterStability(cluster: cluster, topFive: base, leaveOneOut: effects, probabilities: probabilities)
    }

    /// Where a product's stream of draws starts: the seed mixed with the product id's bytes
    /// (FNV-1a, the same on every machine), one SplitMix64 step. Its draw k of resample r is the
    /// stream's output r·n + k (n its counted sheets), reached directly: SplitMix64 is a counter.
    static func stream(seed: UInt64, product: ProductID) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in product.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var g = SplitMix64(seed: seed ^ h)
        return g.next()
    }

    /// The generator positioned at resample `r` of a product's stream of `n` draws a resample.
    static func draws(_ start: UInt64, resample r: Int, n: Int) -> SplitMix64 {
        SplitMix64(seed: start &+ UInt64(r) &* UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The key of one resample of a candidate: its `n` sheets drawn from its stream.
    static func resampledKey(_ cand: Candidate, start: UInt64, resample r: Int, index: Int, median: Bool,
                             values: inout [Double]) -> ChainKey {
        let n = cand.sheets.count
        var rng = draws(start, resample: r, n: n)
        values.removeAll(keepingCapacity: true)
        var tie = 0
        for _ in 0..<n {
            let s = cand.sheets[rng.below(n)]
            values.append(s.score); tie += s.tie
        }
        return .make(&values, tieSum: tie, index: index, median: median)
    }

    /// How many resamples put each candidate (by position in `all`) in the five the rules allow.
    ///
    /// `exhaustive` is the plain walk (every candidate's key in every resample, for tests). The
    /// fast path gives the same counts: (1) a product whose best sheet is below the worst sheet
    /// of products of five other groups (producers) can never be chosen (mean and median lie
    /// between the extremes): it is not drawn, 0 %. (2) A product whose worst sheet is above the
    /// best sheet of every other product of its group and of all but at most four other groups is
    /// chosen in every resample: 100 %, not drawn; its group takes one of the five, and the rest
    /// are chosen among the other groups for the slots left. (3) On the mean, in each resample the
    /// products are drawn best estimate first, and a product's drawing stops as soon as even its
    /// best sheet in every draw left could not lift its mean to T − 4δ, T the fifth best group
    /// mean so far (it only rises); an exact key (the draws sorted, as `make` sums them) is
    /// computed only for a product whose mean summed in draw order is within 2δ of the final T.
    /// δ bounds how far two summation orders of the same values can be apart (4·n·ε·max|x|,
    /// well above the (n−1)·ε·Σ|x| / n of recursive summation, plus the division). Below T − 2δ a
    /// product's exact mean is below that of a product in each of five other groups, so the walk
    /// in the chain's order has chosen five groups, or its own, before it: leaving it out
    /// changes nothing.
    func resampleHits(_ all: [Candidate], seed: UInt64, resamples: Int, useMedian: Bool, exhaustive: Bool) -> [Int] {
        var hits = [Int](repeating: 0, count: all.count)
        guard resamples > 0, !all.isEmpty else { return hits }
        let starts = all.map { Self.stream(seed: seed, product: $0.id) }
        let maxAbs = all.reduce(0.0) { m, c in c.sheets.reduce(m) { Swift.max($0, abs($1.score)) } }
        let maxN = all.map(\.sheets.count).max() ?? 0
        let delta = 4 * Double(Swift.max(1, maxN)) * Double.ulpOfOne * Swift.max(1, maxAbs)
        var keys: [ChainKey] = [], values: [Double] = []
        keys.reserveCapacity(all.count)
        if exhaustive {
            for r in 0..<resamples {
                keys.removeAll(keepingCapacity: true)
                for (i, cand) in all.enumerated() {
                    keys.append(Self.resampledKey(cand, start: starts[i], resample: r, index: i, median: useMedian, values: &values))
                }
                for i in chooseFive(&keys, all) { hits[i] += 1 }
            }
            return hits
        }

        // (1) and (2), on each group's extremes.
        let groupCount = (all.map(\.group).max() ?? -1) + 1
        var groupLow = [Double](repeating: -.infinity, count: groupCount)
        var groupHigh = groupLow
        for c in all {
            groupLow[c.group] = Swift.max(groupLow[c.group], c.low)
            groupHigh[c.group] = Swift.max(groupHigh[c.group], c.high)
        }
        let floors = groupLow.filter { $0 > -.infinity }.sorted(by: >)
        let threshold = floors.count >= Round.pinSlots ? floors[Round.pinSlots - 1] : -.infinity
        let highs = groupHigh.filter { $0 > -.infinity }.sorted(by: >)
        // Each group's best sheet without its best product: the best of the rest of the group.
        var topOf = [Int](repeating: -1, count: groupCount)
        var secondHigh = [Double](repeating: -.infinity, count: groupCount)
        for (i, c) in all.enumerated() {
            if topOf[c.group] < 0 || c.high > all[topOf[c.group]].high {
                if topOf[c.group] >= 0 { secondHigh[c.group] = Swift.max(secondHigh[c.group], all[topOf[c.group]].high) }
                topOf[c.group] = i
            } else {
                secondHigh[c.group] = Swift.max(secondHigh[c.group], c.high)
            }
        }
        var certainGroups = Set<Int>()
        for (i, c) in all.enumerated() {
            let low = c.low - 2 * delta
            // Groups that could reach it (its own among them): those with a sheet at or above its worst.
            var reaching = 0
            for h in highs where h >= low { reaching += 1; if reaching > Round.pinSlots { break } }
            guard reaching <= Round.pinSlots else { continue }
            let alone = (topOf[c.group] == i ? secondHigh[c.group] : groupHigh[c.group]) < low
            if alone { certainGroups.insert(c.group); hits[i] = resamples }
        }
        let slots = Round.pinSlots - certainGroups.count
        guard slots > 0 else { return hits }
        let live = all.indices.filter { all[$0].high + 2 * delta >= threshold && !certainGroups.contains(all[$0].group) }
        let pool = live.map { all[$0] }
        let poolStarts = live.map { starts[$0] }

        if useMedian {
            for r in 0..<resamples {
                keys.removeAll(keepingCapacity: true)
                for (i, cand) in pool.enumerated() {
                    keys.append(Self.resampledKey(cand, start: poolStarts[i], resample: r, index: i, median: true, values: &values))
                }
                for i in chooseFive(&keys, pool, slots: slots) { hits[live[i]] += 1 }
            }
            return hits
        }

        // (3) Best estimate first, so that T rises early; the sheet scores flat, in that order (no
        // product value is copied, retained or released in the loop).
        let order = pool.indices.sorted { (pool[$0].score ?? 0, $1) > (pool[$1].score ?? 0, $0) }
        var flat: [Double] = [], offsets: [Int] = [0]
        flat.reserveCapacity(order.reduce(0) { $0 + pool[$1].sheets.count })
        for i in order {
            for s in pool[i].sheets { flat.append(s.score) }
            offsets.append(flat.count)
        }
        let bests = order.map { pool[$0].high }, groups = order.map { pool[$0].group }
        let orderedStarts = order.map { poolStarts[$0] }
        var approx = [Double](repeating: -.infinity, count: pool.count)
        var drawnFully: [Int] = []
        var top: [(group: Int, value: Double)] = []
        for r in 0..<resamples {
            top.removeAll(keepingCapacity: true)
            drawnFully.removeAll(keepingCapacity: true)
            flat.withUnsafeBufferPointer { sheets in
                for o in order.indices {
                    let first = offsets[o], n = offsets[o + 1] - first
                    let floor = top.count < slots ? -Double.infinity : top[slots - 1].value - 2 * delta
                    // Stop drawing once the sum so far plus the best sheet for every draw left is below n·(T − 4δ).
                    let limit = (floor - 2 * delta) * Double(n), high = bests[o]
                    var rng = Self.draws(orderedStarts[o], resample: r, n: n)
                    var sum = 0.0, k = 0
                    while k < n {
                        sum += sheets[first + rng.below(n)]
                        k += 1
                        if sum + Double(n - k) * high < limit { break }
                    }
                    guard k == n else { continue }
                    let mean = sum / Double(n), i = order[o], group = groups[o]
                    approx[i] = mean
                    drawnFully.append(i)
                    if let at = top.firstIndex(where: { $0.group == group }) {
                        if mean > top[at].value { top[at].value = mean }
                    } else if top.count < slots || mean > top[top.count - 1].value {
                        top.append((group, mean))
                    } else { continue }
                    top.sort { $0.value > $1.value }
                    if top.count > slots { top.removeLast() }
                }
            }
            let floor = top.count < slots ? -Double.infinity : top[slots - 1].value - 2 * delta
            keys.removeAll(keepingCapacity: true)
            for i in drawnFully where approx[i] >= floor {
                keys.append(Self.resampledKey(pool[i], start: poolStarts[i], resample: r, index: i, median: false, values: &values))
            }
            for i in chooseFive(&keys, pool, slots: slots) { hits[live[i]] += 1 }
        }
        return hits
    }
}


extension Format {
    /// A probability as a whole percentage, half up: "97 %".
    public static func percent(_ p: Double) -> String {
        "\(Int((p * 100 * 1e6).rounded() / 1e6 + 0.5)) %"
    }
}
