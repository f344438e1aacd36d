/// One-line descriptions of changes, for the history and the status line.
extension Change {
    public func summary(_ lang: Language) -> String {
        func v(_ x: Int?) -> String { x.map(String.init) ?? "–" }
        switch self {
        case let .score(p, c, k, from, to):
            return "\(p) \(c) \(k): \(v(from)) → \(v(to))"
        case let .pin(cluster, slot, from, to):
            if let to {
                let why = to.reason.map { tr(.chgPinReason, lang, $0) } ?? ""
                return (tr(.chgPinned, lang, to.product, cluster.label(lang), slot)) + why
            }
            return tr(.chgUnpinned, lang, from?.product ?? "–", cluster.label(lang), slot)
        case let .validation(p, from, to):
            let r = to.reason.map { " (\($0))" } ?? ""
            return tr(.chgValidation, lang, p, from.status.rawValue, to.status.rawValue, r)
        case let .status(_, to):
            if to.state == .final { return tr(.chgFinalised, lang) }
            if to.reason == nil, to.state == .deliberation { return tr(.chgDeliberationOpened, lang) }
            let r = to.reason.map { ": \($0)" } ?? ""
            return (tr(.chgReopened, lang)) + r
        case let .curator(cid, from, to):
            if from == nil, let to { return tr(.chgCuratorAdded, lang, cid, to.name) }
            if let to, let from, to.conflicts.count > from.conflicts.count, let c = to.conflicts.last {
                return tr(.chgConflictDeclared, lang, cid, c.producer, c.reason)
            }
            if let to, let from, let c = to.conflicts.first(where: { c in !c.isActive && from.conflicts.contains { $0.producer == c.producer && $0.isActive } }),
               let w = c.withdrawn {
                return tr(.chgConflictWithdrawn, lang, cid, c.producer, w.reason)
            }
            if let to, let from, to.role != from.role {
                return tr(.chgRole, lang, cid, from.role.rawValue, to.role.rawValue)
            }
            if to == nil { return tr(.chgCuratorRemoved, lang, cid) }
            return tr(.chgCuratorChanged, lang, cid)
        case let .producer(pid, from, to):
            return to == nil ? (tr(.chgProducerRemoved, lang, pid))
                : from == nil ? (tr(.chgProducerAdded, lang, pid)) : (tr(.chgProducerChanged, lang, pid))
        case let .product(pid, from, to):
            if let from, let to, from.fields == to.fields {
                let added = to.permits.filter { !from.permits.contains($0) }
                let removed = from.permits.filter { !to.permits.contains($0) }
                var parts: [String] = []
                for p in added { parts.append(tr(.chgPermitAdded, lang, p.kind.rawValue, p.number, pid)) }
                for p in removed { parts.append(tr(.chgPermitRemoved, lang, p.kind.rawValue, p.number, pid)) }
                if !parts.isEmpty { return parts.joined(separator: "; ") }
            }
            return to == nil ? (tr(.chgProductRemoved, lang, pid))
                : from == nil ? (tr(.chgProductAdded, lang, pid)) : (tr(.chgProductChanged, lang, pid))
        case let .settings(from, to):
            var parts: [String] = []
            if from.aggregation != to.aggregation { parts.append("aggregation \(from.aggregation.rawValue) → \(to.aggregation.rawValue)") }
            if from.minSheets != to.minSheets { parts.append("min-sheets \(from.minSheets) → \(to.minSheets)") }
            if from.onePinPerProducer != to.onePinPerProducer { parts.append("one-pin-per-producer \(from.onePinPerProducer ? "yes" : "no") → \(to.onePinPerProducer ? "yes" : "no")") }
            if from.disagreementThreshold != to.disagreementThreshold { parts.append("disagreement \(Int(from.disagreementThreshold)) → \(Int(to.disagreementThreshold))") }
            if from.permitGates != to.permitGates {
                func g(_ s: Settings) -> String { (s.permitGates[.mamin] ?? []).map(\.rawValue).joined(separator: ",") }
                parts.append("mamin-permits \(g(from)) → \(g(to))")
            }
            if from.blindScoring != to.blindScoring { parts.append("blind \(from.blindScoring) → \(to.blindScoring)") }
            if from.tieBreakCriterion != to.tieBreakCriterion { parts.append("tie-break \(from.tieBreakCriterion) → \(to.tieBreakCriterion)") }
            return (tr(.chgSettings, lang)) + parts.joined(separator: ", ")
        case let .rubric(from, to):
            var parts: [String] = []
            for c in to.criteria {
                for cl in Cluster.allCases {
                    let a = from.criterion(c.id).map { from.weight(of: $0, in: cl) }, b = to.weight(of: c, in: cl)
                    if a != b { parts.append("\(c.id) \(cl.rawValue) \(a.map(String.init) ?? "–") → \(b)") }
                }
            }
            return (tr(.chgRubric, lang)) + parts.joined(separator: ", ")
        case let .batch(list):
            let scores = list.filter { if case .score = $0 { true } else { false } }
            if scores.count == list.count, case let .score(p, c, _, _, _)? = list.first {
                let parts = list.compactMap { ch -> String? in
                    if case let .score(_, _, k, from, to) = ch { return "\(k) \(v(from))→\(v(to))" } else { return nil }
                }
                return "\(p) \(c): " + parts.joined(separator: ", ")
            }
            let validations = list.compactMap { ch -> Validation? in if case let .validation(_, _, to) = ch { to } else { nil } }
            if validations.count == list.count, let first = validations.first {
                let same = validations.allSatisfy { $0.status == first.status }
                let what = same ? first.status.rawValue : (tr(.chgMixed, lang))
                return tr(.chgValidationBatch, lang, list.count, what)
            }
            let producers = list.filter { if case .producer = $0 { true } else { false } }.count
            let products = list.filter { if case .product = $0 { true } else { false } }.count
            if producers + products == list.count {
                return tr(.chgImport, lang, producers, products)
            }
            return list.map { $0.summary(lang) }.joined(separator: "; ")
        case let .fairness(f):
            return f.summary(lang)
        }
    }
}

extension Event {
    public func summary(_ lang: Language) -> String {
        let undo = undoOf.map { tr(.undoneRev, lang, $0) } ?? ""
        return undo + change.summary(lang)
    }
}
