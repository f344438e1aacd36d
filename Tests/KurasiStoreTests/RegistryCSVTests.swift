import Foundation
import KurasiCore
import Testing

@testable import KurasiStore

/// Tests for `RegistryCSV`, the reader for the UMKM registry CSV files.
@Suite("RegistryCSV")
struct RegistryCSVTests {

    // MARK: Helpers

    private func read(_ text: String, file: String = "registry.csv") throws(RegistryFileError) -> RegistryFile {
        try RegistryCSV.read(Data(text.utf8), file: file)
    }

    private func read(bytes: [UInt8], file: String = "registry.csv") throws(RegistryFileError) -> RegistryFile {
        try RegistryCSV.read(Data(bytes), file: file)
    }

    /// Expects a whole-file error and returns it.
    private func fileError(_ text: String, file: String = "registry.csv") -> RegistryFileError? {
        do {
            _ = try read(text, file: file)
            Issue.record("expected RegistryFileError")
            return nil
        } catch {
            return error
        }
    }

    private static let header16 =
        "No;NIB;Nama Usaha;Nama Pemilik;Alamat;Kelurahan;Kecamatan;No. HP;Sektor;Jenis Usaha;Produk Utama;Harga;Kapasitas per Bulan;Satuan;Status;Keterangan"

    /// Repo root: …/Tests/KurasiStoreTests/RegistryCSVTests.swift -> 3 levels up.
    private static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func fixture(_ relative: String) -> String {
        repoRoot.appendingPathComponent(relative).path
    }

    // MARK: Formats

    @Test func bomCRLFSemicolon() throws {
        let text = "\u{FEFF}" + Self.header16 + "\r\n"
            + "1;9120001234567;Keripik Tempe Bu Sri; Sri Wahyuni ;Jl. Pahlawan 12;Kartoharjo;Kartoharjo;081234567890;Makanan;Industri;Keripik tempe;Rp 15.000;1.200;bungkus;Aktif;\r\n"
            + "2;;Batik Madiun Asri;Asri;Jl. Diponegoro 3;Nambangan Lor;Manguharjo;0813;Fashion;Kerajinan;Batik tulis;Rp. 1.250.000;30;lembar;Aktif;Pameran 2019\r\n"
        let file = try read(text)
        #expect(file.delimiter == ";")
        #expect(file.header.count == 16)
        #expect(file.header.first == "No")  // BOM is not part of the first column name
        #expect(file.issues.isEmpty)
        #expect(file.entries.count == 2)
        let first = try #require(file.entries.first)
        #expect(first.line == 2)
        #expect(first.number == "1")
        #expect(first.nib == "9120001234567")
        #expect(first.businessName == "Keripik Tempe Bu Sri")
        #expect(first.owner == "Sri Wahyuni")  // trimmed
        #expect(first.kelurahan == "Kartoharjo")
        #expect(first.phone == "081234567890")
        #expect(first.sector == "Makanan")
        #expect(first.businessType == "Industri")
        #expect(first.product == "Keripik tempe")
        #expect(first.price == 15000)
        #expect(first.capacity == 1200)
        #expect(first.unit == "bungkus")
        #expect(first.status == "Aktif")
        #expect(first.note == nil)  // empty -> nil
        let second = file.entries[1]
        #expect(second.line == 3)
        #expect(second.nib == nil)
        #expect(second.price == 1_250_000)
        #expect(second.note == "Pameran 2019")
    }

    @Test func lfCommaSnakeCaseHeaders() throws {
        let text = """
            no,nama_usaha,nama_pemilik,no_hp,produk_utama,harga,kapasitas_per_bulan,status_usaha
            1,Sambel Pecel Mbok Yem,Yem,0857,Sambel pecel,"Rp 20.000",500,Aktif
            2,Kopi Wilis,Wawan,,Kopi bubuk,35000,,Aktif

            """
        let file = try read(text)
        #expect(file.delimiter == ",")
        #expect(file.issues.isEmpty)
        #expect(file.entries.map(\.businessName) == ["Sambel Pecel Mbok Yem", "Kopi Wilis"])
        #expect(file.entries.map(\.line) == [2, 3])
        #expect(file.entries[0].price == 20000)
        #expect(file.entries[0].capacity == 500)
        #expect(file.entries[0].status == "Aktif")
        #expect(file.entries[1].phone == nil)
        #expect(file.entries[1].capacity == nil)
    }

    @Test func tabDelimiterAndHeaderVariants() throws {
        let text = "NO\tNAMA USAHA/MEREK\tTelepon\tProduk\tKapasitas\tStatus Usaha\tKolom Lain\n"
            + "7\tTahu Takwa\t0811\tTahu\t1.000\tAktif\tdiabaikan\n"
        let file = try read(text)
        #expect(file.delimiter == "\t")
        #expect(file.issues.isEmpty)
        let entry = try #require(file.entries.first)
        #expect(entry.number == "7")
        #expect(entry.businessName == "Tahu Takwa")
        #expect(entry.phone == "0811")
        #expect(entry.product == "Tahu")
        #expect(entry.capacity == 1000)
        #expect(entry.status == "Aktif")
    }

    @Test func headerNormalisation() {
        #expect(RegistryCSV.normaliseHeader("  Nama_Usaha ") == "nama usaha")
        #expect(RegistryCSV.normaliseHeader("NAMA   USAHA") == "nama usaha")
        #expect(RegistryCSV.normaliseHeader("Nama Usaha/Merek") == "nama usaha merek")
        #expect(RegistryCSV.normaliseHeader("No. HP") == "no hp")
        #expect(RegistryCSV.normaliseHeader("Harga (Rp)") == "harga rp")
        #expect(RegistryCSV.Column.match("nama-usaha") == .businessName)
        #expect(RegistryCSV.Column.match("Nama Usaha (sesuai NIB)") == .businessName)
        #expect(RegistryCSV.Column.match("No HP") == .phone)
        #expect(RegistryCSV.Column.match("HP") == .phone)
        #expect(RegistryCSV.Column.match("Kapasitas per Bulan") == .capacity)
        #expect(RegistryCSV.Column.match("Tanggal Daftar") == nil)
    }

    @Test func mixedLineEndingsCountLines() throws {
        // LF, CRLF and a blank line. A stray lone CR in a file with LF line
        // ends still ends the row (as in CSV.swift) but is not a new line, as
        // in vim or grep -n: B and C are both on line 3.
        let text = "Nama Usaha;Harga\nA;1000\r\nB;2000\rC;3000\n\nD;4000"
        let file = try read(text)
        #expect(file.issues.isEmpty)
        #expect(file.entries.map(\.businessName) == ["A", "B", "C", "D"])
        #expect(file.entries.map(\.line) == [2, 3, 3, 5])
    }

    @Test func classicMacLineEnds() throws {
        // A file with only CR line ends (Excel for Mac "CSV (Macintosh)").
        let text = "Nama Usaha;Alamat\rA;\"Jl. Satu\rRT 1\"\rB;Jl. Dua\r"
        let file = try read(text)
        #expect(file.issues.isEmpty)
        #expect(file.entries.map(\.line) == [2, 4])
        #expect(file.entries.first?.address == "Jl. Satu\rRT 1")
    }

    @Test func loneCRInQuotedFieldIsData() throws {
        let text = "Nama Usaha;Alamat\r\n\"Sale\rPisang\";Jl. A\r\nB;Jl. B\r\n"
        let file = try read(text)
        #expect(file.issues.isEmpty)
        #expect(file.entries.map(\.businessName) == ["Sale\rPisang", "B"])
        #expect(file.entries.map(\.line) == [2, 3])
    }

    @Test func blankAndDelimiterOnlyRowsAreSkipped() throws {
        let text = "\n\nNama Usaha;Harga\n;\nA;1000\n   \n;;\n"
        let file = try read(text)
        #expect(file.issues.isEmpty)
        #expect(file.entries.count == 1)
        #expect(file.entries.first?.line == 5)
    }

    // MARK: Quoting and line numbers

    @Test func quotedNewlinesDelimitersAndQuotes() throws {
        let text = "No;Nama Usaha;Alamat;Keterangan\r\n"
            + "1;\"Toko \"\"Maju\"\" Jaya\";\"Jl. Salak 5; RT 02\r\nRW 03\r\nKel. Taman\";ok\r\n"  // lines 2-4
            + "2;Warung Bu Tin;Jl. Mawar;\"baris satu\nbaris dua\"\r\n"  // lines 5-6
            + "3;Kedai Kopi;Jl. Melati; \"dikutip\" \r\n"  // line 7
            + "4;;Jl. Kosong;\r\n"  // line 8: empty name
            + "5;Roti Enak;Jl. Kenanga;\r\n"  // line 9
        let file = try read(text)
        #expect(file.entries.map(\.line) == [2, 5, 7, 9])
        let first = file.entries[0]
        #expect(first.businessName == "Toko \"Maju\" Jaya")
        #expect(first.address == "Jl. Salak 5; RT 02\nRW 03\nKel. Taman")
        #expect(first.note == "ok")
        #expect(file.entries[1].note == "baris satu\nbaris dua")
        #expect(file.entries[2].note == "dikutip")
        #expect(file.issues.map(\.line) == [8])
    }

    @Test func textAfterClosingQuoteIsReported() throws {
        let text = "Nama Usaha;Alamat\nA;\"Jl. \"Besar\" 1\"\nB;Jl. Kecil\n"
        let file = try read(text)
        #expect(file.entries.map(\.businessName) == ["B"])
        let issue = try #require(file.issues.first)
        #expect(issue.line == 2)
        #expect(issue.reason.hasPrefix("line 2: field 2 has text after its closing quote"))
    }

    @Test func missingClosingQuoteClosedLater() throws {
        // The quote on line 2 is never closed; the '"' opening a field on line 3
        // is taken as its closing quote, so lines 2-3 are one bad row.
        let text = "Nama Usaha;Alamat\nA;\"Jl. Satu\nB;\"Jl. Dua\"\nC;Jl. Tiga\n"
        let file = try read(text)
        #expect(file.entries.map(\.businessName) == ["C"])
        #expect(file.entries.map(\.line) == [4])
        let issue = try #require(file.issues.first)
        #expect(issue.line == 2)
        #expect(issue.reason.hasPrefix("line 2: field 2 opens a quote on line 2 that is only closed by a '\"' on line 3"))
    }

    @Test func unterminatedQuoteAtEnd() throws {
        let text = "Nama Usaha;Alamat\nA;Jl. Satu\nB;\"Jl. Dua\nC;Jl. Tiga\n"
        let file = try read(text)
        // A is read; the quote opened on line 3 never closes. Reading resumes
        // after the opening line, so C (line 4) is still read.
        #expect(file.entries.map(\.businessName) == ["A", "C"])
        #expect(file.entries.map(\.line) == [2, 4])
        #expect(file.issues.count == 1)
        let issue = try #require(file.issues.first)
        #expect(issue.line == 3)
        #expect(issue.reason.hasPrefix("line 3: a quoted field opens on line 3 but is never closed"))
    }

    @Test func unterminatedQuoteOnLastLine() throws {
        let file = try read("Nama Usaha;Alamat\nA;Jl. Satu\nB;\"Jl. Dua")
        #expect(file.entries.map(\.businessName) == ["A"])
        #expect(file.issues.map(\.line) == [3])
    }

    // MARK: Row issues

    @Test func wrongFieldCount() throws {
        let text = Self.header16 + "\n"
            + "1;;Toko A;Ani;Jl. A;K;K;08;M;I;P;1000;10;pcs;Aktif;\n"  // 16, fine
            + "2;;Toko B;Budi;Jl. B; RT 1;K;K;08;M;I;P;1000;10;pcs;Aktif;\n"  // 17
            + "3;;Toko C;Citra;Jl. C;K;K;08;M;I;P;1000;10;pcs;Aktif\n"  // 15
        let file = try read(text)
        #expect(file.entries.map(\.businessName) == ["Toko A"])
        #expect(file.issues.count == 2)
        #expect(file.issues[0].line == 3)
        #expect(file.issues[0].reason.hasPrefix("line 3: has 17 fields, the header has 16; check for an unquoted ';'"))
        #expect(file.issues[1].line == 4)
        #expect(file.issues[1].reason.hasPrefix("line 4: has 15 fields, the header has 16;"))
    }

    @Test func emptyName() throws {
        let file = try read("No;Nama Usaha;Harga\n1;  ;1000\n2;Toko;2000\n")
        #expect(file.entries.map(\.line) == [3])
        #expect(file.issues == [RegistryRowIssue(line: 2, .emptyName(column: "Nama Usaha"))])
        #expect(file.issues[0].reason == "line 2: \"Nama Usaha\" is empty; fill in the business name or delete the row.")
    }

    @Test func badPriceAndCapacity() throws {
        let text = "Nama Usaha;Harga;Kapasitas per Bulan\n"
            + "A;lima belas ribu;100\n"
            + "B;Rp 5.000;banyak\n"
            + "C;Rp 5.000;1.200\n"
            + "D;abc;x\n"
        let file = try read(text)
        #expect(file.entries.map(\.businessName) == ["C"])
        #expect(file.entries.first?.capacity == 1200)
        #expect(file.issues.map(\.line) == [2, 3, 5, 5])  // D has two problems
        #expect(file.issues[0].reason.contains("\"Harga\" is \"lima belas ribu\", which is not a rupiah amount"))
        #expect(file.issues[1].reason.contains("\"Kapasitas per Bulan\" is \"banyak\", which is not a whole number"))
    }

    @Test func repeatedHeaderRow() throws {
        let file = try read("No;Nama Usaha\n1;A\nNo;Nama Usaha\n2;B\n")
        #expect(file.entries.map(\.businessName) == ["A", "B"])
        #expect(file.issues.map(\.line) == [3])
    }

    @Test func invalidUTF8RowAmongGoodRows() throws {
        var bytes = Array("Nama Usaha;Alamat\nA;Jl. Satu\n".utf8)
        bytes += Array("Caf".utf8) + [0xE9] + Array(";Jl. Dua\n".utf8)  // Latin-1 "Café", line 3
        bytes += Array("D;Jl. Empat\n".utf8)
        bytes += Array("E;\"multi\nline".utf8) + [0xFF] + Array("\"\n".utf8)  // lines 5-6, bad byte on 6
        bytes += Array("F;Jl. Enam\n".utf8)
        let file = try read(bytes: bytes)
        #expect(file.entries.map(\.businessName) == ["A", "D", "F"])
        #expect(file.entries.map(\.line) == [2, 4, 7])
        #expect(file.issues.count == 2)
        #expect(file.issues[0] == RegistryRowIssue(line: 3, .notUTF8(byte: "0xE9", line: nil, column: 4)))
        #expect(file.issues[0].reason == "line 3: is not valid UTF-8 (byte 0xE9 at column 4); save the file as UTF-8 (\"CSV UTF-8\" in Excel) and import again.")
        #expect(file.issues[1].line == 5)
        #expect(file.issues[1].reason.hasPrefix("line 5: is not valid UTF-8 (byte 0xFF on line 6 at column 5);"))
    }

    // MARK: Whole-file errors

    @Test func missingRequiredColumnNamesFile() throws {
        let error = try #require(fileError("No;Nama Pemilik;Alamat\n1;Ani;Jl. A\n", file: "kiriman/umkm.csv"))
        #expect(error.file == "kiriman/umkm.csv")
        #expect(error.line == 1)
        #expect(error.description.hasPrefix("kiriman/umkm.csv:1: "))
        #expect(error.message.contains("\"Nama Pemilik\""))
        #expect(error.message.contains("Nama Usaha/Merek"))
    }

    @Test func headerlessFile() throws {
        let error = try #require(fileError("1;Keripik;Ani\n2;Batik;Budi\n"))
        #expect(error.message.hasPrefix("has no header line"))
    }

    @Test func emptyFiles() throws {
        for text in ["", "\u{FEFF}", "\n\r\n", ";;;\n;;;\n"] {
            let error = try #require(fileError(text, file: "kosong.csv"))
            #expect(error.file == "kosong.csv")
            #expect(error.message.hasPrefix("is empty"))
        }
    }

    @Test func headerOnlyGivesNoEntries() throws {
        let file = try read("Nama Usaha;Harga\r\n")
        #expect(file.entries.isEmpty)
        #expect(file.issues.isEmpty)
    }

    @Test func otherFormatsAreRejected() throws {
        #expect(throws: RegistryFileError.self) { try read(bytes: [0xFF, 0xFE, 0x4E, 0x00]) }
        #expect(throws: RegistryFileError.self) { try read(bytes: [0x50, 0x4B, 0x03, 0x04, 0x00]) }
    }

    @Test func unreadablePath() throws {
        let path = "/nonexistent/kurasi/registry.csv"
        do {
            _ = try RegistryCSV.read(contentsOf: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == path)
            #expect(error.message.hasPrefix("cannot be read"))
        }
    }

    // MARK: Rupiah

    @Test(arguments: [
        ("Rp 15.000", 15000), ("Rp15.000", 15000), ("15.000", 15000), ("15000", 15000),
        ("15.000,00", 15000), ("Rp. 1.250.000", 1_250_000), ("RP 2.500", 2500), ("rp 750", 750),
        ("Rp 15.000,-", 15000), ("IDR 15,000", 15000), ("1,250,000.00", 1_250_000), ("  0 ", 0),
        ("Rp\u{00A0}12\u{00A0}500", 12500),
    ])
    func rupiahParses(input: String, expected: Int) {
        #expect(RegistryCSV.parseRupiah(input) == expected)
    }

    @Test(arguments: [
        "", "   ", "Rp", "lima belas ribu", "15.000,50", "1.5", "15.", "1.2.3", "15.000.00,00x",
        "-5000", "12 3", "1.250,000", "99999999999999999999999", "Rp 15 ribu",
    ])
    func rupiahRejects(input: String) {
        #expect(RegistryCSV.parseRupiah(input) == nil)
    }

    // MARK: Robustness

    /// 300 seeded mutations of a good file: each must return or throw
    /// RegistryFileError, never trap. Also checks that every reported line
    /// number lies within the file.
    @Test func fuzzMutatedInputsNeverCrash() {
        let seedText = "\u{FEFF}" + Self.header16 + "\r\n"
            + "1;912;\"Toko \"\"A\"\"\";Ani;\"Jl. A;\nRT 1\";Taman;Taman;08;M;I;P;Rp 15.000;1.200;pcs;Aktif;\r\n"
            + "2;;Café Bé;Budi;Jl. B;Oro;Oro;08;M;I;P;15000,00;10;pcs;Aktif;catatan\r\n"
            + "3;;Toko C;Citra;Jl. C;K;K;08;M;I;P;;;pcs;;\n"
        let seed = Array(seedText.utf8)
        let structural: [UInt8] = Array("\";,\t\r\n \u{7F}".utf8) + [0x00, 0xE9, 0xC3, 0xFF, 0xEF, 0xBB, 0xBF]
        var rng = SplitMix64(seed: 0x4B75_7261_7369)  // "Kurasi"
        var returned = 0
        var thrown = 0
        for round in 0..<300 {
            var bytes = seed
            if round % 25 == 0 {
                // Entirely random bytes, sometimes biased towards CSV syntax.
                let count = Int(rng.next() % 300)
                bytes = (0..<count).map { _ in
                    rng.next() % 2 == 0 ? structural[Int(rng.next() % UInt64(structural.count))] : UInt8(truncatingIfNeeded: rng.next())
                }
            } else {
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
                    switch rng.next() % 5 {
                    case 0 where position < bytes.count:  // flip a byte
                        bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                    case 1:  // insert a structural byte
                        bytes.insert(structural[Int(rng.next() % UInt64(structural.count))], at: position)
                    case 2:  // truncate
                        bytes.removeSubrange(position...)
                    case 3 where position < bytes.count:  // delete a run
                        let end = min(bytes.count, position + 1 + Int(rng.next() % 20))
                        bytes.removeSubrange(position..<end)
                    default:  // random byte
                        bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                    }
                }
            }
            // Lone CRs are line breaks only in files without LF.
            let physicalLines = 1 + bytes.filter { $0 == (bytes.contains(0x0A) ? 0x0A : 0x0D) }.count
            do {
                let file = try read(bytes: bytes, file: "fuzz-\(round).csv")
                returned += 1
                for line in file.entries.map(\.line) + file.issues.map(\.line) {
                    #expect((1...physicalLines).contains(line), "round \(round): line \(line) of \(physicalLines)")
                }
            } catch {
                thrown += 1
                #expect(error.file == "fuzz-\(round).csv")
            }
        }
        #expect(returned + thrown == 300)
        #expect(returned > 0)
    }

    // MARK: Fixtures (generated by fixtures/generate.py; expectations from fixtures/bad/README.md)

    @Test
    func madiunRegistryFixture() throws {
        let file = try RegistryCSV.read(contentsOf: Self.fixture("fixtures/madiun-2020/registry.csv"))
        // "About 2,000 rows ... Every row is readable".
        #expect(file.issues.isEmpty, "\(file.issues.prefix(5).map(\.reason))")
        #expect((1800...2200).contains(file.entries.count))
        #expect(file.delimiter == ";")
        #expect(file.header.count == 16)
        #expect(file.entries.first?.line == 2)
        #expect(Set(file.entries.map(\.line)).count == file.entries.count)
        // Prices are written in several styles or left empty; all that are
        // present parse, and most rows have one.
        #expect(file.entries.filter { $0.price != nil }.count > file.entries.count / 2)
    }

    @Test
    func badRowsFixture() throws {
        let file = try RegistryCSV.read(contentsOf: Self.fixture("fixtures/bad/bad-rows.csv"))
        #expect(file.entries.count == 20)
        #expect(file.issues.map(\.line) == [6, 11, 16, 21, 26])
        #expect(file.issues.allSatisfy { $0.reason.hasPrefix("line \($0.line): ") })
        let reasons = file.issues.map(\.reason)
        if reasons.count == 5 {
            #expect(reasons[0].contains("has 15 fields, the header has 16"))
            #expect(reasons[1].contains("\"Nama Usaha\" is empty"))
            #expect(reasons[2].contains("\"lima belas ribu\""))
            #expect(reasons[3].contains("has 18 fields, the header has 16"))
            #expect(reasons[4].contains("never closed"))
        }
    }

    @Test
    func invalidUTF8Fixture() throws {
        let file = try RegistryCSV.read(contentsOf: Self.fixture("fixtures/bad/invalid-utf8.csv"))
        #expect(file.issues.map(\.line) == [5, 8])
        #expect(file.issues.allSatisfy { $0.reason.contains("is not valid UTF-8") })
        #expect(file.entries.count == 8)
        // No silent U+FFFD anywhere.
        #expect(!file.entries.contains { "\($0)".contains("\u{FFFD}") })
    }

    @Test
    func commaFixture() throws {
        let file = try RegistryCSV.read(contentsOf: Self.fixture("fixtures/bad/semicolon-comma.csv"))
        #expect(file.delimiter == ",")
        #expect(file.issues.isEmpty)
        #expect(file.entries.count == 12)
    }

    @Test
    func escapesFixtureKeepsControlCharactersAsData() throws {
        let file = try RegistryCSV.read(contentsOf: Self.fixture("fixtures/bad/escapes.csv"))
        #expect(file.issues.isEmpty)
        #expect(file.entries.count == 9)
        #expect(file.entries.contains { $0.businessName.contains("\u{1B}") })
    }
}
