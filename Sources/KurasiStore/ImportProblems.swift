import Foundation
import KurasiCore

// What can be wrong with a registry, visits or products file, as data: the words come from the
// catalog (`text(_:)`), so the command line and the console say them in the user's language and
// still name the file, the line, the column and what to do.

/// Why one row of a CSV file cannot be read.
public enum CSVRowProblem: Hashable, Sendable {
    case rowTooLong(bytes: Int, max: Int)
    case unterminatedQuote(openLine: Int)
    /// A quote opened on `openLine` is closed only on `closeLine`, with text after it.
    case quoteClosedLate(field: Int, openLine: Int, closeLine: Int)
    case textAfterClosingQuote(field: Int)
    /// Invalid UTF-8: the byte (as 0xNN), the line when it is not the row's first, the column.
    case notUTF8(byte: String, line: Int?, column: Int)
    case cannotSplit
    /// `delimiter` as said to a user ("';'", "tab"); `runsTo` the last line of a row that spans lines.
    case fieldCount(found: Int, header: Int, runsTo: Int?, delimiter: String, registry: Bool)
    case repeatsHeader
    case emptyName(column: String)
    case notRupiah(column: String, value: String)
    case notWholeNumber(column: String, value: String)
    case tooLong(column: String, length: Int, max: Int)

    public func text(_ lang: Language) -> String {
        switch self {
        case let .rowTooLong(bytes, max): tr(.csvRowTooLong, lang, bytes, max)
        case .unterminatedQuote(let openLine): tr(.csvUnterminatedQuote, lang, openLine)
        case let .quoteClosedLate(field, openLine, closeLine): tr(.csvQuoteClosedLate, lang, field, openLine, closeLine)
        case .textAfterClosingQuote(let field): tr(.csvTextAfterQuote, lang, field)
        case .notUTF8: tr(.csvNotUTF8, lang, bytePlace(lang))
        case .cannotSplit: tr(.csvCannotSplit, lang)
        case let .fieldCount(found, header, runsTo, d, registry):
            tr(.csvFieldCount, lang, found, header, runsTo.map { tr(.csvRunsTo, lang, $0) } ?? "",
               found > header ? tr(registry ? .csvTooManyHintAddress : .csvTooManyHint, lang, d) : tr(.csvTooFewHint, lang, d))
        case .repeatsHeader: tr(.csvRepeatsHeader, lang)
        case .emptyName(let column): tr(.csvEmptyName, lang, column)
        case let .notRupiah(column, value): tr(.csvNotRupiah, lang, column, value)
        case let .notWholeNumber(column, value): tr(.csvNotWhole, lang, column, value)
        case let .tooLong(column, length, max): tr(.csvTooLong, lang, column, length, max)
        }
    }

    /// "byte 0xFF on line 6 at column 5", for an invalid UTF-8 problem.
    func bytePlace(_ lang: Language) -> String {
        guard case let .notUTF8(byte, line, column) = self else { return "" }
        return line.map { tr(.csvByteOnLine, lang, byte, $0, column) } ?? tr(.csvByte, lang, byte, column)
    }
}

/// Why a CSV file cannot be read as a whole.
public enum CSVFileProblem: Hashable, Sendable {
    case cannotRead(reason: String)
    case empty
    case headerUnreadable(CSVRowProblem)
    case headerNotUTF8(CSVRowProblem)
    case headerCannotSplit
    case utf16, xlsx, xls
    /// `found`: the header's names, quoted and joined; `accepted`: the accepted spellings.
    case noHeader(found: String, accepted: String)
    case noNameColumn(found: String, accepted: String)
    case visitsNoStatus(header: String)
    case visitsNoID
    case productsNoName(header: String)
    case productsNoProducerColumn

    public func text(_ lang: Language) -> String {
        switch self {
        case .cannotRead(let reason): tr(.csvCannotRead, lang, reason)
        case .empty: tr(.csvEmpty, lang)
        case .headerUnreadable(let p): tr(.csvHeaderUnreadable, lang, p.text(lang))
        case .headerNotUTF8(let p): tr(.csvHeaderNotUTF8, lang, p.bytePlace(lang))
        case .headerCannotSplit: tr(.csvHeaderCannotSplit, lang)
        case .utf16: tr(.csvUTF16, lang)
        case .xlsx: tr(.csvXLSX, lang)
        case .xls: tr(.csvXLS, lang)
        case let .noHeader(found, accepted): tr(.csvNoHeader, lang, found, accepted)
        case let .noNameColumn(found, accepted): tr(.csvNoNameColumn, lang, found, accepted)
        case .visitsNoStatus(let header): tr(.csvVisitsNoStatus, lang, header)
        case .visitsNoID: tr(.csvVisitsNoID, lang)
        case .productsNoName(let header): tr(.csvProductsNoName, lang, header)
        case .productsNoProducerColumn: tr(.csvProductsNoProducer, lang)
        }
    }
}

/// Why a row of a visits or products file cannot be applied.
public enum ImportProblem: Hashable, Sendable {
    /// The row cannot be read at all.
    case row(CSVRowProblem)
    case noProducer(String)
    case noProducerWithNIB(String)
    case severalWithNIB(String, ids: [String])
    case noProducerNamed(String, kelurahan: String?)
    case severalNamed(String, kelurahan: String?, ids: [String])
    /// A visits row without id or NIB.
    case namesNoProducer
    /// A products row without producer.
    case productNamesNoProducer
    case notAStatus(String)
    case reasonTooLong(length: Int, max: Int)
    case rejectionNeedsReason
    case decidedTwice(producer: String, firstLine: Int)
    case field(FieldProblem)
    case noProduct(String)
    case duplicateProduct(producer: String, name: String, firstLine: Int)

    public func text(_ lang: Language) -> String {
        func place(_ k: String?) -> String { k.map { tr(.impIn, lang, $0) } ?? "" }
        switch self {
        case .row(let p): return p.text(lang)
        case .noProducer(let id): return tr(.impNoProducer, lang, id)
        case .noProducerWithNIB(let nib): return tr(.impNoNIB, lang, nib)
        case let .severalWithNIB(nib, ids): return tr(.impSeveralNIB, lang, nib, ids.joined(separator: ", "))
        case let .noProducerNamed(name, k): return tr(.impNoName, lang, name, place(k))
        case let .severalNamed(name, k, ids): return tr(.impSeveralNamed, lang, name, place(k), ids.joined(separator: ", "))
        case .namesNoProducer: return tr(.impNamesNoProducer, lang)
        case .productNamesNoProducer: return tr(.impProductNamesNoProducer, lang)
        case .notAStatus(let value): return tr(.impNotStatus, lang, value)
        case let .reasonTooLong(length, max): return tr(.impReasonTooLong, lang, length, max)
        case .rejectionNeedsReason:
            // The reasons are values to write in the file: always in Indonesian.
            return tr(.impNeedsReason, lang, RejectionReason.standard.prefix(3).map { $0.text(.id) }.joined(separator: ", "))
        case let .decidedTwice(producer, firstLine): return tr(.impDecidedTwice, lang, producer, firstLine)
        case .field(let p): return p.text(lang)
        case .noProduct(let id): return tr(.impNoProduct, lang, id)
        case let .duplicateProduct(producer, name, firstLine): return tr(.impDuplicateProduct, lang, producer, name, firstLine)
        }
    }
}
