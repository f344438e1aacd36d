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
            return id ? "pin \(c.label(lang)) di slot \(s); slot bernomor 1–\(Round.pinSlots)" : "a \(c.label(lang)) pin is in slot \(s); slots are 1–\(Round.pinSlots)"
        case let .pinUnknownProduct(c, s, p):
            return id ? "pin \(c.label(lang)) ★\(s) menunjuk produk \(p) yang tidak ada" : "pin \(c.label(lang)) ★\(s) names product \(p), which does not exist"
        case let .pinWrongCluster(c, s, p):
            return id ? "pin \(c.label(lang)) ★\(s) berisi \(p) dari klaster lain" : "pin \(c.label(lang)) ★\(s) holds \(p), a product of the other cluster"
        case let .pinSlotTwice(c, s):
            return id ? "slot \(c.label(lang)) ★\(s) berisi dua pin" : "slot \(c.label(lang)) ★\(s) holds two pins"
        case let .pinProductTwice(p):
            return id ? "produk \(p) dipin lebih dari sekali" : "product \(p) is pinned more than once"
        case let .tooManyPins(c, n):
            return id ? "\(c.label(lang)) punya \(n) pin; paling banyak \(Round.pinSlots)" : "\(c.label(lang)) has \(n) pins; at most \(Round.pinSlots)"
        case let .pinIneligible(p, reasons):
            let why = reasons.map { $0.text(lang) }.joined(separator: "; ")
            return id ? "produk terpin \(p) tidak memenuhi syarat (\(why)); lepas pinnya dulu" : "pinned product \(p) is not eligible (\(why)); unpin it first"
        case let .producerPinnedTwice(c, producer, products):
            return id ? "pelaku \(producer) punya dua pin di \(c.label(lang)) (\(products.joined(separator: ", "))); satu pelaku satu pin per klaster"
                : "producer \(producer) has two \(c.label(lang)) pins (\(products.joined(separator: ", "))); one pin per producer per cluster"
        case let .finalWithoutPins(m, n):
            return id ? "putaran final tanpa 5 + 5 pin (MAMIN \(m)/5, NON-MAMIN \(n)/5)" : "the round is final without 5 + 5 pins (MAMIN \(m)/5, NON-MAMIN \(n)/5)"
        case let .finalPinBelowMinSheets(p, n, needed):
            return id ? "produk terpin \(p) baru punya \(n) lembar penilaian lengkap; finalisasi perlu paling sedikit \(needed)"
                : "pinned product \(p) has \(n) complete score sheets; finalising needs at least \(needed)"
        case let .finalisedByNonChair(by):
            return id ? "putaran difinalisasi oleh \(by?.rawValue ?? "(tidak tercatat)"), yang bukan ketua" : "the round was finalised by \(by?.rawValue ?? "(nobody recorded)"), who is not the chair"
        case let .duplicateCurator(c):
            return id ? "ID kurator \(c) muncul dua kali" : "curator id \(c) appears twice"
        case let .duplicateProducer(p):
            return id ? "ID pelaku \(p) muncul dua kali" : "producer id \(p) appears twice"
        case let .duplicateProduct(p):
            return id ? "ID produk \(p) muncul dua kali" : "product id \(p) appears twice"
        case let .productUnknownProducer(p, producer):
            return id ? "produk \(p) menunjuk pelaku \(producer) yang tidak ada" : "product \(p) names producer \(producer), who does not exist"
        case let .negativePrice(p, price):
            return id ? "harga produk \(p) negatif (\(price))" : "product \(p) has a negative price (\(price))"
        case let .nonPositiveCapacity(p, amount):
            return id ? "kapasitas produk \(p) bukan bilangan positif (\(amount))" : "product \(p) has a capacity that is not positive (\(amount))"
        case let .scaleInvalid(lo, hi):
            return id ? "rubrik: scaleMin (\(lo)) harus lebih kecil dari scaleMax (\(hi))" : "rubric: scaleMin (\(lo)) must be below scaleMax (\(hi))"
        case let .negativeWeight(k):
            return id ? "rubrik: bobot kriteria \(k) negatif" : "rubric: criterion \(k) has a negative weight"
        case let .duplicateCriterion(k):
            return id ? "rubrik: kriteria \(k) muncul dua kali" : "rubric: criterion \(k) appears twice"
        case let .unknownTieBreak(k):
            return id ? "pengaturan: kriteria penentu seri \(k) tidak ada di rubrik" : "settings: the tie-break criterion \(k) is not in the rubric"
        case let .scoreUnknownProduct(p):
            return id ? "nilai untuk produk \(p) yang tidak ada" : "scores for product \(p), which does not exist"
        case let .scoreUnknownCurator(p, c):
            return id ? "nilai \(p) dari kurator \(c) yang tidak ada" : "scores of \(p) by curator \(c), who does not exist"
        case let .scoreUnknownCriterion(p, c, k):
            return id ? "nilai \(p) oleh \(c) untuk kriteria \(k) yang tidak ada di rubrik" : "a score of \(p) by \(c) for criterion \(k), which is not in the rubric"
        case let .scoreOffScale(p, c, k, v):
            return id ? "nilai \(p) oleh \(c) untuk \(k) adalah \(v), di luar skala" : "the score of \(p) by \(c) for \(k) is \(v), off the scale"
        case let .eventOutOfOrder(r, after):
            return id ? "peristiwa rev \(r) tidak mengikuti rev \(after)" : "event rev \(r) does not follow rev \(after)"
        case let .eventAboveRevision(r, storeRev):
            return id ? "peristiwa terakhir rev \(r), di atas revisi data \(storeRev)" : "the last event has rev \(r), above the store's revision \(storeRev)"
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
                for (producer, products) in byProducer.sorted(by: { $0.key < $1.key }) where products.count > 1 {
                    out.append(.producerPinnedTwice(cluster, producer: producer, products: products.sorted()))
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
