import Foundation
import KurasiCore

/// A problem with the store file. Every message names the file, says where and what, and what
/// to do; the store on disk is never written after one of these. What went wrong is a
/// `StoreProblem` with its data; the words come from the catalog (`text(_:)`), so every front
/// end says it in its user's language.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case missing, unreadable, syntax, notAStore, newerSchema, olderSchema, invalidContent, locked, writeFailed
    }
    public var kind: Kind
    public var file: String
    public var line: Int?
    public var column: Int?
    public var problem: StoreProblem

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, _ problem: StoreProblem) {
        self.kind = kind; self.file = file; self.line = line; self.column = column; self.problem = problem
    }

    /// What is wrong and what to do, in English, without the place.
    public var message: String { problem.text(.en) }

    /// "file:line:column: message" in English.
    public var description: String { text(.en) }

    /// The file, the line and column when there are some, what is wrong and what to do, in `lang`.
    /// `hint` is what a damaged file's text suggests (`kurasi check`, then `kurasi recover`; the
    /// check itself suggests only the second).
    public func text(_ lang: Language, hint: T = .stHint) -> String {
        var place = file
        if let line {
            switch lang {
            case .en: place += ":\(line)" + (column.map { ":\($0)" } ?? "")
            case .id: place += column.map { " (\(tr(.stLineColumn, lang, line, $0)))" } ?? " (\(tr(.stLine, lang, line)))"
            }
        }
        return "\(place): \(problem.text(lang, hint: hint))"
    }
}

/// Which step of a durable write failed.
public enum WriteStep: Sendable, Equatable {
    case creating(String), settingMode, writing, fsync, closing, renaming
    case openingJournal, writingJournal, cuttingTornLine, startingJournal

    func text(_ lang: Language) -> String {
        switch self {
        case .creating(let tmp): tr(.wsCreating, lang, tmp)
        case .settingMode: tr(.wsMode, lang)
        case .writing: tr(.wsWriting, lang)
        case .fsync: "fsync"
        case .closing: tr(.wsClosing, lang)
        case .renaming: tr(.wsRenaming, lang)
        case .openingJournal: tr(.wsOpenJournal, lang)
        case .writingJournal: tr(.wsWriteJournal, lang)
        case .cuttingTornLine: tr(.wsCutTorn, lang)
        case .startingJournal: tr(.wsNewJournal, lang)
        }
    }
}

/// Why a journal line cannot be read.
public enum JournalFault: Sendable, Equatable {
    case incomplete, unreadable, checksum

    func text(_ lang: Language) -> String {
        switch self {
        case .incomplete: tr(.jfIncomplete, lang)
        case .unreadable: tr(.jfUnreadable, lang)
        case .checksum: tr(.jfChecksum, lang)
        }
    }
}

/// A field of the store document that cannot be decoded (from Foundation's DecodingError).
public enum FieldFault: Sendable, Equatable {
    case missing(key: String, at: String)
    case wrongType(path: String, expected: String)
    case null(path: String, expected: String)
    case unknownValue(path: String, detail: String)
    case other(String)

    func text(_ lang: Language) -> String {
        switch self {
        case let .missing(key, at): at.isEmpty ? tr(.stFieldMissing, lang, key) : tr(.stFieldMissingIn, lang, key, at)
        case let .wrongType(path, expected): tr(.stFieldType, lang, path, expected)
        case let .null(path, expected): tr(.stFieldNull, lang, path, expected)
        case let .unknownValue(path, detail): tr(.stFieldUnknown, lang, path, detail)
        case let .other(detail): detail
        }
    }
}

/// What an export target is to a store (a file that must never be overwritten by an export).
public enum StoreFileRole: Sendable, Equatable {
    case store, temporary, journal, journalSegment, backup, index, lock, damagedCopy, skippedLines

    func text(_ lang: Language, _ store: String) -> String {
        switch self {
        case .store: tr(.roleStore, lang, store)
        case .temporary: tr(.roleTemp, lang, store)
        case .journal: tr(.roleJournal, lang, store)
        case .journalSegment: tr(.roleSegment, lang, store)
        case .backup: tr(.roleBackup, lang, store)
        case .index: tr(.roleIndex, lang, store)
        case .lock: tr(.roleLock, lang, store)
        case .damagedCopy: tr(.roleDamaged, lang, store)
        case .skippedLines: tr(.roleSkipped, lang, store)
        }
    }
}

/// Every way the store, its journal, its lock or an export can fail, with what the message needs.
public enum StoreProblem: Sendable, Equatable {
    // opening
    case noStore
    case unreadable(reason: String)
    case isDirectory(example: String), isDevice, isFIFO, isSocket, notRegularFile
    // decoding
    case notUTF8, jsonNotStore, badJSON, noSchemaVersion
    case newerSchema(found: Int, reads: Int)
    case impossibleSchema(found: Int, reads: Int)
    case badField(FieldFault)
    case undecodable(String)
    // validation (ids unique, references resolve)
    case duplicateProducer(String), duplicateProduct(String)
    case productUnknownProducer(product: String, producer: String)
    case scoresUnknownProduct(String)
    case scoresUnknownCurator(product: String, curator: String)
    case scoresUnknownCriterion(product: String, curator: String, criterion: String)
    case scoresOffScale(product: String, curator: String, criterion: String, value: Int, min: Int, max: Int)
    /// A schema 2 sheet whose number of points is not the rubric's number of criteria.
    case scoresSheetLength(product: String, curator: String, points: Int, criteria: [String])
    case pinUnknownProduct(cluster: String, slot: Int, product: String)
    case pinWrongCluster(cluster: String, slot: Int, product: String, productCluster: String)
    case pinSlotOutOfRange(cluster: String, slot: Int, slots: Int)
    // saving
    case encodeFailed(String)
    case saveFailed(WriteStep, reason: String, directory: String)
    case alreadyExists
    case orphanJournal(journal: String)
    case backupUnreadable(reason: String)
    case lockUnopenable(lockFile: String, reason: String)
    case lockFailed(reason: String)
    // the journal
    case journalDamaged(line: Int, JournalFault)
    case journalEncodeFailed(String)
    case journalWriteFailed(WriteStep, reason: String, directory: String)
    case journalUnreadable(reason: String)
    case journalRevisionGap(line: Int, revision: Int, storeRevision: Int)
    case journalDoesNotApply(line: Int, Refusal)
    // recovery
    case nothingToRecover
    /// The reading was abandoned by its observer (the console quit while loading).
    case abandoned
    case keepAsideFailed(aside: String)
    case moveJournalFailed
    // exports
    case exportIsDirectory(suggestion: String)
    case exportIsStoreFile(StoreFileRole, store: String, via: String?, example: String)
    case exportLooksLikeStore(via: String?, example: String)
    case exportLooksLikeJournal(via: String?, example: String)
    case exportCannotOpen(reason: String)
    case exportWriteFailed(reason: String)

    /// What is wrong and what to do, in `lang` (`hint`: see `StoreError.text`).
    public func text(_ lang: Language, hint: T = .stHint) -> String {
        let hint = tr(hint, lang)
        func byHand(_ what: String) -> String { tr(.stFixByHand, lang, what) }
        func via(_ v: String?) -> String { v.map { tr(.exVia, lang, $0) } ?? "" }
        switch self {
        case .noStore: return tr(.stNoStore, lang)
        case .unreadable(let reason): return tr(.stUnreadable, lang, reason)
        case .isDirectory(let example): return tr(.stIsDirectory, lang, example)
        case .isDevice: return tr(.stIsDevice, lang)
        case .isFIFO: return tr(.stIsFIFO, lang)
        case .isSocket: return tr(.stIsSocket, lang)
        case .notRegularFile: return tr(.stNotRegular, lang)
        case .notUTF8: return tr(.stNotUTF8, lang, hint)
        case .jsonNotStore: return tr(.stJSONNotStore, lang, hint)
        case .badJSON: return tr(.stBadJSON, lang, hint)
        case .noSchemaVersion: return tr(.stNoSchema, lang, hint)
        case let .newerSchema(found, reads): return tr(.stNewerSchema, lang, found, reads)
        case let .impossibleSchema(found, reads): return tr(.stImpossibleSchema, lang, found, reads)
        case .badField(let fault): return tr(.stDecode, lang, fault.text(lang), hint)
        case .undecodable(let detail): return "\(detail). \(hint)"
        case .duplicateProducer(let id): return byHand(tr(.stDupProducer, lang, id))
        case .duplicateProduct(let id): return byHand(tr(.stDupProduct, lang, id))
        case let .productUnknownProducer(product, producer): return byHand(tr(.stProductNoProducer, lang, product, producer))
        case .scoresUnknownProduct(let p): return byHand(tr(.stScoresNoProduct, lang, p))
        case let .scoresUnknownCurator(p, c): return byHand(tr(.stScoresNoCurator, lang, p, c))
        case let .scoresUnknownCriterion(p, c, k): return byHand(tr(.stScoresNoCriterion, lang, p, c, k))
        case let .scoresOffScale(p, c, k, v, lo, hi): return byHand(tr(.stScoresOffScale, lang, p, c, k, v, lo, hi))
        case let .scoresSheetLength(p, c, n, criteria):
            return byHand(tr(.stScoresSheetLength, lang, p, c, n, criteria.count, criteria.joined(separator: ", ")))
        case let .pinUnknownProduct(cluster, slot, product): return byHand(tr(.stPinNoProduct, lang, slot, cluster, product))
        case let .pinWrongCluster(cluster, slot, product, other): return byHand(tr(.stPinWrongCluster, lang, slot, cluster, product, other))
        case let .pinSlotOutOfRange(cluster, slot, slots): return byHand(tr(.stPinSlot, lang, cluster, slot, slots))
        case .encodeFailed(let detail): return tr(.stEncodeFailed, lang, detail)
        case let .saveFailed(step, reason, dir): return tr(.stSaveFailed, lang, step.text(lang), reason, dir)
        case .alreadyExists: return tr(.stAlreadyExists, lang)
        case .orphanJournal(let journal): return tr(.stOrphanJournal, lang, journal)
        case .backupUnreadable(let reason): return tr(.stBackupUnreadable, lang, reason)
        case let .lockUnopenable(lockFile, reason): return tr(.stLockOpen, lang, lockFile, reason)
        case .lockFailed(let reason): return tr(.stLockFailed, lang, reason)
        case let .journalDamaged(line, fault): return tr(.stJournalDamaged, lang, line, fault.text(lang))
        case .journalEncodeFailed(let detail): return tr(.stJournalEncode, lang, detail)
        case let .journalWriteFailed(step, reason, dir): return tr(.stJournalWrite, lang, step.text(lang), reason, dir)
        case .journalUnreadable(let reason): return tr(.stJournalUnreadable, lang, reason)
        case let .journalRevisionGap(line, revision, storeRevision): return tr(.stJournalGap, lang, line, revision, storeRevision)
        case let .journalDoesNotApply(line, refusal): return tr(.stJournalNotApply, lang, line, refusal.text(lang))
        case .nothingToRecover: return tr(.stNothingToRecover, lang)
        case .abandoned: return tr(.stAbandoned, lang)
        case .keepAsideFailed(let aside): return tr(.stKeepAsideFailed, lang, aside)
        case .moveJournalFailed: return tr(.stMoveJournalFailed, lang)
        case .exportIsDirectory(let suggestion): return tr(.exIsDirectory, lang, suggestion)
        case let .exportIsStoreFile(role, store, v, example):
            return tr(.exRefused, lang, tr(.exIsRole, lang, role.text(lang, store), via(v)), example)
        case let .exportLooksLikeStore(v, example): return tr(.exRefused, lang, tr(.exIsStore, lang, via(v)), example)
        case let .exportLooksLikeJournal(v, example): return tr(.exRefused, lang, tr(.exIsJournal, lang, via(v)), example)
        case .exportCannotOpen(let reason): return tr(.exCannotWrite, lang, reason)
        case .exportWriteFailed(let reason): return tr(.exWriteFailed, lang, reason)
        }
    }
}

/// Something reading or saving found worth telling that lost nothing: a torn last journal line
/// dropped (the edit in flight when Kurasi stopped), or a compaction that failed after the edit
/// was safe in the journal. Worded in the user's language by `text`.
public enum StoreWarning: Sendable, Equatable {
    case tornLastLine(file: String, line: Int, JournalFault)
    case compactionFailed(StoreError)

    public func text(_ lang: Language) -> String {
        switch self {
        case let .tornLastLine(file, line, fault): tr(.swTornLastLine, lang, file, line, fault.text(lang))
        case let .compactionFailed(error): tr(.swCompactionFailed, lang, error.text(lang))
        }
    }
}
