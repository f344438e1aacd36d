/// The values a curation round is made of. Everything here is plain data: no I/O, no clocks.
/// Field names are the JSON store's field names (see README "The store").

/// The two clusters a round pins products for.
public enum Cluster: String, Codable, CaseIterable, Sendable, Comparable, CodingKeyRepresentable {
    /// makanan dan minuman: food and drink
    case mamin
    /// kerajinan tangan dan fashion: handicraft and fashion
    case nonMamin = "non-mamin"

    public static func < (a: Cluster, b: Cluster) -> Bool { a.order < b.order }
    private var order: Int { self == .mamin ? 0 : 1 }
}

/// The interface languages. Bahasa Indonesia is the committee's language; English is the fallback.
public enum Language: String, Codable, CaseIterable, Sendable {
    case id, en
}

/// A text in both interface languages.
public struct Localized: Codable, Hashable, Sendable {
    public var id: String
    public var en: String
    public init(id: String, en: String) { self.id = id; self.en = en }
    public func text(_ lang: Language) -> String { lang == .id ? id : en }
}

public enum ValidationStatus: String, Codable, CaseIterable, Sendable {
    case pending, valid, rejected
}

/// Whether the producer was found to be a real, operating UMKM; who decided, when and why.
public struct Validation: Codable, Hashable, Sendable {
    public var status: ValidationStatus
    public var reason: String?
    public var by: CuratorID?
    public var at: String?
    public init(status: ValidationStatus, reason: String? = nil, by: CuratorID? = nil, at: String? = nil) {
        self.status = status; self.reason = reason; self.by = by; self.at = at
    }
    public static let pending = Validation(status: .pending)
}

/// A pelaku UMKM: one business in the city's registry.
public struct Producer: Codable, Hashable, Sendable, Identifiable {
    public var id: ProducerID
    public var name: String
    public var owner: String
    public var address: String
    public var kelurahan: String
    public var kecamatan: String
    public var phone: String?
    public var nib: String?
    /// The stable key of the registry entry this producer came from; importing the same
    /// registry again finds the producer by it and changes nothing.
    public var registryKey: String?
    /// The registry's "Sektor" (Makanan, Kerajinan, Perdagangan, …), when it came from one.
    public var sector: String?
    /// The registry's "Jenis Usaha" (Produksi, Dagang, Jasa, …).
    public var businessType: String?
    /// The registry's "Keterangan": a remark about the entry, not a product description.
    public var remark: String?
    public var validation: Validation

    public init(id: ProducerID, name: String, owner: String, address: String, kelurahan: String,
                kecamatan: String, phone: String? = nil, nib: String? = nil,
                registryKey: String? = nil, sector: String? = nil, businessType: String? = nil,
                remark: String? = nil, validation: Validation = .pending) {
        self.id = id; self.name = name; self.owner = owner; self.address = address
        self.kelurahan = kelurahan; self.kecamatan = kecamatan; self.phone = phone; self.nib = nib
        self.registryKey = registryKey; self.sector = sector; self.businessType = businessType
        self.remark = remark; self.validation = validation
    }
}

public enum PermitKind: String, Codable, CaseIterable, Sendable {
    case nib = "NIB"
    case pirt = "P-IRT"
    case bpomMD = "BPOM MD"
    case halal = "halal"
    case hki = "HKI"
    case sni = "SNI"
}

/// A permit or certificate a product holds. `expires` is an ISO date (YYYY-MM-DD) or nil when
/// the permit does not expire.
public struct Permit: Codable, Hashable, Sendable {
    public var kind: PermitKind
    public var number: String
    public var expires: String?
    public init(kind: PermitKind, number: String, expires: String? = nil) {
        self.kind = kind; self.number = number; self.expires = expires
    }
    /// Valid on `date` (ISO YYYY-MM-DD): no expiry, or expiring on or after that day.
    public func isValid(on date: String) -> Bool { expires.map { $0 >= date } ?? true }
}

/// How much a producer can make in a month, e.g. 1,200 bungkus.
public struct Capacity: Codable, Hashable, Sendable {
    public var amount: Int
    public var unit: String
    public init(amount: Int, unit: String) { self.amount = amount; self.unit = unit }
}

public struct Product: Codable, Hashable, Sendable, Identifiable {
    public var id: ProductID
    public var producer: ProducerID
    public var name: String
    public var cluster: Cluster
    public var category: String
    public var description: String
    /// Price in whole rupiah.
    public var price: Int?
    public var capacity: Capacity?
    public var permits: [Permit]

    public init(id: ProductID, producer: ProducerID, name: String, cluster: Cluster, category: String,
                description: String = "", price: Int? = nil, capacity: Capacity? = nil,
                permits: [Permit] = []) {
        self.id = id; self.producer = producer; self.name = name; self.cluster = cluster
        self.category = category; self.description = description; self.price = price
        self.capacity = capacity; self.permits = permits
    }
}

public enum CuratorRole: String, Codable, CaseIterable, Sendable {
    /// ketua: manages curators, roles, settings and the rubric; opens deliberation, finalises
    case chair
    /// sekretaris: records the committee's pins beside the chair
    case secretary
    case curator

    /// May record pins (the committee decides; the chair or the secretary records it).
    public var recordsPins: Bool { self != .curator }
}

public enum ConflictKind: String, Codable, CaseIterable, Sendable {
    /// keluarga: a relative of the owner
    case family
    /// usaha: a business tie (partner, investor, customer)
    case business
    /// pekerjaan: works or worked for the producer
    case employment
    /// lainnya
    case other
}

/// A declared conflict of interest: the curator neither scores nor pins this producer's
/// products, and sheets made before the declaration are set aside. Only the chair withdraws one,
/// with a reason; a withdrawn conflict stays on record for the minutes.
public struct Conflict: Codable, Hashable, Sendable {
    public var producer: ProducerID
    public var kind: ConflictKind
    public var reason: String
    public var withdrawn: Withdrawal?
    public init(producer: ProducerID, kind: ConflictKind, reason: String, withdrawn: Withdrawal? = nil) {
        self.producer = producer; self.kind = kind; self.reason = reason; self.withdrawn = withdrawn
    }
    public var isActive: Bool { withdrawn == nil }
}

/// Who withdrew a conflict, when and why.
public struct Withdrawal: Codable, Hashable, Sendable {
    public var by: CuratorID
    public var at: String
    public var reason: String
    public init(by: CuratorID, at: String, reason: String) { self.by = by; self.at = at; self.reason = reason }
}

public struct Curator: Codable, Hashable, Sendable, Identifiable {
    public var id: CuratorID
    public var name: String
    public var role: CuratorRole
    public var conflicts: [Conflict]
    public init(id: CuratorID, name: String, role: CuratorRole = .curator, conflicts: [Conflict] = []) {
        self.id = id; self.name = name; self.role = role; self.conflicts = conflicts
    }
    public func isRecused(from producer: ProducerID) -> Bool {
        conflicts.contains { $0.producer == producer && $0.isActive }
    }
    /// The active conflict with a producer, if any.
    public func conflict(with producer: ProducerID) -> Conflict? {
        conflicts.first { $0.producer == producer && $0.isActive }
    }
}

/// One criterion of the rubric. `anchors` holds one label per point of the scale, lowest first.
public struct Criterion: Codable, Hashable, Sendable, Identifiable {
    public var id: CriterionID
    public var name: Localized
    public var weight: Int
    public var anchors: [Localized]
    public init(id: CriterionID, name: Localized, weight: Int, anchors: [Localized]) {
        self.id = id; self.name = name; self.weight = weight; self.anchors = anchors
    }
}

public struct Rubric: Codable, Hashable, Sendable {
    public var scaleMin: Int
    public var scaleMax: Int
    public var criteria: [Criterion]
    /// Per-cluster weights that replace a criterion's default weight, by criterion id.
    public var clusterWeights: [Cluster: [CriterionID: Int]]

    public init(scaleMin: Int = 1, scaleMax: Int = 5, criteria: [Criterion],
                clusterWeights: [Cluster: [CriterionID: Int]] = [:]) {
        self.scaleMin = scaleMin; self.scaleMax = scaleMax; self.criteria = criteria
        self.clusterWeights = clusterWeights
    }

    public func weight(of criterion: Criterion, in cluster: Cluster) -> Int {
        clusterWeights[cluster]?[criterion.id] ?? criterion.weight
    }
    public func criterion(_ id: CriterionID) -> Criterion? { criteria.first { $0.id == id } }
    /// The points a sheet may hold. A hand-edited rubric with `scaleMin` above `scaleMax` gives an
    /// empty scale here (every point refused) instead of a crash; `Round.violations` names it.
    public var scale: ClosedRange<Int> { scaleMin...Swift.max(scaleMin, scaleMax) }
    public var isScaleValid: Bool { scaleMin < scaleMax }
}

public enum Aggregation: String, Codable, CaseIterable, Sendable {
    case mean, median
}

/// Round options the committee may change before it starts scoring.
public struct Settings: Codable, Hashable, Sendable {
    /// How a product's score is formed from its curators' sheet scores.
    public var aggregation: Aggregation
    /// Other curators' scores stay hidden until one's own sheet is complete (the console).
    public var blindScoring: Bool
    /// At most one pinned product per producer in each cluster.
    public var onePinPerProducer: Bool
    /// max − min of a product's sheet scores (0–100) at or above which it is marked as disputed.
    public var disagreementThreshold: Double
    /// The criterion whose mean breaks ties after score, curator count and median.
    public var tieBreakCriterion: CriterionID
    /// Per cluster, the permit gates: a product is eligible when it holds a valid permit of at
    /// least one kind listed. No entry, or an empty list, means no permit is required.
    public var permitGates: [Cluster: [PermitKind]]
    /// A product is ranked only with at least this many counted sheets (1 by default).
    public var minSheets: Int
    /// What the ranking is computed from; nil is raw (Analysis/Fairness.swift).
    public var scoreBasis: ScoreBasis? = nil
    /// The least a finalist must make a month for the shared brand; nil when not set.
    public var minimumCapacity: Int? = nil

    public init(aggregation: Aggregation = .mean, blindScoring: Bool = true,
                onePinPerProducer: Bool = true, disagreementThreshold: Double = 25,
                tieBreakCriterion: CriterionID = "kualitas",
                permitGates: [Cluster: [PermitKind]] = [.mamin: [.pirt, .bpomMD]], minSheets: Int = 1) {
        self.aggregation = aggregation; self.blindScoring = blindScoring
        self.onePinPerProducer = onePinPerProducer; self.disagreementThreshold = disagreementThreshold
        self.tieBreakCriterion = tieBreakCriterion; self.permitGates = permitGates; self.minSheets = minSheets
    }

    enum CodingKeys: String, CodingKey {
        case aggregation, blindScoring, onePinPerProducer, disagreementThreshold, tieBreakCriterion, permitGates, minSheets
    }

    /// Stores written before `minSheets` existed read as 1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        aggregation = try c.decode(Aggregation.self, forKey: .aggregation)
        blindScoring = try c.decode(Bool.self, forKey: .blindScoring)
        onePinPerProducer = try c.decode(Bool.self, forKey: .onePinPerProducer)
        disagreementThreshold = try c.decode(Double.self, forKey: .disagreementThreshold)
        tieBreakCriterion = try c.decode(CriterionID.self, forKey: .tieBreakCriterion)
        permitGates = try c.decode([Cluster: [PermitKind]].self, forKey: .permitGates)
        minSheets = try c.decodeIfPresent(Int.self, forKey: .minSheets) ?? 1
    }
}

/// The round's phases: scoring (`open`, blind: a curator sees a product's score only once their
/// own sheet is complete), deliberation (opened by the chair: everything visible), final
/// (5 + 5 eligible pins; every edit refused until the chair reopens it).
public enum RoundState: String, Codable, Sendable {
    case open
    case deliberation
    case final
}

/// Whether the round is open for edits, and who last finalised or reopened it and why.
public struct RoundStatus: Codable, Hashable, Sendable {
    public var state: RoundState
    public var by: CuratorID?
    public var at: String?
    public var reason: String?
    public init(state: RoundState, by: CuratorID? = nil, at: String? = nil, reason: String? = nil) {
        self.state = state; self.by = by; self.at = at; self.reason = reason
    }
    public static let open = RoundStatus(state: .open)
}

/// What the round is: its title, organiser and the day it is held. `date` (YYYY-MM-DD) is the
/// day permits must still be valid on.
public struct RoundInfo: Codable, Hashable, Sendable {
    public var title: String
    public var organizer: String
    public var date: String
    public var settings: Settings
    public var status: RoundStatus
    /// The IANA time zone times are shown in ("Asia/Jakarta", WIB, when absent).
    public var timeZone: String?
    /// Where the committee meets ("Madiun"), written above the signatures of the minutes.
    public var place: String?
    public init(title: String, organizer: String = "", date: String,
                settings: Settings = Settings(), status: RoundStatus = .open, timeZone: String? = nil,
                place: String? = nil) {
        self.title = title; self.organizer = organizer; self.date = date
        self.settings = settings; self.status = status; self.timeZone = timeZone; self.place = place
    }
}

/// A pinned product in one of a cluster's five slots. `reason` is set when the product was
/// outside the computed top five when it was pinned.
public struct Pin: Codable, Hashable, Sendable {
    public var slot: Int
    public var product: ProductID
    public var reason: String?
    public var by: CuratorID
    public var at: String
    public init(slot: Int, product: ProductID, reason: String? = nil, by: CuratorID, at: String) {
        self.slot = slot; self.product = product; self.reason = reason; self.by = by; self.at = at
    }
}

// One curator's scores for one product, by criterion id: `Sheet` (Sheets.swift).
