/// The committee's rules in one place. `authorize` says who may make a change; `violations`
/// lists every rule a round breaks. Every command and every undo passes through both (see
/// `Round.perform`), and `kurasi check` reports `violations` of a whole store, so a store reached
/// by ordinary commands always passes check, and a hand-edited one that breaks a rule is named.

/// A rule a round breaks. The text names the rule and what to do.
public enum Violation: Hashable, Sendable {
    case pinSlotOutOfRange(Cluster, slot: Int)
    case pinUnknownProduct(Cluster, slot: Int, product: ProductID)
    case pinWrongCluster(Cluster, slot: Int, product: ProductID)
    case pinSlotTwice(Cluster, slot: Int)
    case pinProductTwice(product: ProductID)
    case tooManyPins(Cluster, count: Int)
    case pinIneligible(product: ProductID, reasons: [Ineligibility])
    case producerPinnedTwice(Cluster, producer: ProducerID, products: [ProductID])
    case finalWithoutPins(mamin: Int, nonMamin: Int)
    case finalPinBelowMinSheets(product: ProductID, counted: Int, needed: Int)
    case finalisedByNonChair(CuratorID?)
    case duplicateCurator(CuratorID)
    case duplicateProducer(ProducerID)
    case duplicateProduct(ProductID)
    case productUnknownProducer(product: ProductID, producer: ProducerID)
    case negativePrice(product: ProductID, price: Int)
    case nonPositiveCapacity(product: ProductID, amount: Int)
    case scaleInvalid(min: Int, max: Int)
    case negativeWeight(criterion: CriterionID)
    case duplicateCriterion(CriterionID)
    case unknownTieBreak(CriterionID)
    case scoreUnknownProduct(ProductID)
    case scoreUnknownCurator(product: ProductID, curator: CuratorID)
    case scoreUnknownCriterion(product: ProductID, curator: CuratorID, criterion: CriterionID)
    case scoreOffScale(product: ProductID, curator: CuratorID, criterion: CriterionID, value: Int)
    case eventOutOfOrder(revision: Int, after: Int)
    case eventAboveRevision(revision: Int, storeRevision: Int)

    public func text(_ lang: Language) -> String {
        let id = lang == .id
        switch self {
        case let .pinSlotOutOfRange(c, s):
            return tr(.vioPinSlotOutOfRange, lang, c.label(lang), s, Round.pinSlots)
        case let .pinUnknownProduct(c, s, p):
            return tr(.vioPinUnknownProduct, lang, c.label(lang), s, p)
        case let .pinWrongCluster(c, s, p):
            return tr(.vioPinWrongCluster, lang, c.label(lang), s, p)
        case let .pinSlotTwice(c, s):
            return tr(.vioPinSlotTwice, lang, c.label(lang), s)
        case let .pinProductTwice(p):
            return tr(.vioPinProductTwice, lang, p)
        case let .tooManyPins(c, n):
            return tr(.vioTooManyPins, lang, c.label(lang), n, Round.pinSlots)
        case let .pinIneligible(p, reasons):
            let why = reasons.map { $0.text(lang) }.joined(separator: "; ")
            return tr(.vioPinIneligible, lang, p, why)
        case let .producerPinnedTwice(c, producer, products):
            return tr(.vioProducerPinnedTwice, lang, producer, c.label(lang), products.joined(separator: ", "))
        case let .finalWithoutPins(m, n):
            return tr(.vioFinalWithoutPins, lang, m, n)
        case let .finalPinBelowMinSheets(p, n, needed):
            return tr(.vioFinalPinBelowMinSheets, lang, p, n, needed)
        case let .finalisedByNonChair(by):
            return tr(.vioFinalisedByNonChair, lang, by?.rawValue ?? "(tidak tercatat)", by?.rawValue ?? "(nobody recorded)")
        case let .duplicateCurator(c):
            return tr(.vioDuplicateCurator, lang, c)
        case let .duplicateProducer(p):
            return tr(.vioDuplicateProducer, lang, p)
        case let .duplicateProduct(p):
            return tr(.vioDuplicateProduct, lang, p)
        case let .productUnknownProducer(p, producer):
            return tr(.vioProductUnknownProducer, lang, p, producer)
        case let .negativePrice(p, price):
            return tr(.vioNegativePrice, lang, p, price)
        case let .nonPositiveCapacity(p, amount):
            return tr(.vioNonPositiveCapacity, lang, p, amount)
        case let .scaleInvalid(lo, hi):
            return tr(.vioScaleInvalid, lang, lo, hi)
        case let .negativeWeight(k):
            return tr(.vioNegativeWeight, lang, k)
        case let .duplicateCriterion(k):
            return tr(.vioDuplicateCriterion, lang, k)
        case let .unknownTieBreak(k):
            return tr(.vioUnknownTieBreak, lang, k)
        case let .scoreUnknownProduct(p):
            return tr(.vioScoreUnknownProduct, lang, p)
        case let .scoreUnknownCurator(p, c):
            return tr(.vioScoreUnknownCurator, lang, p, c)
        case let .scoreUnknownCriterion(p, c, k):
            return tr(.vioScoreUnknownCriterion, lang, p, c, k)
        case let .scoreOffScale(p, c, k, v):
            return tr(.vioScoreOffScale, lang, p, c, k, v)
        case let .eventOutOfOrder(r, after):
            return tr(.vioEventOutOfOrder, lang, r, after)
        case let .eventAboveRevision(r, storeRev):
            return tr(.vioEventAboveRevision, lang, r, storeRev)
        }
    }
}

extension Round {
    /// Whether the round has a chair yet (the first curators of a new round need none to add them).
    public var hasChair: Bool { curators.contains { $0.role == .chair } }

    /// Who may make this change. Checked for every command and every undo.
    public func authorize(_ change: Change, by: CuratorID) throws(Refusal) {
        switch change {
        case let .score(p, c, _, _, to):
            if to != nil, let product = product(p), let conflict = curator(c)?.conflict(with: product.producer) {
                throw .recused(curator: c, producer: product.producer, reason: conflict.reason)
            }
        case let .pin(_, _, from, to):
            guard let actor = curator(by) else { throw .unknownCurator(by) }
            guard actor.role.recordsPins else { throw .pinsByChairOrSecretary(curator: by) }
            for id in [from?.product, to?.product].compactMap({ $0 }) {
                if let product = product(id), let conflict = actor.conflict(with: product.producer) {
                    throw .recusedFromPin(curator: by, producer: product.producer, reason: conflict.reason)
                }
            }
        case .status, .settings, .rubric:
            guard curator(by)?.role == .chair else { throw .chairOnly(curator: by) }
        case let .curator(id, from, to):
            let chair = curator(by)?.role == .chair
            let membership = from == nil || to == nil || from?.role != to?.role || from?.name != to?.name
            if membership, hasChair, !chair { throw .chairOnly(curator: by) }
            let before = (from?.conflicts ?? []), after = (to?.conflicts ?? [])
            // A declared conflict is never removed; it is withdrawn by the chair, on record.
            if to != nil {
                for c in before where !after.contains(where: { $0.producer == c.producer && $0.kind == c.kind && $0.reason == c.reason }) {
                    throw .conflictWithdrawnByChair(curator: id, producer: c.producer)
                }
            }
            for c in after where !c.isActive && !before.contains(c) {
                guard chair else { throw .conflictWithdrawnByChair(curator: id, producer: c.producer) }
            }
            for c in after where c.isActive && !before.contains(c) {
                // Declared by the curator themselves or by the chair.
                guard by == id || chair else { throw .conflictOwnOrChair(curator: id) }
            }
        case let .batch(list):
            for c in list { try authorize(c, by: by) }
        default:
            break
        }
    }

    /// The rules about pins and the final round, cheap enough to check after every change.
    public func pinViolations() -> [Violation] {
        var out: [Violation] = []
        var seen = Set<ProductID>()
        for cluster in Cluster.allCases {
            let list = pins(in: cluster)
            if list.count > Round.pinSlots { out.append(.tooManyPins(cluster, count: list.count)) }
            var slots = Set<Int>()
            var byProducer: [ProducerID: [ProductID]] = [:]
            for pin in list {
                if !(1...Round.pinSlots).contains(pin.slot) { out.append(.pinSlotOutOfRange(cluster, slot: pin.slot)) }
                if !slots.insert(pin.slot).inserted { out.append(.pinSlotTwice(cluster, slot: pin.slot)) }
                if !seen.insert(pin.product).inserted { out.append(.pinProductTwice(product: pin.product)) }
                guard let product = product(pin.product) else {
                    out.append(.pinUnknownProduct(cluster, slot: pin.slot, product: pin.product)); continue
                }
                if product.cluster != cluster { out.append(.pinWrongCluster(cluster, slot: pin.slot, product: pin.product)) }
                let reasons = ineligibility(product)
                if !reasons.isEmpty { out.append(.pinIneligible(product: pin.product, reasons: reasons)) }
                byProducer[product.producer, default: []].append(pin.product)
            }
            if round.settings.onePinPerProducer {
                for (producer, products) in byProducer.sorted(by: { $0.key.precedes($1.key) }) where products.count > 1 {
                    out.append(.producerPinnedTwice(cluster, producer: producer, products: products.sortedForPeople()))
                }
            }
        }
        if isFinal {
            let m = pins(in: .mamin).count, n = pins(in: .nonMamin).count
            if m != Round.pinSlots || n != Round.pinSlots { out.append(.finalWithoutPins(mamin: m, nonMamin: n)) }
            if round.status.by.flatMap(curator)?.role != .chair { out.append(.finalisedByNonChair(round.status.by)) }
            for cluster in Cluster.allCases {
                for pin in pins(in: cluster) {
                    guard let product = product(pin.product) else { continue }
                    let n = aggregate(product).count
                    if n < round.settings.minSheets {
                        out.append(.finalPinBelowMinSheets(product: pin.product, counted: n, needed: round.settings.minSheets))
                    }
                }
            }
        }
        return out
    }

    /// Every rule the round breaks, for `kurasi check`; empty for any round reached by commands.
    public func violations() -> [Violation] {
        var out: [Violation] = []
        if !rubric.isScaleValid { out.append(.scaleInvalid(min: rubric.scaleMin, max: rubric.scaleMax)) }
        var criteria = Set<CriterionID>()
        for c in rubric.criteria {
            if !criteria.insert(c.id).inserted { out.append(.duplicateCriterion(c.id)) }
            if c.weight < 0 || Cluster.allCases.contains(where: { rubric.weight(of: c, in: $0) < 0 }) {
                out.append(.negativeWeight(criterion: c.id))
            }
        }
        if rubric.criterion(round.settings.tieBreakCriterion) == nil { out.append(.unknownTieBreak(round.settings.tieBreakCriterion)) }
        var curatorIDs = Set<CuratorID>()
        for c in curators where !curatorIDs.insert(c.id).inserted { out.append(.duplicateCurator(c.id)) }
        var ids = Set<ProducerID>()
        for p in producers where !ids.insert(p.id).inserted { out.append(.duplicateProducer(p.id)) }
        var productIDs = Set<ProductID>()
        for p in products {
            if !productIDs.insert(p.id).inserted { out.append(.duplicateProduct(p.id)) }
            if !ids.contains(p.producer) { out.append(.productUnknownProducer(product: p.id, producer: p.producer)) }
            if let price = p.price, price < 0 { out.append(.negativePrice(product: p.id, price: price)) }
            if let cap = p.capacity, cap.amount <= 0 { out.append(.nonPositiveCapacity(product: p.id, amount: cap.amount)) }
        }
        for (p, sheets) in scores.sorted(by: { $0.key < $1.key }) {
            guard productIDs.contains(p) else { out.append(.scoreUnknownProduct(p)); continue }
            for (c, sheet) in sheets.sorted(by: { $0.key < $1.key }) {
                if !curatorIDs.contains(c) { out.append(.scoreUnknownCurator(product: p, curator: c)) }
                for (k, v) in sheet.sorted(by: { $0.key < $1.key }) {
                    if !criteria.contains(k) { out.append(.scoreUnknownCriterion(product: p, curator: c, criterion: k)) }
                    else if !(rubric.scaleMin...Swift.max(rubric.scaleMin, rubric.scaleMax)).contains(v) || !rubric.isScaleValid {
                        out.append(.scoreOffScale(product: p, curator: c, criterion: k, value: v))
                    }
                }
            }
        }
        out += pinViolations()
        var last = 0
        for e in events {
            if e.revision <= last { out.append(.eventOutOfOrder(revision: e.revision, after: last)) }
            last = e.revision
        }
        if last > revision { out.append(.eventAboveRevision(revision: last, storeRevision: revision)) }
        return out
    }
}
