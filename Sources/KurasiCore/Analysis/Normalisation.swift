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
        var out: [(Product, [(CuratorID, Double)])] = []
        out.reserveCapacity(scores.count)
        for p in products {
            guard let sheets = scores[p.id], !sheets.isEmpty else { continue }
            let recused = Set(recusedCurators(for: p).map(\.id))
            var list: [(CuratorID, Double)] = []
            for (c, sheet) in sheets where !recused.contains(c) {
                if let s = weightedScore(sheet, cluster: p.cluster) { list.append((c, s)) }
            }
            guard !list.isEmpty else { continue }
            list.sort { $0.0 < $1.0 }
            out.append((p, list))
        }
        return out.sorted { $0.0.id < $1.0.id }.map { (product: $0.0, sheets: $0.1.map { (curator: $0.0, score: $0.1) }) }
    }

    /// The normalisation of the round's counted sheets.
    public func normalisation() -> Normalisation {
        normalisation(of: countedSheetScores())
    }

    public func normalisation(of counted: [(product: Product, sheets: [(curator: CuratorID, score: Double)])]) -> Normalisation {
        var sums: [CuratorID: (n: Int, sum: Double)] = [:]
        var n = 0, sum = 0.0
        for entry in counted {
            for (c, s) in entry.sheets {
                var t = sums[c] ?? (0, 0)
                t.n += 1; t.sum += s
                sums[c] = t
                n += 1; sum += s
            }
        }
        let mean = n > 0 ? sum / Double(n) : 0
        // Two-pass for the spread, so that a constant column is exactly 0, not 1e-7.
        var curatorMeans: [CuratorID: Double] = [:]
        for (c, t) in sums { curatorMeans[c] = t.sum / Double(t.n) }
        var dev: [CuratorID: Double] = [:]
        var devAll = 0.0
        for entry in counted {
            for (c, s) in entry.sheets {
                let d = s - curatorMeans[c]!
                dev[c, default: 0] += d * d
                devAll += (s - mean) * (s - mean)
            }
        }
        var scales: [CuratorID: Normalisation.Scale] = [:]
        for (c, t) in sums {
            let m = curatorMeans[c]!
            let s = (dev[c]! / Double(t.n)).squareRoot()
            let treatment: Normalisation.Treatment =
                t.n < Normalisation.minimumSheets ? .tooFewSheets : s < 1e-9 ? .noSpread : .normalised
            scales[c] = .init(curator: c, sheets: t.n, mean: m, standardDeviation: s, treatment: treatment)
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
