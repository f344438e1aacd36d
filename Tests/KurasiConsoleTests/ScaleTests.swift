import Foundation
import KurasiConsole
import KurasiCore
import KurasiTestSupport
import Testing

/// The console's indexes for province-size rounds (the search keys beside each ranking, the
/// narrowing filter, the events by product, the coverage counted once) give the same answers as
/// the plain computation over the round: random keys, filters, sorts, score edits, pins and
/// validations on the Madiun round, and after each one the rows, the history and the counts
/// compared with what the round itself says.
@Suite("Console at scale: indexes equal the plain computation")
struct ScaleTests {
    /// The plain computation of a cluster's rows: the round's ranking made anew, filtered by the
    /// lowercased text (name, id, producer, kelurahan) and sorted as the list says.
    static func plainRows(_ s: State, _ cluster: Cluster) -> [ProductID] {
        let round = s.round
        let ranking = round.ranking(cluster)
        let needle = Array(s.list.filter.lowercased().utf8)
        func text(_ p: Product) -> [UInt8] {
            let producer = round.producer(p.producer)
            return Array([p.name.lowercased(), p.id.rawValue.lowercased(), producer?.name.lowercased() ?? "",
                          producer?.kelurahan.lowercased() ?? ""].joined(separator: "\u{1F}").utf8)
        }
        func contains(_ hay: [UInt8], _ n: [UInt8]) -> Bool {
            guard !n.isEmpty else { return true }
            guard hay.count >= n.count else { return false }
            for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n { return true }
            return false
        }
        var rows = ranking.filter { contains(text($0.product), needle) }
        switch s.list.sort {
        case .rank:
            if !round.scoresArePublic {
                let blind = { (r: RankedProduct) in !round.visibility(of: r.product.id, to: s.curator).score }
                rows = rows.filter(blind).sorted { $0.product.id < $1.product.id } + rows.filter { !blind($0) }
            }
        case .id:
            rows.sort { $0.product.id < $1.product.id }
        case .name, .producer, .kelurahan:
            func key(_ r: RankedProduct) -> String {
                let producer = round.producer(r.product.producer)
                switch s.list.sort {
                case .name: return r.product.name.lowercased()
                case .producer: return producer?.name.lowercased() ?? ""
                default: return producer?.kelurahan.lowercased() ?? ""
                }
            }
            rows.sort { (key($0), $0.product.id) < (key($1), $1.product.id) }
        }
        return rows.map(\.product.id)
    }

    static func check(_ d: Driver, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let s = d.state
        for cluster in Cluster.allCases {
            // A console opened on a store ranks the other cluster behind the screen: until it
            // comes, that cluster is not on screen.
            guard s.rankings[cluster] != nil else {
                #expect(cluster != s.list.cluster && s.list.filter.isEmpty && s.screen != .board,
                        "\(step): \(cluster) shown before it is ranked", sourceLocation: sourceLocation)
                continue
            }
            let shown = (s.rows[cluster] ?? s.visibleRows).map(\.product.id)
            #expect(shown == plainRows(s, cluster), "\(step): \(cluster) rows", sourceLocation: sourceLocation)
            #expect(s.rankings[cluster] == s.round.ranking(cluster), "\(step): \(cluster) ranking", sourceLocation: sourceLocation)
        }
        let rows = s.visibleRows
        for i in rows.indices.prefix(80) {
            let p = rows[i].product
            #expect(s.coverage(of: p) == s.round.coverage(p), "\(step): coverage of \(p.id)", sourceLocation: sourceLocation)
        }
        for p in s.round.products.prefix(40) + [s.selected?.product].compactMap({ $0 }) {
            #expect(s.history(of: p.id) == s.round.history(product: p.id, visibleTo: s.curator),
                    "\(step): history of \(p.id)", sourceLocation: sourceLocation)
        }
    }

    /// The producers' list (made when its screen is first opened, and again on opening after the
    /// round changed while it was away) against the plain computation over the round: the rows of
    /// the tab and filter, the registry's duplicate suspects, the product counts, the marks.
    static func checkProducers(_ d: Driver, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let s = d.state, m = s.producerList, round = s.round
        guard s.screen == .producers || s.screen == .producer else { return }
        #expect(m.isCurrent, "\(step): producers' list made", sourceLocation: sourceLocation)
        #expect(m.duplicates == round.duplicateSuspects(), "\(step): duplicate suspects", sourceLocation: sourceLocation)
        var counts: [ProducerID: Int] = [:]
        for p in round.products { counts[p.producer, default: 0] += 1 }
        #expect(m.productCounts == counts, "\(step): product counts", sourceLocation: sourceLocation)
        let needle = m.filter.lowercased()
        let rows = round.producers.indices.filter { i in
            let p = round.producers[i]
            let shown = switch m.tab {
            case .pending: p.validation.status == .pending
            case .valid: p.validation.status == .valid
            case .rejected: p.validation.status == .rejected
            case .all: true
            }
            let text = [p.id.rawValue, p.name, p.owner, p.kelurahan, p.kecamatan, p.nib ?? "", p.phone?.filter(\.isNumber) ?? ""]
                .joined(separator: "\u{1F}").lowercased()
            return shown && (needle.isEmpty || text.contains(needle))
        }
        #expect(m.rows == rows, "\(step): producers' rows", sourceLocation: sourceLocation)
        #expect(m.marked.isSubset(of: Set(round.producers.map(\.id))), "\(step): marks", sourceLocation: sourceLocation)
        #expect(rows.isEmpty || rows.indices.contains(m.cursor), "\(step): producers' cursor", sourceLocation: sourceLocation)
    }

    @Test("random filters, sorts, clusters and edits: the rows, counts and histories of the plain computation",
          arguments: [UInt64(1), 2, 3], [false, true])
    func differential(seed: UInt64, deferred: Bool) throws {
        var rng = SplitMix64(seed: seed)
        // Deferred: opened as on a store, the other cluster's ranking held and answered at random
        // moments, often after edits made it stale.
        let d = console(curator: "K2", width: 200, height: 60, deferringRankings: deferred, ranking: !deferred)
        let round = d.round
        let curators = round.curators.map(\.id)
        let criteria = round.rubric.criteria.map(\.id)
        let products = round.products
        // Needles from the round's own texts (so that some match), cut at random, in any case.
        func needle() -> String {
            let p = products[rng.below(products.count)]
            let source = [p.name, p.id.rawValue, round.producer(p.producer)?.name ?? "", round.producer(p.producer)?.kelurahan ?? ""][rng.below(4)]
            let chars = Array(source)
            guard !chars.isEmpty else { return "a" }
            let start = rng.below(chars.count), length = 1 + rng.below(min(6, chars.count - start))
            let text = String(chars[start..<(start + length)])
            return rng.below(2) == 0 ? text : text.uppercased()
        }
        Self.check(d, "start")
        #expect(!d.state.producerList.isCurrent, "the producers' list waits for its screen")
        for step in 0..<60 {
            switch rng.below(11) {
            case 0, 1:  // a filter typed letter by letter (each letter narrows), then kept or left open
                d.type(.char("/"))
                for c in needle() { d.type(.char(c)); Self.check(d, "step \(step) typing") }
                d.type(rng.below(2) == 0 ? .enter : .backspace)
            case 2: d.type(.escape)
            case 3: d.type(.char("s"))
            case 4: d.type(.tab)
            case 5: d.type(rng.below(2) == 0 ? .pageDown : .down)
            case 6, 7:  // a score, as another terminal or this one commits it: the incremental re-rank
                let p = products[rng.below(products.count)].id
                let by = curators[rng.below(curators.count)]
                var points: [CriterionID: Int?] = [:]
                for c in criteria where rng.below(4) != 0 { points[c] = 1 + rng.below(5) }
                if let event = try? d.round.perform(.score(product: p, points: points), by: by, at: d.clock) {
                    d.send(.committed(.saved(d.round, event)))
                }
            case 8 where rng.below(2) == 0:  // a pin or a validation: re-placed, or everything again
                let p = products[rng.below(products.count)]
                let command: Command = rng.below(2) == 0
                    ? .pin(product: p.id, slot: 1 + rng.below(5), reason: "uji")
                    : .validate(producer: p.producer, status: [.valid, .pending, .rejected][rng.below(3)], reason: "uji")
                for by in curators {
                    if let event = try? d.round.perform(command, by: by, at: d.clock) {
                        d.send(.committed(.saved(d.round, event))); break
                    }
                }
            case 9:  // the producers screen opened (made now, or again after edits while away)
                d.type(.char("v"))
                Self.checkProducers(d, "step \(step) opened")
                if rng.below(2) == 0 { d.type(.tab); d.type(.char(" ")) }  // another tab, a mark
                Self.checkProducers(d, "step \(step) tab")
                if rng.below(2) == 0 {  // to the board and back, with another terminal's edit between
                    d.type(.char("b"))
                    var producer = round.producers[rng.below(round.producers.count)]
                    producer.id = ""
                    if (try? d.round.perform(.addProducer(producer), by: curators[0], at: d.clock)) != nil {
                        d.send(.refreshed(d.round))
                    }
                    d.type(.escape)
                    Self.checkProducers(d, "step \(step) back from the board")
                }
                d.type(.escape, .escape)
                #expect(d.state.screen == .list, "step \(step): back to the list")
            case 10:  // edits the producers' list is made of, while its screen is away
                let p = products[rng.below(products.count)]
                let command: Command
                if rng.below(2) == 0 {
                    var copy = round.producers[rng.below(round.producers.count)]  // a duplicate suspect
                    copy.id = ""
                    command = .addProducer(copy)
                } else {
                    command = .addProduct(Product(id: "", producer: p.producer, name: "Uji \(step)", cluster: p.cluster,
                                                  category: "Uji", description: "", price: 1000))
                }
                if let event = try? d.round.perform(command, by: curators[0], at: d.clock) {
                    d.send(.committed(.saved(d.round, event)))
                }
            default:  // a refresh that brings a different round: everything indexed again
                d.send(.refreshed(d.round))
            }
            Self.check(d, "step \(step)")
            if deferred, rng.below(4) == 0 {
                d.answerRankings()
                Self.check(d, "step \(step) ranked behind the screen")
            }
        }
    }
}
