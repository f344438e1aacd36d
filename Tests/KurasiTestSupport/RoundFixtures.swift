import KurasiCore

// What every test target shares (one copy, not one per target). Test fixtures write ids as
// literals, some interpolated ("P-M\(i)"). Only the tests get the interpolation: in Kurasi itself
// a String becomes an id only at an edge, by name.
extension ProductID: ExpressibleByStringInterpolation {}
extension ProducerID: ExpressibleByStringInterpolation {}
extension CuratorID: ExpressibleByStringInterpolation {}
extension CriterionID: ExpressibleByStringInterpolation {}

/// The parts of a round as a store file holds them.
public struct RoundParts {
    public var revision: Int
    public var round: RoundInfo
    public var rubric: Rubric
    public var curators: [Curator]
    public var producers: [Producer]
    public var products: [Product]
    public var scores: ScoreMap
    public var pins: [Cluster: [Pin]]
    public var events: [Event]
}

extension Round {
    /// The round as a hand-edited store file would hold it: its parts changed by `edit`, then
    /// read through the one init the store's loader uses. (Tests of what the rules and the
    /// exports make of data no command would write; everything else goes through commands.)
    public func handEdited(_ edit: (inout RoundParts) throws -> Void) rethrows -> Round {
        var p = RoundParts(revision: revision, round: round, rubric: rubric, curators: curators, producers: producers,
                           products: products, scores: scores, pins: pins, events: events)
        try edit(&p)
        return Round(revision: p.revision, round: p.round, rubric: p.rubric, curators: p.curators, producers: p.producers,
                     products: p.products, scores: p.scores, pins: p.pins, events: p.events)
    }
}
