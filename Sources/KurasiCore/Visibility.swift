/// What a curator may see of a product: the one rule every screen, the board, the history and
/// the exports ask. While the round is in its scoring phase and scoring is blind, a curator sees
/// a product's score, its rank, its place in the score order, the other curators' sheets and
/// their score events only once their own sheet for it is complete; the board (no curator)
/// shows no scores at all. From deliberation on, everything is visible.
public struct Visibility: Hashable, Sendable {
    /// The product's score, rank and place in the score order.
    public var score: Bool
    /// Other curators' points, sheet scores and score events.
    public var otherSheets: Bool

    public static let all = Visibility(score: true, otherSheets: true)
    public static let hidden = Visibility(score: false, otherSheets: false)
}

extension Round {
    /// The round's phase.
    public var phase: RoundState { round.status.state }

    /// Scores are visible to everyone: the round is past its scoring phase, or scoring is not blind.
    public var scoresArePublic: Bool { !round.settings.blindScoring || phase != .open }

    /// What `curator` may see of the product; nil stands for a screen nobody is signed in to
    /// (the projected board).
    public func visibility(of product: ProductID, to curator: CuratorID?) -> Visibility {
        if scoresArePublic { return .all }
        guard let curator, isComplete(sheet(product: product, curator: curator)) else { return .hidden }
        return .all
    }

    /// For every product at once, by its position in `products`: whether `curator` may see its
    /// score (`visibility(of:to:).score`). Each product's sheets are looked at in place, the
    /// curator's row read where it lies instead of made into a `Sheet`: the console's first blind
    /// order at province scale asks this of every product.
    public func scoresVisible(to curator: CuratorID?) -> [Bool] {
        if scoresArePublic || isComplete(Sheet()) {  // an empty rubric: no sheet is needed
            return [Bool](repeating: scoresArePublic || curator != nil, count: products.count)
        }
        var out = [Bool](repeating: false, count: products.count)
        guard let curator else { return out }
        let n = criterionOrder.count
        for (id, sheets) in scores {
            guard let row = sheets.curators.firstIndex(of: curator), let at = productPosition(id) else { continue }
            if sheets.criteria.count >= n, sheets.criteria.starts(with: criterionOrder) {
                out[at] = (0..<n).allSatisfy { sheets.point(row: row, column: $0) != nil }
            } else {
                out[at] = isComplete(sheets[curator] ?? Sheet())
            }
        }
        return out
    }

    /// Whether an event may be shown to `curator`: score events of other curators on a product
    /// still blind to them are not.
    public func isVisible(_ event: Event, to curator: CuratorID?) -> Bool {
        if scoresArePublic { return true }
        if event.change.fairnessChanges.contains(where: { isHiddenComparison($0, to: curator) }) { return false }
        return !event.change.scoreEntries.contains { entry in
            entry.curator != curator && !visibility(of: entry.product, to: curator).otherSheets
        }
    }

    /// A product's history as `curator` may see it, oldest first.
    public func history(product: ProductID, visibleTo curator: CuratorID?) -> [Event] {
        history(product: product).filter { isVisible($0, to: curator) }
    }
}

extension Change {
    /// The (product, curator) of every score this change sets or clears.
    public var scoreEntries: [(product: ProductID, curator: CuratorID)] {
        switch self {
        case let .score(p, c, _, _, _): [(p, c)]
        case let .batch(list): list.flatMap(\.scoreEntries)
        default: []
        }
    }
}
