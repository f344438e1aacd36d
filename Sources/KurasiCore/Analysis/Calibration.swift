/// Curator calibration, for the chair to discuss before deliberation (not to shame anyone): per
/// curator their counted sheets, mean and spread, how their points fall on each criterion,
/// leniency (the mean difference between their sheet score and the mean of the other curators'
/// sheet scores on the same products) and agreement (the Pearson correlation between their sheet
/// score and that same mean of the others, over shared products); and the pairs of curators who
/// disagree most (mean absolute difference over the products both scored), with the products.
/// Raw sheet scores throughout: calibration is what normalisation corrects.
public struct CuratorCalibration: Hashable, Sendable {
    public var curator: CuratorID
    public var name: String
    public var sheets: Int
    public var mean: Double?
    /// Population standard deviation of the curator's sheet scores.
    public var spread: Double?
    /// Per criterion id, how many of the curator's counted sheets gave each point, lowest point first.
    public var points: [CriterionID: [Int]]
    /// Mean (own − others' mean) over products someone else also scored; positive is lenient.
    public var leniency: Double?
    /// Pearson correlation with the others' mean over shared products; nil below 3 products or
    /// without spread.
    public var agreement: Double?
    /// Products this curator shares with at least one other curator.
    public var shared: Int
    /// Sheet scores in ten bins of 10 points (0–10, …, 90–100; 100 falls in the last).
    public var histogram: [Int]
}

public struct Disagreement: Hashable, Sendable {
    public var curators: [CuratorID]
    /// Products both scored.
    public var shared: Int
    public var meanAbsoluteDifference: Double
    /// The products they differ most on, largest difference first (at most three), with both
    /// sheet scores in the order of `curators`.
    public var products: [(product: ProductID, scores: [Double])]

    public static func == (a: Disagreement, b: Disagreement) -> Bool {
        a.curators == b.curators && a.shared == b.shared && a.meanAbsoluteDifference == b.meanAbsoluteDifference
            && a.products.map(\.product) == b.products.map(\.product) && a.products.map(\.scores) == b.products.map(\.scores)
    }
    public func hash(into h: inout Hasher) { h.combine(curators); h.combine(shared) }
}

public struct Calibration: Hashable, Sendable {
    public var clusters: [Cluster]
    public var curators: [CuratorCalibration]
    /// The pairs who disagree most, most first (at most five; pairs sharing at least 2 products).
    public var disagreements: [Disagreement]
}

extension Round {
    public func calibration(clusters: [Cluster] = Cluster.allCases) -> Calibration {
        let all = countedSheets(keepingPoints: true)
        let counted = all.entries
        // Curators by position, and flat arrays over them: a province-sized round has millions of
        // sheets and tens of millions of curator pairs on shared products.
        let ids = curatorIDs(of: counted)
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let n = ids.count
        let lo = rubric.scaleMin, width = Swift.max(0, rubric.scaleMax - rubric.scaleMin) + 1
        let criteria = rubric.criteria.map(\.id)
        var own = [[Double]](repeating: [], count: n)
        var points = [Int](repeating: 0, count: n * criteria.count * width)
        // Per curator, against the others' mean on the same product: n, Σx, Σy, Σxy, Σx², Σy².
        var sx = [Double](repeating: 0, count: n), sy = sx, sxy = sx, sxx = sx, syy = sx
        var shared = [Int](repeating: 0, count: n)
        var pairN = [Int](repeating: 0, count: n * n), pairSum = [Double](repeating: 0, count: n * n)
        var worst = [[(ProductID, Double, Double)]](repeating: [], count: n * n)
        var idx: [Int] = []
        let wanted = Cluster.allCases.map { clusters.contains($0) }
        for (e, entry) in counted.enumerated() where wanted[Cluster.allCases.firstIndex(of: entry.product.cluster)!] {
            let sheets = entry.sheets
            let total = sheets.reduce(0) { $0 + $1.score }
            // Sheets come in curator order, as the ids: a merge walk gives their positions.
            idx.removeAll(keepingCapacity: true)
            var j = 0
            for s in sheets {
                while j < n, ids[j] != s.curator { j += 1 }
                if j == n { j = index[s.curator]! }
                idx.append(j)
            }
            for (i, s) in sheets.enumerated() {
                let c = idx[i]
                own[c].append(s.score)
                let base = (all.offsets[e] + i) * criteria.count
                for k in criteria.indices {
                    let v = all.points[base + k]
                    if v >= lo, v - lo < width { points[(c * criteria.count + k) * width + v - lo] += 1 }
                }
                if sheets.count > 1 {
                    let x = s.score, y = (total - s.score) / Double(sheets.count - 1)
                    shared[c] += 1; sx[c] += x; sy[c] += y; sxy[c] += x * y; sxx[c] += x * x; syy[c] += y * y
                }
                for j in (i + 1)..<sheets.count {
                    let t = sheets[j], p = c * n + idx[j]
                    let d = abs(s.score - t.score)
                    pairN[p] += 1; pairSum[p] += d
                    if worst[p].count < 3 || d > abs(worst[p][worst[p].count - 1].1 - worst[p][worst[p].count - 1].2) {
                        worst[p].append((entry.product.id, s.score, t.score))
                        // Largest difference first, then product id (products come in id order).
                        worst[p].sort { abs($0.1 - $0.2) != abs($1.1 - $1.2) ? abs($0.1 - $0.2) > abs($1.1 - $1.2) : $0.0 < $1.0 }
                        if worst[p].count > 3 { worst[p].removeLast() }
                    }
                }
            }
        }
        var list: [CuratorCalibration] = []
        for cur in curators.sorted(by: { $0.id < $1.id }) {
            let c = index[cur.id]!
            let values = own[c]
            let count = Double(values.count)
            let mean = values.isEmpty ? nil : values.reduce(0, +) / count
            let spread = mean.map { m in (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / count).squareRoot() }
            let k = Double(shared[c])
            let leniency = shared[c] == 0 ? nil : (sx[c] - sy[c]) / k
            var agreement: Double?
            if shared[c] >= 3 {
                let cov = sxy[c] - sx[c] * sy[c] / k, vx = sxx[c] - sx[c] * sx[c] / k, vy = syy[c] - sy[c] * sy[c] / k
                if vx > 1e-9 * k, vy > 1e-9 * k { agreement = Swift.max(-1, Swift.min(1, cov / (vx * vy).squareRoot())) }
            }
            var hist = [Int](repeating: 0, count: 10)
            for v in values { hist[Swift.min(9, Swift.max(0, Int(v / 10)))] += 1 }
            var pts: [CriterionID: [Int]] = [:]
            if !values.isEmpty {
                for (k, crit) in criteria.enumerated() {
                    let base = (c * criteria.count + k) * width
                    pts[crit] = Array(points[base..<(base + width)])
                }
            }
            list.append(CuratorCalibration(curator: cur.id, name: cur.name, sheets: values.count, mean: mean, spread: spread,
                                           points: pts, leniency: leniency, agreement: agreement, shared: shared[c], histogram: hist))
        }
        var dis: [Disagreement] = []
        for a in 0..<n {
            for b in 0..<n where pairN[a * n + b] + pairN[b * n + a] >= 2 && a < b {
                // Sheets come in curator id order, so a pair is always counted as (a, b) with a < b.
                let p = a * n + b
                dis.append(Disagreement(curators: [ids[a], ids[b]], shared: pairN[p], meanAbsoluteDifference: pairSum[p] / Double(pairN[p]),
                                        products: worst[p].map { (product: $0.0, scores: [$0.1, $0.2]) }))
            }
        }
        dis.sort { $0.meanAbsoluteDifference != $1.meanAbsoluteDifference ? $0.meanAbsoluteDifference > $1.meanAbsoluteDifference : $0.curators.lexicographicallyPrecedes($1.curators) }
        return Calibration(clusters: clusters, curators: list, disagreements: Array(dis.prefix(5)))
    }

    static func pearson(_ xy: [(Double, Double)]) -> Double? {
        guard xy.count >= 3 else { return nil }
        let n = Double(xy.count)
        let mx = xy.reduce(0) { $0 + $1.0 } / n, my = xy.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in xy { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my) }
        guard sxx > 1e-12, syy > 1e-12 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}

/// Bars for a screen or a table: lengths in whole cells, scaled so the largest value fills `width`.
public enum Bars {
    /// Block lengths for counts (a histogram): the largest count gets `width` cells, any count
    /// above zero at least one.
    public static func lengths(_ counts: [Int], width: Int) -> [Int] {
        let top = counts.max() ?? 0
        guard top > 0, width > 0 else { return counts.map { _ in 0 } }
        return counts.map { $0 == 0 ? 0 : Swift.max(1, Int((Double($0) * Double(width) / Double(top)).rounded())) }
    }

    /// A share 0…1 as a bar of `width` cells.
    public static func length(_ share: Double, width: Int) -> Int {
        Swift.max(0, Swift.min(width, Int((share * Double(width)).rounded())))
    }

    /// A signed value (leniency) as cells left (negative) or right of a centre, scaled so that
    /// `limit` fills `width` cells.
    public static func signed(_ value: Double, limit: Double, width: Int) -> Int {
        guard limit > 0 else { return 0 }
        let cells = Int((abs(value) / limit * Double(width)).rounded())
        return (value < 0 ? -1 : 1) * Swift.min(width, cells)
    }

    /// A bar drawn with block characters (readable without colour).
    public static func draw(_ cells: Int) -> String { String(repeating: "█", count: Swift.max(0, cells)) }
}
