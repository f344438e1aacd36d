import KurasiCore

// Test fixtures write ids as literals, some interpolated ("P-M\(i)"). Only the tests get the
// interpolation: in Kurasi itself a String becomes an id only at an edge, by name.
extension ProductID: ExpressibleByStringInterpolation {}
extension ProducerID: ExpressibleByStringInterpolation {}
extension CuratorID: ExpressibleByStringInterpolation {}
extension CriterionID: ExpressibleByStringInterpolation {}

/// The parts of a round as a store file holds them.
struct RoundParts {
    var revision: Int
    var round: RoundInfo
    var rubric: Rubric
    var curators: [Curator]
    var producers: [Producer]
    var products: [Product]
    var scores: [ProductID: [CuratorID: Sheet]]
    var pins: [Cluster: [Pin]]
    var events: [Event]
}

extension Round {
    /// The round as a hand-edited store file would hold it: its parts changed by `edit`, then
    /// read through the one init the store's loader uses. (Tests of what the rules and the
    /// exports make of data no command would write; everything else goes through commands.)
    func handEdited(_ edit: (inout RoundParts) throws -> Void) rethrows -> Round {
        var p = RoundParts(revision: revision, round: round, rubric: rubric, curators: curators, producers: producers,
                           products: products, scores: scores, pins: pins, events: events)
        try edit(&p)
        return Round(revision: p.revision, round: p.round, rubric: p.rubric, curators: p.curators, producers: p.producers,
                     products: p.products, scores: p.scores, pins: p.pins, events: p.events)
    }
}
