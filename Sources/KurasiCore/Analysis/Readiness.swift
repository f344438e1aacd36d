import Foundation

/// Collective-mark readiness (merek kolektif) of every pinned product: a checklist of what the
/// shared brand needs, each line met or not with what the producer must do and by when.
public struct ReadinessLine: Hashable, Sendable {
    public enum Item: String, Codable, CaseIterable, Sendable {
        case nib, foodPermit, halal, brand, capacity, consistency
    }
    public enum Status: String, Codable, Sendable {
        case met, unmet
        /// The committee has not set what the line is measured against (the minimum capacity).
        case unknown
    }
    public var item: Item
    public var status: Status
    /// What is on record ("P-IRT 2063577010123-25 s/d 31 Maret 2025").
    public var found: String
    /// What the producer (or the committee, for `unknown`) must do; empty when met.
    public var action: String
    /// ISO date by which to do it; nil when met.
    public var due: String?
    /// How the committee does it, when a front end says it in its own terms.
    public var remedy: Remedy? = nil

    public var mark: String { status == .met ? "✓" : status == .unmet ? "✗" : "?" }
}

public struct Readiness: Hashable, Sendable {
    public var product: ProductID
    public var name: String
    public var producer: ProducerID
    public var producerName: String
    public var cluster: Cluster
    public var slot: Int
    public var lines: [ReadinessLine]
    public var ready: Bool { lines.allSatisfy { $0.status == .met } }
}

extension ReadinessLine.Item {
    public func label(_ lang: Language) -> String {
        switch self {
        case .nib: return "NIB"
        case .foodPermit: return tr(.anPIrtOrBpom, lang)
        case .halal: return tr(.anHalalCertificate, lang)
        case .brand: return tr(.anHkiBrandRegistration, lang)
        case .capacity: return tr(.anProductionCapacity, lang)
        case .consistency: return tr(.anQualityConsistentAcrossCurators, lang)
        }
    }
}

extension Round {
    /// The default deadline for what a finalist must do: 90 days after the round.
    public var readinessDue: String { Self.addDays(round.date, 90) }

    static func addDays(_ iso: String, _ days: Int) -> String {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian); f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: iso) else { return iso }
        return f.string(from: d.addingTimeInterval(Double(days) * 86_400))
    }

    /// The checklist of every pinned product, mamin first, by slot. `due` is the date by which
    /// the producer must act (default `readinessDue`).
    public func readiness(lang: Language, due: String? = nil) -> [Readiness] {
        var out: [Readiness] = []
        for cluster in Cluster.allCases {
            for pin in pins(in: cluster).sorted(by: { $0.slot < $1.slot }) {
                guard let p = product(pin.product) else { continue }
                out.append(readiness(of: p, slot: pin.slot, lang: lang, due: due ?? readinessDue))
            }
        }
        return out
    }

    public func readiness(of p: Product, slot: Int, lang: Language, due: String) -> Readiness {
        let on = round.date
        let producer = self.producer(p.producer)
        func permitLine(_ item: ReadinessLine.Item, _ kinds: [PermitKind], todo: String) -> ReadinessLine {
            let held = p.permits.filter { kinds.contains($0.kind) }
            if let valid = held.first(where: { $0.isValid(on: on) }) {
                let until = valid.expires.map { (tr(.anUntil, lang)) + Format.date($0, lang) } ?? ""
                // Still valid on the round's day but lapsing before the deadline: renew it by then.
                if let e = valid.expires, e < due {
                    return ReadinessLine(item: item, status: .met, found: "\(valid.kind.rawValue) \(valid.number)\(until)",
                                         action: tr(.anRenewBefore, lang, Format.date(e, lang)), due: e)
                }
                return ReadinessLine(item: item, status: .met, found: "\(valid.kind.rawValue) \(valid.number)\(until)", action: "", due: nil)
            }
            if let old = held.first {
                let when = old.expires.map { (tr(.anExpired, lang)) + Format.date($0, lang) } ?? ""
                return ReadinessLine(item: item, status: .unmet, found: "\(old.kind.rawValue) \(old.number)\(when)",
                                     action: (tr(.anRenew, lang)) + old.kind.rawValue, due: due)
            }
            return ReadinessLine(item: item, status: .unmet, found: tr(.anNone, lang), action: todo, due: due)
        }
        var lines: [ReadinessLine] = []
        // NIB: the producer's business number, or a NIB listed with the product's permits.
        if let nib = producer?.nib, !nib.trimmingSpaces.isEmpty {
            lines.append(ReadinessLine(item: .nib, status: .met, found: "NIB \(nib)", action: "", due: nil))
        } else {
            lines.append(permitLine(.nib, [.nib], todo: tr(.anRegisterANibThrough, lang)))
        }
        if p.cluster == .mamin {
            lines.append(permitLine(.foodPermit, [.pirt, .bpomMD], todo: tr(.anObtainAnSppIrt, lang)))
            lines.append(permitLine(.halal, [.halal], todo: tr(.anApplyForAHalal, lang)))
        }
        lines.append(permitLine(.brand, [.hki], todo: tr(.anRegisterTheBrandWith, lang)))
        // Capacity against the round's minimum for the shared brand.
        let cap = p.capacity.map { "\(Format.count($0.amount, lang)) \($0.unit)" + (tr(.anAMonth, lang)) } ?? (tr(.anNotRecorded, lang))
        if let minimum = round.settings.minimumCapacity {
            if let c = p.capacity, c.amount >= minimum {
                lines.append(ReadinessLine(item: .capacity, status: .met, found: cap, action: "", due: nil))
            } else {
                let need = Format.count(minimum, lang)
                lines.append(ReadinessLine(item: .capacity, status: .unmet, found: cap,
                                           action: tr(.anRaiseCapacityToAt, lang, need), due: due))
            }
        } else {
            lines.append(ReadinessLine(item: .capacity, status: .unknown, found: cap,
                                       action: tr(.anTheChairSetsThe, lang), due: nil, remedy: .setMinimumCapacity))
        }
        // Quality consistent: the spread of the curators' kualitas points, on 0–100, below the
        // disagreement threshold.
        let k: CriterionID = "kualitas"
        let recused = Set(recusedCurators(for: p).map(\.id))
        let qs = (scores[p.id] ?? [:]).filter { !recused.contains($0.key) && isComplete($0.value) }.compactMap { $0.value[k] }
        let span = Double(Swift.max(1, rubric.scaleMax - rubric.scaleMin))
        let threshold = round.settings.disagreementThreshold
        if qs.count >= 2, let lo = qs.min(), let hi = qs.max() {
            let spread = Double(hi - lo) / span * 100
            let found = (tr(.anKualitasFromCurators, lang, lo, hi, qs.count))
            if spread < threshold {
                lines.append(ReadinessLine(item: .consistency, status: .met, found: found, action: "", due: nil))
            } else {
                lines.append(ReadinessLine(item: .consistency, status: .unmet, found: found,
                                           action: tr(.anMakeBatchesConsistentSend, lang), due: due))
            }
        } else {
            lines.append(ReadinessLine(item: .consistency, status: .unmet, found: tr(.anFewerThanScoreSheets, lang),
                                       action: tr(.anHaveAnotherCuratorScore, lang), due: due))
        }
        return Readiness(product: p.id, name: p.name, producer: p.producer, producerName: producer?.name ?? p.producer.rawValue,
                         cluster: p.cluster, slot: slot, lines: lines)
    }
}
