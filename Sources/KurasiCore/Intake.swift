/// The rules of validation that the producers screen and `kurasi producer list` share: who looks
/// like a trader rather than a producer, which entries look like duplicates of each other, and
/// the reasons the committee gives for a rejection.

/// A trader ("pedagang") sells what others make; the committee validates producers. A registry
/// entry is taken for a trader when its sector or business type says trade (Dagang,
/// Perdagangan, Pedagang, Toko, Grosir, Warung) or when its business type or name says agent,
/// reseller or distributor. Such an entry is imported as pending with the mark "pedagang?" so
/// the validators look at it; the rule never rejects anyone by itself.
public enum TraderRule {
    static let tradeWords: Set<String> = ["dagang", "perdagangan", "pedagang", "toko", "grosir", "warung", "eceran", "retail"]
    static let agentWords: Set<String> = ["agen", "reseller", "distributor", "dropship", "dropshipper", "penyalur"]

    public static func isTrader(sector: String?, businessType: String?, name: String) -> Bool {
        func words(_ s: String?) -> [String] {
            (s ?? "").lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
        let typeWords = words(sector) + words(businessType)
        if typeWords.contains(where: { tradeWords.contains($0) || agentWords.contains($0) }) { return true }
        return words(name).contains(where: agentWords.contains)
    }
}

extension Producer {
    /// Looks like a trader, not a producer (see `TraderRule`): shown as "pedagang?".
    public var isTraderSuspect: Bool { TraderRule.isTrader(sector: sector, businessType: businessType, name: name) }

    /// The name as compared for duplicates: lowercase, letters and digits only, single spaces,
    /// without a legal-form prefix (UD, CV, PT, PD).
    public static func normalisedName(_ name: String) -> String {
        var words = name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        if let f = words.first, ["ud", "cv", "pt", "pd"].contains(f), words.count > 1 { words.removeFirst() }
        return words.joined(separator: " ")
    }
}

extension Round {
    /// Producers that look like another entry: the same NIB (digits), or the same normalised
    /// name in the same kelurahan. Maps each suspect's id to the id of the first other producer
    /// (in store order) it matches; the first of a group points at the second.
    public func duplicateSuspects() -> [ProducerID: ProducerID] {
        var groups: [String: [ProducerID]] = [:]
        for p in producers {
            if let nib = p.nib?.filter(\.isASCIIDigit), !nib.isEmpty { groups["nib:" + nib, default: []].append(p.id) }
            let name = Producer.normalisedName(p.name)
            if !name.isEmpty {
                groups["name:" + name + "|" + Producer.normalisedName(p.kelurahan), default: []].append(p.id)
            }
        }
        var out: [ProducerID: ProducerID] = [:]
        for (_, ids) in groups where ids.count > 1 {
            for id in ids where out[id] == nil {
                out[id] = ids.first { $0 != id }
            }
        }
        return out
    }

    /// How many producers have each status.
    public func validationCounts() -> [ValidationStatus: Int] {
        var out: [ValidationStatus: Int] = [.pending: 0, .valid: 0, .rejected: 0]
        for p in producers { out[p.validation.status, default: 0] += 1 }
        return out
    }

    /// The products of a producer, in store order.
    public func products(of producer: ProducerID) -> [Product] { products.filter { $0.producer == producer } }

    /// The events that touched a producer (its validation and record), oldest first.
    public func history(producer: ProducerID) -> [Event] {
        events.filter { $0.change.producers.contains(producer) }
    }

    /// The events that touched a producer or any of its products, oldest first: what the
    /// producer's page shows as its history.
    public func historyWithProducts(producer: ProducerID) -> [Event] {
        let ids = Set(products(of: producer).map(\.id))
        return events.filter { e in e.change.producers.contains(producer) || e.change.products.contains(where: ids.contains) }
    }

    /// The next free id of the form PREFIX-NNNN ("U-0101", "P-0301").
    public func nextID(prefix: String, in ids: [String]) -> String {
        let n = (ids.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }.max() ?? 0) + 1
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
    public var nextProducerID: ProducerID { ProducerID(nextID(prefix: "U-", in: producers.map(\.id.rawValue))) }
    public var nextProductID: ProductID { ProductID(nextID(prefix: "P-", in: products.map(\.id.rawValue))) }
}

/// The reasons the committee gives for rejecting a registry entry after its visits. The text
/// stored with the rejection is the Indonesian one (`text(.id)`).
public enum RejectionReason: Hashable, Sendable {
    /// tidak ditemukan di alamat
    case notFound
    /// sudah tutup
    case closed
    /// bukan produsen / pedagang
    case notProducer
    /// duplikat dari U-…
    case duplicate(of: String)
    /// lainnya: free text
    case other(String)

    /// The choices of the short list, in order; `duplicate` and `other` carry their detail.
    public static let standard: [RejectionReason] = [.notFound, .closed, .notProducer, .duplicate(of: ""), .other("")]

    public func text(_ lang: Language) -> String {
        switch self {
        case .notFound: return tr(.intNotFound, lang)
        case .closed: return tr(.intClosed, lang)
        case .notProducer: return tr(.intNotProducer, lang)
        case let .duplicate(of): return (tr(.intDuplicate, lang)) + of
        case let .other(s): return s.isEmpty ? (tr(.intOther, lang)) : s
        }
    }

    /// The text to store as the validation's reason.
    public var stored: String { text(.id) }

    /// Reads a reason as written in a visits file or typed: the Indonesian or English text of
    /// a standard reason (case and spacing ignored), "duplikat dari U-0102", else free text.
    public static func parse(_ raw: String) -> RejectionReason {
        let s = raw.trimmingSpaces
        let key = s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for r in [RejectionReason.notFound, .closed, .notProducer] {
            if key == r.text(.id) || key == r.text(.en).lowercased() { return r }
        }
        if key == "bukan produsen" || key == "pedagang" { return .notProducer }
        for prefix in ["duplikat dari ", "duplicate of ", "duplikat "] where key.hasPrefix(prefix) {
            return .duplicate(of: String(s.dropFirst(prefix.count)).trimmingSpaces)
        }
        return .other(s)
    }
}

/// One producer's decision in a validation of several at once.
public struct ValidationDecision: Hashable, Sendable {
    public var producer: ProducerID
    public var status: ValidationStatus
    public var reason: String?
    public init(producer: ProducerID, status: ValidationStatus, reason: String? = nil) {
        self.producer = producer; self.status = status; self.reason = reason
    }
}
