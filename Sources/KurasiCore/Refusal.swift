/// Why a rule refused an edit, and what would satisfy it. Every refusal the committee can meet
/// is here, worded in both interface languages.
public enum Refusal: Error, Hashable, Sendable {
    case roundFinal(by: CuratorID?)
    case unknownProduct(ProductID)
    case unknownProducer(ProducerID)
    case unknownCurator(CuratorID)
    case unknownCriterion(CriterionID, known: [CriterionID])
    case outOfScale(criterion: CriterionID, value: Int, scale: ClosedRange<Int>)
    case recused(curator: CuratorID, producer: ProducerID, reason: String)
    case notEligible(product: ProductID, reasons: [Ineligibility])
    case alreadyPinned(product: ProductID, cluster: Cluster, slot: Int)
    case clusterFull(Cluster)
    case slotTaken(cluster: Cluster, slot: Int, product: ProductID)
    case slotOutOfRange(Int)
    case producerAlreadyPinned(producer: ProducerID, product: ProductID, slot: Int)
    case reasonRequired(product: ProductID, rank: Int?)
    case notPinned(ProductID)
    case finalizeNeedsPins(mamin: Int, nonMamin: Int)
    case chairOnly(curator: CuratorID)
    case reasonMissing
    case notFinal
    case curatorExists(CuratorID)
    case conflictExists(curator: CuratorID, producer: ProducerID)
    case producerHasPins(producer: ProducerID, product: ProductID)
    case nothingToUndo(curator: CuratorID)
    case undoStatus
    /// The value an edit expected to replace has changed since (by someone else, or by undo).
    case changedSince(what: String, revision: Int?, by: CuratorID?)
    case productInUse(ProductID)
    case emptyField(String)
    case duplicateID(String)
    /// An id that breaks `IDRule` (control characters, spaces, longer than 32 characters).
    case invalidID(String, problem: String)
    case deliberationOpen
    /// A fairness setting or comparison refused (Analysis/Fairness.swift).
    case fairness(FairnessRefusal)
    case curatorHasWork(CuratorID)
    case noConflict(curator: CuratorID, producer: ProducerID)
    case pinsByChairOrSecretary(curator: CuratorID)
    case recusedFromPin(curator: CuratorID, producer: ProducerID, reason: String)
    case conflictWithdrawnByChair(curator: CuratorID, producer: ProducerID)
    case conflictOwnOrChair(curator: CuratorID)
    /// The change would break a rule every round keeps (a pinned product made ineligible, two
    /// pins from one producer, a sixth pin...).
    case breaksRule(Violation)
    /// A typed field is wrong (see `FieldProblem`).
    case invalidField(FieldProblem)
    case permitExists(product: ProductID, kind: PermitKind, number: String)
    case noSuchPermit(product: ProductID, kind: PermitKind, held: [String])
    case permitAmbiguous(product: ProductID, kind: PermitKind, numbers: [String])
    /// A pinned product cannot move to the other cluster.
    case pinnedElsewhere(product: ProductID, cluster: Cluster, slot: Int)
    /// The rubric is fixed once a sheet counts: a round does not change its ruler mid-way.
    case rubricLocked(countedSheets: Int)

    public func text(_ lang: Language) -> String {
        switch self {
        case let .roundFinal(by):
            let who = by.map { " (\($0))" } ?? ""
            return tr(.refRoundFinal, lang, who)
        case let .unknownProduct(p):
            return tr(.refUnknownProduct, lang, p)
        case let .unknownProducer(p):
            return tr(.refUnknownProducer, lang, p)
        case let .unknownCurator(c):
            return tr(.refUnknownCurator, lang, c)
        case let .unknownCriterion(k, known):
            return tr(.refUnknownCriterion, lang, k, known.joined(separator: ", "))
        case let .outOfScale(k, v, scale):
            return tr(.refOutOfScale, lang, v, k, scale.lowerBound, scale.upperBound)
        case let .recused(c, p, reason):
            return tr(.refRecused, lang, c, p, reason)
        case let .notEligible(p, reasons):
            let why = reasons.map { $0.text(lang) }.joined(separator: "; ")
            return tr(.refNotEligible, lang, p, why)
        case let .alreadyPinned(p, cluster, slot):
            return tr(.refAlreadyPinned, lang, p, cluster.label(lang), slot)
        case let .clusterFull(cluster):
            return tr(.refClusterFull, lang, cluster.label(lang))
        case let .slotTaken(cluster, slot, p):
            return tr(.refSlotTaken, lang, slot, cluster.label(lang), p)
        case let .slotOutOfRange(s):
            return tr(.refSlotOutOfRange, lang, s, Round.pinSlots)
        case let .producerAlreadyPinned(producer, p, slot):
            return tr(.refProducerAlreadyPinned, lang, producer, p, slot)
        case let .reasonRequired(p, rank):
            let at = rank.map { tr(.refRankedAt, lang, $0) } ?? (tr(.refUnranked, lang))
            return tr(.refOutsideTopFive, lang, p, at)
        case let .notPinned(p):
            return tr(.refNotPinned, lang, p)
        case let .finalizeNeedsPins(m, n):
            return tr(.refFinalizeNeedsPins, lang, m, n)
        case let .chairOnly(c):
            return tr(.refChairOnly, lang, c)
        case .reasonMissing:
            return tr(.refReasonMissing, lang)
        case .notFinal:
            return tr(.refNotFinal, lang)
        case let .curatorExists(c):
            return tr(.refCuratorExists, lang, c)
        case let .conflictExists(c, p):
            return tr(.refConflictExists, lang, c, p)
        case let .producerHasPins(producer, p):
            return tr(.refProducerHasPins, lang, p, producer)
        case let .nothingToUndo(c):
            return tr(.refNothingToUndo, lang, c)
        case .undoStatus:
            return tr(.refUndoStatus, lang)
        case let .changedSince(what, rev, by):
            let since = [rev.map { "rev \($0)" }, by?.rawValue].compactMap { $0 }.joined(separator: ", ")
            return tr(.refChangedSince, lang, what, since)
        case let .productInUse(p):
            return tr(.refProductInUse, lang, p)
        case let .emptyField(f):
            return tr(.refEmptyField, lang, f)
        case let .duplicateID(i):
            return tr(.refDuplicateID, lang, i)
        case let .invalidID(i, problem):
            let shown = String(i.displaySafe.prefix(40))
            return tr(.refInvalidID, lang, shown, IDRule.maxLength, problem)
        case .deliberationOpen:
            return tr(.refDeliberationOpen, lang)
        case let .fairness(f):
            return f.text(lang)
        case let .curatorHasWork(c):
            return tr(.refCuratorHasWork, lang, c)
        case let .noConflict(c, p):
            return tr(.refNoConflict, lang, c, p)
        case let .pinsByChairOrSecretary(c):
            return tr(.refPinsByChairOrSecretary, lang, c)
        case let .recusedFromPin(c, p, reason):
            return tr(.refRecusedFromPin, lang, c, p, reason)
        case let .conflictWithdrawnByChair(c, p):
            return tr(.refConflictWithdrawnByChair, lang, c, p)
        case let .conflictOwnOrChair(c):
            return tr(.refConflictOwnOrChair, lang, c)
        case let .breaksRule(v):
            return tr(.refBreaksRule, lang, v.text(lang))
        case let .invalidField(problem):
            return problem.text(lang)
        case let .permitExists(p, kind, number):
            return tr(.refPermitExists, lang, p, kind.rawValue, number)
        case let .noSuchPermit(p, kind, held):
            let list = held.isEmpty ? "" : (tr(.refHeldList, lang, held.joined(separator: ", ")))
            return tr(.refNoSuchPermit, lang, p, kind.rawValue, list)
        case let .permitAmbiguous(p, kind, numbers):
            return tr(.refPermitAmbiguous, lang, p, kind.rawValue, numbers.joined(separator: ", "))
        case let .pinnedElsewhere(p, cluster, slot):
            return tr(.refPinnedElsewhere, lang, p, cluster.label(lang), slot)
        case let .rubricLocked(n):
            return tr(.refRubricLocked, lang, n)
        }
    }
}

/// What a refusal asks the user to do, as data. Core does not name keys or flags: each front end
/// says it in its own terms (the console a key, the command line a command or flag), so the
/// console never tells anyone to type `--reason`.
public enum Remedy: Hashable, Sendable, CaseIterable {
    /// Give the reason (a pin outside the top five, a reopening, a withdrawal).
    case giveReason
    /// The chair reopens the final round, with a reason.
    case reopen
    /// Unpin a product first.
    case unpin
    /// Finalise or reopen again (they are not undone).
    case finaliseOrReopen
    /// See which products there are.
    case seeProducts
    /// See the curators, or add one.
    case seeCurators
    /// See the product's history, then edit directly.
    case seeHistory
    /// Say which of several permits (by its number).
    case nameNumber
    /// The chair withdraws the conflict, with a reason.
    case withdrawConflict
    /// Give the imported city's ids a prefix.
    case prefixIDs
    /// The chair sets the minimum capacity for the shared brand.
    case setMinimumCapacity
}

extension Refusal {
    /// What would satisfy the rule, when the user can act on it; `text` says why.
    public var remedy: Remedy? {
        switch self {
        case .roundFinal: .reopen
        case .unknownProduct: .seeProducts
        case .unknownCurator: .seeCurators
        case .clusterFull: .unpin
        case .reasonRequired, .reasonMissing: .giveReason
        case .undoStatus: .finaliseOrReopen
        case .changedSince: .seeHistory
        case .conflictWithdrawnByChair: .withdrawConflict
        case .permitAmbiguous: .nameNumber
        default: nil
        }
    }

    /// Why, then what to do, in the words of one front end: `name` says a remedy in its terms.
    public func text(_ lang: Language, naming name: (Remedy) -> String) -> String {
        guard let remedy else { return text(lang) }
        return text(lang) + " " + name(remedy)
    }
}

extension Cluster {
    public func label(_ lang: Language) -> String { self == .mamin ? "MAMIN" : "NON-MAMIN" }
}
