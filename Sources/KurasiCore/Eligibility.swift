/// Why a product may not be pinned. A product is eligible when its producer is validated and it
/// passes its cluster's permit gate.
public enum Ineligibility: Hashable, Sendable {
    case producerMissing(ProducerID)
    case producerNotValidated(ValidationStatus)
    /// Holds none of the gate's permits (valid on the round's date); `expired` lists kinds it
    /// holds but that have lapsed.
    case missingPermit(anyOf: [PermitKind], expired: [PermitKind])

    public func text(_ lang: Language) -> String {
        switch self {
        case let .producerMissing(id): tr(.inelProducerMissing, lang, id)
        case .producerNotValidated(.rejected): tr(.inelRejected, lang)
        case .producerNotValidated: tr(.inelNotValidated, lang)
        case let .missingPermit(kinds, expired):
            {
                let list = kinds.map(\.rawValue).joined(separator: tr(.orJoiner, lang))
                if !expired.isEmpty { return tr(.inelPermitExpired, lang, expired.map(\.rawValue).joined(separator: ", "), list) }
                return tr(.inelNoPermit, lang, list)
            }()
        }
    }

    /// A short mark for narrow table columns, after "⊘": what is missing ("belum valid", "izin").
    public func mark(_ lang: Language) -> String {
        switch self {
        case .producerNotValidated(.rejected): tr(.markRejected, lang)
        case .producerMissing, .producerNotValidated: tr(.markNotValid, lang)
        case .missingPermit: tr(.markPermit, lang)
        }
    }

    /// The widest short mark in `lang`, for sizing a column.
    public static func markWidth(_ lang: Language) -> Int {
        [Ineligibility.producerNotValidated(.pending), .producerNotValidated(.rejected), .missingPermit(anyOf: [], expired: [])]
            .map { $0.mark(lang).count }.max() ?? 0
    }
}

extension Round {
    /// Every reason the product is not eligible; empty when it is.
    public func ineligibility(_ product: Product) -> [Ineligibility] {
        // The producer's status read in place (no copy of the producer, per product of a ranking).
        let status = producerPosition(product.producer).map { producers[$0].validation.status }
        return ineligibility(producer: product.producer, status: status, permits: product.permits,
                             gate: round.settings.permitGates[product.cluster] ?? [])
    }

    /// The same from the product's producer and its status (nil: no such producer), its permits
    /// and its cluster's permit gate: what a ranking reads once per cluster or per producer.
    func ineligibility(producer: ProducerID, status: ValidationStatus?, permits: [Permit], gate: [PermitKind]) -> [Ineligibility] {
        var reasons: [Ineligibility] = []
        if let status {
            if status != .valid { reasons.append(.producerNotValidated(status)) }
        } else {
            reasons.append(.producerMissing(producer))
        }
        guard !gate.isEmpty else { return reasons }
        // A permit of the gate valid on the round's date (nearly always): no list made.
        let date = round.date
        for p in permits where gate.contains(p.kind) && p.isValid(on: date) { return reasons }
        let held = permits.filter { gate.contains($0.kind) }
        let expired = Array(Set(held.map(\.kind))).sorted { $0.rawValue < $1.rawValue }
        reasons.append(.missingPermit(anyOf: gate, expired: expired))
        return reasons
    }

    /// A producer and its validation status (nil: no such producer), remembered across a
    /// ranking's products.
    struct ProducerStatus {
        var producer: ProducerID
        var status: ValidationStatus?
    }

    public func isEligible(_ product: Product) -> Bool { ineligibility(product).isEmpty }
}
