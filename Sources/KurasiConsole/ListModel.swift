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
    private var filteredFor: (needle: [UInt8], revision: Int, sort: Sort, viewer: CuratorID?)?
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
    mutating func releaseRows() { rememberSelection(); rows = [:] }

    /// Let go of the rows of `clusters` only (their rankings are about to change in place).
    mutating func releaseRows(of clusters: Set<Cluster>) {
        rememberSelection()
        for cluster in clusters { rows[cluster] = nil }
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
        search = SearchIndex(round)
        for (cluster, ranking) in rankings { search.follow(ranking, in: cluster) }
        filteredFor = nil
    }

    /// Take a cluster's ranking made after the others (behind the screen, or on demand): the
    /// rows are filtered and sorted whole again, not narrowed from the missing cluster's none.
    mutating func adopt(_ ranking: [RankedProduct], in cluster: Cluster) {
        search.follow(ranking, in: cluster)
        filteredFor = nil
    }

    /// Take a cluster's ranking after a re-rank of `changed` products (the round's products are
    /// the same; their scores, pins or validations changed).
    mutating func reranked(_ ranking: [RankedProduct], in cluster: Cluster, changed: Set<ProductID>) {
        search.follow(ranking, in: cluster, changed: changed)
        search.forget(changed)
    }

    /// Filter and sort each cluster's ranking again. `blind` says which products the viewer may
    /// not see the score of while scoring is blind (nil when scores are public): in the default
    /// order those come first, by id, and the rest by rank, so the order reveals no standing.
    /// The cursor stays on the product it was on when the product is still shown.
    ///
    /// `visible`, when given, lists at once the products whose score the viewer may see (every
    /// other product being blind to them, as `blind` would answer): the first blind order for a
    /// viewer takes it instead of asking `blind` for every product.
    ///
    /// `changed`, when given, names the only clusters whose rankings changed since the last
    /// refilter (one product's score edited): the other clusters keep their rows when the
    /// filter, the sort and the viewer are what they were made for.
    mutating func refilter(_ rankings: [Cluster: [RankedProduct]], round: Round,
                           viewer: CuratorID? = nil, blind: ((ProductID) -> Bool)? = nil,
                           visible: (() -> [ProductID]?)? = nil, changed: Set<Cluster>? = nil) {
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
        let unchanged = changed.map { changed in
            filteredFor.map { $0.needle == needle && $0.sort == sort && $0.viewer == viewer } == true
                ? Set(Cluster.allCases).subtracting(changed) : []
        } ?? []
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            if unchanged.contains(cluster), rows[cluster] != nil { continue }
            if search.ordinals(cluster).count != ranking.count { search.follow(ranking, in: cluster) }
            if !needle.isEmpty, hits == nil, candidates > search.count / 8 { hits = search.containing(needle) }
            var positions: [Int32]?
            if narrowing, let before = rows[cluster]?.positions {
                positions = hits.map { search.matching($0, in: cluster, candidates: before) }
                    ?? search.matching(needle, in: cluster, candidates: before)
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
                    for i in p {
                        if search.isHidden(order[Int(i)], ranking[Int(i)].product.id, viewer: viewer, blind) { hidden.append(i) }
                        else { shown.append(i) }
                    }
                    // By id; by ordinal when the round's products are in id order (the same order).
                    if search.productsInIDOrder(), hidden.allSatisfy({ order[Int($0)] >= 0 }) {
                        hidden.sort { order[Int($0)] < order[Int($1)] }
                    } else {
                        hidden.sort { ranking[Int($0)].product.id.precedes(ranking[Int($1)].product.id) }
                    }
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
            if let id = followed[cluster], let i = list.firstIndex(of: id) {
                cursor[cluster] = i
            } else {
                cursor[cluster] = max(0, min(cursor[cluster] ?? 0, list.count - 1))
            }
        }
        filteredFor = (needle, revision, sort, viewer)
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
    private func ordinal(_ id: ProductID) -> Int32? { positions[id].map { Int32($0) } }
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

    /// Whether the product at `ordinal` is hidden from `viewer`, asking `blind` only the first time.
    mutating func isHidden(_ ordinal: Int32, _ id: ProductID, viewer: CuratorID?, _ blind: (ProductID) -> Bool) -> Bool {
        if hiddenFor != .some(viewer) || hidden.count != count {
            hidden = [UInt8](repeating: 0, count: count); hiddenFor = .some(viewer)
        }
        guard ordinal >= 0 else { return blind(id) }
        switch hidden[Int(ordinal)] {
        case 1: return false
        case 2: return true
        default:
            let h = blind(id)
            hidden[Int(ordinal)] = h ? 2 : 1
            return h
        }
    }

    /// Take the blind answers for every product at once (the first blind order for a viewer):
    /// the products in `visible` are those whose score the viewer may see, all others hidden.
    /// The same answers `isHidden` would get from `blind` product by product, without a look-up
    /// of each product's sheets.
    mutating func setHidden(viewer: CuratorID?, visible: some Sequence<ProductID>) {
        hidden = [UInt8](repeating: 2, count: count); hiddenFor = .some(viewer)
        for id in visible { if let o = positions[id] { hidden[o] = 1 } }
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

    /// Take a cluster's ranking after `changed` products were taken out and put back (a re-rank):
    /// the ordinals beside it move the same way, and are checked against the ranking position by
    /// position (looked up whole by id again if anything differs).
    mutating func follow(_ ranking: [RankedProduct], in cluster: Cluster, changed: Set<ProductID>) {
        guard let before = order[cluster] else { return follow(ranking, in: cluster) }
        var placed: [(at: Int, ordinal: Int32)] = []
        for id in changed {
            guard let o = ordinal(id), let at = ranking.firstIndex(where: { $0.product.id == id }) else { continue }
            placed.append((at, o))
        }
        let moved = changed.compactMap { ordinal($0) }
        var after: [Int32]
        if moved.isEmpty { after = before }
        else if moved.count <= 16 { after = before.filter { !moved.contains($0) } }
        else { let set = Set(moved); after = before.filter { !set.contains($0) } }
        for p in placed.sorted(by: { $0.at < $1.at }) where p.at <= after.count { after.insert(p.ordinal, at: p.at) }
        // An entry that holds these very products says its position (no id compared); others by id.
        let all = products
        if after.count == ranking.count, all.withUnsafeBufferPointer({ products in
            after.indices.allSatisfy { i in
                guard after[i] >= 0 else { return false }
                if let at = ranking[i].position(in: all) { return Int(after[i]) == at }
                return products[Int(after[i])].id == ranking[i].product.id
            }
        }) {
            order[cluster] = after
        } else {
            follow(ranking, in: cluster)
        }
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
