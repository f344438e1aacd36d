/// The fairness settings and the pairwise comparisons at the cut line, as changes and commands.
/// `Change.fairness`, `Command.fairness` and `Refusal.fairness` are the only hooks in the shared
/// files; everything they do is here.

/// What the ranking is computed from: the curators' raw sheet scores, or the sheet scores after
/// per-curator normalisation (see `Normalisation`). The chair chooses before deliberation.
public enum ScoreBasis: String, Codable, CaseIterable, Sendable {
    case raw
    case normalised
}

/// One curator's judgement of a pair of products at the cut line. The pair is kept in id order
/// (`a` < `b`); `prefer` is relative to that order.
public struct Comparison: Codable, Hashable, Sendable {
    public enum Preference: String, Codable, CaseIterable, Sendable { case a, b, same }
    public var a: ProductID
    public var b: ProductID
    public var curator: CuratorID
    public var prefer: Preference
    public var at: String
    public init(a: ProductID, b: ProductID, curator: CuratorID, prefer: Preference, at: String) {
        self.a = a; self.b = b; self.curator = curator; self.prefer = prefer; self.at = at
    }
    /// The same judgement with the pair in id order.
    public var ordered: Comparison {
        guard b < a else { return self }
        let p: Preference = prefer == .a ? .b : prefer == .b ? .a : .same
        return Comparison(a: b, b: a, curator: curator, prefer: p, at: at)
    }
}

/// A change to the fairness settings or the pairwise round. Each is an event like any other.
public enum FairnessChange: Hashable, Sendable {
    /// The chair chose the score basis of the ranking (nil = raw, the default).
    case scoreBasis(from: ScoreBasis?, to: ScoreBasis?)
    /// The chair set the minimum monthly capacity for the shared brand (nil = not set).
    case minimumCapacity(from: Int?, to: Int?)
    /// A curator compared two products (from: their earlier judgement of the pair, if any).
    case comparison(a: ProductID, b: ProductID, curator: CuratorID, from: Comparison?, to: Comparison?)
    /// Where an imported finalist came from (Analysis/Finalists.swift).
    case finalist(product: ProductID, from: FinalistOrigin?, to: FinalistOrigin?)

    static let kinds: Set<String> = ["scoreBasis", "minimumCapacity", "comparison", "finalist"]

    public var inverse: FairnessChange {
        switch self {
        case let .scoreBasis(f, t): .scoreBasis(from: t, to: f)
        case let .minimumCapacity(f, t): .minimumCapacity(from: t, to: f)
        case let .comparison(a, b, c, f, t): .comparison(a: a, b: b, curator: c, from: t, to: f)
        case let .finalist(p, f, t): .finalist(product: p, from: t, to: f)
        }
    }

    public var products: [ProductID] {
        if case let .comparison(a, b, _, _, _) = self { return [a, b] }
        if case let .finalist(p, _, _) = self { return [p] }
        return []
    }

    public func summary(_ lang: Language) -> String {
        switch self {
        case let .scoreBasis(_, to):
            let b = (to ?? .raw).label(lang)
            return tr(.anTheRankingUsesScores, lang, b)
        case let .minimumCapacity(_, to):
            guard let to else { return tr(.anMinimumCapacityCleared, lang) }
            return tr(.anMinimumCapacityAMonth, lang, Format.count(to, lang))
        case let .comparison(a, b, c, _, to):
            guard let to else { return tr(.anComparisonRemoved, lang, c, a, b) }
            switch to.prefer {
            case .a: return tr(.anPreferredTo, lang, c, a, b)
            case .b: return tr(.anPreferredTo, lang, c, b, a)
            case .same: return tr(.anAndJudgedEqual, lang, c, a, b)
            }
        case let .finalist(p, _, to):
            guard let to else { return tr(.anOriginOfFinalistRemoved, lang, p) }
            return tr(.anFinalistFrom, lang, p, to.round)
        }
    }
}

extension FairnessChange: Codable {
    private enum Keys: String, CodingKey { case kind, from, to, a, b, curator, product }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "scoreBasis":
            self = .scoreBasis(from: try c.decodeIfPresent(ScoreBasis.self, forKey: .from),
                               to: try c.decodeIfPresent(ScoreBasis.self, forKey: .to))
        case "minimumCapacity":
            self = .minimumCapacity(from: try c.decodeIfPresent(Int.self, forKey: .from),
                                    to: try c.decodeIfPresent(Int.self, forKey: .to))
        case "comparison":
            self = .comparison(a: try c.decode(ProductID.self, forKey: .a), b: try c.decode(ProductID.self, forKey: .b),
                               curator: try c.decode(CuratorID.self, forKey: .curator),
                               from: try c.decodeIfPresent(Comparison.self, forKey: .from),
                               to: try c.decodeIfPresent(Comparison.self, forKey: .to))
        case "finalist":
            self = .finalist(product: try c.decode(ProductID.self, forKey: .product),
                             from: try c.decodeIfPresent(FinalistOrigin.self, forKey: .from),
                             to: try c.decodeIfPresent(FinalistOrigin.self, forKey: .to))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown change kind \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .scoreBasis(f, t):
            try c.encode("scoreBasis", forKey: .kind); try c.encode(f, forKey: .from); try c.encode(t, forKey: .to)
        case let .minimumCapacity(f, t):
            try c.encode("minimumCapacity", forKey: .kind); try c.encode(f, forKey: .from); try c.encode(t, forKey: .to)
        case let .comparison(a, b, cur, f, t):
            try c.encode("comparison", forKey: .kind); try c.encode(a, forKey: .a); try c.encode(b, forKey: .b)
            try c.encode(cur, forKey: .curator); try c.encode(f, forKey: .from); try c.encode(t, forKey: .to)
        case let .finalist(p, f, t):
            try c.encode("finalist", forKey: .kind); try c.encode(p, forKey: .product)
            try c.encode(f, forKey: .from); try c.encode(t, forKey: .to)
        }
    }
}

/// What a curator can ask of the fairness settings and the pairwise round.
public enum FairnessCommand: Hashable, Sendable {
    case setScoreBasis(ScoreBasis)
    case setMinimumCapacity(Int?)
    case compare(ProductID, ProductID, prefer: Comparison.Preference)
    /// Bring a city round's finalists in (see `Round.planFinalists`), as one edit.
    case importFinalists(FinalistImport)
}

/// Why a fairness command was refused.
public enum FairnessRefusal: Hashable, Sendable {
    case basisBeforeDeliberation
    case capacityNotPositive(Int)
    case samePair(ProductID)
    case differentClusters(ProductID, ProductID)

    public func text(_ lang: Language) -> String {
        switch self {
        case .basisBeforeDeliberation:
            return tr(.anTheRankingSScore, lang)
        case let .capacityNotPositive(n):
            return tr(.anTheMinimumCapacityMust, lang, n)
        case let .samePair(p):
            return tr(.anCannotBeComparedWith, lang, p)
        case let .differentClusters(a, b):
            return tr(.anAndAreInDifferent, lang, a, b)
        }
    }
}

extension ScoreBasis {
    public func label(_ lang: Language) -> String {
        switch self {
        case .raw: tr(.anRaw, lang)
        case .normalised: tr(.anNormalised, lang)
        }
    }
}

extension Round {
    /// The score basis the ranking uses.
    public var scoreBasis: ScoreBasis { round.settings.scoreBasis ?? .raw }

    /// Every curator's current judgement of every pair, in the order they were made.
    public var comparisons: [Comparison] {
        var current: [String: Comparison] = [:], order: [String] = []
        for e in events {
            for f in e.change.fairnessChanges {
                guard case let .comparison(a, b, c, _, to) = f else { continue }
                let key = "\(a)\u{0}\(b)\u{0}\(c)"
                if current[key] == nil, to != nil { order.append(key) }
                current[key] = to
            }
        }
        return order.compactMap { current[$0] }
    }

    /// The comparisons `curator` may see: while scoring is blind, another curator's judgement of a
    /// pair shows only once `curator` has judged that pair too; nil (the projected board) sees none.
    public func comparisons(visibleTo curator: CuratorID?) -> [Comparison] {
        let all = comparisons
        if scoresArePublic { return all }
        guard let curator else { return [] }
        let judged = Set(all.filter { $0.curator == curator }.map { "\($0.a)\u{0}\($0.b)" })
        return all.filter { $0.curator == curator || judged.contains("\($0.a)\u{0}\($0.b)") }
    }

    /// While scoring is blind, another curator's judgement of a pair `curator` has not judged.
    func isHiddenComparison(_ change: FairnessChange, to curator: CuratorID?) -> Bool {
        guard !scoresArePublic, case let .comparison(a, b, who, _, _) = change, who != curator else { return false }
        guard let curator else { return true }
        return !comparisons.contains { $0.a == a && $0.b == b && $0.curator == curator }
    }

    func planFairness(_ command: FairnessCommand, by: CuratorID, at: String) throws(Refusal) -> Change? {
        switch command {
        case let .setScoreBasis(basis):
            guard curator(by)?.role == .chair else { throw .chairOnly(curator: by) }
            guard phase == .open else { throw .fairness(.basisBeforeDeliberation) }
            let from = round.settings.scoreBasis
            let to: ScoreBasis? = basis == .raw ? nil : basis
            guard from != to else { return nil }
            return .fairness(.scoreBasis(from: from, to: to))
        case let .setMinimumCapacity(amount):
            guard curator(by)?.role == .chair else { throw .chairOnly(curator: by) }
            if let amount, amount <= 0 { throw .fairness(.capacityNotPositive(amount)) }
            let from = round.settings.minimumCapacity
            guard from != amount else { return nil }
            return .fairness(.minimumCapacity(from: from, to: amount))
        case let .compare(x, y, prefer):
            guard let px = product(x) else { throw .unknownProduct(x) }
            guard let py = product(y) else { throw .unknownProduct(y) }
            guard x != y else { throw .fairness(.samePair(x)) }
            guard px.cluster == py.cluster else { throw .fairness(.differentClusters(x, y)) }
            for p in [px, py] {
                if let conflict = curator(by)?.conflict(with: p.producer) {
                    throw .recused(curator: by, producer: p.producer, reason: conflict.reason)
                }
            }
            let judged = Comparison(a: x, b: y, curator: by, prefer: prefer, at: at).ordered
            let before = comparisons.first { $0.a == judged.a && $0.b == judged.b && $0.curator == by }
            if let before, before.prefer == judged.prefer { return nil }
            return .fairness(.comparison(a: judged.a, b: judged.b, curator: by, from: before, to: judged))
        case let .importFinalists(plan):
            if hasChair, curator(by)?.role != .chair { throw .chairOnly(curator: by) }
            var seen = Set<String>()
            for p in plan.producers { guard producer(p.id) == nil, seen.insert(p.id.rawValue).inserted else { throw .duplicateID(p.id.rawValue) } }
            for p in plan.products {
                guard product(p.id) == nil, seen.insert(p.id.rawValue).inserted else { throw .duplicateID(p.id.rawValue) }
                guard producer(p.producer) != nil || plan.producers.contains(where: { $0.id == p.producer }) else { throw .unknownProducer(p.producer) }
            }
            guard !plan.products.isEmpty else { return nil }
            return .batch(plan.producers.map { .producer(id: $0.id, from: nil, to: $0) }
                + plan.products.map { .product(id: $0.id, from: nil, to: $0) }
                + plan.origins.map { .fairness(.finalist(product: $0.product, from: nil, to: $0)) })
        }
    }

    mutating func applyFairness(_ change: FairnessChange) throws(Refusal) {
        switch change {
        case let .scoreBasis(from, to):
            guard round.settings.scoreBasis == from else { throw .changedSince(what: "scoreBasis", revision: nil, by: nil) }
            round.settings.scoreBasis = to
        case let .minimumCapacity(from, to):
            guard round.settings.minimumCapacity == from else { throw .changedSince(what: "minimumCapacity", revision: nil, by: nil) }
            round.settings.minimumCapacity = to
        case let .comparison(a, b, c, from, _):
            guard product(a) != nil else { throw .unknownProduct(a) }
            guard product(b) != nil else { throw .unknownProduct(b) }
            let current = comparisons.first { $0.a == a && $0.b == b && $0.curator == c }
            guard current == from else {
                let e = lastEvent(touching: a)
                throw .changedSince(what: "\(a)–\(b) \(c)", revision: e?.revision, by: e?.by)
            }
            // The judgement itself lives in the event; `comparisons` folds the events.
        case let .finalist(p, from, _):
            guard product(p) != nil else { throw .unknownProduct(p) }
            guard finalistOrigins[p] == from else { throw .changedSince(what: p.rawValue, revision: nil, by: nil) }
        }
    }
}

extension Change {
    /// The fairness changes this change makes, batches included.
    public var fairnessChanges: [FairnessChange] {
        switch self {
        case let .fairness(f): [f]
        case let .batch(list): list.flatMap(\.fairnessChanges)
        default: []
        }
    }
}
