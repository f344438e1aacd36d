/// Per-curator normalisation (after fll-sw's "normalized scores"): each curator's counted sheet
/// scores are turned into z-scores over the products that curator scored in the round, then
/// rescaled to the committee's mean and standard deviation of all counted sheet scores, so that a
/// lenient and a severe curator count alike. A curator with fewer than `minimumSheets` counted
/// sheets, or whose sheets all have the same score, is left raw and says why.
///
///     normalised = (x − mean_curator) / sd_curator × sd_committee + mean_committee
///
/// Means and standard deviations are population ones (÷ n), as everywhere in Kurasi. Counted
/// sheets are complete and not set aside by a conflict; both clusters count, each sheet weighted
/// by its own cluster's weights.
public struct Normalisation: Hashable, Sendable {
    public static let minimumSheets = 5

    public enum Treatment: String, Codable, Hashable, Sendable {
        /// Rescaled to the committee.
        case normalised
        /// Left raw: fewer than `minimumSheets` counted sheets.
        case tooFewSheets
        /// Left raw: every sheet has the same score (no spread to rescale).
        case noSpread
    }

    public struct Scale: Hashable, Sendable {
        public var curator: CuratorID
        public var sheets: Int
        public var mean: Double
        public var standardDeviation: Double
        public var treatment: Treatment
    }

    public var committeeMean: Double
    public var committeeStandardDeviation: Double
    /// Every curator with at least one counted sheet, by id.
    public var scales: [CuratorID: Scale]

    /// A curator's sheet score on the basis of this normalisation.
    public func adjust(_ x: Double, curator: CuratorID) -> Double {
        guard let s = scales[curator], s.treatment == .normalised else { return x }
        return (x - s.mean) / s.standardDeviation * committeeStandardDeviation + committeeMean
    }
}

extension Round {
    /// Every counted sheet score of the round: product id → curator id → weighted 0–100 score,
    /// with products and curators in id order for a stable walk.
    public func countedSheetScores() -> [(product: Product, sheets: [(curator: CuratorID, score: Double)])] {
        countedSheets(keepingPoints: false).entries
    }

    /// `countedSheetScores()`, and with `keepingPoints` each counted sheet's points in the
    /// rubric's order, flat: product i's sheet k (in curator order) starts at
    /// `(offsets[i] + k) · criteria` (for calibration, without looking each point up again).
    func countedSheets(keepingPoints: Bool)
        -> (entries: [(product: Product, sheets: [(curator: CuratorID, score: Double)])], points: [Int], offsets: [Int]) {
        // Each cluster's weights once, the rubric's criterion ids once, and a product's recused
        // curators looked for only when someone declared a conflict with its producer: the same
        // scores as `weightedScore(_:cluster:)`, summed in the same order.
        let ids = rubric.criteria.map(\.id)
        let weights = Cluster.allCases.map { criterionWeights($0) }
        let conflicted = Set(curators.flatMap { $0.conflicts.map(\.producer) })
        let scaleMin = rubric.scaleMin, valid = rubric.scaleMax > rubric.scaleMin
        let span = Double(rubric.scaleMax - rubric.scaleMin)
        var row = [Int](repeating: 0, count: ids.count)
        func weighed(_ sheet: Sheet, _ w: [Double]) -> Double? {
            guard valid else { return nil }
            var total = 0.0, sum = 0.0
            for i in ids.indices {
                guard let v = sheet[ids[i]] else { return nil }
                row[i] = v
                total += w[i] * Double(v - scaleMin) / span
                sum += w[i]
            }
            return sum > 0 ? total / sum * 100 : nil
        }
        var out: [(product: Product, sheets: [(curator: CuratorID, score: Double)])] = []
        out.reserveCapacity(scores.count)
        var points: [Int] = [], offsets: [Int] = [], sheetCount = 0
        var list: [(curator: CuratorID, score: Double, at: Int)] = [], own: [Int] = []
        for p in products {
            guard let sheets = scores[p.id], !sheets.isEmpty else { continue }
            let recused: Set<CuratorID> = conflicted.contains(p.producer) ? Set(recusedCurators(for: p).map(\.id)) : []
            let w = weights[Cluster.allCases.firstIndex(of: p.cluster)!]
            list.removeAll(keepingCapacity: true); own.removeAll(keepingCapacity: true)
            for (c, sheet) in sheets where recused.isEmpty || !recused.contains(c) {
                guard let s = weighed(sheet, w) else { continue }
                list.append((c, s, own.count))
                if keepingPoints { own.append(contentsOf: row) }
            }
            guard !list.isEmpty else { continue }
            list.sort { $0.curator < $1.curator }
            out.append((p, list.map { (curator: $0.curator, score: $0.score) }))
            if keepingPoints {
                offsets.append(sheetCount)
                sheetCount += list.count
                for e in list { points.append(contentsOf: own[e.at..<(e.at + ids.count)]) }
            }
        }
        // Products are usually kept in id order already.
        if !out.indices.dropFirst().allSatisfy({ out[$0 - 1].product.id.precedes(out[$0].product.id) }) {
            let order = out.indices.sorted { out[$0].product.id.precedes(out[$1].product.id) }
            out = order.map { out[$0] }
            if keepingPoints { offsets = order.map { offsets[$0] } }
        }
        return (out, points, offsets)
    }

    /// The normalisation of the round's counted sheets.
    public func normalisation() -> Normalisation {
        normalisation(of: countedSheetScores())
    }

    /// The curators of counted sheets by position: the round's curators in id order, and anyone
    /// else a (hand-edited) store has a sheet from. Each product's sheets come in curator order,
    /// so a merge walk over this list finds them (calibration and normalisation).
    func curatorIDs(of counted: [(product: Product, sheets: [(curator: CuratorID, score: Double)])]) -> [CuratorID] {
        let ids = Array(Set(curators.map(\.id))).sorted()
        let known = counted.allSatisfy { entry in
            var j = 0
            for s in entry.sheets {
                while j < ids.count, ids[j] != s.curator { j += 1 }
                if j == ids.count { return false }
            }
            return true
        }
        return known ? ids : Array(Set(ids).union(counted.flatMap { $0.sheets.map(\.curator) })).sorted()
    }

    public func normalisation(of counted: [(product: Product, sheets: [(curator: CuratorID, score: Double)])]) -> Normalisation {
        // By curator position (ids in order, each product's sheets in curator order, so a merge
        // walk finds them) instead of a dictionary by id per sheet; the same sums in the same order.
        let ids = curatorIDs(of: counted)
        var count = [Int](repeating: 0, count: ids.count), sums = [Double](repeating: 0, count: ids.count)
        var n = 0, sum = 0.0
        var at = [Int]()
        at.reserveCapacity(ids.count)
        func positions(_ sheets: [(curator: CuratorID, score: Double)]) {
            at.removeAll(keepingCapacity: true)
            var j = 0
            for s in sheets {
                while j < ids.count, ids[j] != s.curator { j += 1 }
                if j == ids.count { j = ids.firstIndex(of: s.curator)! }  // sheets out of curator order
                at.append(j)
            }
        }
        for entry in counted {
            positions(entry.sheets)
            for (k, s) in entry.sheets.enumerated() {
                count[at[k]] += 1; sums[at[k]] += s.score
                n += 1; sum += s.score
            }
        }
        let mean = n > 0 ? sum / Double(n) : 0
        // Two-pass for the spread, so that a constant column is exactly 0, not 1e-7.
        let curatorMeans = ids.indices.map { sums[$0] / Double(count[$0]) }
        var dev = [Double](repeating: 0, count: ids.count)
        var devAll = 0.0
        for entry in counted {
            positions(entry.sheets)
            for (k, s) in entry.sheets.enumerated() {
                let d = s.score - curatorMeans[at[k]]
                dev[at[k]] += d * d
                devAll += (s.score - mean) * (s.score - mean)
            }
        }
        var scales: [CuratorID: Normalisation.Scale] = [:]
        for (i, c) in ids.enumerated() where count[i] > 0 {
            let m = curatorMeans[i]
            let s = (dev[i] / Double(count[i])).squareRoot()
            let treatment: Normalisation.Treatment =
                count[i] < Normalisation.minimumSheets ? .tooFewSheets : s < 1e-9 ? .noSpread : .normalised
            scales[c] = .init(curator: c, sheets: count[i], mean: m, standardDeviation: s, treatment: treatment)
        }
        return Normalisation(committeeMean: mean,
                             committeeStandardDeviation: n > 0 ? (devAll / Double(n)).squareRoot() : 0,
                             scales: scales)
    }
}

/// One product's raw and normalised score side by side, with its rank on each basis.
public struct NormalisedRow: Hashable, Sendable {
    public var product: ProductID
    public var name: String
    public var cluster: Cluster
    public var raw: Double?
    public var normalised: Double?
    public var rawRank: Int?
    public var normalisedRank: Int?
    /// rawRank − normalisedRank: positive when normalisation moves the product up.
    public var move: Int? {
        guard let a = rawRank, let b = normalisedRank else { return nil }
        return a - b
    }
}

extension Round {
    /// The ranking of a cluster on a given basis (whatever the round is set to).
    public func ranking(_ cluster: Cluster, basis: ScoreBasis) -> [RankedProduct] {
        ranking(cluster, normalisation: basis == .normalised ? normalisation() : nil)
    }

    /// Raw and normalised scores and ranks of a cluster's products, in normalised rank order
    /// (then raw-only, then unranked). `normalisation` saves computing it again.
    public func normalisedRows(_ cluster: Cluster, normalisation given: Normalisation? = nil) -> [NormalisedRow] {
        let raw = ranking(cluster, normalisation: nil)
        let norm = renormalised(raw, by: given ?? normalisation())
        var rawBy: [ProductID: RankedProduct] = [:]
        for r in raw { rawBy[r.product.id] = r }
        return norm.map { n in
            let r = rawBy[n.product.id]
            return NormalisedRow(product: n.product.id, name: n.product.name, cluster: cluster,
                                 raw: r?.aggregate.score, normalised: n.aggregate.score,
                                 rawRank: r?.rank, normalisedRank: n.rank)
        }
    }
}

extension Round {
    /// A raw ranking on the normalised basis: each product's sheet scores adjusted and its
    /// aggregate recomputed from them exactly as `aggregate(_:normalisation:)` does, then the
    /// ranked products re-sorted by the chain. The same answer as `ranking(_:normalisation:)`
    /// without weighing every sheet and checking every product's eligibility again: which products
    /// are ranked does not depend on the basis (eligibility and the number of counted sheets).
    func renormalised(_ raw: [RankedProduct], by norm: Normalisation) -> [RankedProduct] {
        var ranked: [RankedProduct] = [], rest: [RankedProduct] = []
        ranked.reserveCapacity(raw.count)
        for var r in raw {
            guard r.rank != nil else { rest.append(r); continue }
            var a = r.aggregate
            for (c, x) in a.sheetScores { a.sheetScores[c] = norm.adjust(x, curator: c) }
            a.summarise(round.settings.aggregation)
            r.aggregate = a
            ranked.append(r)
        }
        ranked.sort(by: precedes)
        for i in ranked.indices { ranked[i].rank = i + 1 }
        return ranked + rest
    }
}
