import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// What leaves Kurasi is safe to open: no CSV cell a spreadsheet would run, no Markdown or HTML
/// or terminal escape smuggled into the minutes through a name or an id.
@Suite struct ExportTests {
    static let formulas = ["=HYPERLINK(\"http://x.example\",\"klik\")", "=cmd|' /C calc'!A0", "+SUM(1+1)", "-2+3", "@SUM(A1)",
                           "\tTAB", "\rCR"]

    /// A round whose every text field a committee member could type holds an attack.
    func hostileRound(_ name: String) -> Round {
        tinyRound().handEdited {
            $0.producers[0].name = name
            $0.producers[0].kelurahan = name
            $0.products[0].name = name
            $0.curators[0].name = name
        }
    }

    @Test(arguments: formulas)
    func everyCSVCellASpreadsheetWouldRunGetsAQuote(_ formula: String) throws {
        let csv = String(decoding: try Export.rankCSV(hostileRound(formula), lang: .en), as: UTF8.self)
        let cells = try parseCSV(csv)
        #expect(cells.count == 2)
        for row in cells {
            for cell in row {
                #expect(!cell.hasPrefix("=") && !cell.hasPrefix("+") && !cell.hasPrefix("-") && !cell.hasPrefix("@")
                        && !cell.hasPrefix("\t") && !cell.hasPrefix("\r"), "a cell a spreadsheet would run: \(cell.debugDescription)")
            }
        }
        // The text itself is kept, behind the quote.
        #expect(cells[1][3] == "'" + formula)
        #expect(cells[1][5] == "'" + formula)
    }

    @Test func plainCellsAreLeftAsTheyAre() throws {
        #expect(Export.spreadsheetSafe("Sambal Pecel") == "Sambal Pecel")
        #expect(Export.spreadsheetSafe("4.25") == "4.25")
        #expect(Export.spreadsheetSafe("") == "")
        #expect(Export.spreadsheetSafe("a=b") == "a=b")
        #expect(Export.spreadsheetSafe("=1") == "'=1")
    }

    @Test func theMinutesEscapeEveryValueForMarkdownAndHTML() throws {
        let attacks = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[klik](javascript:alert(1))",
                       "Bu\n# Judul Palsu", "\u{1B}]2;owned\u{07}Sri", "**tebal** | kolom", "\u{202E}kebalik"]
        for attack in attacks {
            let round = hostileRound(attack).handEdited {
                $0.round.title = attack
                $0.round.organizer = attack
                $0.round.date = attack
                $0.round.status = RoundStatus(state: .final, by: CuratorID(attack), at: attack)
                $0.curators.append(Curator(id: "K9", name: "Agus", conflicts: [Conflict(producer: ProducerID(attack), kind: .family, reason: attack)]))
            }
            let md = Export.minutes(round, lang: .en)
            #expect(!md.contains("<script") && !md.contains("<img") && !md.contains("](javascript"), "\(attack.debugDescription)")
            #expect(!md.contains("\n# Judul"), "a newline in a value started a heading")
            #expect(!md.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the minutes")
            #expect(!md.contains("\u{202E}") && !md.contains("\u{1B}"))
            #expect(!md.contains("**tebal**"))
            // Every table row still has as many cells as its header: no bar from data splits a cell.
            var header: Int?
            for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("|") else { header = nil; continue }
                let bars = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
                if let header { #expect(bars == header, "\(line)") } else { header = bars }
            }
        }
        let md = Export.minutes(hostileRound("<b>Bu & Pak</b>"), lang: .en)
        #expect(md.contains("&lt;b&gt;Bu &amp; Pak&lt;/b&gt;"))
        #expect(Export.markdownSafe("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)")
        #expect(Export.markdownSafe("Sambal Pecel Bu Tini, Rp 15.000") == "Sambal Pecel Bu Tini, Rp 15.000")
    }

    @Test func excelCSVOpensInColumnsInIndonesianExcel() throws {
        var round = tinyRound()
        try round.perform(.score(product: "P-1", points: ["kemasan": 3, "keunikan": 5, "pasar": 4, "kapasitas": 2, "harga": 4]),
                          by: "K1", at: "2020-10-15T09:00:00Z")
        let data = try Export.rankCSV(round, lang: .id, dialect: .excel)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF], "a UTF-8 BOM, so Excel reads the names right")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("klaster;peringkat;id_produk"))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        let fields = text.split(separator: "\r\n")[1].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 16)
        let score = try #require(round.aggregate(round.product("P-1")!).score)
        #expect(fields[7] == String(format: "%.2f", score).replacingOccurrences(of: ".", with: ","))
        // The default stays RFC 4180: commas, LF, no BOM, a decimal point.
        let plain = String(decoding: try Export.rankCSV(round, lang: .id), as: UTF8.self)
        #expect(plain.hasPrefix("klaster,peringkat") && !plain.contains("\r\n"))
        #expect(plain.contains(String(format: "%.2f", score)))
    }

    /// A minimal RFC 4180 reader, for the test only.
    func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(cell); cell = ""
            } else if c == "\n" { row.append(cell); rows.append(row); row = []; cell = ""
            } else { cell.unicodeScalars.append(c) }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows.filter { $0 != [""] }
    }
}
