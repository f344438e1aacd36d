import KurasiCore

/// Which producers the producers screen shows.
public enum ProducerTab: CaseIterable, Hashable, Sendable {
    case pending, valid, rejected, all

    func shows(_ p: Producer) -> Bool {
        switch self {
        case .pending: p.validation.status == .pending
        case .valid: p.validation.status == .valid
        case .rejected: p.validation.status == .rejected
        case .all: true
        }
    }

    var label: T {
        switch self {
        case .pending: .tabPending
        case .valid: .tabValid
        case .rejected: .tabRejected
        case .all: .tabAll
        }
    }
}

/// The producers screen's list: the tab, its rows (positions into the round's producers, in
/// store order), the cursor, the scroll position and the producers marked with Space.
public struct ProducerListModel: Sendable {
    public var tab: ProducerTab = .pending
    public private(set) var rows: [Int] = []
    public private(set) var cursor = 0
    public private(set) var top = 0
    /// Marked producers (ids): a, x and z apply to all of them at once.
    public var marked: Set<ProducerID> = []
    /// Per producer: the other entry it looks like a duplicate of.
    public private(set) var duplicates: [ProducerID: ProducerID] = [:]
    /// Per producer: how many products it has.
    public private(set) var productCounts: [ProducerID: Int] = [:]
    /// The text filter, as in the product list: id, name, owner, kelurahan, kecamatan, NIB, phone.
    public var filter = ""
    public var editingFilter = false
    /// Per producer (by position), the lowercased text the filter searches; built once per round.
    private var searchText: [String] = []
    /// Whether the rows, suspects, counts and search texts are those of the console's round. They
    /// are made when the producers screen is first opened (the registry's duplicate suspects take
    /// a while at province size, and most sessions never open it), and made again on opening
    /// after the round changed while the screen was away.
    public private(set) var isCurrent = false

    public init() {}

    /// The round changed while the screen is not shown: make everything again when it is.
    mutating func invalidate() { isCurrent = false }

    /// Take a new round: the marks, counts and rows follow it.
    mutating func reindex(_ round: Round) {
        isCurrent = true
        duplicates = round.duplicateSuspects()
        productCounts = [:]
        for p in round.products { productCounts[p.producer, default: 0] += 1 }
        let ids = Set(round.producers.map(\.id))
        marked = marked.filter { ids.contains($0) }
        searchText = round.producers.map { p in
            [p.id.rawValue, p.name, p.owner, p.kelurahan, p.kecamatan, p.nib ?? "", p.phone?.filter(\.isNumber) ?? ""]
                .joined(separator: "\u{1F}").lowercased()
        }
        refilter(round)
    }

    mutating func refilter(_ round: Round) {
        let needle = filter.lowercased()
        if searchText.count != round.producers.count { searchText = round.producers.map { "\($0.id) \($0.name)".lowercased() } }
        rows = round.producers.indices.filter { i in
            tab.shows(round.producers[i]) && (needle.isEmpty || searchText[i].contains(needle))
        }
        cursor = max(0, min(cursor, rows.count - 1))
    }

    /// How many producers of a tab match the filter (the tab's count while filtering).
    func count(of tab: ProducerTab, in round: Round) -> Int {
        let needle = filter.lowercased()
        return round.producers.indices.filter { tab.shows(round.producers[$0]) && searchText[$0].contains(needle) }.count
    }

    mutating func move(to index: Int) { cursor = max(0, min(rows.count - 1, index)) }

    mutating func keepCursorVisible(rows height: Int) {
        if cursor < top { top = cursor }
        if cursor >= top + height { top = cursor - height + 1 }
        top = max(0, min(top, max(0, rows.count - height)))
    }

    public func selected(in round: Round) -> Producer? {
        rows.indices.contains(cursor) && round.producers.indices.contains(rows[cursor]) ? round.producers[rows[cursor]] : nil
    }

    /// What a validation key applies to: the marked producers, else the selected one.
    func targets(in round: Round) -> [ProducerID] {
        if !marked.isEmpty { return round.producers.map(\.id).filter(marked.contains) }
        return selected(in: round).map { [$0.id] } ?? []
    }
}
