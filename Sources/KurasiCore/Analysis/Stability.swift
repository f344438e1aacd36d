/// Is the top five stable? Two checks, both on the five the rules allow (`Round.topFive(of:)`'s
/// rule: by the ranking's chain, one product per producer when the round says so):
///
/// - leave one curator out: for each curator, the top five recomputed without their sheets, and
///   which products would leave or enter;
/// - a seeded bootstrap: each product's counted sheets resampled with replacement, `resamples`
///   times; the share of resamples in which the product is in its cluster's top five.
///
/// The generator is SplitMix64 on integers only, walked in a fixed order (cluster, resample,
/// product id, sheet), so the same seed gives the same percentages on every machine.
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
    /// Population standard deviation of the sheets over √n: the spread of a resampled mean.
    var standardError: Double {
        let n = Double(sheets.count)
        guard n > 0 else { return 0 }
        let m = sheets.reduce(0) { $0 + $1.score } / n
        return (sheets.reduce(0) { $0 + ($1.score - m) * ($1.score - m) } / n).squareRoot() / n.squareRoot()
    }
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
        out.sort { $0.id < $1.id }
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

    static let pruneSE = 4.0

    /// The five the rules allow among keyed candidates.
    /// Walking the keys in the chain's order and passing over a producer already in, the five
    /// chosen are, one after the other, the best key whose group (producer) is not in yet: so
    /// they are found by five passes over the keys instead of sorting them all.
    func chooseFive(_ keys: inout [ChainKey], _ candidates: [Candidate]) -> [Int] {
        var chosen: [Int] = [], groups: [Int] = []
        while chosen.count < Round.pinSlots {
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

        // Bootstrap. A product whose best sheet is below the worst sheet of five other producers'
        // products can never reach the top five (mean and median lie between the extremes).
        var floors: [String: Double] = [:]
        for cand in all {
            let key = round.settings.onePinPerProducer ? cand.producer.rawValue : cand.id.rawValue
            floors[key] = Swift.max(floors[key] ?? -.infinity, cand.low)
        }
        let sortedFloors = floors.values.sorted(by: >)
        let threshold = sortedFloors.count >= Round.pinSlots ? sortedFloors[Round.pinSlots - 1] : -.infinity
        // And, to keep a province-sized round within seconds, a product more than four standard
        // errors below every one of the five, each taken four standard errors low, is counted 0 %
        // without resampling (a chance well below one in a thousand resamples).
        let five = base.compactMap { id in all.first { $0.id == id } }
        let reach = five.count < Round.pinSlots ? -.infinity
            : five.map { ($0.score ?? 0) - Self.pruneSE * $0.standardError }.min() ?? -.infinity
        let live = all.enumerated().filter {
            $0.element.high >= threshold && ($0.element.score ?? 0) + Self.pruneSE * $0.element.standardError >= reach
        }.map(\.offset)
        let pool = live.map { all[$0] }
        var hits = [Int](repeating: 0, count: pool.count)
        var rng = SplitMix64(seed: seed &+ (cluster == .mamin ? 0 : 0x5DEE_CE66_D1CE_4E5B))
        keys.removeAll(keepingCapacity: true)
        if !useMedian, !exhaustive {
            // The same draws in the same order; but a resample's exact key (its sheets sorted, so
            // that the mean is summed as `make` sums it) is computed only for a product whose mean
            // summed in draw order is within 2δ of T, the fifth best such mean among the groups
            // (producers). δ bounds how far two summation orders of the same values can be apart
            // (4·n·ε·max|x|, well above the (n−1)·ε·Σ|x| / n of recursive summation, plus the
            // division). Below T − 2δ a product's exact mean is below that of a product in each of
            // five other groups, so the walk in the chain's order has chosen five groups, or its
            // own, before it: it is never chosen, and leaving it out changes nothing.
            var offsets = [Int](repeating: 0, count: pool.count + 1)
            for (i, c) in pool.enumerated() { offsets[i + 1] = offsets[i] + c.sheets.count }
            var drawn = [Int](repeating: 0, count: offsets[pool.count])
            var approx = [Double](repeating: 0, count: pool.count)
            let groupCount = (all.map(\.group).max() ?? -1) + 1
            var groupBest = [Double](repeating: -.infinity, count: groupCount)
            let poolGroups = Array(Set(pool.map(\.group))).sorted()
            let maxAbs = pool.flatMap { $0.sheets.map { abs($0.score) } }.max() ?? 0
            let maxN = pool.map(\.sheets.count).max() ?? 0
            let delta = 4 * Double(maxN) * Double.ulpOfOne * Swift.max(1, maxAbs)
            var best: [Double] = []
            for _ in 0..<resamples {
                for (i, cand) in pool.enumerated() {
                    let n = cand.sheets.count, base = offsets[i]
                    var sum = 0.0
                    for k in 0..<n {
                        let j = rng.below(n)
                        drawn[base + k] = j
                        sum += cand.sheets[j].score
                    }
                    approx[i] = sum / Double(n)
                    if approx[i] > groupBest[cand.group] { groupBest[cand.group] = approx[i] }
                }
                best.removeAll(keepingCapacity: true)
                for g in poolGroups {
                    let v = groupBest[g]
                    groupBest[g] = -.infinity
                    if best.count < Round.pinSlots || v > best[best.count - 1] {
                        best.append(v); best.sort(by: >)
                        if best.count > Round.pinSlots { best.removeLast() }
                    }
                }
                let floor = best.count < Round.pinSlots ? -Double.infinity : best[best.count - 1] - 2 * delta
                keys.removeAll(keepingCapacity: true)
                for (i, cand) in pool.enumerated() where approx[i] >= floor {
                    values.removeAll(keepingCapacity: true)
                    var tie = 0
                    for k in offsets[i]..<offsets[i + 1] {
                        let s = cand.sheets[drawn[k]]
                        values.append(s.score); tie += s.tie
                    }
                    keys.append(.make(&values, tieSum: tie, index: i, median: false))
                }
                for i in chooseFive(&keys, pool) { hits[i] += 1 }
            }
        }
        for _ in 0..<(!useMedian && !exhaustive ? 0 : resamples) {
            keys.removeAll(keepingCapacity: true)
            for (i, cand) in pool.enumerated() {
                values.removeAll(keepingCapacity: true)
                var tie = 0
                let n = cand.sheets.count
                for _ in 0..<n {
                    let s = cand.sheets[rng.below(n)]
                    values.append(s.score); tie += s.tie
                }
                keys.append(.make(&values, tieSum: tie, index: i, median: useMedian))
            }
            for i in chooseFive(&keys, pool) { hits[i] += 1 }
        }
        var probabilities: [TopFiveProbability] = []
        for (i, cand) in pool.enumerated() where hits[i] > 0 || base.contains(cand.id) {
            probabilities.append(TopFiveProbability(product: cand.id, rank: cand.rank, score: cand.score,
                                                    probability: resamples > 0 ? Double(hits[i]) / Double(resamples) : 0,
                                                    inTopFive: base.contains(cand.id)))
        }
        probabilities.sort {
            $0.probability != $1.probability ? $0.probability > $1.probability : ($0.rank ?? .max) < ($1.rank ?? .max)
        }
        return ClusterStability(cluster: cluster, topFive: base, leaveOneOut: effects, probabilities: probabilities)
    }
}

extension Format {
    /// A probability as a whole percentage, half up: "97 %".
    public static func percent(_ p: Double) -> String {
        "\(Int((p * 100 * 1e6).rounded() / 1e6 + 0.5)) %"
    }
}
