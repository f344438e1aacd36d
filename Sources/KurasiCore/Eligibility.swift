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
        var reasons: [Ineligibility] = []
        // The producer's status read in place (no copy of the producer, per product of a ranking).
        if let i = producerPosition(product.producer) {
            let status = producers[i].validation.status
            if status != .valid { reasons.append(.producerNotValidated(status)) }
        } else {
            reasons.append(.producerMissing(product.producer))
        }
        let gate = round.settings.permitGates[product.cluster] ?? []
        if !gate.isEmpty {
            let held = product.permits.filter { gate.contains($0.kind) }
            if !held.contains(where: { $0.isValid(on: round.date) }) {
                let expired = Array(Set(held.map(\.kind))).sorted { $0.rawValue < $1.rawValue }
                reasons.append(.missingPermit(anyOf: gate, expired: expired))
            }
        }
        return reasons
    }

    public func isEligible(_ product: Product) -> Bool { ineligibility(product).isEmpty }
}
