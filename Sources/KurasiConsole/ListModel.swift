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

    /// Note the product under each cluster's cursor, to find it again in new rows.
    private mutating func rememberSelection() {
        for (cluster, list) in rows {
            let i = cursor[cluster] ?? 0
            if list.indices.contains(i) { followed[cluster] = list[i].product.id }
        }
    }

    /// Index the round's products for searching and sorting (once per round, not per keystroke).
    mutating func reindex(_ round: Round) { search = SearchIndex(round) }

    /// Filter and sort each cluster's ranking again. `blind` says which products the viewer may
    /// not see the score of while scoring is blind (nil when scores are public): in the default
    /// order those come first, by id, and the rest by rank, so the order reveals no standing.
    /// The cursor stays on the product it was on when the product is still shown.
    mutating func refilter(_ rankings: [Cluster: [RankedProduct]], revision: Int,
                           viewer: CuratorID? = nil, blind: ((ProductID) -> Bool)? = nil) {
        rememberSelection()
        let needle = Array(filter.lowercased().utf8)
        // One more letter typed: only the rows that matched before can match now.
        let narrowing = filteredFor.map {
            !$0.needle.isEmpty && $0.revision == revision && $0.sort == sort && $0.viewer == viewer
                && needle.starts(with: $0.needle)
        } ?? false
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            var positions: [Int32]?
            if narrowing, let before = rows[cluster]?.positions {
                positions = before.filter { search.matches(ranking[Int($0)].product.id, needle) }
            } else {
                if !needle.isEmpty {
                    positions = ranking.indices.compactMap { search.matches(ranking[$0].product.id, needle) ? Int32($0) : nil }
                }
                if sort == .rank, let blind {
                    let p = positions ?? ranking.indices.map { Int32($0) }
                    let hidden = p.filter { blind(ranking[Int($0)].product.id) }
                        .sorted { ranking[Int($0)].product.id < ranking[Int($1)].product.id }
                    positions = hidden + p.filter { !blind(ranking[Int($0)].product.id) }
                } else if sort != .rank {
                    var p = positions ?? ranking.indices.map { Int32($0) }
                    let index = search, sort = sort
                    func key(_ i: Int32) -> (String, ProductID) {
                        let id = ranking[Int(i)].product.id
                        return (index.sortKey(id, sort), id)
                    }
                    p.sort { key($0) < key($1) }
                    positions = p
                }
            }
            let list = Rows(ranking: ranking, positions: positions)
            rows[cluster] = list
            if let id = followed[cluster], let i = list.firstIndex(where: { $0.product.id == id }) {
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
        if let i = visibleRows.firstIndex(where: { $0.product.id == id }) { cursor[cluster] = i; followed[cluster] = id }
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

/// Per product: the lowercased text the filter searches (name, id, producer, kelurahan) as bytes,
/// and the sort keys.
struct SearchIndex: Sendable {
    struct Entry: Sendable {
        var text: [UInt8]
        var name: String, producer: String, kelurahan: String
    }
    private var entries: [ProductID: Entry] = [:]

    init() {}

    init(_ round: Round) {
        entries.reserveCapacity(round.products.count)
        for p in round.products {
            let producer = round.producer(p.producer)
            let name = p.name.lowercased(), pr = producer?.name.lowercased() ?? "", kel = producer?.kelurahan.lowercased() ?? ""
            entries[p.id] = Entry(text: Array([name, p.id.rawValue.lowercased(), pr, kel].joined(separator: "\u{1F}").utf8),
                                  name: name, producer: pr, kelurahan: kel)
        }
    }

    func sortKey(_ id: ProductID, _ sort: Sort) -> String {
        let e = entries[id]
        switch sort {
        case .name: return e?.name ?? ""
        case .producer: return e?.producer ?? ""
        case .kelurahan: return e?.kelurahan ?? ""
        case .id, .rank: return ""
        }
    }

    /// Whether a product's search text contains the needle (bytes of lowercased UTF-8).
    func matches(_ id: ProductID, _ needle: [UInt8]) -> Bool {
        guard let hay = entries[id]?.text else { return false }
        return hay.withUnsafeBytes { h in needle.withUnsafeBytes { n in Self.find(n, in: h) } }
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
}
