/// A whole curation round: the document the store keeps. The store adds `schemaVersion`.
///
/// Outside KurasiCore a round is read-only: its fields are `internal(set)`, so the only ways to
/// change one are `perform` (a command, checked by the rules) and `apply` (an event replayed from
/// a journal), both of which keep the private indexes by id in step with the collections. Code
/// that assigns `round.products[i] = …` elsewhere does not compile. The store's loader builds a
/// round from what it decoded with the one `init(revision:round:rubric:…)` below, which indexes
/// what it is given.
public struct Round: Codable, Hashable, Sendable {
    public static let pinSlots = 5

    public internal(set) var revision: Int
    public internal(set) var round: RoundInfo
    public internal(set) var rubric: Rubric
    public internal(set) var curators: [Curator]
    public internal(set) var producers: [Producer]
    public internal(set) var products: [Product]
    /// scores[product][curator][criterion] = point on the rubric's scale; each product's sheets
    /// laid out in the rubric's criterion order (`criterionOrder`, one array shared by all).
    /// Kept in buckets (`ScoreMap`): an edit to a round shared with another copies one bucket.
    public internal(set) var scores: ScoreMap
    /// pins[cluster], ordered by slot.
    public internal(set) var pins: [Cluster: [Pin]]
    /// Every change ever made, oldest first; the round's audit trail.
    public internal(set) var events: [Event]

    public init(revision: Int = 0, round: RoundInfo, rubric: Rubric = .default,
                curators: [Curator] = [], producers: [Producer] = [], products: [Product] = [],
                scores: ScoreMap = [:], pins: [Cluster: [Pin]] = [:],
                events: [Event] = []) {
        self.revision = revision; self.round = round; self.rubric = rubric; self.curators = curators
        self.producers = producers; self.products = products; self.scores = scores; self.pins = pins
        self.events = events
        rebuildIndex()
        layOutScores()
    }

    // MARK: Lookup

    /// Positions by id, rebuilt on decode and kept current by `apply`; not stored.
    private var productIndex: [ProductID: Int] = [:]
    private var producerIndex: [ProducerID: Int] = [:]
    /// The producers some curator has an active conflict with (most products' producers are not
    /// among them: their sheets need no look-up of recusals).
    private var conflictedProducers: Set<ProducerID> = []
    /// The rubric's criterion ids in order: the layout every product's sheets share.
    public private(set) var criterionOrder: [CriterionID] = []

    enum CodingKeys: String, CodingKey {
        case revision, round, rubric, curators, producers, products, scores, pins, events
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        revision = try c.decode(Int.self, forKey: .revision)
        round = try c.decode(RoundInfo.self, forKey: .round)
        rubric = try c.decode(Rubric.self, forKey: .rubric)
        curators = try c.decode([Curator].self, forKey: .curators)
        producers = try c.decode([Producer].self, forKey: .producers)
        products = try c.decode([Product].self, forKey: .products)
        if (decoder.userInfo[.kurasiSchemaVersion] as? Int ?? 1) >= 2 {
            // Schema 2: each sheet an array in the rubric's order, null where not scored.
            let rows = try c.decodeIfPresent([ProductID: [CuratorID: [Int?]]].self, forKey: .scores) ?? [:]
            let order = rubric.criteria.map(\.id)
            var out = ScoreMap()
            out.reserveCapacity(rows.count)
            for p in rows.keys.sorted() {
                var sheets = ProductSheets()
                for (curator, points) in rows[p]!.sorted(by: { $0.key < $1.key }) {
                    guard points.count == order.count else {
                        throw SheetLengthMismatch(product: p, curator: curator, points: points.count, criteria: order)
                    }
                    sheets[curator] = Sheet(criteria: order, points: points)
                }
                out[p] = sheets
            }
            scores = out
        } else {
            scores = try c.decodeIfPresent(ScoreMap.self, forKey: .scores) ?? [:]
        }
        pins = try c.decodeIfPresent([Cluster: [Pin]].self, forKey: .pins) ?? [:]
        events = try c.decodeIfPresent([Event].self, forKey: .events) ?? []
        rebuildIndex()
        layOutScores()
    }

    /// Whether `other` holds this round's very products array (the same storage): one round is
    /// the other with scores, pins or validations applied, not a round read anew from the store
    /// (whose products, equal or not, are another copy held beside these).
    public func sharesProducts(with other: Round) -> Bool {
        products.withUnsafeBufferPointer { x in other.products.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    /// Lay every product's sheets out in the rubric's criterion order (sharing one array), after
    /// a load or a rubric change. Points under criteria the rubric does not hold are kept, after it.
    mutating func layOutScores() {
        var order = rubric.criteria.map(\.id)
        // Sheets read by the store's reader already share one array of the rubric's ids: adopt
        // it, and leave the scores untouched (no copy of 100,000 entries).
        if let first = scores.first?.value.criteria, first == order { order = first }
        criterionOrder = order
        func shared(_ a: [CriterionID]) -> Bool {
            a.withUnsafeBufferPointer { x in order.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        }
        guard scores.values.contains(where: { !shared($0.criteria) }) else { return }
        scores.updateEach { $0 = $0.laidOut(by: order) }
    }

    mutating func rebuildIndex() {
        // By position, reading only the ids (no array of pairs, no copy of a product), one hash
        // per id; the first of a repeated id keeps its place.
        var index: [ProductID: Int] = [:]
        index.reserveCapacity(products.count)
        for k in products.indices { let id = products[k].id; if let first = index.updateValue(k, forKey: id) { index[id] = first } }
        productIndex = index
        var byProducer: [ProducerID: Int] = [:]
        byProducer.reserveCapacity(producers.count)
        for k in producers.indices { let id = producers[k].id; if let first = byProducer.updateValue(k, forKey: id) { byProducer[id] = first } }
        producerIndex = byProducer
        rebuildConflicts()
    }

    /// Whether no two products share an id and no two producers do (each index holds one entry
    /// per element): the store's validation then needs no table of its own to find a repeat.
    public var idsUnique: Bool { productIndex.count == products.count && producerIndex.count == producers.count }

    mutating func rebuildConflicts() {
        conflictedProducers = Set(curators.flatMap { $0.conflicts.filter(\.isActive).map(\.producer) })
    }

    /// Whether any curator has an active conflict with the producer (one look-up).
    func anyConflict(with producer: ProducerID) -> Bool {
        !conflictedProducers.isEmpty && conflictedProducers.contains(producer)
    }

    /// `revision` is not written here: the store writes it, with `schemaVersion`, at the top.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(round, forKey: .round); try c.encode(rubric, forKey: .rubric)
        try c.encode(curators, forKey: .curators); try c.encode(producers, forKey: .producers)
        try c.encode(products, forKey: .products)
        // The store writes schema 2's scores itself (Store.encode); anyone else gets schema 1's objects.
        if encoder.userInfo[.kurasiScoresApart] as? Bool != true { try c.encode(scores, forKey: .scores) }
        try c.encode(pins, forKey: .pins); try c.encode(events, forKey: .events)
    }

    public static func == (a: Round, b: Round) -> Bool {
        a.revision == b.revision && a.round == b.round && a.rubric == b.rubric
            && a.curators == b.curators && a.producers == b.producers && a.products == b.products
            && a.scores == b.scores && a.pins == b.pins && a.events == b.events
    }
    public func hash(into h: inout Hasher) { h.combine(revision); h.combine(products.count) }

    public func product(_ id: ProductID) -> Product? { productIndex[id].map { products[$0] } }
    public func producer(_ id: ProducerID) -> Producer? { producerIndex[id].map { producers[$0] } }
    /// The product's position in `products`.
    public func productPosition(_ id: ProductID) -> Int? { productIndex[id] }
    /// Every product's position in `products`, by id (the round's own index, shared, not a copy).
    public var productPositions: [ProductID: Int] { productIndex }
    /// The producer's position in `producers` (read a field in place instead of copying the producer).
    public func producerPosition(_ id: ProducerID) -> Int? { producerIndex[id] }
    public func curator(_ id: CuratorID) -> Curator? { curators.first { $0.id == id } }
    public var isFinal: Bool { round.status.state == .final }

    public func products(in cluster: Cluster) -> [Product] { products.filter { $0.cluster == cluster } }
    public func sheet(product: ProductID, curator: CuratorID) -> Sheet { scores[product]?[curator] ?? Sheet() }
    public func pins(in cluster: Cluster) -> [Pin] { pins[cluster] ?? [] }
    public func pin(of product: ProductID) -> (Cluster, Pin)? {
        for (cluster, list) in pins { if let p = list.first(where: { $0.product == product }) { return (cluster, p) } }
        return nil
    }
    /// Curators who declared a conflict with the product's producer.
    public func recusedCurators(for product: Product) -> [Curator] {
        curators.filter { $0.isRecused(from: product.producer) }
    }

    // MARK: Mutation (only through changes)

    /// A round that holds only part of a store (an edit read through the store's index) passes
    /// over a journal event that concerns nothing it holds: the revision advances, nothing else.
    public mutating func passOver(_ event: Event) {
        revision = max(revision, event.revision)
    }

    mutating func setProduct(_ p: Product?, id: ProductID) {
        if let i = productIndex[id] {
            if let p { products[i] = p } else { products.remove(at: i); rebuildIndex() }
        } else if let p {
            productIndex[p.id] = products.count; products.append(p)
        }
    }
    mutating func setProducer(_ p: Producer?, id: ProducerID) {
        if let i = producerIndex[id] {
            if let p { producers[i] = p } else { producers.remove(at: i); rebuildIndex() }
        } else if let p {
            producerIndex[p.id] = producers.count; producers.append(p)
        }
    }
}

extension CodingUserInfoKey {
    /// The store's `schemaVersion` (an Int) when a round is decoded; 1 when absent.
    public static let kurasiSchemaVersion = CodingUserInfoKey(rawValue: "kurasi.schemaVersion")!
    /// True when the round is encoded without `scores` (the store writes them itself).
    public static let kurasiScoresApart = CodingUserInfoKey(rawValue: "kurasi.scoresApart")!
}

/// A schema 2 sheet whose number of points is not the rubric's number of criteria.
public struct SheetLengthMismatch: Error, Hashable, Sendable {
    public var product: ProductID
    public var curator: CuratorID
    public var points: Int
    /// The rubric's criteria, in the order a sheet lists its points.
    public var criteria: [CriterionID]
}
