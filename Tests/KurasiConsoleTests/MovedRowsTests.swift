import KurasiConsole
import KurasiCore
import KurasiTestSupport
import Testing

@testable import KurasiConsole

/// After a score or a pin, the console moves the edited product's row in the rows it has (its old
/// place out, its new one found by the ranking's order) instead of making the edited cluster's rows
/// again. Long seeded sequences of edits, keys and filters, sent to two consoles alike, one moving
/// its rows and one making them whole after every change: after every step both show the same
/// rows, ranks, cursor, scroll and screen, and the rows are the plain computation's.
@Suite("Console: rows moved after an edit equal rows made whole")
struct MovedRowsTests {
    /// The Madiun round with blind scoring on or off and the minimum of counted sheets given.
    static func round(blind: Bool, minSheets: Int) -> Round {
        madiun.handEdited { p in
            p.round.settings.blindScoring = blind
            p.round.settings.minSheets = minSheets
        }
    }

    static func same(_ moved: Driver, _ whole: Driver, _ step: String, screen: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let a = moved.state, b = whole.state
        for cluster in Cluster.allCases {
            #expect(a.rankings[cluster] == b.rankings[cluster], "\(step): \(cluster) ranking", sourceLocation: sourceLocation)
            if let ranking = a.rankings[cluster] {
                #expect(ranking == a.round.ranking(cluster), "\(step): \(cluster) ranking made anew", sourceLocation: sourceLocation)
            }
            let rowsA = a.rows[cluster].map { Array($0) }, rowsB = b.rows[cluster].map { Array($0) }
            #expect(rowsA == rowsB, "\(step): \(cluster) rows (ids and ranks)", sourceLocation: sourceLocation)
            #expect(a.list.cursor[cluster] == b.list.cursor[cluster], "\(step): \(cluster) cursor", sourceLocation: sourceLocation)
            #expect(a.list.top[cluster] == b.list.top[cluster], "\(step): \(cluster) scroll", sourceLocation: sourceLocation)
        }
        #expect(a.selected == b.selected, "\(step): the product under the cursor", sourceLocation: sourceLocation)
        if screen { #expect(moved.screenText == whole.screenText, "\(step): the screen", sourceLocation: sourceLocation) }
    }

    @Test("seeded edits, pins, keys and filters: the same rows, ranks, cursor and screen as rows made whole",
          arguments: [(UInt64(1), true, 1, "K2"), (2, true, 2, "K1"), (3, false, 1, "K2"), (4, false, 2, "K3"), (5, true, 1, "K4")])
    func differential(seed: UInt64, blind: Bool, minSheets: Int, viewer: String) throws {
        var rng = SplitMix64(seed: seed)
        let start = Self.round(blind: blind, minSheets: minSheets)
        let moved = console(curator: CuratorID(rawValue: viewer), width: 200, height: 40, round: start)
        let whole = console(curator: CuratorID(rawValue: viewer), width: 200, height: 40, round: start)
        whole.state.list.movesRows = false
        let curators = start.curators.map(\.id)
        let criteria = start.rubric.criteria.map(\.id)
        let products = start.products
        var round = start
        var edits = 0
        func both(_ msg: Msg) { moved.send(msg); whole.send(msg) }
        func keys(_ keys: Key...) { for k in keys { both(.key(k)) } }
        func commit(_ command: Command, by curator: CuratorID) -> Bool {
            guard let event = try? round.perform(command, by: curator, at: moved.clock) else { return false }
            moved.round = round; whole.round = round
            both(.committed(.saved(round, event)))
            edits += 1
            return true
        }
        // A product to edit: often the one under the cursor (its row moves with the cursor on it),
        // else any, of either cluster.
        func product() -> ProductID {
            if rng.below(3) == 0, let p = moved.state.selected?.product.id { return p }
            return products[rng.below(products.count)].id
        }
        // Points from a narrow range (1–2, often the same for every criterion): many ties.
        func points() -> [CriterionID: Int?] {
            var out: [CriterionID: Int?] = [:]
            let all = rng.below(2) == 0 ? 1 + rng.below(2) : nil
            for c in criteria where all != nil || rng.below(4) != 0 { out[c] = .some(all ?? 1 + rng.below(2)) }
            if rng.below(6) == 0, let c = criteria.first { out[c] = .some(nil) }  // a criterion cleared
            return out
        }
        Self.same(moved, whole, "start")
        for step in 0..<160 {
            switch rng.below(14) {
            case 0, 1, 2, 3, 4, 5:  // a score: by the viewer or another curator
                let by = rng.below(3) == 0 ? CuratorID(rawValue: viewer) : curators[rng.below(curators.count)]
                _ = commit(.score(product: product(), points: points()), by: by)
            case 6:  // a whole sheet cleared
                let p = product()
                let by = rng.below(2) == 0 ? CuratorID(rawValue: viewer) : curators[rng.below(curators.count)]
                _ = commit(.score(product: p, points: Dictionary(uniqueKeysWithValues: criteria.map { ($0, Int?.none) })), by: by)
            case 7:  // a pin or an unpin (by whoever may)
                let p = product()
                let command: Command = rng.below(3) == 0 ? .unpin(product: p) : .pin(product: p, slot: 1 + rng.below(5), reason: "uji")
                for by in curators where commit(command, by: by) { break }
            case 8:  // another terminal's edits, several at once
                var events: [Event] = []
                for _ in 0..<(2 + rng.below(3)) {
                    if let e = try? round.perform(.score(product: product(), points: points()), by: curators[rng.below(curators.count)], at: moved.clock) {
                        events.append(e)
                    }
                }
                moved.round = round; whole.round = round
                if !events.isEmpty { both(.refreshed(round)) }
            case 9:  // a filter typed, kept or left
                keys(.char("/"))
                let p = products[rng.below(products.count)]
                let source = Array([p.name, p.id.rawValue][rng.below(2)].lowercased())
                let from = rng.below(max(1, source.count - 2))
                for c in source[from..<min(source.count, from + 1 + rng.below(3))] { keys(.char(c)) }
                keys(rng.below(3) == 0 ? .escape : .enter)
            case 10: keys(.char("s"))
            case 11: keys(.tab)
            case 12: keys(rng.below(2) == 0 ? .pageDown : .down)
            default: keys(rng.below(2) == 0 ? .up : .pageUp)
            }
            Self.same(moved, whole, "step \(step)", screen: step % 4 == 0)
            if step % 25 == 0 { ScaleTests.check(moved, "step \(step)") }
        }
        #expect(edits > 60, "the sequence edits often (\(edits) edits)")
        #expect(moved.state.list.rowsMoved > edits / 2, "most edits moved rows (\(moved.state.list.rowsMoved) of \(edits))")
        #expect(whole.state.list.rowsMoved == 0)
    }

    @Test("a score that lifts the product under the cursor: the row moves, the cursor with it, the other rows keep their order")
    func movesOnlyTheEditedRow() throws {
        // A score that lifts the product under the cursor to the top: the cursor follows it, and
        // the row it left is taken by the next product, as when the rows are made whole.
        let d = console(curator: "K2", width: 200, height: 40, round: Self.round(blind: false, minSheets: 1))
        d.type(.pageDown, .down)
        let before = d.state.visibleRows.map(\.product.id)
        guard let selected = d.state.selected?.product.id else { Issue.record("no row under the cursor"); return }
        let at = d.state.selectedIndex
        let points = Dictionary(uniqueKeysWithValues: d.round.rubric.criteria.map { ($0.id, Int?.some(5)) })
        for by in d.round.curators.map(\.id) { d.answer(.score(product: selected, points: points), by: by) }
        let after = d.state.visibleRows.map(\.product.id)
        #expect(d.state.selected?.product.id == selected, "the cursor stays on the product it was on")
        #expect(d.state.selectedIndex < at, "the product rose in the ranking")
        #expect(after.filter { $0 != selected } == before.filter { $0 != selected }, "every other row keeps its order")
        #expect(d.screenText.contains(selected.rawValue))
        #expect(d.state.list.rowsMoved == d.round.curators.count, "each score moved the row")
    }
}

/// `p` decides whether a pin needs a reason from the console's own ranking of the cluster (kept up
/// to date with every edit), not by ranking the cluster on the screen's thread (0.5–2 s at 30,000–
/// 100,000 products).
@Suite("Console: a pin reads the console's own ranking")
struct PinFromOwnRankingTests {
    @Test("p inside the top five pins at once, outside asks why; the other cluster stays unranked, nothing ranked on the spot")
    func pinRanksNothingOnTheSpot() {
        // Opened as on a store: only the list's cluster ranked, the other one's ranking held back.
        let app = console(curator: "K1", width: 120, height: 30, round: CommitteeTests.deliberating(),
                          deferringRankings: true, ranking: false)
        #expect(app.state.unranked == [.nonMamin])
        app.type(.char("p"))
        let first = app.state.visibleRows[0].product.id
        #expect(app.round.pin(of: first)?.1.slot == 1)
        #expect(app.state.prompt == nil)
        #expect(app.state.message?.text.contains("★1") == true)
        // Rank 20: a prompt asks for the reason at once.
        for _ in 0..<19 { app.type(.down) }
        let outsider = app.state.selected!.product.id
        #expect(app.state.selected?.rank == 20)
        app.type(.char("p"))
        #expect(app.state.prompt?.purpose == .pinReason(product: outsider))
        #expect(app.screenText.contains(tr(.promptPinReason, .id, outsider)), "\(app.screenText)")
        app.type("ikon kota")
        app.type(.enter)
        #expect(app.round.pin(of: outsider)?.1.reason == "ikon kota")
        #expect(app.state.visibleRows.first { $0.product.id == outsider }?.pinnedSlot == 2)
        // Nothing was ranked on the screen's thread: the other cluster is still the worker's to rank.
        #expect(app.state.unranked == [.nonMamin])
        #expect(app.state.rankedOnDemand == 0)
    }
}
