import Foundation
import Testing
import KurasiCore
@testable import KurasiStore

/// The store's errors and the CSV files' issues in Bahasa Indonesia: every kind names the file,
/// the line and the field it is about, says what to do, and is not the English text.
struct ErrorWordsTests {
    static let storeProblems: [StoreProblem] = [
        .noStore, .unreadable(reason: "Permission denied"), .isDirectory(example: "d/kurasi.json"), .isDevice, .isFIFO, .isSocket,
        .notRegularFile, .notUTF8, .jsonNotStore, .badJSON, .noSchemaVersion, .newerSchema(found: 3, reads: 1),
        .impossibleSchema(found: 0, reads: 1), .badField(.missing(key: "name", at: "products[2]")),
        .badField(.wrongType(path: "products[2].price", expected: "Int")), .badField(.null(path: "products[2].price", expected: "Int")),
        .badField(.unknownValue(path: "products[2].cluster", detail: "makanan")),
        .duplicateProducer("U-0001"), .duplicateProduct("P-0001"), .productUnknownProducer(product: "P-0001", producer: "U-0009"),
        .scoresUnknownProduct("P-0009"), .scoresUnknownCurator(product: "P-0001", curator: "K9"),
        .scoresUnknownCriterion(product: "P-0001", curator: "K1", criterion: "rasa"),
        .scoresOffScale(product: "P-0001", curator: "K1", criterion: "kualitas", value: 9, min: 1, max: 5),
        .pinUnknownProduct(cluster: "mamin", slot: 1, product: "P-0009"),
        .pinWrongCluster(cluster: "mamin", slot: 2, product: "P-0002", productCluster: "non-mamin"),
        .pinSlotOutOfRange(cluster: "mamin", slot: 7, slots: 5),
        .encodeFailed("x"), .saveFailed(.renaming, reason: "No space left on device", directory: "/data"), .alreadyExists,
        .orphanJournal(journal: "kurasi.json.journal"), .backupUnreadable(reason: "Permission denied"),
        .lockUnopenable(lockFile: "kurasi.json.lock", reason: "Permission denied"), .lockFailed(reason: "Interrupted"),
        .journalDamaged(line: 4, .checksum), .journalDamaged(line: 4, .unreadable), .journalDamaged(line: 4, .incomplete),
        .journalEncodeFailed("x"), .journalWriteFailed(.writingJournal, reason: "No space left on device", directory: "/data"),
        .journalUnreadable(reason: "Permission denied"), .journalRevisionGap(line: 4, revision: 9, storeRevision: 7),
        .journalDoesNotApply(line: 4, .unknownProduct("P-0009")), .nothingToRecover, .keepAsideFailed(aside: "kurasi.json.damaged-1"),
        .moveJournalFailed, .exportIsDirectory(suggestion: "out/ranking.csv"),
        .exportIsStoreFile(.journal, store: "kurasi.json", via: "link.csv", example: "ranking.csv"),
        .exportLooksLikeStore(via: nil, example: "ranking.csv"), .exportLooksLikeJournal(via: nil, example: "ranking.csv"),
        .exportCannotOpen(reason: "Permission denied"), .exportWriteFailed(reason: "No space left on device"),
    ]

    @Test func everyStoreErrorIsSaidInIndonesianWithItsPlace() {
        for problem in Self.storeProblems {
            let e = StoreError(.invalidContent, file: "data/kurasi.json", line: 12, column: 7, problem)
            let id = e.text(.id), en = e.text(.en)
            #expect(id.hasPrefix("data/kurasi.json (baris 12, kolom 7): "), "\(id)")
            #expect(en.hasPrefix("data/kurasi.json:12:7: "), "\(en)")
            #expect(id != en, "\(problem) has no Indonesian text")
            #expect(!id.contains("{"), "\(id)")
        }
        // Without a column, the line alone; without a line, the file alone.
        #expect(StoreError(.invalidContent, file: "j", line: 3, .journalDamaged(line: 3, .checksum)).text(.id).hasPrefix("j (baris 3): baris jurnal 3 rusak (checksum-nya tidak cocok"))
        #expect(StoreError(.missing, file: "x.json", .noStore).text(.id) == "x.json: tidak ada data Kurasi di sini. Buat dengan `kurasi init`, atau coba putaran Madiun dengan `kurasi demo`.")
    }

    @Test func whatToDoIsSaidInIndonesianToo() {
        func id(_ p: StoreProblem) -> String { p.text(.id) }
        #expect(id(.badJSON).contains("`kurasi recover` membangun ulang data"))
        #expect(id(.newerSchema(found: 3, reads: 1)).contains("skema data versi 3") && id(.newerSchema(found: 3, reads: 1)).contains("Perbarui Kurasi"))
        #expect(id(.duplicateProduct("P-0001")) == "id produk P-0001 muncul dua kali. Perbaiki berkas itu dengan tangan atau pulihkan cadangan; berkas tidak diubah.")
        #expect(id(.exportIsStoreFile(.journal, store: "kurasi.json", via: "link.csv", example: "ranking.csv"))
                == "adalah jurnal data Kurasi kurasi.json: berisi setiap perubahan sejak pemadatan terakhir (tautan simbolis menuju link.csv). Tidak ada yang ditulis; ekspor ke berkas lain, mis. -o ranking.csv.")
        #expect(id(.saveFailed(.renaming, reason: "No space left on device", directory: "/data"))
                == "tidak dapat disimpan: mengganti nama ke tempatnya gagal (No space left on device). Data di disk tidak diubah; periksa ruang kosong dan izin /data.")
    }

    @Test func aDamagedStoreIsReportedInIndonesianFromTheReader() throws {
        let cut = Data("{\n  \"schemaVersion\" : 1,\n  \"revision\" : ".utf8)
        let error = try #require(Self.caught { _ = try Store.decode(cut, file: "s.json") })
        #expect(error.kind == .syntax)
        let id = error.text(.id)
        #expect(id.hasPrefix("s.json (baris "), "\(id)")
        #expect(id.contains("bukan JSON yang sah di sini"), "\(id)")
        let journal = Data("not json\n{\"also\": \"not\"}\n".utf8)
        let damaged = try #require(Self.caught { try Store.checkJournal(journal, file: "s.json.journal") })
        #expect(damaged.text(.id).hasPrefix("s.json.journal (baris 1): baris jurnal 1 rusak (bukan entri jurnal yang dapat dibaca)"), "\(damaged.text(.id))")
        #expect(damaged.text(.en).hasPrefix("s.json.journal:1: journal line 1 is damaged (it is not a readable journal entry)"))
    }

    static func caught(_ body: () throws -> Void) -> StoreError? {
        do { try body(); return nil } catch { return error as? StoreError }
    }

    // MARK: CSV

    static let rowProblems: [CSVRowProblem] = [
        .rowTooLong(bytes: 70_000, max: 65_536), .unterminatedQuote(openLine: 3), .quoteClosedLate(field: 2, openLine: 3, closeLine: 5),
        .textAfterClosingQuote(field: 2), .notUTF8(byte: "0xE9", line: nil, column: 4), .notUTF8(byte: "0xFF", line: 6, column: 5),
        .cannotSplit, .fieldCount(found: 17, header: 16, runsTo: 4, delimiter: "';'", registry: true),
        .fieldCount(found: 15, header: 16, runsTo: nil, delimiter: "tab", registry: false), .repeatsHeader,
        .emptyName(column: "Nama Usaha"), .notRupiah(column: "Harga", value: "lima ribu"),
        .notWholeNumber(column: "Kapasitas", value: "banyak"), .tooLong(column: "Alamat", length: 900, max: 200),
    ]

    @Test func everyRowIssueIsSaidInIndonesianWithItsLine() {
        for problem in Self.rowProblems {
            let issue = RegistryRowIssue(line: 12, problem)
            #expect(issue.text(.id).hasPrefix("baris 12: "), "\(issue.text(.id))")
            #expect(issue.reason.hasPrefix("line 12: "))
            #expect(issue.text(.id) != issue.text(.en).replacingOccurrences(of: "line 12", with: "baris 12"), "\(problem)")
            #expect(!issue.text(.id).contains("{"))
        }
        #expect(RegistryRowIssue(line: 4, .notRupiah(column: "Harga", value: "lima ribu")).text(.id)
                == "baris 4: \"Harga\" berisi \"lima ribu\", yang bukan jumlah rupiah; tulis dengan angka, mis. 15000 atau Rp 15.000.")
        #expect(RegistryRowIssue(line: 5, .notUTF8(byte: "0xFF", line: 6, column: 5)).text(.id).contains("byte 0xFF di baris 6 kolom ke-5"))
    }

    @Test func everyFileErrorIsSaidInIndonesianWithItsFile() {
        let problems: [CSVFileProblem] = [
            .cannotRead(reason: "No such file"), .empty, .headerUnreadable(.unterminatedQuote(openLine: 1)),
            .headerNotUTF8(.notUTF8(byte: "0xE9", line: nil, column: 3)), .headerCannotSplit, .utf16, .xlsx, .xls,
            .noHeader(found: "\"Daftar UMKM\"", accepted: "\"Nama Usaha\""), .noNameColumn(found: "\"Pemilik\"", accepted: "\"Nama Usaha\""),
            .visitsNoStatus(header: "\"id\""), .visitsNoID, .productsNoName(header: "\"id\""), .productsNoProducerColumn,
        ]
        for problem in problems {
            let e = RegistryFileError(file: "registry.csv", line: 1, problem)
            #expect(e.text(.id).hasPrefix("registry.csv (baris 1): "), "\(e.text(.id))")
            #expect(e.description.hasPrefix("registry.csv:1: "))
            #expect(e.text(.id) != e.text(.en), "\(problem)")
        }
    }

    @Test func importRowErrorsNameTheLineAndColumnInIndonesian() {
        let errors: [ImportRowError] = [
            ImportRowError(line: 3, column: "Harga", .field(FieldProblem("price", .notRupiah("lima ribu")))),
            ImportRowError(line: 4, column: "ID", .noProducer("U-0999")),
            ImportRowError(line: 5, column: "NIB", .noProducerWithNIB("123")),
            ImportRowError(line: 6, column: "NIB", .severalWithNIB("123", ids: ["U-0001", "U-0002"])),
            ImportRowError(line: 7, column: "Nama Usaha", .noProducerNamed("Brem", kelurahan: "Josenan")),
            ImportRowError(line: 8, column: "Nama Usaha", .severalNamed("Brem", kelurahan: nil, ids: ["U-0001", "U-0002"])),
            ImportRowError(line: 9, .namesNoProducer), ImportRowError(line: 9, .productNamesNoProducer),
            ImportRowError(line: 10, column: "status", .notAStatus("ok")), ImportRowError(line: 11, column: "alasan", .reasonTooLong(length: 900, max: 500)),
            ImportRowError(line: 12, column: "alasan", .rejectionNeedsReason), ImportRowError(line: 13, .decidedTwice(producer: "U-0001", firstLine: 2)),
            ImportRowError(line: 14, column: "ID Produk", .noProduct("P-0999")),
            ImportRowError(line: 15, column: "Nama Produk", .duplicateProduct(producer: "U-0001", name: "Brem", firstLine: 3)),
            ImportRowError(line: 16, .row(.cannotSplit)),
        ]
        for e in errors {
            let id = e.text(.id)
            #expect(id.hasPrefix("baris \(e.line)" + (e.column.map { ", kolom \"\($0)\"" } ?? "") + ": "), "\(id)")
            #expect(e.description.hasPrefix("line \(e.line)"))
            #expect(id != e.description.replacingOccurrences(of: "line ", with: "baris ").replacingOccurrences(of: ", column", with: ", kolom"), "\(e.problem)")
        }
        #expect(errors[4].text(.id) == "baris 7, kolom \"Nama Usaha\": tidak ada pelaku UMKM bernama \"Brem\" di Josenan; tulis id (U-…) atau NIB pelaku UMKM-nya.")
        #expect(errors[4].description == "line 7, column \"Nama Usaha\": no producer is called \"Brem\" in Josenan; write the producer's id (U-…) or NIB instead.")
    }

    @Test func aRegistryWithBadRowsIsReportedInIndonesian() throws {
        let text = "Nama Usaha;Harga;Kapasitas per Bulan\nA;Rp 1.000;10\n;2000;5\nC;lima belas ribu;banyak\nD;1;2;3\n"
        let file = try RegistryCSV.read(Data(text.utf8), file: "r.csv")
        let said = file.issues.map { $0.text(.id) }
        #expect(said == [
            "baris 3: \"Nama Usaha\" kosong; isi nama usaha atau hapus baris ini.",
            "baris 4: \"Harga\" berisi \"lima belas ribu\", yang bukan jumlah rupiah; tulis dengan angka, mis. 15000 atau Rp 15.000.",
            "baris 4: \"Kapasitas per Bulan\" berisi \"banyak\", yang bukan bilangan bulat; tulis angka saja, mis. 1200 atau 1.200, dan taruh satuannya di \"Satuan\".",
            "baris 5: berisi 4 kolom, padahal baris judul berisi 3; periksa ';' tanpa kutip di dalam sebuah kolom, misalnya alamat; kolom yang berisi ';' harus diapit tanda kutip ganda.",
        ], "\(said)")
    }
}
