/// What an analysis screen draws, as plain values, so that the screen itself only places them:
/// per-curator histograms and leniency as bar lengths, the top-five probabilities as bars, raw
/// and normalised ranks side by side with the moves, and a product's sheets as dots on 0–100.
/// Lengths are in cells; a screen draws them with block characters (readable without colour).
public struct CuratorBars: Hashable, Sendable {
    public var curator: CuratorID
    public var name: String
    public var sheets: Int
    /// Ten bins of 10 points, each bar's length in cells (the fullest bin of any curator fills
    /// the width given).
    public var histogram: [Int]
    /// The sheets in each of the ten bins (a screen scales them among the curators it may show).
    public var counts: [Int]
    /// Leniency as cells left (negative, severe) or right (positive, lenient) of a centre line.
    public var leniency: Int
    public var leniencyValue: Double?
}

public struct ProbabilityBar: Hashable, Sendable {
    public var product: ProductID
    public var rank: Int?
    public var inTopFive: Bool
    public var probability: Double
    public var cells: Int
}

public struct AnalysisData: Hashable, Sendable {
    public var curators: [CuratorBars]
    public var probabilities: [Cluster: [ProbabilityBar]]
    public var ranks: [Cluster: [NormalisedRow]]
}

/// A product's counted sheets as dots on a 0–100 line of `width` cells.
public struct SheetDots: Hashable, Sendable {
    public var width: Int
    /// The cell of each sheet score, sorted (two sheets may share a cell; `counts` says how many).
    public var cells: [Int]
    public var counts: [Int: Int]
    /// The cell of the product's score.
    public var score: Int?
}

extension Round {
    /// The data of the analysis screen. `barWidth` is the longest bar in cells; `leniencyLimit`
    /// the leniency (in points) that fills `barWidth` on either side.
    public func analysisData(barWidth: Int, leniencyLimit: Double = 20, seed: UInt64 = Stability.defaultSeed,
                             resamples: Int = Stability.defaultResamples) -> AnalysisData {
        let cal = calibration()
        let hist = Bars.lengths(cal.curators.flatMap(\.histogram), width: barWidth)
        let curators = cal.curators.enumerated().map { i, c in
            CuratorBars(curator: c.curator, name: c.name, sheets: c.sheets, histogram: Array(hist[(i * 10)..<(i * 10 + 10)]),
                        counts: c.histogram,
                        leniency: c.leniency.map { Bars.signed($0, limit: leniencyLimit, width: barWidth) } ?? 0,
                        leniencyValue: c.leniency)
        }
        var probabilities: [Cluster: [ProbabilityBar]] = [:], ranks: [Cluster: [NormalisedRow]] = [:]
        let norm = normalisation()
        for c in stability(seed: seed, resamples: resamples).clusters {
            probabilities[c.cluster] = c.probabilities.map {
                ProbabilityBar(product: $0.product, rank: $0.rank, inTopFive: $0.inTopFive, probability: $0.probability,
                               cells: Bars.length($0.probability, width: barWidth))
            }
            ranks[c.cluster] = normalisedRows(c.cluster, normalisation: norm).filter { $0.raw != nil }
        }
        return AnalysisData(curators: curators, probabilities: probabilities, ranks: ranks)
    }

    /// A product's sheets as dots, or nil when `curator` may not see them yet (blind scoring).
    /// The sheets and the score are on the basis the round ranks by: on a normalised round each
    /// sheet is the curator's normalised score and ◆ the normalised score, as the list shows it.
    /// `aggregate` is the product's aggregate on that basis when the caller holds it (the
    /// console's ranking), saving the round's normalisation.
    public func sheetDots(product id: ProductID, width: Int, visibleTo curator: CuratorID?,
                          aggregate given: Aggregate? = nil) -> SheetDots? {
        guard width > 1, let p = product(id), visibility(of: id, to: curator).otherSheets else { return nil }
        let a = given ?? aggregate(p, normalisation: scoreBasis == .normalised ? normalisation() : nil)
        func cell(_ x: Double) -> Int { Swift.max(0, Swift.min(width - 1, Int((x / 100 * Double(width - 1)).rounded()))) }
        let cells = a.sheetScores.values.map(cell).sorted()
        var counts: [Int: Int] = [:]
        for c in cells { counts[c, default: 0] += 1 }
        return SheetDots(width: width, cells: cells, counts: counts, score: a.score.map(cell))
    }
}

extension Round {
    /// The analysis as `curator` may see it, by the one blind rule (`visibility(of:to:)`): once
    /// scores are public, all of it. While scoring is blind, a curator's own bars only (their own
    /// sheets; their leniency compares them with others only on products their sheet is complete
    /// for), and the probabilities and ranks of only the products whose score they may see; the
    /// projector (nil) sees none of it.
    public func analysisData(_ data: AnalysisData, visibleTo curator: CuratorID?) -> AnalysisData {
        if scoresArePublic { return data }
        var out = data
        out.curators = data.curators.filter { curator != nil && $0.curator == curator }
        for (cluster, list) in data.probabilities {
            out.probabilities[cluster] = list.filter { visibility(of: $0.product, to: curator).score }
        }
        for (cluster, list) in data.ranks {
            out.ranks[cluster] = list.filter { visibility(of: $0.product, to: curator).score }
        }
        return out
    }
}
