/// Curator calibration, for the chair to discuss before deliberation (not to shame anyone): per
/// curator their counted sheets, mean and spread, how their points fall on each criterion,
/// leniency (the mean difference between their sheet score and the mean of the other curators'
/// sheet scores on the same products) and agreement (the Pearson correlation between their sheet
/// score and that same mean of the others, over shared products); and the pairs of curators who
/// disagree most (mean absolute difference over the products both scored), with the products.
/// Raw sheet scores throughout: calibration is what normalisation corrects.
public struct CuratorCalibration: Hashable, Sendable {
    public var curator: String
    public var name: String
    public var sheets: Int
    public var mean: Double?
    /// Population standard deviation of the curator's sheet scores.
    public var spread: Double?
    /// Per criterion id, how many of the curator's counted sheets gave each point, lowest point first.
    public var points: [String: [Int]]
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
    public var curators: [String]
    /// Products both scored.
    public var shared: Int
    public var meanAbsoluteDifference: Double
    /// The products they differ most on, largest difference first (at most three), with both
    /// sheet scores in the order of `curators`.
    public var products: [(product: String, scores: [Double])]

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
        let counted = countedSheetScores().filter { clusters.contains($0.product.cluster) }
        var own: [String: [Double]] = [:]
        var points: [String: [String: [Int]]] = [:]
        var diffs: [String: [(Double, Double)]] = [:]  // curator -> (own, others' mean)
        // Per pair of curators: products shared, the sum of absolute differences, and the three
        // products they differ most on so far.
        var pairs: [String: [String: (n: Int, sum: Double, worst: [(String, Double, Double)])]] = [:]
        let lo = rubric.scaleMin, width = Swift.max(0, rubric.scaleMax - rubric.scaleMin) + 1
        for entry in counted {
            let sheets = entry.sheets
            let total = sheets.reduce(0) { $0 + $1.score }
            for (i, s) in sheets.enumerated() {
                own[s.curator, default: []].append(s.score)
                let sheet = scores[entry.product.id]?[s.curator] ?? [:]
                for c in rubric.criteria {
                    var counts = points[s.curator]?[c.id] ?? [Int](repeating: 0, count: width)
                    if let v = sheet[c.id], v >= lo, v - lo < width { counts[v - lo] += 1 }
                    points[s.curator, default: [:]][c.id] = counts
                }
                if sheets.count > 1 {
                    let others = (total - s.score) / Double(sheets.count - 1)
                    diffs[s.curator, default: []].append((s.score, others))
                }
                for t in sheets[(i + 1)...] {
                    var acc = pairs[s.curator]?[t.curator] ?? (0, 0, [])
                    let d = abs(s.score - t.score)
                    acc.n += 1; acc.sum += d
                    if acc.worst.count < 3 || d > abs(acc.worst[acc.worst.count - 1].1 - acc.worst[acc.worst.count - 1].2) {
                        acc.worst.append((entry.product.id, s.score, t.score))
                        // Largest difference first, then product id (products come in id order).
                        acc.worst.sort { abs($0.1 - $0.2) != abs($1.1 - $1.2) ? abs($0.1 - $0.2) > abs($1.1 - $1.2) : $0.0 < $1.0 }
                        if acc.worst.count > 3 { acc.worst.removeLast() }
                    }
                    pairs[s.curator, default: [:]][t.curator] = acc
                }
            }
        }
        var list: [CuratorCalibration] = []
        for c in curators.sorted(by: { $0.id < $1.id }) {
            let values = own[c.id] ?? []
            let n = Double(values.count)
            let mean = values.isEmpty ? nil : values.reduce(0, +) / n
            let spread = mean.map { m in (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot() }
            let d = diffs[c.id] ?? []
            let leniency = d.isEmpty ? nil : d.reduce(0) { $0 + $1.0 - $1.1 } / Double(d.count)
            var hist = [Int](repeating: 0, count: 10)
            for v in values { hist[Swift.min(9, Swift.max(0, Int(v / 10)))] += 1 }
            list.append(CuratorCalibration(curator: c.id, name: c.name, sheets: values.count, mean: mean, spread: spread,
                                           points: points[c.id] ?? [:], leniency: leniency,
                                           agreement: Self.pearson(d), shared: d.count, histogram: hist))
        }
        var dis: [Disagreement] = []
        for (a, row) in pairs {
            for (b, acc) in row where acc.n >= 2 {
                dis.append(Disagreement(curators: [a, b], shared: acc.n, meanAbsoluteDifference: acc.sum / Double(acc.n),
                                        products: acc.worst.map { (product: $0.0, scores: [$0.1, $0.2]) }))
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
