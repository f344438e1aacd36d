import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// The registry import's fixes, and the visits and products files read with the registry's
/// spreadsheet habits.
@Suite struct IntakeImportTests {
    static let header = "No;NIB;Nama Usaha;Nama Pemilik;Alamat;Kelurahan;Kecamatan;No. HP;Sektor;Jenis Usaha;Produk Utama;Harga;Kapasitas per Bulan;Satuan;Status;Keterangan"

    func round() -> Round { Round(round: RoundInfo(title: "Uji", date: "2020-10-15"), curators: [Curator(id: "K1", name: "Ketua", role: .chair)]) }

    func registry(_ rows: [String]) throws -> RegistryFile {
        try RegistryCSV.read(Data(("\u{FEFF}" + ([Self.header] + rows).joined(separator: "\r\n") + "\r\n").utf8), file: "r.csv")
    }

    @Test func tradersArePendingWithAMarkAndTheRemarkIsNotADescription() throws {
        let file = try registry([
            "1;9183474443278;Sambel Pecel Bu Tini;Suhartini;Jl. Serayu 1;Nambangan Kidul;Manguharjo;;Makanan;Produksi;Sambel Pecel Pedas;Rp 15.000;1200;bungkus;Aktif;Terdampak pandemi",
            "2;;Toko Oleh-oleh Pelangi;Darmaji;Jl. Merak 2;Ngegong;Manguharjo;;Perdagangan;Dagang;Oleh-oleh khas Madiun;25000;300;kotak;Aktif;",
            "3;;Rumah Tugu Pendekar;Wiwik;Jl. Setia Budi 5;Sukosari;Kartoharjo;;Kerajinan;Dagang;Topeng Dongkrek Mini;50.000;1.480;pcs;Aktif;",
            "4;;Salon Bu Tin;Partini;Jl. Salak 3;Kejuron;Taman;;Jasa;Jasa;Potong rambut;25000;100;orang;Aktif;",
        ])
        let plan = RegistryImport(file, file: "r.csv", into: round())
        #expect(plan.producers.map(\.name) == ["Sambel Pecel Bu Tini", "Toko Oleh-oleh Pelangi", "Rumah Tugu Pendekar"])
        #expect(plan.producers.map(\.isTraderSuspect) == [false, true, true])
        #expect(plan.traders == [3, 4])
        #expect(plan.services == [5])
        #expect(plan.producers.allSatisfy { $0.validation.status == .pending })
        #expect(plan.producers[0].remark == "Terdampak pandemi")
        #expect(plan.products.map(\.description) == ["", ""])
        #expect(plan.producers[0].sector == "Makanan" && plan.producers[0].businessType == "Produksi")
    }

    @Test func aFiftyMegabyteFieldIsARowErrorNotAName() throws {
        let huge = String(repeating: "A", count: 50 * 1024 * 1024)
        let file = try registry([
            "1;;\(huge);Suhartini;Jl. Serayu 1;Kuncen;Taman;;Makanan;Produksi;Brem;15000;100;kotak;Aktif;",
            "2;;Brem Suling Mas;Bambang;Jl. Salak 3;Kejuron;Taman;;Makanan;Produksi;Brem Original;12000;900;kotak;Aktif;",
        ])
        #expect(file.entries.map(\.businessName) == ["Brem Suling Mas"])
        #expect(file.issues.count == 1)
        #expect(file.issues[0].reason.hasPrefix("line 2: is 52428"))
        #expect(file.issues[0].reason.contains("bytes long; no row needs more than 65536"))
    }

    @Test func aFieldOverItsMaximumIsARowError() throws {
        let long = String(repeating: "A", count: 201)
        let file = try registry([
            "1;;\(long);Suhartini;Jl. Serayu 1;Kuncen;Taman;;Makanan;Produksi;Brem;15000;100;kotak;Aktif;",
            "2;;Brem Suling Mas;Bambang;Jl. Salak 3;Kejuron;Taman;;Makanan;Produksi;Brem Original;12000;900;kotak;Aktif;",
        ])
        #expect(file.entries.map(\.businessName) == ["Brem Suling Mas"])
        #expect(file.issues.map(\.reason) == ["line 2: \"Nama Usaha\" is 201 characters long; at most 200 are accepted, so shorten it (or check that the row's quotes are closed where they should be)."])
    }

    func imported() throws -> Round {
        var r = round()
        let file = try registry([
            "1;9183474443278;Sambel Pecel Bu Tini;Suhartini;Jl. Serayu 1;Nambangan Kidul;Manguharjo;;Makanan;Produksi;Sambel Pecel Pedas 250 g;Rp 15.000;1200;bungkus;Aktif;",
            "2;;Brem Suling Mas;Bambang;Jl. Salak 3;Kejuron;Taman;;Makanan;Produksi;Brem Original;12000;900;kotak;Aktif;",
            "3;;Batik Pecelan;Slamet;Jl. Cokro 7;Kuncen;Taman;;Fashion;Produksi;Batik Tulis;350.000;40;lembar;Aktif;",
        ])
        try r.perform(RegistryImport(file, file: "r.csv", into: r).command, by: "import", at: "t")
        return r
    }

    @Test func visitsFindProducersByIDNIBOrNameAndKelurahan() throws {
        let r = try imported()
        let csv = "id,nib,nama_usaha,kelurahan,status,alasan\nU-0003,,,,valid,\n,9183-4744-43278,,,Valid,\n,,BREM  SULING MAS,kejuron,ditolak,Sudah Tutup\n"
        let plan = try VisitsImport(RegistryCSV.table(Data(csv.utf8), file: "v.csv"), file: "v.csv", into: r)
        #expect(plan.errors.isEmpty)
        #expect(plan.decisions == [ValidationDecision(producer: "U-0003", status: .valid), ValidationDecision(producer: "U-0001", status: .valid),
                                   ValidationDecision(producer: "U-0002", status: .rejected, reason: "sudah tutup")])
        let bad = "status,alasan\nvalid,\n"
        #expect(throws: RegistryFileError.self) { try VisitsImport(RegistryCSV.table(Data(bad.utf8), file: "v.csv"), file: "v.csv", into: r) }
    }

    @Test func productsUpdateTheRegistrysProductAndAddTheRest() throws {
        var r = try imported()
        let csv = "\u{FEFF}NIB;Nama Usaha;Kelurahan;Nama Produk;Klaster;Kategori;Harga;Kapasitas per Bulan;Satuan;No. P-IRT;P-IRT Berlaku s.d.;No. BPOM MD;BPOM MD Berlaku s.d.;No. Halal\r\n"
            + "9183474443278;;;sambel pecel pedas 250 G;mamin;Sambal;Rp 16.000;;;2063577010123-25;31/03/2025;;;07101234567890\r\n"
            + ";Brem Suling Mas;Kejuron;Brem Durian;Makanan;Kue tradisional;\"15.000\";500;kotak;;;MD 224513001234;2024-12-31;\r\n"
        let plan = try ProductsImport(RegistryCSV.table(Data(csv.utf8), file: "p.csv"), file: "p.csv", into: r)
        #expect(plan.errors.isEmpty)
        #expect(plan.updated == ["P-0001"] && plan.added == ["P-0004"])
        try r.perform(plan.command, by: "import", at: "t")
        let pecel = try #require(r.product("P-0001"))
        #expect(pecel.name == "sambel pecel pedas 250 G" && pecel.price == 16000 && pecel.category == "Sambal")
        #expect(pecel.capacity == Capacity(amount: 1200, unit: "bungkus"))  // empty cells keep the registry's values
        #expect(pecel.permits == [Permit(kind: .pirt, number: "2063577010123-25", expires: "2025-03-31"), Permit(kind: .halal, number: "07101234567890")])
        let brem = try #require(r.product("P-0004"))
        #expect(brem.producer == "U-0002" && brem.cluster == .mamin && brem.price == 15000)
        #expect(brem.permits == [Permit(kind: .bpomMD, number: "MD 224513001234", expires: "2024-12-31")])
        // The same file again changes nothing.
        let again = try ProductsImport(RegistryCSV.table(Data(csv.utf8), file: "p.csv"), file: "p.csv", into: r)
        #expect(again.products.isEmpty && again.unchanged == 2)
    }
}
