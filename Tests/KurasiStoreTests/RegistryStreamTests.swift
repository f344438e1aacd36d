import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// The registry read in one pass (fields split over the record's bytes, no CSV.swift reader per
/// row) and planned row by row: the same entries, issues and plan as the per-row `CSVReader`
/// and the plan made from every entry at once, on random files and on the bundled registry.
@Suite struct RegistryStreamTests {
    static let header = "No;NIB;Nama Usaha;Nama Pemilik;Alamat;Kelurahan;Kecamatan;No. HP;Sektor;Jenis Usaha;Produk Utama;Harga;Kapasitas per Bulan;Satuan;Status;Keterangan"
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func round() -> Round { Round(round: RoundInfo(title: "Uji", date: "2020-10-15"), curators: [Curator(id: "K1", name: "Ketua", role: .chair)]) }

    /// Both readers on the same bytes: the same file, or the same refusal.
    func expectSameRead(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        let onePass = Result { () throws(RegistryFileError) in try RegistryCSV.read(data, file: "r.csv", perRowCSVReader: false) }
        let perRow = Result { () throws(RegistryFileError) in try RegistryCSV.read(data, file: "r.csv", perRowCSVReader: true) }
        switch (onePass, perRow) {
        case let (.success(a), .success(b)):
            #expect(a.entries == b.entries, sourceLocation: sourceLocation)
            #expect(a.issues == b.issues, sourceLocation: sourceLocation)
            #expect(a.header == b.header && a.delimiter == b.delimiter, sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect(a.description == b.description, sourceLocation: sourceLocation)
        default:
            Issue.record("one reader refused, the other read: \(String(decoding: data, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
        }
        let t1 = Result { () throws(RegistryFileError) in try RegistryCSV.table(data, file: "r.csv", perRowCSVReader: false) }
        let t2 = Result { () throws(RegistryFileError) in try RegistryCSV.table(data, file: "r.csv", perRowCSVReader: true) }
        switch (t1, t2) {
        case let (.success(a), .success(b)):
            #expect(a.rows == b.rows && a.issues == b.issues && a.header == b.header, sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect(a.description == b.description, sourceLocation: sourceLocation)
        default:
            Issue.record("table: one reader refused, the other read", sourceLocation: sourceLocation)
        }
    }

    @Test("random rows: the one-pass split gives the fields the per-row CSVReader gives", arguments: [UInt64(7), 8, 9, 10])
    func randomRows(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        // Pieces a spreadsheet can hold: quotes, delimiters, blanks, line breaks, Unicode spaces
        // (NBSP, ideographic, line separator), combining marks, accents, tabs, lone CRs.
        let pieces = ["a", "Brem", "é", "e\u{301}", " ", "  ", "\t", ";", ",", "\"", "\"\"", "\r\n", "\n", "\r",
                      "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{B}", "15.000", "Rp 15.000", "x\"y", "\u{FEFF}", "Ü", "😀"]
        for _ in 0..<300 {
            var rows: [String] = []
            for _ in 0..<(1 + rng.below(4)) {
                var fields: [String] = []
                for _ in 0..<(rng.below(3) == 0 ? 1 + rng.below(18) : 16) {
                    var f = ""
                    for _ in 0..<rng.below(5) { f += pieces[rng.below(pieces.count)] }
                    switch rng.below(4) {
                    case 0: f = "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    case 1: f = " \t\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"  "
                    default: break
                    }
                    fields.append(f)
                }
                rows.append(fields.joined(separator: rng.below(8) == 0 ? "," : ";"))
            }
            let text = ([Self.header] + rows).joined(separator: rng.below(2) == 0 ? "\r\n" : "\n")
            expectSameRead(Data(text.utf8))
        }
    }

    @Test func invalidUTF8AndLongRowsReadTheSameBothWays() {
        var bytes = Array((Self.header + "\n1;;Brem ").utf8) + [0xC3, 0x28] + Array(";Bu;;;;;;;;;;;;\n".utf8)
        bytes += Array("2;;\"Sambel\r\nPecel\";Bu;;;;;;;;;;;;\n3;;\u{A0}Brem\u{3000};Bu;;;;;;;;;;;;\n".utf8)
        bytes += Array(("4;;" + String(repeating: "x", count: 70_000) + ";;;;;;;;;;;;;\n").utf8)
        expectSameRead(Data(bytes))
    }

    @Test func theBundledRegistryReadsTheSameBothWays() throws {
        let path = Self.repoRoot.appendingPathComponent("fixtures/madiun-2020/registry.csv").path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        expectSameRead(data)
        #expect(try RegistryCSV.read(data, file: "r.csv").entries.count > 1000)
    }

    /// The streaming plan is the plan made from every entry at once.
    @Test func theRowByRowPlanIsThePlanOfTheWholeFile() throws {
        let path = Self.repoRoot.appendingPathComponent("fixtures/madiun-2020/registry.csv").path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        // Add rows that do not read, duplicates, and closed businesses, so every list has entries.
        text += "9999;;;Tanpa Nama;;;;;;;;;;;;\n9998;;Brem Suling Mas;Bambang;;Kejuron;Taman;;Makanan;Produksi;Brem;lima ribu;12;kotak;Aktif;\n"
        let dir = NSTemporaryDirectory() + "kurasi-stream-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/registry.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))

        let whole = RegistryImport(try RegistryCSV.read(contentsOf: file), file: file, into: round())
        var calls: [(done: Int, total: Int, rows: Int)] = []
        let streamed = RegistryImport(try RegistryCSV.rows(contentsOf: file), file: file, into: round()) { calls.append(($0, $1, $2)) }
        #expect(streamed.producers == whole.producers)
        #expect(streamed.products == whole.products)
        #expect(streamed.duplicates == whole.duplicates && streamed.unchanged == whole.unchanged)
        #expect(streamed.closed == whole.closed && streamed.services == whole.services && streamed.traders == whole.traders)
        #expect(streamed.issues == whole.issues && streamed.rows == whole.rows && !whole.issues.isEmpty)
        #expect(streamed.revision == whole.revision && streamed.file == whole.file)

        // The progress: from the first row to the whole file, never backwards, one call a row.
        let size = text.utf8.count
        #expect(calls.first?.rows == 0 && calls.last?.done == size && calls.last?.total == size)
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.done <= $1.done && $0.rows <= $1.rows })
        #expect(calls.count == calls.last!.rows + 2)
        #expect(calls.last!.rows >= whole.rows - whole.issues.count)
    }

    /// A whole-file problem is thrown before any row is read, as `read` throws it.
    @Test func aFileWithoutTheNameColumnIsRefusedBeforeTheRows() throws {
        let dir = NSTemporaryDirectory() + "kurasi-stream-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/r.csv"
        try Data("No;Pemilik\n1;Bu Tini\n".utf8).write(to: URL(fileURLWithPath: file))
        let streamed = Result { () throws(RegistryFileError) in try RegistryCSV.rows(contentsOf: file) }
        let whole = Result { () throws(RegistryFileError) in try RegistryCSV.read(contentsOf: file) }
        guard case let .failure(a) = streamed, case let .failure(b) = whole else {
            Issue.record("not refused"); return
        }
        #expect(a.description == b.description && a.description.contains("Nama Usaha"))
        let missing = Result { () throws(RegistryFileError) in try RegistryCSV.rows(contentsOf: dir + "/none.csv") }
        let missingWhole = Result { () throws(RegistryFileError) in try RegistryCSV.read(contentsOf: dir + "/none.csv") }
        if case let .failure(a) = missing, case let .failure(b) = missingWhole { #expect(a.description == b.description) }
        else { Issue.record("a missing file was read") }
    }
}

/// The import's one journal line, encoded a thousand changes at a time: the bytes of encoding it
/// whole, read back by the journal's reader to the same event.
@Suite struct ImportJournalLineTests {
    @Test(arguments: [999, 1_000, 1_001, 2_500])
    func aBigBatchIsEncodedInChunksToTheSameBytes(rows: Int) throws {
        var round = Round(round: RoundInfo(title: "Uji", date: "2020-10-15"), curators: [Curator(id: "K1", name: "Ketua", role: .chair)])
        let header = "No;NIB;Nama Usaha;Nama Pemilik;Alamat;Kelurahan;Kecamatan;No. HP;Sektor;Jenis Usaha;Produk Utama;Harga;Kapasitas per Bulan;Satuan;Status;Keterangan"
        var lines = [header]
        for i in 0..<rows {
            lines.append("\(i);\(9_100_000_000_000 + i);Usaha \"Sari\" \(i) / Madiun;Bu Tini;Jl. Serayu \(i);Kuncen;Taman;0812\(i);\(i % 3 == 0 ? "Kerajinan" : "Makanan");Produksi;Brem \(i) ☕;Rp 15.000;\(i);kotak;Aktif;catatan \\ \(i)")
        }
        let file = try RegistryCSV.read(Data(lines.joined(separator: "\n").utf8), file: "r.csv")
        let event = try #require(try round.perform(RegistryImport(file, file: "r.csv", into: round).command, by: "import", at: "2020-10-15T09:00:00Z"))
        let whole = try Journal.encoder.encode(event)
        #expect(try Journal.encodeBody(event) == whole)
        let line = try Journal.encode(event)
        #expect(line.last == UInt8(ascii: "\n"))
        guard case let .success(back) = Journal.parse(line.dropLast()) else { Issue.record("the line does not read back"); return }
        #expect(back == event)
    }
}
