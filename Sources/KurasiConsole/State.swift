import KurasiCore
#if canImport(Glibc)
import Glibc
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

/// A one-line text prompt at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case pinReason(product: String)
        case reopenReason
    }
    public var purpose: Purpose
    public var text: String = ""
}

public struct Message: Hashable, Sendable {
    public var text: String
    public var isWarning: Bool
}

/// Everything the console shows, as a value. Keys change it only through `reduce`.
public struct State: Sendable {
    public static let minWidth = 60, minHeight = 16

    public private(set) var round: Round
    public var lang: Language
    public var curator: String?
    public var screen: Screen = .list
    /// Where Esc from the board or the picker goes back to.
    public var returnScreen: Screen = .list
    public var showHelp = false
    public var cluster: Cluster = .mamin
    public var cursor: [Cluster: Int] = [:]
    public var top: [Cluster: Int] = [:]
    public var filter = ""
    public var editingFilter = false
    public var sort: Sort = .rank
    public var criterion = 0
    public var detailProduct: String?
    public var pickerCursor = 0
    public var prompt: Prompt?
    public var message: Message?
    public var saveFailed = false
    public var width = 80, height = 24
    public var finished = false
    /// Set by Ctrl-L; the backend clears the terminal and draws everything again.
    public var redrawRequested = false

    /// Rankings of the current round (recomputed when the round changes).
    public private(set) var rankings: [Cluster: [RankedProduct]] = [:]
    /// The rows the list shows: ranking, filtered and sorted.
    public private(set) var rows: [Cluster: Rows] = [:]
    /// Per product: the lowercased text the filter searches (name, id, producer, kelurahan) as
    /// bytes, and the sort keys, computed once per round rather than once per keystroke.
    private var keys: [String: SearchKey] = [:]
    /// Columns the longest product id takes (for the list's id column).
    public private(set) var idWidth = 6
    /// What `rows` was last filtered and sorted for; typing one more letter narrows those rows.
    private var filteredFor: (needle: [UInt8], revision: Int, sort: Sort)?

    struct SearchKey: Sendable {
        var text: [UInt8]
        var name: String, producer: String, kelurahan: String
    }

    public init(round: Round, lang: Language, curator: String? = nil) {
        self.round = round
        self.lang = lang
        if let curator, round.curator(curator) != nil { self.curator = curator } else { screen = .curators }
        setRound(round)
    }

    // MARK: Derived data

    public mutating func setRound(_ new: Round) {
        // Edits that only score or pin products re-place just those products in the ranking;
        // anything else (an import, a validation, a rubric change) recomputes it whole.
        let old = round
        let since = Array(new.events.reversed().prefix { $0.revision > old.revision }.reversed())
        if !rankings.isEmpty, new.revision > old.revision, since.first?.revision == old.revision + 1,
           since.count == new.revision - old.revision, let changed = Self.scoredOrPinned(since) {
            round = new
            rows = [:]  // shares storage with the rankings; let go so they are changed in place
            for cluster in Cluster.allCases {
                let mine = changed.filter { new.product($0)?.cluster == cluster }
                if !mine.isEmpty { new.rerank(&rankings[cluster, default: []], changed: mine) }
            }
            refilter()
            return
        }
        round = new
        rankings = Dictionary(uniqueKeysWithValues: Cluster.allCases.map { ($0, new.ranking($0)) })
        idWidth = new.products.reduce(6) { max($0, $1.id.count) }
        keys = [:]
        keys.reserveCapacity(new.products.count)
        for p in new.products {
            let producer = new.producer(p.producer)
            let name = p.name.lowercased(), pr = producer?.name.lowercased() ?? "", kel = producer?.kelurahan.lowercased() ?? ""
            keys[p.id] = SearchKey(text: Array([name, p.id.lowercased(), pr, kel].joined(separator: "\u{1F}").utf8),
                                   name: name, producer: pr, kelurahan: kel)
        }
        refilter()
    }

    /// The products touched by these events when every one only scores or pins; nil otherwise.
    static func scoredOrPinned(_ events: some Sequence<Event>) -> Set<String>? {
        var ids = Set<String>()
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

    public mutating func refilter() {
        let needle = Array(filter.lowercased().utf8)
        // One more letter typed: only the rows that matched before can match now.
        let narrowing = filteredFor.map {
            !$0.needle.isEmpty && $0.revision == round.revision && $0.sort == sort && needle.starts(with: $0.needle)
        } ?? false
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            var positions: [Int32]?
            if narrowing, let before = rows[cluster]?.positions {
                positions = before.filter { matches(ranking[Int($0)].product.id, needle) }
            } else {
                if !needle.isEmpty {
                    positions = ranking.indices.compactMap { matches(ranking[$0].product.id, needle) ? Int32($0) : nil }
                }
                if sort != .rank {
                    var p = positions ?? ranking.indices.map { Int32($0) }
                    let k = keys
                    func key(_ i: Int32) -> (String, String) {
                        let id = ranking[Int(i)].product.id
                        let sk = k[id]
                        switch sort {
                        case .name: return (sk?.name ?? "", id)
                        case .producer: return (sk?.producer ?? "", id)
                        case .kelurahan: return (sk?.kelurahan ?? "", id)
                        case .id, .rank: return ("", id)
                        }
                    }
                    p.sort { key($0) < key($1) }
                    positions = p
                }
            }
            let list = Rows(ranking: ranking, positions: positions)
            rows[cluster] = list
            let c = cursor[cluster] ?? 0
            cursor[cluster] = max(0, min(c, list.count - 1))
        }
        filteredFor = (needle, round.revision, sort)
    }

    /// Whether a product's search text contains the needle (bytes of lowercased UTF-8).
    func matches(_ id: String, _ needle: [UInt8]) -> Bool {
        guard let hay = keys[id]?.text else { return false }
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

    // MARK: Convenience

    public var visibleRows: Rows { rows[cluster] ?? Rows(ranking: [], positions: nil) }
    public var selectedIndex: Int { cursor[cluster] ?? 0 }
    public var selected: RankedProduct? {
        let rows = visibleRows
        return rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil
    }
    /// The product the detail screen shows.
    public var detail: RankedProduct? {
        guard let id = detailProduct, let p = round.product(id) else { return nil }
        return rankings[p.cluster]?.first { $0.product.id == id }
    }
    public var activeCurator: Curator? { curator.flatMap { round.curator($0) } }

    /// Whether the active curator may see other curators' scores of a product: blind scoring is
    /// off, nobody is active (an observer at the projector), the curator is recused, or their own
    /// sheet is complete.
    public func revealsScores(of product: Product) -> Bool {
        guard round.round.settings.blindScoring, let c = activeCurator else { return true }
        if c.isRecused(from: product.producer) { return true }
        return round.isComplete(round.sheet(product: product.id, curator: c.id))
    }

    public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }
}

extension State {
    /// Rows of the product list at the current size: below the title, tabs and column header,
    /// above the detail strip (on terminals narrower than 120 columns), the hint and status lines.
    public var listHeight: Int { max(1, height - 3 - 2 - (hasSidePane ? 0 : 3)) }
    /// At 120 columns and more the detail sits beside the list.
    public var hasSidePane: Bool { width >= 120 }
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
