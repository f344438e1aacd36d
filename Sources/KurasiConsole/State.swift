import KurasiCore

/// A one-line text prompt at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case pinReason(product: ProductID)
        case reopenReason
        case rejectReason(producers: [ProducerID])
        /// A yes/no question before an edit that cannot be taken back lightly (y or Enter: yes).
        case confirm(Command)
    }
    public var purpose: Purpose
    public var text: String = ""
}

public struct Message: Hashable, Sendable {
    public var text: String
    public var isWarning: Bool
    public init(text: String, isWarning: Bool) { self.text = text; self.isWarning = isWarning }
}

/// A command sent to the store whose answer has not come back yet.
public struct PendingCommit: Hashable, Sendable {
    public var command: Command
    /// A score moves to the next criterion once it stands.
    public var advance: Bool
    /// A validation of the marked producers clears the marks once it stands.
    public var clearsMarks = false
    /// A form's edit closes the form once it stands (a refusal leaves it open to be corrected).
    public var closesForm = false
    /// The first curator of a new round, added at a terminal where nobody is signed in yet,
    /// becomes the active curator once the addition stands.
    public var signsIn: CuratorID?
}

/// Whose terminal the console runs on.
public enum Seat: Hashable, Sendable {
    /// One terminal the committee shares: the curator is chosen (and changed) in the picker.
    case shared
    /// A curator's own terminal (`--curator ID` or `$KURASI_CURATOR`): the identity is fixed.
    case personal
    /// The projector (`kurasi --board`): the board, nobody signed in, nothing can be changed.
    case projector
}

/// Coverage counts kept for the rows on screen (see `State.coverage`).
struct CoverageCache: Sendable {
    struct Count: Sendable, Hashable { var scored: Int, possible: Int }
    var counts: [ProductID: Count] = [:]
}

/// Everything the console shows, as a value. Only `update` changes it.
public struct State: Sendable {
    public private(set) var round: Round
    public var lang: Language
    public var curator: CuratorID?
    public let seat: Seat
    public var screen: Screen = .list
    /// Where Esc from the board or the picker goes back to.
    public var returnScreen: Screen = .list
    public var showHelp = false
    /// The help's page: 0 the keys, 1 what the symbols mean.
    public var helpPage = 0
    public var list = ListModel()
    public var producerList = ProducerListModel()
    /// The producer the producer screen shows.
    public var producerDetail: ProducerID?
    public var criterion = 0
    public var detailProduct: ProductID?
    public var pickerCursor = 0
    public var prompt: Prompt?
    /// A form being filled in (a new product, permit or curator).
    public var form: Form?
    public var message: Message?
    public var saveFailed = false
    /// Where everything goes at the terminal's size (set by a resize message, never by drawing).
    public var layout = Layout(width: 80, height: 24)
    /// The commit the store is working on ("menyimpan…" on the status line); keys typed meanwhile
    /// wait in `queued` and are handled, in order, once it is answered.
    public var pending: PendingCommit?
    public var queued: [Key] = []
    /// A refresh (other terminals' edits) is under way.
    public var refreshing = false
    /// The analysis screen's data, as last computed (for the round at `analysisRevision`), and
    /// the revision being computed now ("menghitung…"); one computation at a time.
    public var analysis: AnalysisData?
    public var analysisRevision: Int?
    public var analysisRequested: Int?
    /// The first line of the analysis screen on view.
    public var analysisScroll = 0
    /// The pair the pairwise screen asks the active curator to compare (in id order), nil when
    /// none is left; found when the screen opens, the cluster changes or a comparison stands.
    public var pair: [ProductID]?
    /// The store's file, when the console has one open: the help shows it (where `kurasi demo`'s
    /// copy lives, and what to open again with `kurasi --store`).
    public var storeFile: String?
    /// The round is still being read (the first frame and those after it until `Msg.loaded`).
    public var loading: Loading?

    /// Rankings of the current round (recomputed when the round changes). A console opened on a
    /// store ranks first only the cluster its first screen shows (`deferringRankings`); the other
    /// is missing here until it arrives from behind the screen (`Msg.ranked`, asked for by
    /// `Effect.rank`); a key that needs it first waits for it (`awaitingRanking`): no screen ever
    /// shows a cluster whose ranking is not here.
    public private(set) var rankings: [Cluster: [RankedProduct]] = [:]
    /// How many products each cluster has (the tabs' counts while a ranking is still missing).
    public private(set) var productCounts: [Cluster: Int] = [:]
    /// The revision whose missing rankings are being computed behind the screen (one at a time).
    public var rankingRequested: Int?
    /// Whether the missing rankings come from behind the screen (`Effect.rank` is answered by a
    /// worker): a key that needs one then waits for it instead of ranking on the spot. Without a
    /// worker every cluster is ranked before the first screen, so nothing is ever missing.
    public let ranksBehind: Bool
    /// The clusters a typed key is waiting for ("menyusun peringkat non-mamin…" on the status
    /// line): the key is the first of `queued`, and it and the keys typed after it are handled,
    /// in order, once `Msg.ranked` brings them; Esc lets go of them, q still quits at once.
    public internal(set) var awaitingRanking: [Cluster]?
    /// How many clusters were ranked on the spot because the screen needed them and nothing had
    /// waited for them (never, when every path that needs a cluster waits for it).
    public private(set) var rankedOnDemand = 0
    /// Columns the longest product id takes (for the list's id column).
    public private(set) var idWidth = 6

    /// With `deferringRankings`, only the clusters the first screen shows are ranked now (the
    /// list's cluster; both for the board); the others are asked for with `Effect.rank` by the
    /// first `update`, and a key that needs them first waits for them (`ranksBehind`).
    public init(round: Round, lang: Language, curator: CuratorID? = nil, seat: Seat = .shared, deferringRankings: Bool = false) {
        self.round = round
        self.lang = lang
        ranksBehind = deferringRankings
        switch seat {
        case .projector:
            self.seat = .projector
            screen = .board; returnScreen = .board
        case .personal where curator.flatMap({ round.curator($0) }) != nil:
            self.seat = .personal
            self.curator = curator
        default:
            self.seat = .shared
            if let curator, round.curator(curator) != nil { self.curator = curator } else { screen = .curators }
        }
        setRound(round, events: nil, ranking: deferringRankings ? neededClusters : nil)
    }

    // MARK: Derived data

    /// Take a new round. `events` are the edits that lead to it from the current one when they are
    /// known (the answer to a commit); edits that only score or pin products then re-place just
    /// those products in the ranking. Anything else (an import, a validation, a rubric change, an
    /// unknown path) recomputes the rankings whole.
    mutating func setRound(_ new: Round, events: [Event]?, ranking only: [Cluster]? = nil) {
        let old = round
        // A round read anew (not the one before with these events applied) is taken whole: the
        // rankings kept in place would hold the old round's products alive beside the new ones.
        let sameProducts = new.sharesProducts(with: old)
        if !rankings.isEmpty, sameProducts, let events, new.revision == old.revision + events.count,
           events.first.map({ $0.revision == old.revision + 1 }) ?? true,
           let changed = Self.scoredOrPinned(events) {
            round = new
            // The rows share storage with the rankings; let go of those that change, so that they
            // change in place. The other cluster's rows stay as they are.
            let clusters = Set(changed.compactMap { new.product($0)?.cluster })
            list.releaseRows(of: clusters)
            rerank(new, changed: changed)
            followEvents(old, new, events)
            forget(coverageOf: changed)
            refilter(changed: clusters)
            return
        }
        // Validations change only their producers' products' eligibility: re-place those products
        // and re-sort the producers' tabs; names, NIBs and products (what the search index, the
        // duplicate suspects and the product counts are made of) stay as they were.
        if !rankings.isEmpty, sameProducts, let events, new.revision == old.revision + events.count,
           events.first.map({ $0.revision == old.revision + 1 }) ?? true,
           let producers = Self.validationsOnly(events) {
            round = new
            list.releaseRows()
            let changed = Set(new.products.lazy.filter { producers.contains($0.producer) }.map(\.id))
            rerank(new, changed: changed)
            followEvents(old, new, events)
            if producerList.isCurrent { producerList.refilter(new) }
            refilter()
            return
        }
        round = new
        // The clusters ranked before (a missing one stays missing: it is asked for again) and
        // those the screen needs now; every cluster the first time, unless told otherwise.
        let clusters = only ?? (rankings.isEmpty ? Cluster.allCases
            : Cluster.allCases.filter { rankings[$0] != nil || neededClusters.contains($0) })
        rankings = Dictionary(uniqueKeysWithValues: clusters.map { ($0, new.ranking($0)) })
        var counts: [Cluster: Int] = [:]
        for i in new.products.indices { counts[new.products[i].cluster, default: 0] += 1 }
        productCounts = counts
        idWidth = new.products.reduce(6) { max($0, $1.id.rawValue.utf8.count <= $0 ? $0 : $1.id.rawValue.count) }
        list.reindex(new, rankings: rankings)
        producerList.invalidate()
        if showsProducers { producerList.reindex(new) }
        indexEvents(new)
        coverageCache = CoverageCache()
        refilter()
    }

    /// Re-place the changed products in their clusters' rankings, and the list's keys beside them.
    private mutating func rerank(_ new: Round, changed: Set<ProductID>) {
        for cluster in Cluster.allCases {
            // A cluster not ranked yet is ranked whole when it comes (for the round it comes for).
            guard rankings[cluster] != nil else { continue }
            let mine = changed.filter { new.product($0)?.cluster == cluster }
            if mine.isEmpty { continue }
            // Where each of a few changed products was: read from the ordinals kept beside the
            // ranking (no product compared by id); many (a validation) are found by the re-rank.
            var was: [ProductID: Int] = [:]
            if mine.count <= 8 { for id in mine { was[id] = list.rankPosition(of: id, in: cluster) } }
            let moves = new.rerank(&rankings[cluster, default: []], changed: mine, hint: was.isEmpty ? nil : { was[$0] })
            self.list.reranked(rankings[cluster] ?? [], in: cluster, changed: mine, moves: moves)
        }
    }

    // MARK: Rankings made behind the screen

    /// The clusters whose ranking the screen needs: the list's (and the detail's) cluster; both
    /// for the board, the projector, and a filter (each tab counts its matches).
    var neededClusters: [Cluster] {
        clustersNeeded(on: screen, showing: list.cluster, filtering: !list.filter.isEmpty || list.editingFilter)
    }

    /// The clusters a screen needs, showing a list's cluster, with or without a filter.
    func clustersNeeded(on screen: Screen, showing cluster: Cluster, filtering: Bool) -> [Cluster] {
        if screen == .board || seat == .projector || filtering { return Cluster.allCases }
        var out = [cluster]
        if screen == .detail, let id = detailProduct, let c = round.product(id)?.cluster, c != cluster { out.append(c) }
        return out
    }

    /// The clusters a key would need that are not ranked yet: it turns the list (or the pairwise
    /// or analysis screen) to the other cluster, starts a filter (each tab counts its matches),
    /// opens the board, or goes back to a screen that needs them (from the board or the picker).
    /// Read from the same keymaps and screens `handle` acts on; every key on every screen is
    /// checked against it in the tests.
    func clustersMissing(after key: Key) -> [Cluster] {
        let missing = unranked
        guard !missing.isEmpty, !layout.isTooSmall, !showHelp, form == nil, prompt == nil else { return [] }
        // Typing a filter: every cluster is already needed (and so ranked).
        if screen == .list, list.editingFilter { return [] }
        if screen == .producers, producerList.editingFilter { return [] }
        guard let action = Keymap.action(for: key, on: screen) else { return [] }
        if seat == .projector, action.edits || action == .curators { return [] }
        let filtering = !list.filter.isEmpty
        let other: Cluster = list.cluster == .mamin ? .nonMamin : .mamin
        var next: (screen: Screen, cluster: Cluster, filtering: Bool)?
        switch (screen, action) {
        case (.board, .back): next = (returnScreen == .board ? .list : returnScreen, list.cluster, filtering)
        case (_, .board): next = (.board, list.cluster, filtering)
        case (.list, .filter): next = (.list, list.cluster, true)
        case (.list, .nextCluster), (.list, .previousCluster), (.pairwise, .nextCluster), (.pairwise, .previousCluster),
             (.analysis, .nextCluster), (.analysis, .previousCluster):
            next = (screen, other, filtering)
        case (.curators, .open) where round.curators.indices.contains(pickerCursor),
             (.curators, .back) where curator != nil:
            next = (returnScreen == .curators ? .list : returnScreen, list.cluster, filtering)
        default: break
        }
        guard let next else { return [] }
        return clustersNeeded(on: next.screen, showing: next.cluster, filtering: next.filtering).filter(missing.contains)
    }

    /// The clusters not ranked yet.
    public var unranked: [Cluster] { Cluster.allCases.filter { rankings[$0] == nil } }

    /// Rank now any cluster the screen needs that is not ranked yet (a key got there before the
    /// ranking from behind the screen did).
    mutating func rankNeeded() {
        let missing = neededClusters.filter { rankings[$0] == nil }
        guard !missing.isEmpty else { return }
        for cluster in missing { adopt(round.ranking(cluster), in: cluster) }
        rankedOnDemand += missing.count
        refilter()
    }

    /// Ask for the missing rankings of the current round to be made behind the screen, unless
    /// they are being made (an answer for an older round asks again once it is dropped).
    mutating func requestRankings() -> [Effect] {
        let missing = unranked
        guard rankingRequested == nil, !missing.isEmpty else { return [] }
        rankingRequested = round.revision
        return [.rank(revision: round.revision, clusters: missing)]
    }

    /// Rankings made behind the screen for the round at `revision`: taken when the round is
    /// still that one and the cluster is still missing; a newer round (an edit, another
    /// terminal's) or a cluster ranked meanwhile (by a full re-rank) keeps what it has.
    mutating func ranked(revision: Int, _ made: [Cluster: [RankedProduct]]) {
        if rankingRequested == revision { rankingRequested = nil }
        guard revision == round.revision else { return }
        var took = false
        for cluster in Cluster.allCases where rankings[cluster] == nil {
            guard let ranking = made[cluster] else { continue }
            adopt(ranking, in: cluster)
            took = true
        }
        if took { refilter() }
    }

    private mutating func adopt(_ ranking: [RankedProduct], in cluster: Cluster) {
        list.releaseRows()
        rankings[cluster] = ranking
        list.adopt(ranking, in: cluster)
    }

    /// The producers screen or one producer's is on view (their list must be current).
    var showsProducers: Bool { screen == .producers || screen == .producer }

    /// Make the producers' list for the round when it is not current (on opening its screen).
    mutating func prepareProducers() {
        if !producerList.isCurrent { producerList.reindex(round) }
    }

    // MARK: Events by product

    /// Per product, the positions in `round.events` of the events that touch it, oldest first:
    /// the history beside the list and in the detail without a walk over every event per frame.
    private var eventsByProduct: [ProductID: [Int]] = [:]

    private mutating func indexEvents(_ round: Round) {
        eventsByProduct = [:]
        add(round.events.indices, of: round)
    }

    private mutating func add(_ positions: Range<Int>, of round: Round) {
        for i in positions {
            for id in round.events[i].change.products where eventsByProduct[id]?.last != i {
                eventsByProduct[id, default: []].append(i)
            }
        }
    }

    /// The round's events grew by `events` (a commit's answer): index the new ones; anything else
    /// indexes them all again.
    private mutating func followEvents(_ old: Round, _ new: Round, _ events: [Event]) {
        if new.events.count == old.events.count + events.count { add(old.events.count..<new.events.count, of: new) }
        else { indexEvents(new) }
    }

    /// The events that touched a product as the active curator may see them, oldest first: the
    /// same as `round.history(product:visibleTo:)`.
    public func history(of product: ProductID) -> [Event] {
        let events = round.events
        return (eventsByProduct[product] ?? []).lazy.filter { events.indices.contains($0) }.map { events[$0] }
            .filter { round.isVisible($0, to: curator) }
    }

    // MARK: Coverage

    /// How many curators may score a product and how many have a counted sheet for it, for the
    /// rows the list has shown: kept until a product's scores change (the product's entry goes) or
    /// the round changes otherwise (all go). Filled in by `update` for the rows on screen; a row
    /// not in it is counted when drawn.
    var coverageCache = CoverageCache()

    private mutating func forget(coverageOf products: Set<ProductID>) {
        for id in products { coverageCache.counts[id] = nil }
    }

    /// Count the coverage of the rows on screen that are not counted yet.
    mutating func countCoverage(rows height: Int) {
        let rows = list.visibleRows, top = list.firstRow
        guard height > 0, top < rows.count else { return }
        if coverageCache.counts.count > 4 * height + 256 { coverageCache.counts = [:] }
        for i in top..<min(rows.count, top + height) {
            let p = rows[i].product
            if coverageCache.counts[p.id] == nil {
                let c = round.coverage(p)
                coverageCache.counts[p.id] = .init(scored: c.scored, possible: c.possible)
            }
        }
    }

    /// The coverage of a product: counted once while its scores stay the same.
    public func coverage(of product: Product) -> (scored: Int, possible: Int) {
        if let c = coverageCache.counts[product.id] { return (c.scored, c.possible) }
        return round.coverage(product)
    }

    /// The producers whose validation these events change when that is all they change; nil otherwise.
    static func validationsOnly(_ events: some Sequence<Event>) -> Set<ProducerID>? {
        var ids = Set<ProducerID>()
        func only(_ change: Change) -> Bool {
            switch change {
            case let .validation(p, _, _): ids.insert(p); return true
            case let .batch(list): return list.allSatisfy(only)
            default: return false
            }
        }
        for e in events where !only(e.change) { return nil }
        return ids.isEmpty ? nil : ids
    }

    /// The products touched by these events when every one only scores or pins; nil otherwise.
    static func scoredOrPinned(_ events: some Sequence<Event>) -> Set<ProductID>? {
        var ids = Set<ProductID>()
        func only(_ change: Change) -> Bool {
            switch change {
            case .score, .pin: ids.formUnion(change.products); return true
            case let .batch(list): return list.allSatisfy(only)
            default: return false
            }
        }
        for e in events { guard only(e.change) else { return nil } }
        return ids
    }

    mutating func refilter(changed: Set<Cluster>? = nil) {
        // While scoring is blind, the score order of products still blind to the active curator
        // is nobody's business: those come first, by id, then the ones they may see, by rank.
        let round = self.round, curator = self.curator
        let blind: ((ProductID) -> Bool)? = round.scoresArePublic ? nil : { !round.visibility(of: $0, to: curator).score }
        // The first time for a viewer, every product at once, by position: one pass over the
        // round's sheets reading the viewer's rows in place (a product nobody scored has no entry
        // to look at).
        let visible: () -> [Bool]? = { round.scoresVisible(to: curator) }
        list.refilter(rankings, round: round, viewer: curator, blind: blind, visible: visible, changed: changed)
    }

    // MARK: Convenience

    public var rows: [Cluster: Rows] { list.rows }
    public var visibleRows: Rows { list.visibleRows }
    public var selectedIndex: Int { list.selectedIndex }
    public var selected: RankedProduct? { list.selected }
    /// The product the detail screen shows.
    public var detail: RankedProduct? {
        guard let id = detailProduct, let p = round.product(id) else { return nil }
        return rankings[p.cluster]?.first { $0.product.id == id }
    }
    public var activeCurator: Curator? { curator.flatMap { round.curator($0) } }

    /// What the active curator (nobody, at the projector) may see of a product: KurasiCore's one rule.
    public func visibility(of product: ProductID) -> Visibility {
        round.visibility(of: product, to: curator)
    }
}
