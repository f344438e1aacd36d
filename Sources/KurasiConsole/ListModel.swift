import KurasiCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Sort: CaseIterable, Sendable {
    case rank, name, producer, kelurahan, id
    var label: T {
        switch self {
        case .rank: .sortRank
        case .name: .sortName
        case .producer: .sortProducer
        case .kelurahan: .sortKelurahan
        case .id: .sortID
        }
    }
}

/// The product list: which cluster is shown, the filter and the sort, each cluster's rows, cursor
/// and scroll position. The rankings it shows belong to the State; the list holds positions into
/// them.
public struct ListModel: Sendable {
    public var cluster: Cluster = .mamin
    public private(set) var cursor: [Cluster: Int] = [:]
    public private(set) var top: [Cluster: Int] = [:]
    public var filter = ""
    public var editingFilter = false
    public var sort: Sort = .rank
    /// The rows the list shows: ranking, filtered and sorted.
    public private(set) var rows: [Cluster: Rows] = [:]
    private var search = SearchIndex()
    /// What `rows` was last filtered and sorted for; typing one more letter narrows those rows.
    private var filteredFor: (needle: [UInt8], revision: Int, sort: Sort, viewer: CuratorID?, blind: Bool)?
    /// In the blind order (`sort == .rank` while scoring is blind), how many of a cluster's rows
    /// come first as hidden from the viewer (by id) before the rest (by rank).
    private var hiddenRows: [Cluster: Int] = [:]
    /// The rows of clusters let go of before a re-rank (`releaseRows(of:)`), without the ranking
    /// they shared: what the re-rank's moves are made on (`refilter`), instead of new rows.
    private var kept: [Cluster: (positions: [Int32]?, count: Int)] = [:]
    /// The moves of the last re-rank of each cluster (`reranked`), for its kept rows.
    private var moves: [Cluster: [RankMove]] = [:]
    /// Off: every change of a ranking makes its rows whole again (what the moves are tested against).
    var movesRows = true
    /// How many times a cluster's rows were moved rather than made again (for the tests).
    private(set) var rowsMoved = 0
    /// The product under each cluster's cursor: the cursor follows it when the rows move.
    private var followed: [Cluster: ProductID] = [:]

    public init() {}

    public var visibleRows: Rows { rows[cluster] ?? Rows(ranking: [], positions: nil) }
    public var selectedIndex: Int { cursor[cluster] ?? 0 }
    public var selected: RankedProduct? {
        let rows = visibleRows
        return rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil
    }
    /// The first row on screen.
    public var firstRow: Int { top[cluster] ?? 0 }

    /// Let go of the rows (they share storage with the rankings, which are about to change in place).
    mutating func releaseRows() { rememberSelection(); rows = [:]; kept = [:]; moves = [:] }

    /// Let go of the rows of `clusters` only (their rankings are about to change in place): their
    /// positions are kept, to be moved as the re-rank moves the products (`refilter`).
    mutating func releaseRows(of clusters: Set<Cluster>) {
        rememberSelection()
        for cluster in clusters {
            if let list = rows[cluster] { kept[cluster] = (list.positions, list.ranking.count) }
            rows[cluster] = nil
        }
    }

    /// Note the product under each cluster's cursor, to find it again in new rows.
    private mutating func rememberSelection() {
        for (cluster, list) in rows {
            let i = cursor[cluster] ?? 0
            if list.indices.contains(i) { followed[cluster] = list[i].product.id }
        }
    }

    /// Index the round's products (once per round, not per keystroke), and take the rankings made
    /// for it. The search texts and sort keys are made on the first filter or sort by name,
    /// producer or kelurahan (`refilter`), not before the first frame.
    mutating func reindex(_ round: Round, rankings: [Cluster: [RankedProduct]]) {
        kept = [:]; moves = [:]
        search = SearchIndex(round)
        for (cluster, ranking) in rankings { search.follow(ranking, in: cluster) }
        filteredFor = nil
    }

    /// Take a cluster's ranking made after the others (behind the screen, or on demand): the
    /// rows are filtered and sorted whole again, not narrowed from the missing cluster's none.
    mutating func adopt(_ ranking: [RankedProduct], in cluster: Cluster) {
        kept[cluster] = nil; moves[cluster] = nil
        search.follow(ranking, in: cluster)
        filteredFor = nil
    }

    /// Take a cluster's ranking after a re-rank of `changed` products (the round's products are
    /// the same; their scores, pins or validations changed), which moved them as `moves` says (nil:
    /// the ranking was made whole again).
    mutating func reranked(_ ranking: [RankedProduct], in cluster: Cluster, changed: Set<ProductID>, moves: [RankMove]?) {
        if let moves, search.follow(ranking, in: cluster, moves: moves) {
            // Two re-ranks before the rows follow (not done today): the rows are made whole.
            if self.moves[cluster] == nil { self.moves[cluster] = moves } else { self.moves[cluster] = nil; kept[cluster] = nil }
        } else {
            search.follow(ranking, in: cluster)
            self.moves[cluster] = nil; kept[cluster] = nil
        }
        search.forget(changed)
    }

    /// Where a product is in a cluster's ranking, from the ordinals beside it (nil: not there, or
    /// not known).
    func rankPosition(of id: ProductID, in cluster: Cluster) -> Int? { search.rankPosition(of: id, in: cluster) }

    /// Filter and sort each cluster's ranking again. `blind` says which products the viewer may
    /// not see the score of while scoring is blind (nil when scores are public): in the default
    /// order those come first, by id, and the rest by rank, so the order reveals no standing.
    /// The cursor stays on the product it was on when the product is still shown.
    ///
    /// `visible`, when given, says at once for every product of the round (by its position in the
    /// round's products) whether the viewer may see its score, as `blind` would answer: the first
    /// blind order for a viewer takes it instead of asking `blind` for every product.
    ///
    /// `changed`, when given, names the only clusters whose rankings changed since the last
    /// refilter (one product's score edited): the other clusters keep their rows when the
    /// filter, the sort and the viewer are what they were made for.
    mutating func refilter(_ rankings: [Cluster: [RankedProduct]], round: Round,
                           viewer: CuratorID? = nil, blind: ((ProductID) -> Bool)? = nil,
                           visible: (() -> [Bool]?)? = nil, changed: Set<Cluster>? = nil) {
        // The moves of a re-rank are for this refilter only.
        let kept = self.kept, moves = self.moves
        self.kept = [:]; self.moves = [:]
        rememberSelection()
        let revision = round.revision
        if search.count != round.products.count { search = SearchIndex(round); filteredFor = nil }
        let needle = Array(filter.lowercased().utf8)
        if !needle.isEmpty || sort != .rank { search.addTexts(round) }
        if sort == .rank, blind != nil, !search.knowsHidden(for: viewer), let seen = visible?() {
            search.setHidden(viewer: viewer, visible: seen)
        }
        // One more letter typed: only the rows that matched before can match now.
        let narrowing = filteredFor.map {
            !$0.needle.isEmpty && $0.revision == revision && $0.sort == sort && $0.viewer == viewer
                && needle.starts(with: $0.needle)
        } ?? false
        // Many candidates: one pass over every product's text for the needle (for both clusters);
        // few (a longer needle narrowing): a search in each candidate's text.
        var hits: [Bool]?
        let candidates = narrowing ? Cluster.allCases.reduce(0) { $0 + (rows[$1]?.positions?.count ?? rankings[$1]?.count ?? 0) } : Int.max
        // The rows were made for this filter, sort and viewer: a cluster whose ranking did not
        // change keeps them, one whose products moved moves them the same way.
        let same = filteredFor.map { $0.needle == needle && $0.sort == sort && $0.viewer == viewer && $0.blind == (blind != nil) } == true
        let unchanged = changed.map { changed in same ? Set(Cluster.allCases).subtracting(changed) : [] } ?? []
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            if unchanged.contains(cluster), rows[cluster] != nil { continue }
            if search.ordinals(cluster).count != ranking.count { search.follow(ranking, in: cluster) }
            if movesRows, same, changed?.contains(cluster) == true, let kept = kept[cluster], let moves = moves[cluster],
               move(cluster, ranking, kept: kept, moves: moves, needle: needle, viewer: viewer, blind: blind) {
                rowsMoved += 1
                continue
            }
            if !needle.isEmpty, hits == nil, candidates > search.count / 8 { hits = search.containing(needle) }
            var positions: [Int32]?
            let split = hiddenRows[cluster]
            hiddenRows[cluster] = nil
            if narrowing, let before = rows[cluster]?.positions {
                func narrow(_ candidates: ArraySlice<Int32>) -> [Int32] {
                    hits.map { search.matching($0, in: cluster, candidates: candidates) }
                        ?? search.matching(needle, in: cluster, candidates: candidates)
                }
                if sort == .rank, blind != nil, let split, split <= before.count {
                    // The hidden rows first, the rest after: each part narrowed in its order.
                    let hidden = narrow(before[..<split])
                    positions = hidden + narrow(before[split...])
                    hiddenRows[cluster] = hidden.count
                } else {
                    positions = narrow(before[...])
                }
            } else {
                if !needle.isEmpty {
                    let all = Int32(0)..<Int32(ranking.count)
                    positions = hits.map { search.matching($0, in: cluster, candidates: all) }
                        ?? search.matching(needle, in: cluster, candidates: all)
                }
                if sort == .rank, let blind {
                    let p = positions ?? ranking.indices.map { Int32($0) }
                    let order = search.ordinals(cluster)
                    var hidden: [Int32] = [], shown: [Int32] = []
                    shown.reserveCapacity(p.count)
                    search.prepareHidden(viewer: viewer)
                    for i in p {
                        if search.isHidden(order[Int(i)], ranking, Int(i), blind) { hidden.append(i) }
                        else { shown.append(i) }
                    }
                    // By id; by ordinal when the round's products are in id order (the same order).
                    if search.productsInIDOrder(), hidden.allSatisfy({ order[Int($0)] >= 0 }) {
                        hidden.sort { order[Int($0)] < order[Int($1)] }
                    } else {
                        hidden.sort { ranking[Int($0)].product.id.precedes(ranking[Int($1)].product.id) }
                    }
                    hiddenRows[cluster] = hidden.count
                    positions = hidden + shown
                } else if sort != .rank {
                    var p = positions ?? ranking.indices.map { Int32($0) }
                    let index = search, sort = sort, order = search.ordinals(cluster)
                    p.sort { a, b in
                        let x = index.sortKey(order[Int(a)], sort), y = index.sortKey(order[Int(b)], sort)
                        return x != y ? x < y : ranking[Int(a)].product.id.precedes(ranking[Int(b)].product.id)
                    }
                    positions = p
                }
            }
            let list = Rows(ranking: ranking, positions: positions)
            rows[cluster] = list
            if let id = followed[cluster], let i = row(of: id, in: cluster) {
                cursor[cluster] = i
            } else {
                cursor[cluster] = max(0, min(cursor[cluster] ?? 0, list.count - 1))
            }
        }
        filteredFor = (needle, revision, sort, viewer, blind != nil)
    }

    /// The row of a product in a cluster's rows: its ordinal found beside the ranking, then its
    /// position among the rows (small integers compared, no product's id).
    private func row(of id: ProductID, in cluster: Cluster) -> Int? {
        guard let list = rows[cluster] else { return nil }
        guard let at = search.rankPosition(of: id, in: cluster), list.ranking.indices.contains(at),
              list.ranking[at].product.id == id else { return list.firstIndex(of: id) }
        guard let positions = list.positions else { return at }
        return positions.firstIndex(of: Int32(at))
    }

    /// Bring a cluster's rows up to date after a re-rank moved one product (`moves`, from the
    /// rows `kept` before it) instead of making them again: the product's row taken out and put
    /// back where the list's order puts it (by rank; among the hidden rows by id, when it is
    /// still hidden from the viewer; in place when the list is sorted by a key a score does not
    /// change), the other rows' positions shifted like the ranking's, the cursor on the product
    /// it was on. False (nothing changed) when the moves are not one product's move within the
    /// cluster, or the rows not what this refilter would have made before the move.
    private mutating func move(_ cluster: Cluster, _ ranking: [RankedProduct], kept: (positions: [Int32]?, count: Int),
                               moves: [RankMove], needle: [UInt8], viewer: CuratorID?, blind: ((ProductID) -> Bool)?) -> Bool {
        guard moves.count == 1, let a = moves[0].from, let b = moves[0].to, kept.count == ranking.count,
              ranking.indices.contains(b), search.ordinals(cluster).count == ranking.count else { return false }
        let id = moves[0].product
        let old = cursor[cluster] ?? 0
        guard var positions = kept.positions else {
            // Every product in rank order: the rows are the ranking.
            guard needle.isEmpty, sort == .rank, blind == nil else { return false }
            let list = Rows(ranking: ranking, positions: nil)
            rows[cluster] = list
            cursor[cluster] = list.isEmpty ? 0 : old == a ? b : Self.follow(old, removed: a, inserted: b)
            return true
        }
        let split = hiddenRows[cluster]
        if sort == .rank, blind != nil, split == nil { return false }
        if sort == .rank, blind == nil, needle.isEmpty { return false }  // these rows are the ranking (nil)
        let (a32, b32) = (Int32(a), Int32(b))
        // Every other row's position shifted as the ranking's entries between a and b shifted.
        var r = -1
        positions.withUnsafeMutableBufferPointer { p in
            for i in p.indices {
                let q = p[i]
                if q == a32 { r = i; continue }
                var n = q > a32 ? q - 1 : q
                if n >= b32 { n += 1 }
                p[i] = n
            }
        }
        guard r >= 0 else {
            // Not among the rows (the filter does not match it): they keep their places.
            rows[cluster] = Rows(ranking: ranking, positions: positions)
            cursor[cluster] = max(0, min(old, positions.count - 1))
            return true
        }
        var s = r
        if sort != .rank {
            positions[r] = b32  // sorted by name, producer, kelurahan or id: a score moves no row
        } else {
            positions.remove(at: r)
            if let blind, var hidden = split {
                if r < hidden { hidden -= 1 }
                search.prepareHidden(viewer: viewer)
                let order = search.ordinals(cluster)
                if search.isHidden(order[b], ranking, b, blind) {
                    // Among the hidden rows, by id.
                    var lo = 0, hi = hidden
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if ranking[Int(positions[mid])].product.id.precedes(id) { lo = mid + 1 } else { hi = mid }
                    }
                    s = lo
                    hidden += 1
                } else {
                    s = Self.lowerBound(b32, in: positions, from: hidden)
                }
                hiddenRows[cluster] = hidden
            } else {
                s = Self.lowerBound(b32, in: positions, from: 0)
            }
            positions.insert(b32, at: s)
        }
        let list = Rows(ranking: ranking, positions: positions)
        rows[cluster] = list
        cursor[cluster] = list.isEmpty ? 0 : old == r ? s : Self.follow(old, removed: r, inserted: s)
        return true
    }

    /// Where row `row` goes when the row at `removed` is taken out and one put in at `inserted`.
    private static func follow(_ row: Int, removed: Int, inserted: Int) -> Int {
        var c = row > removed ? row - 1 : row
        if inserted <= c { c += 1 }
        return c
    }

    /// The first index at or after `start` whose value is not below `value` (the values ascend there).
    private static func lowerBound(_ value: Int32, in values: [Int32], from start: Int) -> Int {
        var lo = start, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Put the cursor on a row of the shown cluster (clamped to the rows).
    mutating func move(to index: Int) {
        cursor[cluster] = max(0, min(visibleRows.count - 1, index))
        followed[cluster] = selected?.product.id
    }

    /// Put the cursor on a product, in its cluster, when the rows show it.
    mutating func select(_ id: ProductID, in cluster: Cluster) {
        self.cluster = cluster
        if let i = visibleRows.firstIndex(of: id) { cursor[cluster] = i; followed[cluster] = id }
    }

    /// Scroll each cluster so that its cursor is on one of `height` rows.
    mutating func keepCursorVisible(rows height: Int) {
        for cluster in Cluster.allCases {
            let count = rows[cluster]?.count ?? 0
            let c = max(0, min(cursor[cluster] ?? 0, count - 1))
            var t = top[cluster] ?? 0
            if c < t { t = c }
            if c >= t + height { t = c - height + 1 }
            top[cluster] = max(0, min(t, max(0, count - height)))
            cursor[cluster] = c
        }
    }
}

/// Per product (by its position in the round's products, its ordinal): the lowercased text the
/// filter searches (name, id, producer, kelurahan) as bytes, all in one buffer, and the sort keys;
/// and beside each cluster's ranking, the ordinal of the product at each position, so that a
/// keystroke reads the keys by position instead of looking each product up by its id.
struct SearchIndex: Sendable {
    /// The round's products (its own array, shared): a product's ordinal is its position in them.
    private var products: [Product] = []
    /// The ordinal of each product by id: the round's own index, shared (for placing the
    /// products a re-rank moved, and the blind answers given by id).
    private var positions: [ProductID: Int] = [:]
    func ordinal(_ id: ProductID) -> Int32? { positions[id].map { Int32($0) } }
    /// Whether the products are in ascending id order (nil: not looked yet): the products blind
    /// to the viewer are then put in id order by their ordinals.
    private var inIDOrder: Bool?
    /// Every product's search text, back to back: product i's is `text[start[i]..<start[i + 1]]`.
    private var text: [UInt8] = []
    private var start: [Int] = [0]
    private var names: [String] = [], producers: [String] = [], kelurahans: [String] = []
    /// Beside each cluster's ranking: the ordinal of the product at each of its positions.
    private var order: [Cluster: [Int32]] = [:]
    /// Per ordinal, whether the viewer may not see the product's score while scoring is blind
    /// (0 not asked yet, 1 visible, 2 hidden), as the list's `blind` answered it for `viewer`:
    /// kept until the viewer changes or the product's scores do (see `forget`).
    private var hidden: [UInt8] = []
    private var hiddenFor: CuratorID??

    /// Make the blind answers those for `viewer` (all asked again when the viewer changed):
    /// once before `isHidden` is asked about many products.
    mutating func prepareHidden(viewer: CuratorID?) {
        if hiddenFor != .some(viewer) || hidden.count != count {
            hidden = [UInt8](repeating: 0, count: count); hiddenFor = .some(viewer)
        }
    }

    /// Whether the product at `ordinal` (the entry at `i` of `ranking`) is hidden from the viewer
    /// of `prepareHidden`, asking `blind` only the first time (the product's id read only then).
    mutating func isHidden(_ ordinal: Int32, _ ranking: [RankedProduct], _ i: Int, _ blind: (ProductID) -> Bool) -> Bool {
        guard ordinal >= 0 else { return blind(ranking[i].product.id) }
        switch hidden[Int(ordinal)] {
        case 1: return false
        case 2: return true
        default:
            let h = blind(ranking[i].product.id)
            hidden[Int(ordinal)] = h ? 2 : 1
            return h
        }
    }

    /// Take the blind answers for every product at once (the first blind order for a viewer):
    /// `visible[i]` says whether the viewer may see the score of the product at ordinal i. The
    /// same answers `isHidden` would get from `blind` product by product, without a look-up of
    /// each product's sheets or position. Answers for other products (a count that differs) are
    /// not taken.
    mutating func setHidden(viewer: CuratorID?, visible: [Bool]) {
        guard visible.count == count else { return }
        hidden = visible.map { $0 ? 1 : 2 }; hiddenFor = .some(viewer)
    }

    /// Whether the blind answers are kept for `viewer` (asked or set since the viewer changed).
    func knowsHidden(for viewer: CuratorID?) -> Bool { hiddenFor == .some(viewer) && hidden.count == count }

    /// The products' scores changed: ask `blind` about them again.
    mutating func forget(_ products: some Sequence<ProductID>) {
        guard !hidden.isEmpty else { return }
        for id in products { if let o = positions[id] { hidden[o] = 0 } }
    }

    init() {}

    /// The products' ordinals (what the rankings' positions and the blind order are kept by);
    /// the texts and sort keys are added by `addTexts` when a filter or a sort first needs them.
    init(_ round: Round) {
        products = round.products
        positions = round.productPositions
    }

    /// Whether the products are in ascending id order (looked at once).
    mutating func productsInIDOrder() -> Bool {
        if let known = inIDOrder { return known }
        let sorted = products.withUnsafeBufferPointer { p in
            p.count < 2 || (1..<p.count).allSatisfy { p[$0 - 1].id.precedes(p[$0].id) }
        }
        inIDOrder = sorted
        return sorted
    }

    /// Whether the search texts and sort keys are there (`addTexts`).
    private(set) var hasTexts = false

    /// Add every product's search text and sort keys, from the round the ordinals were taken from
    /// (or one with the same products and producers: only scores, pins or validations differ).
    mutating func addTexts(_ round: Round) {
        guard !hasTexts else { return }
        hasTexts = true
        let count = round.products.count
        start.reserveCapacity(count + 1)
        names.reserveCapacity(count); producers.reserveCapacity(count); kelurahans.reserveCapacity(count)
        // Each producer's lowercased name and kelurahan once, not once per product.
        var byProducer: [ProducerID: (name: String, kelurahan: String)] = [:]
        byProducer.reserveCapacity(round.producers.count)
        for p in round.producers where byProducer[p.id] == nil {
            let producer = round.producer(p.id) ?? p
            byProducer[p.id] = (producer.name.lowercased(), producer.kelurahan.lowercased())
        }
        for p in round.products {
            let producer = byProducer[p.producer]
            let name = p.name.lowercased(), pr = producer?.name ?? "", kel = producer?.kelurahan ?? ""
            text.append(contentsOf: name.utf8); text.append(0x1F)
            text.append(contentsOf: p.id.rawValue.lowercased().utf8); text.append(0x1F)
            text.append(contentsOf: pr.utf8); text.append(0x1F)
            text.append(contentsOf: kel.utf8)
            start.append(text.count)
            names.append(name); producers.append(pr); kelurahans.append(kel)
        }
    }

    /// How many products the index holds.
    var count: Int { products.count }

    /// The ordinals beside a cluster's ranking (empty until `follow` has seen it).
    func ordinals(_ cluster: Cluster) -> [Int32] { order[cluster] ?? [] }

    /// Take a cluster's ranking, made anew: the ordinals beside it, each the position the entry
    /// holds in the round's products (looked up by id only for an entry made from other products).
    mutating func follow(_ ranking: [RankedProduct], in cluster: Cluster) {
        var ordinals: [Int32] = []
        ordinals.reserveCapacity(ranking.count)
        for i in ranking.indices {
            if let at = ranking[i].position(in: products) { ordinals.append(Int32(at)) }
            else { ordinals.append(ordinal(ranking[i].product.id) ?? -1) }
        }
        order[cluster] = ordinals
    }

    /// Take a cluster's ranking after a re-rank moved products as `moves` says: the ordinals
    /// beside it moved the same way (no position compared but the moved ones). False when they do
    /// not fit the ranking: the ordinals are then not to be trusted, and the caller follows the
    /// ranking whole (`follow(_:in:)`).
    mutating func follow(_ ranking: [RankedProduct], in cluster: Cluster, moves: [RankMove]) -> Bool {
        guard var after = order[cluster] else { return false }
        order[cluster] = nil  // held here alone while it changes, not copied
        var placed: [(at: Int, ordinal: Int32)] = []
        for m in moves {
            if let from = m.from {
                guard after.indices.contains(from) else { order[cluster] = after; return false }
                after.remove(at: from)
            }
            if let to = m.to {
                guard to <= after.count, let o = ordinal(m.product) else { order[cluster] = after; return false }
                after.insert(o, at: to)
                placed = placed.map { $0.at >= to ? ($0.at + 1, $0.ordinal) : $0 } + [(to, o)]
            }
        }
        order[cluster] = after
        let all = products
        return after.count == ranking.count && placed.allSatisfy { p in
            ranking[p.at].position(in: all).map { $0 == Int(p.ordinal) } ?? (products[Int(p.ordinal)].id == ranking[p.at].product.id)
        }
    }

    /// Where a product is in a cluster's ranking, from the ordinals beside it.
    func rankPosition(of id: ProductID, in cluster: Cluster) -> Int? {
        guard let o = ordinal(id), let order = order[cluster] else { return nil }
        return order.firstIndex(of: o)
    }

    func sortKey(_ ordinal: Int32, _ sort: Sort) -> String {
        guard ordinal >= 0 else { return "" }
        switch sort {
        case .name: return names[Int(ordinal)]
        case .producer: return producers[Int(ordinal)]
        case .kelurahan: return kelurahans[Int(ordinal)]
        case .id, .rank: return ""
        }
    }

    /// Of `candidates` (positions in the cluster's ranking), those whose product's search text
    /// contains the needle (bytes of lowercased UTF-8), in the same order.
    func matching(_ needle: [UInt8], in cluster: Cluster, candidates: some Sequence<Int32>) -> [Int32] {
        let order = order[cluster] ?? []
        var found: [Int32] = []
        text.withUnsafeBytes { t in
            start.withUnsafeBufferPointer { start in
                order.withUnsafeBufferPointer { order in
                    needle.withUnsafeBytes { n in
                        for position in candidates {
                            let o = Int(order[Int(position)])
                            guard o >= 0 else { continue }
                            let hay = UnsafeRawBufferPointer(rebasing: t[start[o]..<start[o + 1]])
                            if Self.find(n, in: hay) { found.append(position) }
                        }
                    }
                }
            }
        }
        return found
    }

    /// Of `candidates` (positions in the cluster's ranking), those whose product is marked in
    /// `hits` (by ordinal, from `containing`), in the same order.
    func matching(_ hits: [Bool], in cluster: Cluster, candidates: some Sequence<Int32>) -> [Int32] {
        let order = order[cluster] ?? []
        var found: [Int32] = []
        hits.withUnsafeBufferPointer { hits in
            order.withUnsafeBufferPointer { order in
                for position in candidates {
                    let o = Int(order[Int(position)])
                    if o >= 0, hits[o] { found.append(position) }
                }
            }
        }
        return found
    }

    /// How often each byte occurs in the search text (counted on the first whole-text search).
    private var frequency: [Int] = []

    /// Per ordinal, whether the product's search text contains the needle: one pass over all the
    /// texts at once, looking for the needle's rarest byte and comparing the needle around it,
    /// rather than a search per product.
    mutating func containing(_ needle: [UInt8]) -> [Bool] {
        var hit = [Bool](repeating: false, count: count)
        guard !needle.isEmpty else { return hit.map { _ in true } }
        if frequency.isEmpty {
            var f = [Int](repeating: 0, count: 256)
            for b in text { f[Int(b)] += 1 }
            frequency = f
        }
        let k = needle.indices.min { frequency[Int(needle[$0])] < frequency[Int(needle[$1])] } ?? 0
        let count = self.count
        text.withUnsafeBytes { t in
            start.withUnsafeBufferPointer { start in
                needle.withUnsafeBytes { n in
                    hit.withUnsafeMutableBufferPointer { hit in
                        guard let base = t.baseAddress, let nb = n.baseAddress, count > 0 else { return }
                        let total = t.count, length = n.count, anchor = Int32(n[k])
                        var i = k, o = 0
                        while i < total {
                            guard let p = memchr(base + i, anchor, total - i) else { break }
                            let at = base.distance(to: UnsafeRawPointer(p))
                            let s = at - k
                            i = at + 1
                            // The product whose text holds the match's start (starts only grow).
                            while o + 1 < count, start[o + 1] <= s { o += 1 }
                            if s + length <= start[o + 1], memcmp(base + s, nb, length) == 0 {
                                hit[o] = true
                                i = max(i, start[o + 1] + k)  // on to the next product
                            }
                        }
                    }
                }
            }
        }
        return hit
    }

    /// Byte search: memchr to the next candidate first byte, memcmp the rest. (glibc's memmem is
    /// not visible to Swift without _GNU_SOURCE.)
    static func find(_ n: UnsafeRawBufferPointer, in h: UnsafeRawBufferPointer) -> Bool {
        guard n.count > 0 else { return true }
        guard n.count <= h.count, let hb = h.baseAddress, let nb = n.baseAddress else { return false }
        let last = h.count - n.count
        var i = 0
        while i <= last {
            guard let hit = memchr(hb + i, Int32(n[0]), last - i + 1) else { return false }
            let j = hb.distance(to: UnsafeRawPointer(hit))
            if memcmp(hb + j, nb, n.count) == 0 { return true }
            i = j + 1
        }
        return false
    }
}

/// The rows the list shows: positions into a cluster's ranking (or all of it, in rank order),
/// so that filtering and sorting move small integers rather than copy products.
public struct Rows: RandomAccessCollection, Sendable {
    let ranking: [RankedProduct]
    /// nil: every product of the ranking, in rank order.
    let positions: [Int32]?
    public var startIndex: Int { 0 }
    public var endIndex: Int { positions?.count ?? ranking.count }
    public subscript(i: Int) -> RankedProduct { positions.map { ranking[Int($0[i])] } ?? ranking[i] }

    /// The row of a product, comparing ids in place (no row is copied).
    func firstIndex(of id: ProductID) -> Int? {
        guard let positions else { return ranking.firstIndex { $0.product.id == id } }
        return positions.firstIndex { ranking[Int($0)].product.id == id }
    }
}
