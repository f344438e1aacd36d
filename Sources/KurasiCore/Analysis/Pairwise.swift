import Foundation

/// The pairwise round at the cut line (after Gavel): curators compare pairs of the products
/// around fifth place (A, B or equal), and a Bradley-Terry fit orders them. The products at the
/// cut line of a cluster are the 4th and 5th of the five the rules allow and the next two the
/// rules would allow after them ("ranks 4–7"), plus any product a curator has compared.
///
/// Bradley-Terry: P(i beats j) = s_i / (s_i + s_j). The strengths are fitted by Hunter's MM
/// iteration, s_i ← W_i / Σ_j n_ij / (s_i + s_j), where W_i counts wins and half of each tie,
/// then scaled to sum to 1. A product that never lost has no finite strength; the fit stops
/// after `iterations` with it on top, which is the order the comparisons say.
public struct PairwiseStanding: Hashable, Sendable {
    public var product: ProductID
    public var strength: Double
    public var wins: Int
    public var losses: Int
    public var ties: Int
    public var comparisons: Int { wins + losses + ties }
}

public struct PairwiseRound: Hashable, Sendable {
    public var cluster: Cluster
    /// The products at the cut line, in their ranking order.
    public var cutLine: [ProductID]
    /// Bradley-Terry order, strongest first; empty before any comparison.
    public var order: [PairwiseStanding]
    public var comparisons: Int
}

public enum BradleyTerry {
    /// Fit strengths for `items` from (winner, loser, tie) outcomes. Items without a comparison
    /// keep strength 0 and sort last.
    public static func fit(items: [ProductID], outcomes: [(a: ProductID, b: ProductID, result: Comparison.Preference)],
                           iterations: Int = 10_000, tolerance: Double = 1e-12) -> [PairwiseStanding] {
        let index = Dictionary(items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let n = items.count
        var wins = [Double](repeating: 0, count: n)
        var w = [Int](repeating: 0, count: n), l = w, t = w
        var games = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for o in outcomes {
            guard let i = index[o.a], let j = index[o.b], i != j else { continue }
            games[i][j] += 1; games[j][i] += 1
            switch o.result {
            case .a: wins[i] += 1; w[i] += 1; l[j] += 1
            case .b: wins[j] += 1; w[j] += 1; l[i] += 1
            case .same: wins[i] += 0.5; wins[j] += 0.5; t[i] += 1; t[j] += 1
            }
        }
        let played = (0..<n).map { i in games[i].contains { $0 > 0 } }
        var s = [Double](repeating: 1, count: n)
        for _ in 0..<iterations {
            var next = s
            for i in 0..<n where played[i] {
                var denom = 0.0
                for j in 0..<n where games[i][j] > 0 { denom += games[i][j] / (s[i] + s[j]) }
                next[i] = Swift.max(wins[i] / denom, 1e-300)
            }
            let total = (0..<n).filter { played[$0] }.reduce(0.0) { $0 + next[$1] }
            if total > 0 { for i in 0..<n where played[i] { next[i] /= total } }
            let change = (0..<n).reduce(0.0) { Swift.max($0, abs(next[$1] - s[$1])) }
            s = next
            if change < tolerance { break }
        }
        var out: [PairwiseStanding] = []
        for i in 0..<n {
            out.append(PairwiseStanding(product: items[i], strength: played[i] ? s[i] : 0, wins: w[i], losses: l[i], ties: t[i]))
        }
        return out.sorted { $0.strength != $1.strength ? $0.strength > $1.strength : $0.product.precedes($1.product) }
    }
}

extension Round {
    /// The products at the cut line of a cluster (see `PairwiseRound`).
    public func cutLine(_ cluster: Cluster) -> [ProductID] {
        cutLine(of: ranking(cluster))
    }

    /// The cut line of an already computed ranking of one cluster on the round's basis (the
    /// console's own, kept current edit by edit): no ranking is computed here.
    public func cutLine(of ranked: [RankedProduct]) -> [ProductID] {
        let five = topFive(of: ranked)
        var out = Array(five.dropFirst(3))
        var producers = Set(five.compactMap { product($0)?.producer })
        var extra = 0
        for r in ranked where r.rank != nil && !five.contains(r.product.id) {
            guard extra < 2 else { break }
            if round.settings.onePinPerProducer, !producers.insert(r.product.producer).inserted { continue }
            out.append(r.product.id); extra += 1
        }
        return out
    }

    /// The pairwise round of a cluster as `curator` may see it (blindness applies to the others'
    /// judgements while scoring is blind).
    public func pairwise(_ cluster: Cluster, visibleTo curator: CuratorID? = nil, everything: Bool = false) -> PairwiseRound {
        pairwise(cluster, line: cutLine(cluster), visibleTo: curator, everything: everything)
    }

    /// `pairwise(_:visibleTo:everything:)` on an already computed ranking of the cluster (see `cutLine(of:)`).
    public func pairwise(_ cluster: Cluster, ranked: [RankedProduct], visibleTo curator: CuratorID? = nil,
                         everything: Bool = false) -> PairwiseRound {
        pairwise(cluster, line: cutLine(of: ranked), visibleTo: curator, everything: everything)
    }

    func pairwise(_ cluster: Cluster, line: [ProductID], visibleTo curator: CuratorID?, everything: Bool,
                  all: [Comparison]? = nil) -> PairwiseRound {
        let list = (everything ? all ?? comparisons : comparisons(visibleTo: curator)).filter { product($0.a)?.cluster == cluster }
        var items = line
        for c in list { for p in [c.a, c.b] where !items.contains(p) { items.append(p) } }
        let order = list.isEmpty ? [] : BradleyTerry.fit(items: items, outcomes: list.map { ($0.a, $0.b, $0.prefer) })
        return PairwiseRound(cluster: cluster, cutLine: line, order: order, comparisons: list.count)
    }

    /// The next pair at the cut line for `curator` to compare: a pair they have not judged, the
    /// least compared first, then the closest in current strength (the least certain), then by id.
    public func nextPair(_ cluster: Cluster, for curator: CuratorID) -> (ProductID, ProductID)? {
        nextPair(cluster, for: curator, line: cutLine(cluster))
    }

    /// `nextPair(_:for:)` on an already computed ranking of the cluster (see `cutLine(of:)`): the
    /// console's, so that a key on the pairwise screen never ranks a province-sized cluster.
    public func nextPair(_ cluster: Cluster, for curator: CuratorID, ranked: [RankedProduct]) -> (ProductID, ProductID)? {
        nextPair(cluster, for: curator, line: cutLine(of: ranked))
    }

    func nextPair(_ cluster: Cluster, for curator: CuratorID, line whole: [ProductID]) -> (ProductID, ProductID)? {
        let line = whole.filter { p in
            guard let prod = product(p) else { return false }
            return self.curator(curator)?.isRecused(from: prod.producer) != true
        }
        let folded = comparisons
        let all = folded.filter { product($0.a)?.cluster == cluster }
        let fit = pairwise(cluster, line: whole, visibleTo: nil, everything: true, all: folded).order
        let strength = Dictionary(fit.map { ($0.product, $0.strength) }, uniquingKeysWith: { a, _ in a })
        var best: ((ProductID, ProductID), Int, Double)?
        for (i, x) in line.enumerated() {
            for y in line[(i + 1)...] {
                let (a, b) = x < y ? (x, y) : (y, x)
                let judged = all.filter { $0.a == a && $0.b == b }
                if judged.contains(where: { $0.curator == curator }) { continue }
                let sa = strength[a] ?? 0, sb = strength[b] ?? 0
                let gap = sa > 0 && sb > 0 ? abs(log(sa) - log(sb)) : 0
                let cand = ((a, b), judged.count, gap)
                if let cur = best {
                    if cand.1 < cur.1 || (cand.1 == cur.1 && (cand.2 < cur.2 || (cand.2 == cur.2 && (a, b) < cur.0))) { best = cand }
                } else { best = cand }
            }
        }
        return best?.0
    }
}
