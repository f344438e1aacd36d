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
        case let .producerMissing(id):
            lang == .id ? "pelaku \(id) tidak ada di data" : "producer \(id) is not in the store"
        case .producerNotValidated(.rejected):
            lang == .id ? "pelaku UMKM ditolak saat validasi" : "the producer was rejected at validation"
        case .producerNotValidated:
            lang == .id ? "pelaku UMKM belum divalidasi" : "the producer is not validated yet"
        case let .missingPermit(kinds, expired):
            {
                let list = kinds.map(\.rawValue).joined(separator: lang == .id ? " atau " : " or ")
                if !expired.isEmpty {
                    let e = expired.map(\.rawValue).joined(separator: ", ")
                    return lang == .id ? "izin \(e) sudah kedaluwarsa; perlu \(list) yang berlaku"
                        : "permit \(e) has expired; needs a valid \(list)"
                }
                return lang == .id ? "tidak punya izin \(list)" : "holds no \(list) permit"
            }()
        }
    }

    /// A short mark for narrow table columns.
    public var mark: String {
        switch self {
        case .producerMissing, .producerNotValidated: "valid"
        case .missingPermit: "izin"
        }
    }
}

extension Round {
    /// Every reason the product is not eligible; empty when it is.
    public func ineligibility(_ product: Product) -> [Ineligibility] {
        var reasons: [Ineligibility] = []
        if let producer = producer(product.producer) {
            if producer.validation.status != .valid {
                reasons.append(.producerNotValidated(producer.validation.status))
            }
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
