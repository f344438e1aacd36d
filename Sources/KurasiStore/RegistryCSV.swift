// RegistryCSV.swift
//
// Reads the UMKM registry as a city office sends it (a spreadsheet exported to
// CSV, usually from an Indonesian-locale Excel) into plain `RegistryEntry`
// records. Every row that cannot be read is reported as a `RegistryRowIssue`
// with its physical line number and an English sentence saying what to fix;
// the remaining rows are still read. Whole-file problems throw
// `RegistryFileError`.
//
// This file deliberately knows nothing about the store or the domain model:
// mapping entries to producers happens elsewhere.
//
// How the work is split between this file and CSV.swift
// -----------------------------------------------------
// CSV.swift (yaslab, 2.5.2) parses fields well, but it cannot tell us where a
// row starts in the file, it silently reads to the end of the file when a
// quote is never closed, and its byte-stream reader stops at the first
// invalid UTF-8 byte. We need all three (line numbers for every issue, the
// line where an unterminated quote opened, and "report this row, keep reading
// the others" for bad bytes). So:
//
//  1. `RecordSplitter` walks the raw bytes once and cuts them into records
//     (one CSV row each, possibly spanning several physical lines when a
//     quoted field contains line breaks). It counts line breaks as it goes,
//     so every record knows its first physical line (see `LineBreaks` for
//     what counts as one). Only
//     ASCII bytes (`"`, the delimiter, CR, LF, space, tab) are structural, and
//     those never occur inside a multi-byte UTF-8 sequence, so splitting bytes
//     before decoding is safe even when the file contains invalid UTF-8.
//  2. Each record's bytes are validated and decoded as UTF-8 on their own.
//  3. The decoded record is handed to CSV.swift's `CSVReader`, configured with
//     the detected delimiter, which splits and unescapes the fields.
//
// The splitter follows the same quoting rules as CSVReader (a quote opens a
// field only at its start, optionally after spaces/tabs; `""` is an escaped
// quote; after the closing quote only spaces/tabs may come before the
// delimiter or the line end), so for every record it accepts, CSVReader sees
// exactly one row. Records the splitter rejects (text after a closing quote,
// a quote never closed) are reported and never reach CSVReader.

import CSV
import Foundation
import KurasiCore

// MARK: - Public API

/// One data row of the registry, as read from the file. Text fields are
/// trimmed; empty cells are `nil`.
public struct RegistryEntry: Hashable, Sendable {
    /// 1-based physical line where the row starts in the file.
    public var line: Int
    /// "No"
    public var number: String?
    /// "NIB" (Nomor Induk Berusaha)
    public var nib: String?
    /// "Nama Usaha" (required, non-empty)
    public var businessName: String
    /// "Nama Pemilik"
    public var owner: String?
    /// "Alamat"
    public var address: String?
    /// "Kelurahan"
    public var kelurahan: String?
    /// "Kecamatan"
    public var kecamatan: String?
    /// "No. HP" / "No HP" / "Telepon" / "HP"
    public var phone: String?
    /// "Sektor"
    public var sector: String?
    /// "Jenis Usaha"
    public var businessType: String?
    /// "Produk Utama" / "Produk"
    public var product: String?
    /// "Harga", in whole rupiah
    public var price: Int?
    /// "Kapasitas per Bulan" / "Kapasitas"
    public var capacity: Int?
    /// "Satuan"
    public var unit: String?
    /// "Status" / "Status Usaha"
    public var status: String?
    /// "Keterangan"
    public var note: String?

    public init(
        line: Int, number: String? = nil, nib: String? = nil, businessName: String,
        owner: String? = nil, address: String? = nil, kelurahan: String? = nil,
        kecamatan: String? = nil, phone: String? = nil, sector: String? = nil,
        businessType: String? = nil, product: String? = nil, price: Int? = nil,
        capacity: Int? = nil, unit: String? = nil, status: String? = nil, note: String? = nil
    ) {
        self.line = line
        self.number = number
        self.nib = nib
        self.businessName = businessName
        self.owner = owner
        self.address = address
        self.kelurahan = kelurahan
        self.kecamatan = kecamatan
        self.phone = phone
        self.sector = sector
        self.businessType = businessType
        self.product = product
        self.price = price
        self.capacity = capacity
        self.unit = unit
        self.status = status
        self.note = note
    }
}

/// A row that could not be read: its line and what is wrong with it. `reason` is the English
/// sentence that starts with "line N:" and says what to fix; `text(_:)` says it in any language.
public struct RegistryRowIssue: Error, Hashable, Sendable {
    /// 1-based physical line of the row (for an unterminated quote: the line
    /// where the quote opened).
    public var line: Int
    public var problem: CSVRowProblem

    public init(line: Int, _ problem: CSVRowProblem) {
        self.line = line
        self.problem = problem
    }

    public var reason: String { text(.en) }

    /// "baris 12: …" / "line 12: …".
    public func text(_ lang: Language) -> String { tr(.csvLine, lang, line) + ": " + problem.text(lang) }
}

/// The result of reading a registry file. A row produces either an entry or
/// one or more issues, never both.
public struct RegistryFile: Sendable {
    public var entries: [RegistryEntry]
    public var issues: [RegistryRowIssue]
    /// The detected delimiter: `;`, `,` or tab.
    public var delimiter: Character
    /// Column names as written in the file (trimmed).
    public var header: [String]

    public init(entries: [RegistryEntry], issues: [RegistryRowIssue], delimiter: Character, header: [String]) {
        self.entries = entries
        self.issues = issues
        self.delimiter = delimiter
        self.header = header
    }
}

/// A registry file whose header is read and understood, its rows not yet: `forEach` reads them
/// one at a time, in file order, keeping none (see `RegistryImport.init(_:into:progress:)`).
public struct RegistryRows: Sendable {
    fileprivate let reader: Reader
    /// Column names as written in the file (trimmed).
    public let header: [String]
    fileprivate let delimiter: UInt8
    fileprivate let rest: ArraySlice<RawRecord>
    fileprivate let index: [RegistryCSV.Column: Int]

    /// Each row in file order: an entry when it reads, its issues when it does not (a blank row
    /// gives neither). `progress` hears how many of the file's bytes and rows are read, at
    /// the start, after each row and at the end.
    public func forEach(progress: ((_ done: Int, _ total: Int, _ rows: Int) -> Void)? = nil,
                        entry: (RegistryEntry) -> Void, issues: ([RegistryRowIssue]) -> Void) {
        reader.forEach(self, progress: progress) { row in
            switch row {
            case .entry(let e): entry(e)
            case .issues(let found): issues(found)
            case .skip: break
            }
        }
    }

    fileprivate func forEach(progress: ((_ done: Int, _ total: Int, _ rows: Int) -> Void)?, _ body: (Reader.RowResult) -> Void) {
        reader.forEach(self, progress: progress, body)
    }
}

/// A problem with the file as a whole: it is empty, unreadable, has no
/// header, or lacks the required "Nama Usaha" column.
public struct RegistryFileError: Error, CustomStringConvertible, Sendable {
    /// The file name or path as given by the caller.
    public var file: String
    /// 1-based line the problem is on, when there is one.
    public var line: Int?
    public var problem: CSVFileProblem

    public init(file: String, line: Int? = nil, _ problem: CSVFileProblem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// What is wrong and what to do, in English, without the place.
    public var message: String { problem.text(.en) }

    /// "registry.csv:1: message" or "registry.csv: message".
    public var description: String { text(.en) }

    /// The file, the line when there is one, what is wrong and what to do, in `lang`.
    public func text(_ lang: Language) -> String {
        guard let line else { return "\(file): \(problem.text(lang))" }
        switch lang {
        case .en: return "\(file):\(line): \(problem.text(lang))"
        case .id: return "\(file) (\(tr(.csvLine, lang, line))): \(problem.text(lang))"
        }
    }
}

/// A CSV file split into rows of fields, read with the registry's spreadsheet habits (`;`, `,`
/// or tab; BOM; CRLF; quoted fields). Rows that cannot be read are issues with their lines.
public struct CSVTable: Sendable {
    public struct Row: Sendable, Hashable {
        /// 1-based physical line where the row starts.
        public var line: Int
        public var fields: [String]
    }
    public var header: [String]
    public var headerLine: Int
    public var delimiter: Character
    public var rows: [Row]
    public var issues: [RegistryRowIssue]

    /// The position of the first column whose normalised name is one of `aliases`.
    public func column(_ aliases: [String]) -> Int? {
        let names = header.map(RegistryCSV.normaliseHeader)
        return names.firstIndex { aliases.contains($0) }
    }
}

public enum RegistryCSV {

    /// Reads any CSV file with the registry's habits into rows of fields.
    public static func table(_ data: Data, file: String) throws(RegistryFileError) -> CSVTable {
        try Reader(bytes: [UInt8](data), file: file).table()
    }

    public static func table(contentsOf path: String) throws(RegistryFileError) -> CSVTable {
        try table(readFile(path), file: path)
    }

    static func readFile(_ path: String) throws(RegistryFileError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RegistryFileError(file: path, .cannotRead(reason: (error as NSError).localizedDescription))
        }
    }

    /// Reads a registry file from memory. `file` is only used in errors.
    public static func read(_ data: Data, file: String) throws(RegistryFileError) -> RegistryFile {
        try Reader(bytes: [UInt8](data), file: file).read()
    }

    /// `read` with every row's fields split by a CSV.swift `CSVReader` made for the row, as
    /// before the one-pass split: the reference the tests compare it with.
    static func read(_ data: Data, file: String, perRowCSVReader: Bool) throws(RegistryFileError) -> RegistryFile {
        try Reader(bytes: [UInt8](data), file: file, perRowCSVReader: perRowCSVReader).read()
    }

    /// `table` with a CSV.swift `CSVReader` made for each row (the tests' reference).
    static func table(_ data: Data, file: String, perRowCSVReader: Bool) throws(RegistryFileError) -> CSVTable {
        try Reader(bytes: [UInt8](data), file: file, perRowCSVReader: perRowCSVReader).table()
    }

    /// The registry file at `path` read as far as its header: a whole-file problem (cannot be
    /// read, not CSV, no "Nama Usaha" column) is thrown here, before any row is read.
    public static func rows(contentsOf path: String) throws(RegistryFileError) -> RegistryRows {
        try Reader(bytes: readBytes(path), file: path).prepare()
    }

    /// A file's bytes, or the error `read(contentsOf:)` gives when it cannot be read.
    static func readBytes(_ path: String) throws(RegistryFileError) -> [UInt8] {
        [UInt8](try readFile(path))
    }

    /// Reads a registry file from disk.
    public static func read(contentsOf path: String) throws(RegistryFileError) -> RegistryFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RegistryFileError(file: path, .cannotRead(reason: (error as NSError).localizedDescription))
        }
        return try read(data, file: path)
    }

    /// Parses a rupiah amount as written in Indonesian spreadsheets:
    /// "Rp 15.000", "Rp15.000", "Rp. 1.250.000", "15.000", "15000",
    /// "15.000,00", "Rp 15.000,-", "IDR 15,000". Thousands may be grouped
    /// with `.`, `,` or a space (groups of three, one separator style per
    /// number); a decimal part of one or two digits is accepted only when it
    /// is zero, since rupiah prices have no cents. Returns `nil` for empty
    /// text, words ("lima belas ribu"), negative or overflowing amounts.
    public static func parseRupiah(_ s: String) -> Int? {
        Fields.parseRupiah(s)
    }

    /// No row of a registry, visits or products file needs more bytes than this (every field at
    /// its maximum length, in 4-byte characters, is far less).
    public static let maxRowBytes = 65_536

    static func rowTooLong(_ bytes: Int) -> CSVRowProblem { .rowTooLong(bytes: bytes, max: maxRowBytes) }

}

// MARK: - Number parsing

private extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

// MARK: - Columns

extension RegistryCSV {
    /// The fields a registry column can fill.
    enum Column: CaseIterable {
        case number, nib, businessName, owner, address, kelurahan, kecamatan, phone
        case sector, businessType, product, price, capacity, unit, status, note

        /// Accepted header spellings, already normalised (see `normaliseHeader`).
        var aliases: [String] {
            switch self {
            case .number: ["no", "nomor", "no urut", "nomor urut"]
            case .nib: ["nib", "no nib", "nomor nib", "nomor induk berusaha"]
            case .businessName: ["nama usaha", "nama usaha merek", "nama usaha merk", "nama umkm", "nama ukm"]
            case .owner: ["nama pemilik", "pemilik", "nama pelaku usaha", "pelaku usaha"]
            case .address: ["alamat", "alamat usaha"]
            case .kelurahan: ["kelurahan", "kel", "kelurahan desa", "desa kelurahan"]
            case .kecamatan: ["kecamatan", "kec"]
            case .phone: [
                "no hp", "nomor hp", "hp", "telepon", "telp", "no telp", "no telepon", "nomor telepon",
                "no hp wa", "no wa", "nomor wa", "whatsapp", "no whatsapp",
            ]
            case .sector: ["sektor", "sektor usaha"]
            case .businessType: ["jenis usaha"]
            case .product: ["produk utama", "produk", "nama produk"]
            case .price: ["harga", "harga rp", "harga satuan", "harga jual", "harga satuan rp", "harga jual rp"]
            case .capacity: [
                "kapasitas per bulan", "kapasitas", "kapasitas produksi", "kapasitas bulan",
                "kapasitas produksi per bulan",
            ]
            case .unit: ["satuan"]
            case .status: ["status", "status usaha"]
            case .note: ["keterangan", "ket", "catatan"]
            }
        }

        /// Finds the column a header name refers to, if any.
        static func match(_ rawName: String) -> Column? {
            let name = RegistryCSV.normaliseHeader(rawName)
            if let column = allCases.first(where: { $0.aliases.contains(name) }) { return column }
            // "Nama Usaha (sesuai NIB)", "Nama Usaha / Merek Dagang", ...
            if name.hasPrefix("nama usaha ") { return .businessName }
            return nil
        }
    }

    /// Trim, lowercase, turn `_ . - / ( ) :` into spaces, collapse runs of spaces.
    /// "Nama_Usaha", "NAMA USAHA", " Nama Usaha/Merek " -> "nama usaha", "nama usaha merek".
    static func normaliseHeader(_ name: String) -> String {
        let separators: Set<Character> = ["_", ".", "-", "/", "(", ")", ":"]
        let spaced = String(name.lowercased().map { separators.contains($0) ? " " : $0 })
        return spaced
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}

// MARK: - Byte-level record splitting

private let byteQuote = UInt8(ascii: "\"")
private let byteCR = UInt8(ascii: "\r")
private let byteLF = UInt8(ascii: "\n")
private let byteSpace = UInt8(ascii: " ")
private let byteTab = UInt8(ascii: "\t")

/// One CSV record (row) located in the raw bytes.
private struct RawRecord: Sendable {
    /// 1-based physical line of the record's first byte.
    var startLine: Int
    /// 1-based physical line of the record's last byte.
    var endLine: Int
    /// The record's bytes, without its line terminator.
    var range: Range<Int>
    var problem: Problem?

    enum Problem: Sendable {
        /// A quoted field opened on `openLine` and the file ended inside it.
        case unterminatedQuote(openLine: Int)
        /// Field number `field` (1-based), whose quote opened on `openLine`,
        /// has text after its closing quote on `line`.
        case textAfterClosingQuote(openLine: Int, line: Int, field: Int)
    }
}

/// What ends a physical line. LF and CRLF always do. A lone CR does only in
/// files without any LF (classic Mac "CSV (Macintosh)" exports); in LF or
/// CRLF files a lone CR is a stray character inside a line, which is how
/// editors like vim and tools like grep -n number the lines.
private struct LineBreaks: Sendable {
    let loneCRBreaksLine: Bool

    init(_ bytes: some Collection<UInt8>) {
        loneCRBreaksLine = !bytes.contains(byteLF)
    }

    /// If a line break starts at `i`, returns its length (1 or 2) and whether
    /// it counts as a new physical line. Lone CRs are reported even when they
    /// don't count, because CSV.swift ends an unquoted row at any CR.
    func breakAt(_ i: Int, in bytes: [UInt8]) -> (length: Int, newLine: Bool)? {
        guard bytes.indices.contains(i) else { return nil }
        if bytes[i] == byteLF { return (1, true) }
        guard bytes[i] == byteCR else { return nil }
        if i + 1 < bytes.count && bytes[i + 1] == byteLF { return (2, true) }
        return (1, loneCRBreaksLine)
    }
}

/// Cuts the bytes into records, tracking physical line numbers. See the
/// comment at the top of the file for why this is done here rather than by
/// CSV.swift.
private struct RecordSplitter {
    let bytes: [UInt8]
    let delimiter: UInt8
    let lineBreaks: LineBreaks

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.lineBreaks = LineBreaks(bytes)
    }

    /// After this many unterminated-quote recoveries, the rest of the file is
    /// reported as one record. Each recovery rescans to the end of the file,
    /// so this bounds the work on pathological input.
    static let maxRecoveries = 50

    /// Space or tab (unless tab is the delimiter): what CSVReader trims.
    private func isBlank(_ b: UInt8) -> Bool {
        (b == byteSpace || b == byteTab) && b != delimiter
    }

    func split(from start: Int) -> [RawRecord] {
        let n = bytes.count
        var records: [RawRecord] = []
        var i = start
        var line = 1
        var recoveries = 0

        while i < n {
            let recordStart = i
            let recordLine = line
            var field = 1
            var atFieldStart = true
            var inQuotes = false
            var quoteOpenLine = line
            // Where to resume if the open quote turns out never to close: the
            // first line after the one the quote opened on, and the end of
            // the content on the opening line.
            var resumeAt: (index: Int, contentEnd: Int, line: Int)?
            var problem: RawRecord.Problem?
            var contentEnd = n
            var nextStart = n
            var endedByNewline = false
            var endsLine = false

            while i < n {
                let b = bytes[i]
                if inQuotes {
                    if b == byteQuote {
                        if i + 1 < n && bytes[i + 1] == byteQuote {  // "" is an escaped quote
                            i += 2
                            continue
                        }
                        // Closing quote: only blanks may follow before the
                        // delimiter or the end of the line.
                        inQuotes = false
                        atFieldStart = false
                        i += 1
                        while i < n && isBlank(bytes[i]) { i += 1 }
                        if i < n, bytes[i] != delimiter, bytes[i] != byteCR, bytes[i] != byteLF, problem == nil {
                            problem = .textAfterClosingQuote(openLine: quoteOpenLine, line: line, field: field)
                        }
                    } else if let lineBreak = lineBreaks.breakAt(i, in: bytes) {
                        let lineBreakAt = i
                        i += lineBreak.length
                        if lineBreak.newLine {
                            line += 1
                            if resumeAt == nil { resumeAt = (i, lineBreakAt, line) }
                        }
                    } else {
                        i += 1
                    }
                    continue
                }
                if let lineBreak = lineBreaks.breakAt(i, in: bytes) {
                    contentEnd = i
                    i += lineBreak.length
                    nextStart = i
                    endsLine = lineBreak.newLine
                    endedByNewline = true
                    break
                }
                if b == delimiter {
                    field += 1
                    atFieldStart = true
                } else if atFieldStart && b == byteQuote {
                    inQuotes = true
                    atFieldStart = false
                    quoteOpenLine = line
                    resumeAt = nil
                } else if !(atFieldStart && isBlank(b)) {
                    atFieldStart = false
                }
                i += 1
            }

            let endLine = line
            if endedByNewline {
                if endsLine { line += 1 }
            } else if inQuotes {
                problem = .unterminatedQuote(openLine: quoteOpenLine)
                // Recover: give up on this record at the end of the line the
                // quote opened on, and read the following lines as new rows.
                if let resume = resumeAt, recoveries < Self.maxRecoveries {
                    recoveries += 1
                    records.append(RawRecord(
                        startLine: recordLine, endLine: resume.line - 1,
                        range: recordStart..<resume.contentEnd, problem: problem))
                    i = resume.index
                    line = resume.line
                    continue
                }
            }
            records.append(RawRecord(
                startLine: recordLine, endLine: endLine,
                range: recordStart..<max(recordStart, contentEnd), problem: problem))
            i = nextStart
        }
        return records
    }
}

// MARK: - UTF-8 validation

/// Where the first invalid UTF-8 byte of a record is.
private struct InvalidUTF8: Error {
    var byte: UInt8
    /// 1-based physical line, and 1-based column (in characters) on it.
    var line: Int
    var column: Int
}

/// Decodes `bytes` strictly as UTF-8, or reports the first invalid byte.
/// `firstLine` is the physical line of `bytes.first`; `lineBreaks` says
/// whether a lone CR starts a new line.
private func decodeUTF8(_ bytes: ArraySlice<UInt8>, firstLine: Int, lineBreaks: LineBreaks) -> Result<String, InvalidUTF8> {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = bytes.startIndex
    var line = firstLine
    var column = 1
    var previousWasCR = false
    var scalars = String.UnicodeScalarView()
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let encoded):
            let scalar = Unicode.UTF8.decode(encoded)
            scalars.append(scalar)
            offset += encoded.count
            // Track the physical line/column for error messages.
            if scalar == "\n" {
                if !previousWasCR { line += 1 }
                column = 1
            } else if scalar == "\r" && lineBreaks.loneCRBreaksLine {
                line += 1
                column = 1
            } else {
                column += 1
            }
            previousWasCR = scalar == "\r"
        case .emptyInput:
            return .success(String(scalars))
        case .error:
            let byte = bytes.indices.contains(offset) ? bytes[offset] : 0
            return .failure(InvalidUTF8(byte: byte, line: line, column: column))
        }
    }
}

// MARK: - Reader

private struct Reader: Sendable {
    let bytes: [UInt8]
    let file: String
    let lineBreaks: LineBreaks
    /// Split fields with a CSV.swift `CSVReader` made for each row, as before the one-pass split
    /// (the reference the tests compare the one-pass split with).
    var perRowCSVReader = false

    init(bytes: [UInt8], file: String, perRowCSVReader: Bool = false) {
        self.bytes = bytes
        self.file = file
        self.lineBreaks = LineBreaks(bytes)
        self.perRowCSVReader = perRowCSVReader
    }

    func fail(_ problem: CSVFileProblem, line: Int? = nil) -> RegistryFileError {
        RegistryFileError(file: file, line: line, problem)
    }

    /// The records of the file, with the header found and decoded: the first record with any
    /// non-empty cell.
    func headerAndRecords() throws(RegistryFileError) -> (header: [String], line: Int, delimiter: UInt8, rest: ArraySlice<RawRecord>) {
        try rejectOtherFormats()
        let bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let delimiterByte = detectDelimiter(from: bomLength) else {
            throw fail(.empty)
        }
        let records = RecordSplitter(bytes: bytes, delimiter: delimiterByte).split(from: bomLength)

        var headerFields: [String]?
        var headerLine = 1
        var rest = records[...]
        while let record = rest.first, headerFields == nil {
            rest = rest.dropFirst()
            if record.range.isEmpty { continue }
            headerLine = record.startLine
            if let problem = record.problem {
                throw fail(.headerUnreadable(describe(problem, record: record)), line: record.startLine)
            }
            let text: String
            switch decodeUTF8(bytes[record.range], firstLine: record.startLine, lineBreaks: lineBreaks) {
            case .success(let decoded): text = decoded
            case .failure(let failure):
                throw fail(.headerNotUTF8(describe(failure, startLine: record.startLine)), line: record.startLine)
            }
            guard let fields = parseFields(text, delimiter: delimiterByte) else {
                throw fail(.headerCannotSplit, line: record.startLine)
            }
            if !fields.allSatisfy(\.isEmpty) { headerFields = fields }
        }
        guard let header = headerFields else {
            throw fail(.empty)
        }
        return (header, headerLine, delimiterByte, rest)
    }

    /// Every row split into fields, or the reason it cannot be: for files other than the registry.
    func table() throws(RegistryFileError) -> CSVTable {
        let (header, headerLine, delimiterByte, rest) = try headerAndRecords()
        var rows: [CSVTable.Row] = []
        var issues: [RegistryRowIssue] = []
        let normalisedHeader = header.map(RegistryCSV.normaliseHeader)
        for record in rest {
            if record.range.isEmpty { continue }
            switch splitRow(record, header: header, normalisedHeader: normalisedHeader, delimiter: delimiterByte) {
            case .success(let fields): if let fields { rows.append(CSVTable.Row(line: record.startLine, fields: fields)) }
            case .failure(let issue): issues.append(issue)
            }
        }
        return CSVTable(header: header, headerLine: headerLine, delimiter: Character(Unicode.Scalar(delimiterByte)),
                        rows: rows, issues: issues)
    }

    /// One record's fields; nil for a blank row; an issue when it cannot be read.
    private func splitRow(_ record: RawRecord, header: [String], normalisedHeader: [String],
                          delimiter: UInt8) -> Result<[String]?, RegistryRowIssue> {
        let line = record.startLine
        func issue(_ problem: CSVRowProblem, at issueLine: Int? = nil) -> Result<[String]?, RegistryRowIssue> {
            .failure(RegistryRowIssue(line: issueLine ?? line, problem))
        }
        if record.range.count > RegistryCSV.maxRowBytes { return issue(RegistryCSV.rowTooLong(record.range.count)) }
        if let problem = record.problem {
            if case .unterminatedQuote(let openLine) = problem { return issue(describe(problem, record: record), at: openLine) }
            return issue(describe(problem, record: record))
        }
        let fields: [String]
        switch self.fields(of: record, delimiter: delimiter) {
        case .success(let found): fields = found
        case .failure(let unreadable): return issue(unreadable.problem)
        }
        if fields.allSatisfy(\.isEmpty) { return .success(nil) }
        if fields.count != header.count {
            return issue(.fieldCount(found: fields.count, header: header.count, runsTo: record.endLine > line ? record.endLine : nil,
                                     delimiter: delimiterName(delimiter), registry: false))
        }
        if fields.map(RegistryCSV.normaliseHeader) == normalisedHeader { return issue(.repeatsHeader) }
        return .success(fields)
    }

    func read() throws(RegistryFileError) -> RegistryFile {
        var entries: [RegistryEntry] = []
        var issues: [RegistryRowIssue] = []
        let (header, delimiter) = try forEachRow { row in
            switch row {
            case .entry(let entry): entries.append(entry)
            case .issues(let found): issues.append(contentsOf: found)
            case .skip: break
            }
        }
        return RegistryFile(entries: entries, issues: issues, delimiter: delimiter, header: header)
    }

    /// The file read as far as its header: the header understood (or the whole-file problem
    /// thrown), the rows not yet read.
    func prepare() throws(RegistryFileError) -> RegistryRows {
        let (header, headerLine, delimiterByte, rest) = try headerAndRecords()
        let columns = header.map(RegistryCSV.Column.match)
        guard columns.contains(.businessName) else {
            throw missingNameColumn(header: header, columns: columns, line: headerLine)
        }
        // The first column with a given meaning wins; later duplicates are ignored.
        var index: [RegistryCSV.Column: Int] = [:]
        for (i, column) in columns.enumerated() {
            if let column, index[column] == nil { index[column] = i }
        }
        return RegistryRows(reader: self, header: header, delimiter: delimiterByte, rest: rest, index: index)
    }

    /// Read the registry's rows in file order, handing each to `body` as it is read (an entry,
    /// its issues, or a blank row skipped) without keeping them; `progress` hears how many of
    /// the file's bytes are read after each row. Returns the header and the delimiter.
    func forEachRow(progress: ((_ done: Int, _ total: Int, _ rows: Int) -> Void)? = nil,
                    _ body: (RowResult) -> Void) throws(RegistryFileError) -> (header: [String], delimiter: Character) {
        let rows = try prepare()
        rows.forEach(progress: progress, body)
        return (rows.header, Character(Unicode.Scalar(rows.delimiter)))
    }

    fileprivate func forEach(_ rows: RegistryRows, progress: ((_ done: Int, _ total: Int, _ rows: Int) -> Void)?,
                             _ body: (RowResult) -> Void) {
        let normalisedHeader = rows.header.map(RegistryCSV.normaliseHeader)
        var read = 0
        progress?(rows.rest.first?.range.lowerBound ?? bytes.count, bytes.count, 0)
        for record in rows.rest {
            if record.range.isEmpty { continue }  // a fully empty line
            body(readRow(record, header: rows.header, normalisedHeader: normalisedHeader,
                         index: rows.index, delimiter: rows.delimiter))
            read += 1
            progress?(record.range.upperBound, bytes.count, read)
        }
        progress?(bytes.count, bytes.count, read)
    }

    // MARK: Whole-file checks

    /// Recognise files that are clearly not CSV UTF-8 and say what to do.
    private func rejectOtherFormats() throws(RegistryFileError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw fail(.utf16)
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw fail(.xlsx)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw fail(.xls)
        }
    }

    /// Picks `;`, `,` or tab: whichever occurs most often outside quotes on
    /// the header line, i.e. the first line with any content (lines holding
    /// only delimiters and blanks, as Excel writes for empty rows, are
    /// skipped). Ties prefer `;` (the Indonesian Excel list separator), then
    /// `,`, then tab. Returns nil when the file has no content at all.
    private func detectDelimiter(from start: Int) -> UInt8? {
        let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), byteTab]
        let filler: Set<UInt8> = Set(candidates + [byteSpace, byteCR, byteLF])
        guard let first = bytes[start...].firstIndex(where: { !filler.contains($0) }) else { return nil }
        // Back up to the start of that line.
        var lineStart = first
        while lineStart > start && bytes[lineStart - 1] != byteLF && bytes[lineStart - 1] != byteCR {
            lineStart -= 1
        }
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        var i = lineStart
        while i < bytes.count {
            let b = bytes[i]
            if b == byteQuote {
                inQuotes.toggle()
            } else if !inQuotes && (b == byteCR || b == byteLF) {
                break
            } else if !inQuotes && candidates.contains(b) {
                counts[b, default: 0] += 1
            }
            i += 1
        }
        var best = candidates[0]
        for candidate in candidates where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    private func missingNameColumn(header: [String], columns: [RegistryCSV.Column?], line: Int) -> RegistryFileError {
        let found = header.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")
        let accepted = "\"Nama Usaha\", \"Nama Usaha/Merek\", \"nama_usaha\", \"NAMA USAHA\", \"Nama UMKM\""
        if columns.allSatisfy({ $0 == nil }) {
            return fail(.noHeader(found: found, accepted: accepted), line: line)
        }
        return fail(.noNameColumn(found: found, accepted: accepted), line: line)
    }

    // MARK: Rows

    enum RowResult {
        case entry(RegistryEntry)
        case issues([RegistryRowIssue])
        /// Blank rows (only delimiters and whitespace).
        case skip
    }

    private func readRow(
        _ record: RawRecord, header: [String], normalisedHeader: [String],
        index: [RegistryCSV.Column: Int], delimiter: UInt8
    ) -> RowResult {
        let line = record.startLine
        func issue(_ problem: CSVRowProblem, at issueLine: Int? = nil) -> RowResult {
            .issues([RegistryRowIssue(line: issueLine ?? line, problem)])
        }

        if let problem = record.problem {
            if case .unterminatedQuote(let openLine) = problem {
                return issue(describe(problem, record: record), at: openLine)
            }
            return issue(describe(problem, record: record))
        }
        // A row far longer than every field's maximum together is refused before it is decoded:
        // a 50 MB cell costs a scan of its bytes, never a 50 MB name.
        if record.range.count > RegistryCSV.maxRowBytes { return issue(RegistryCSV.rowTooLong(record.range.count)) }

        let fields: [String]
        switch self.fields(of: record, delimiter: delimiter) {
        case .success(let found): fields = found
        case .failure(let unreadable): return issue(unreadable.problem)
        }
        if fields.allSatisfy(\.isEmpty) { return .skip }

        if fields.count != header.count {
            return issue(.fieldCount(found: fields.count, header: header.count, runsTo: record.endLine > line ? record.endLine : nil,
                                     delimiter: delimiterName(delimiter), registry: true))
        }

        // The first field decides cheaply whether the row can be the header again.
        if RegistryCSV.normaliseHeader(fields[0]) == normalisedHeader[0], fields.map(RegistryCSV.normaliseHeader) == normalisedHeader {
            return issue(.repeatsHeader)
        }

        func value(_ column: RegistryCSV.Column) -> String? {
            guard let i = index[column], fields.indices.contains(i) else { return nil }
            let field = fields[i]
            return field.isEmpty ? nil : field
        }
        func columnName(_ column: RegistryCSV.Column) -> String {
            guard let i = index[column], header.indices.contains(i) else { return "?" }
            return header[i]
        }

        var problems: [CSVRowProblem] = []
        let name = value(.businessName)
        if name == nil {
            problems.append(.emptyName(column: columnName(.businessName)))
        }
        var price: Int?
        if let raw = value(.price) {
            price = RegistryCSV.parseRupiah(raw)
            if price == nil {
                problems.append(.notRupiah(column: columnName(.price), value: raw))
            }
        }
        var capacity: Int?
        if let raw = value(.capacity) {
            capacity = Fields.parseGroupedInteger(raw)
            if capacity == nil {
                problems.append(.notWholeNumber(column: columnName(.capacity), value: raw))
            }
        }
        // Every text field has a maximum length: a 50 MB cell is a row error, not a name.
        let limits: [(RegistryCSV.Column, Int)] = [
            (.number, 20), (.nib, FieldLimit.nib), (.businessName, FieldLimit.name), (.owner, FieldLimit.owner),
            (.address, FieldLimit.address), (.kelurahan, FieldLimit.place), (.kecamatan, FieldLimit.place),
            (.phone, FieldLimit.phone), (.sector, FieldLimit.sector), (.businessType, FieldLimit.sector),
            (.product, FieldLimit.name), (.unit, FieldLimit.unit), (.status, FieldLimit.sector), (.note, FieldLimit.remark),
        ]
        for (column, limit) in limits {
            if let v = value(column), v.utf8.count > limit, v.count > limit {
                problems.append(.tooLong(column: columnName(column), length: v.count, max: limit))
            }
        }
        if !problems.isEmpty {
            return .issues(problems.map { RegistryRowIssue(line: line, $0) })
        }
        guard let name else { return .skip }  // unreachable: an empty name is reported above

        return .entry(RegistryEntry(
            line: line, number: value(.number), nib: value(.nib), businessName: name,
            owner: value(.owner), address: value(.address), kelurahan: value(.kelurahan),
            kecamatan: value(.kecamatan), phone: value(.phone), sector: value(.sector),
            businessType: value(.businessType), product: value(.product), price: price,
            capacity: capacity, unit: value(.unit), status: value(.status), note: value(.note)))
    }

    /// Why a record's fields cannot be read.
    struct Unreadable: Error { var problem: CSVRowProblem }

    /// One record's fields, trimmed, or why they cannot be read (its bytes are not UTF-8, or the
    /// fields cannot be split). The record's bytes are checked as UTF-8 (only when not all ASCII)
    /// and split in one pass over them; with `perRowCSVReader`, decoded and handed to a CSVReader
    /// of CSV.swift made for the row, as before (the same fields, the tests compare the two).
    private func fields(of record: RawRecord, delimiter: UInt8) -> Result<[String], Unreadable> {
        let line = record.startLine
        if perRowCSVReader {
            let text: String
            switch decodeUTF8(bytes[record.range], firstLine: line, lineBreaks: lineBreaks) {
            case .success(let decoded): text = decoded
            case .failure(let failure): return .failure(Unreadable(problem: describe(failure, startLine: line)))
            }
            guard let fields = parseFields(text, delimiter: delimiter) else { return .failure(Unreadable(problem: .cannotSplit)) }
            return .success(fields)
        }
        let ascii = bytes.withUnsafeBufferPointer { b in b[record.range].allSatisfy { $0 < 0x80 } }
        if !ascii, case .failure(let failure) = decodeUTF8(bytes[record.range], firstLine: line, lineBreaks: lineBreaks) {
            return .failure(Unreadable(problem: describe(failure, startLine: line)))
        }
        return .success(splitFields(record.range, delimiter: delimiter))
    }

    /// Splits a record's bytes (valid UTF-8, accepted by `RecordSplitter`: every quoted field
    /// closed, only blanks after a closing quote, no line break outside quotes) into fields as
    /// CSV.swift's `CSVReader` and `parseFields` do: blanks (space and tab, unless it is the
    /// delimiter) trimmed around each field, a quoted field's `""` read as `"`, CRLF inside it as
    /// LF, and then white space and line breaks trimmed at both ends.
    private func splitFields(_ range: Range<Int>, delimiter: UInt8) -> [String] {
        if range.isEmpty { return [""] }
        return bytes.withUnsafeBufferPointer { b -> [String] in
            func isBlank(_ c: UInt8) -> Bool { (c == byteSpace || c == byteTab) && c != delimiter }
            var fields: [String] = []
            var quoted: [UInt8] = []
            var i = range.lowerBound
            let end = range.upperBound
            while true {
                while i < end && isBlank(b[i]) { i += 1 }
                if i < end && b[i] == byteQuote {
                    i += 1
                    quoted.removeAll(keepingCapacity: true)
                    while i < end {
                        let c = b[i]
                        if c == byteQuote {
                            if i + 1 < end && b[i + 1] == byteQuote { quoted.append(byteQuote); i += 2; continue }
                            i += 1
                            break
                        }
                        quoted.append(c)
                        i += 1
                    }
                    while i < end && b[i] != delimiter { i += 1 }  // blanks after the closing quote
                    fields.append(quoted.withUnsafeBufferPointer { Self.finishField($0[...]) })
                } else {
                    let start = i
                    while i < end && b[i] != delimiter { i += 1 }
                    var last = i
                    while last > start && isBlank(b[last - 1]) { last -= 1 }
                    fields.append(Self.finishField(b[start..<last]))
                }
                if i >= end { break }
                i += 1  // the delimiter
            }
            return fields
        }
    }

    /// A field's text as `parseFields` leaves it: CRLF as LF, white space and line breaks trimmed.
    /// Only a field that would keep a non-ASCII character at either end after trimming the ASCII
    /// ones goes through Foundation's trimming (the Unicode spaces), on the whole field as before.
    private static func finishField(_ raw: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        var bytes = raw
        var replaced: [UInt8]?
        if raw.contains(byteCR) {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = raw.startIndex
            while i < raw.endIndex {
                if raw[i] == byteCR, i + 1 < raw.endIndex, raw[i + 1] == byteLF { i += 1; continue }
                out.append(raw[i]); i += 1
            }
            replaced = out
        }
        func finish(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
            var lo = bytes.startIndex, hi = bytes.endIndex
            while lo < hi && isSpace(bytes[lo]) { lo += 1 }
            while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
            if lo < hi, bytes[lo] >= 0x80 || bytes[hi - 1] >= 0x80 {
                return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return String(decoding: bytes[lo..<hi], as: UTF8.self)
        }
        if let replaced { return replaced.withUnsafeBufferPointer { finish($0[...]) } }
        bytes = raw
        return finish(bytes)
    }

    /// Splits one record into trimmed fields with CSV.swift. Returns nil if
    /// CSV.swift does not see exactly one row (which the splitter's matching
    /// quoting rules should rule out).
    private func parseFields(_ text: String, delimiter: UInt8) -> [String]? {
        if text.isEmpty { return [""] }
        guard let reader = try? CSVReader(
            string: text,
            hasHeaderRow: false,
            trimFields: true,
            delimiter: Unicode.Scalar(delimiter),
            // Exactly what RecordSplitter treats as blanks around quotes.
            whitespaces: CharacterSet(charactersIn: " \t"))
        else { return nil }
        guard let row = reader.next(), reader.next() == nil else { return nil }
        return row.map { field in
            // Line breaks inside quoted fields are kept, CRLF as "\n"; other
            // characters (a lone CR, control characters) are kept as data.
            field.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    // MARK: Messages

    private func delimiterName(_ delimiter: UInt8) -> String {
        delimiter == byteTab ? "tab" : "'\(Character(Unicode.Scalar(delimiter)))'"
    }

    private func describe(_ position: InvalidUTF8, startLine: Int) -> CSVRowProblem {
        let byte = "0x" + String(position.byte, radix: 16, uppercase: true).leftPadded(to: 2)
        return .notUTF8(byte: byte, line: position.line == startLine ? nil : position.line, column: position.column)
    }

    private func describe(_ problem: RawRecord.Problem, record: RawRecord) -> CSVRowProblem {
        switch problem {
        case .unterminatedQuote(let openLine):
            return .unterminatedQuote(openLine: openLine)
        case .textAfterClosingQuote(let openLine, let line, let field):
            if openLine != line {
                // Most likely a closing quote is missing on `openLine` and a
                // quote on a later line was taken as the closing one.
                return .quoteClosedLate(field: field, openLine: openLine, closeLine: line)
            }
            return .textAfterClosingQuote(field: field)
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
