import Foundation
import Testing

/// With LANG=id the import's row issues and the store's errors reach the user in Bahasa
/// Indonesia, still naming the file, the line and the column, and what to do.
struct ErrorWordsE2ETests {
    static let indonesian = ["LANG": "id_ID.UTF-8"]

    @Test func aBadRegistryIsReportedInIndonesian() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let r = try cli.run(["import", CLI.fixture("bad/bad-rows.csv")], env: Self.indonesian)
        #expect(r.status == 1)
        let unreadable = try #require(r.stdout.firstMatch(of: /(\d+) baris tidak terbaca \(tidak diimpor\)/), "\(r.stdout)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == Int(unreadable.1)! + 1)
        for line in lines.dropLast() {
            #expect(line.contains("bad-rows.csv: baris "), "\(line)")
            #expect(!line.contains("line ") && !line.contains(" is "), "\(line)")
        }
        // The empty business name (row 10) and the price in words (row 15), by their columns.
        #expect(r.stderr.contains("bad-rows.csv: baris 11: \"Nama Usaha\" kosong; isi nama usaha atau hapus baris ini."), "\(r.stderr)")
        #expect(r.stderr.contains("\"Harga\" berisi \"lima belas ribu\", yang bukan jumlah rupiah"), "\(r.stderr)")
        #expect(lines.last!.contains("baris ditolak; perbaiki lalu impor lagi"))
    }

    @Test func aDamagedStoreIsReportedInIndonesianByCheck() throws {
        let cli = try CLI(copying: "bad/truncated.json")
        defer { cli.cleanUp() }
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let r = try cli.run(["check"], env: Self.indonesian)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("kurasi: kurasi.json (baris "), "\(r.stderr)")
        #expect(r.stderr.contains("bukan JSON yang sah di sini (berkas mungkin terpotong atau rusak); berkas tidak diubah."), "\(r.stderr)")
        #expect(r.stderr.contains("`kurasi recover` membangun ulang data"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)

        // The same store in English keeps its English words and place.
        let en = try cli.run(["check"])
        #expect(en.stderr.hasPrefix("kurasi: kurasi.json:"), "\(en.stderr)")
        #expect(en.stderr.contains("is not valid JSON here"), "\(en.stderr)")
    }

    @Test func aDamagedJournalIsReportedInIndonesian() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        try "not a journal entry\nnor this\n".write(toFile: cli.store + ".journal", atomically: false, encoding: .utf8)
        let r = try cli.run(["check"], env: Self.indonesian)
        #expect(r.status == 1)
        #expect(r.stderr.contains("kurasi.json.journal (baris 1): baris jurnal 1 rusak (bukan entri jurnal yang dapat dibaca)"), "\(r.stderr)")
        #expect(r.stderr.contains("Jalankan `kurasi check`, lalu `kurasi recover`"), "\(r.stderr)")
    }
}
