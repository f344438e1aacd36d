/// One change to a round, carrying both the value before and the value after, so that it can be
/// checked against the current state, replayed, shown in the history and inverted by undo.
public indirect enum Change: Hashable, Sendable {
    case score(product: ProductID, curator: CuratorID, criterion: CriterionID, from: Int?, to: Int?)
    case pin(cluster: Cluster, slot: Int, from: Pin?, to: Pin?)
    case validation(producer: ProducerID, from: Validation, to: Validation)
    case status(from: RoundStatus, to: RoundStatus)
    case curator(id: CuratorID, from: Curator?, to: Curator?)
    case producer(id: ProducerID, from: Producer?, to: Producer?)
    case product(id: ProductID, from: Product?, to: Product?)
    case settings(from: Settings, to: Settings)
    case rubric(from: Rubric, to: Rubric)
    /// Several changes made as one edit (an import); undone together.
    case batch([Change])
    /// A fairness setting or a pairwise comparison (Analysis/Fairness.swift).
    case fairness(FairnessChange)

    /// The change that takes the round back to where it was before this one.
    public var inverse: Change {
        switch self {
        case let .score(p, c, k, from, to): .score(product: p, curator: c, criterion: k, from: to, to: from)
        case let .pin(cl, s, from, to): .pin(cluster: cl, slot: s, from: to, to: from)
        case let .validation(p, from, to): .validation(producer: p, from: to, to: from)
        case let .status(from, to): .status(from: to, to: from)
        case let .curator(id, from, to): .curator(id: id, from: to, to: from)
        case let .producer(id, from, to): .producer(id: id, from: to, to: from)
        case let .product(id, from, to): .product(id: id, from: to, to: from)
        case let .settings(from, to): .settings(from: to, to: from)
        case let .rubric(from, to): .rubric(from: to, to: from)
        case let .batch(list): .batch(list.reversed().map(\.inverse))
        case let .fairness(f): .fairness(f.inverse)
        }
    }

    /// The product this change is about, for a product's history.
    public var products: [ProductID] {
        switch self {
        case let .score(p, _, _, _, _): [p]
        case let .pin(_, _, from, to): Array(Set([from?.product, to?.product].compactMap { $0 })).sorted()
        case let .product(id, _, _): [id]
        case let .batch(list): list.flatMap(\.products)
        case let .fairness(f): f.products
        default: []
        }
    }

    /// Whether `products` holds `id`, without building the list (a frame asks this of every
    /// event for the side pane's history).
    func touches(product id: ProductID) -> Bool {
        switch self {
        case let .score(p, _, _, _, _): p == id
        case let .pin(_, _, from, to): from?.product == id || to?.product == id
        case let .product(p, _, _): p == id
        case let .batch(list): list.contains { $0.touches(product: id) }
        case let .fairness(f): f.products.contains(id)
        default: false
        }
    }

    public var producers: [ProducerID] {
        switch self {
        case let .validation(p, _, _): [p]
        case let .producer(id, _, _): [id]
        case let .batch(list): list.flatMap(\.producers)
        default: []
        }
    }
}

/// A change as it happened: who made it, when, and which revision it produced.
public struct Event: Codable, Hashable, Sendable {
    public var revision: Int
    public var at: String
    public var by: CuratorID
    public var change: Change
    /// Set when this event undoes an earlier one: that event's revision.
    public var undoOf: Int?
    public init(revision: Int, at: String, by: CuratorID, change: Change, undoOf: Int? = nil) {
        self.revision = revision; self.at = at; self.by = by; self.change = change; self.undoOf = undoOf
    }
}

extension Change: Codable {
    private enum Kind: String, Codable {
        case score, pin, validation, status, curator, producer, product, settings, rubric, batch
    }
    private enum Keys: String, CodingKey {
        case kind, product, curator, criterion, cluster, slot, producer, id, from, to, changes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let k = try? c.decode(String.self, forKey: .kind), FairnessChange.kinds.contains(k) {
            self = .fairness(try FairnessChange(from: decoder)); return
        }
        switch try c.decode(Kind.self, forKey: .kind) {
        case .score:
            self = .score(product: try c.decode(ProductID.self, forKey: .product),
                          curator: try c.decode(CuratorID.self, forKey: .curator),
                          criterion: try c.decode(CriterionID.self, forKey: .criterion),
                          from: try c.decodeIfPresent(Int.self, forKey: .from),
                          to: try c.decodeIfPresent(Int.self, forKey: .to))
        case .pin:
            self = .pin(cluster: try c.decode(Cluster.self, forKey: .cluster),
                        slot: try c.decode(Int.self, forKey: .slot),
                        from: try c.decodeIfPresent(Pin.self, forKey: .from),
                        to: try c.decodeIfPresent(Pin.self, forKey: .to))
        case .validation:
            self = .validation(producer: try c.decode(ProducerID.self, forKey: .producer),
                               from: try c.decode(Validation.self, forKey: .from),
                               to: try c.decode(Validation.self, forKey: .to))
        case .status:
            self = .status(from: try c.decode(RoundStatus.self, forKey: .from),
                           to: try c.decode(RoundStatus.self, forKey: .to))
        case .curator:
            self = .curator(id: try c.decode(CuratorID.self, forKey: .id),
                            from: try c.decodeIfPresent(Curator.self, forKey: .from),
                            to: try c.decodeIfPresent(Curator.self, forKey: .to))
        case .producer:
            self = .producer(id: try c.decode(ProducerID.self, forKey: .id),
                             from: try c.decodeIfPresent(Producer.self, forKey: .from),
                             to: try c.decodeIfPresent(Producer.self, forKey: .to))
        case .product:
            self = .product(id: try c.decode(ProductID.self, forKey: .id),
                            from: try c.decodeIfPresent(Product.self, forKey: .from),
                            to: try c.decodeIfPresent(Product.self, forKey: .to))
        case .settings:
            self = .settings(from: try c.decode(Settings.self, forKey: .from), to: try c.decode(Settings.self, forKey: .to))
        case .rubric:
            self = .rubric(from: try c.decode(Rubric.self, forKey: .from), to: try c.decode(Rubric.self, forKey: .to))
        case .batch:
            self = .batch(try c.decode([Change].self, forKey: .changes))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case let .fairness(f) = self { return try f.encode(to: encoder) }
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .score(p, cur, k, from, to):
            try c.encode(Kind.score, forKey: .kind); try c.encode(p, forKey: .product)
            try c.encode(cur, forKey: .curator); try c.encode(k, forKey: .criterion)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .pin(cl, s, from, to):
            try c.encode(Kind.pin, forKey: .kind); try c.encode(cl, forKey: .cluster)
            try c.encode(s, forKey: .slot); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .validation(p, from, to):
            try c.encode(Kind.validation, forKey: .kind); try c.encode(p, forKey: .producer)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .status(from, to):
            try c.encode(Kind.status, forKey: .kind); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .curator(id, from, to):
            try c.encode(Kind.curator, forKey: .kind); try c.encode(id, forKey: .id)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .producer(id, from, to):
            try c.encode(Kind.producer, forKey: .kind); try c.encode(id, forKey: .id)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .product(id, from, to):
            try c.encode(Kind.product, forKey: .kind); try c.encode(id, forKey: .id)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .settings(from, to):
            try c.encode(Kind.settings, forKey: .kind); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .rubric(from, to):
            try c.encode(Kind.rubric, forKey: .kind); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        case let .batch(list):
            try c.encode(Kind.batch, forKey: .kind); try c.encode(list, forKey: .changes)
        case .fairness: break
        }
    }
}
