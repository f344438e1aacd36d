import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KurasiCore
import KurasiStore
import Testing

/// The minutes (berita acara) as a document to sign, and safe whatever the data holds.
@Suite struct MinutesTests {
    static let t0 = "2020-10-15T02:00:00Z"  // 09.00 WIB

    /// The bundled Madiun round, decoded (not opened: no lock file lands in fixtures/).
    func madiun() throws -> Round {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        return try Store.decode(Data(contentsOf: url), file: url.path)
    }

    /// A round taken to final: K2 declares a conflict after scoring, deliberation opened, 5 + 5
    /// pins (one from outside the top five), finalised, reopened with a reason, finalised again.
    func finished() throws -> Round {
        var r = try madiun()
        r = r.handEdited { $0.round.place = "Madiun" }
        let chair = r.curators.first { $0.role == .chair }!.id
        // A product K2 scored fully: K2 declares a conflict with its producer afterwards.
        let scoredByK2 = r.products.first { r.isComplete(r.sheet(product: $0.id, curator: "K2")) }!
        try r.perform(.addConflict(curator: "K2", Conflict(producer: scoredByK2.producer, kind: .family, reason: "sepupu pemilik")),
                      by: "K2", at: Self.t0)
        try r.perform(.openDeliberation, by: chair, at: "2020-10-15T07:30:00Z")
        for cluster in Cluster.allCases {
            var top = r.topFive(cluster)
            if cluster == .mamin {
                let outsider = r.ranking(cluster).first { e in e.rank != nil && !top.contains(e.product.id)
                    && !top.contains { r.product($0)?.producer == e.product.producer } }!
                top[4] = outsider.product.id
            }
            for (i, p) in top.enumerated() {
                try r.perform(.pin(product: p, slot: nil, reason: cluster == .mamin && i == 4 ? "ikon oleh-oleh Madiun" : nil),
                              by: chair, at: "2020-10-15T08:00:00Z")
            }
        }
        try r.perform(.finalize, by: chair, at: "2020-10-15T09:00:00Z")
        try r.perform(.reopen(reason: "izin salah satu produk diperiksa ulang"), by: chair, at: "2020-10-15T09:10:00Z")
        try r.perform(.finalize, by: chair, at: "2020-10-15T09:20:00Z")
        return r
    }

    @Test func theMinutesRecordEverythingTheCommitteeSigns() throws {
        let r = try finished()
        let md = Export.minutes(r, lang: .id, number: "012/BA/KADIN-MDN/X/2020")
        #expect(md.contains("Nomor: 012/BA/KADIN-MDN/X/2020"))
        #expect(md.contains("Tanggal kurasi: 15 Oktober 2020"))
        #expect(md.contains("**FINAL**, difinalisasi oleh"))
        #expect(md.contains("15 Oktober 2020 16.20 WIB"), "times are in the round's zone")
        #expect(md.contains("Tahap musyawarah dibuka oleh"))
        #expect(md.contains("14.30 WIB"))
        #expect(md.contains("Dibuka kembali oleh") && md.contains("izin salah satu produk diperiksa ulang"))
        #expect(md.contains("ikon oleh-oleh Madiun"))
        // The conflict named by producer and product, with the sheet it set aside.
        #expect(md.contains("sepupu pemilik"))
        #expect(md.contains("lembar penilaian yang dikesampingkan: P-"))
        // Who scored how many sheets.
        let k2 = r.products.filter { r.isComplete(r.sheet(product: $0.id, curator: "K2")) }.count
        #expect(md.contains("| K2 | \(Export.markdownSafe(r.curator("K2")!.name)) | sekretaris | \(k2) |"))
        // Permits of the pinned mamin products, with their expiry.
        #expect(md.contains("Izin produk terpilih"))
        #expect(md.contains("P-IRT") && md.contains("berlaku s/d"))
        // Place and date above the signatures; one line per curator.
        #expect(md.contains("Madiun, 15 Oktober 2020"))
        for c in r.curators { #expect(md.contains("| \(Export.markdownSafe("\(c.name) (\(c.id))")) |")) }
        // The appendix ranks the ranked products and counts the rest instead of rows of "–".
        #expect(!md.contains("| – |"))
        #expect(md.contains("produk tidak memenuhi syarat."))
        #expect(!md.contains("Revisi data"))
    }

    @Test func theMinutesShowTheNumberTheConsoleShows() throws {
        let r = try finished()
        let md = Export.minutes(r, lang: .id)
        for cluster in Cluster.allCases {
            for e in r.ranking(cluster) where e.rank != nil {
                #expect(md.contains("| \(Format.score(e.aggregate.score, .id)) |"))
            }
        }
        #expect(Export.minutes(r, lang: .en).contains("Finalised by"))
    }

    @Test func valuesFromDataCannotInjectMarkupOrEscapes() throws {
        var r = try madiun()
        let hostile = "\u{1B}]2;pwned\u{07}Sri\n# Bukan judul <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) | a |"
        r = r.handEdited {
            $0.curators[1].name = hostile
            $0.products[0].name = hostile
            $0.round.title = hostile
            $0.curators[1].conflicts.append(Conflict(producer: $0.producers[0].id, kind: .other, reason: hostile))
        }
        let md = Export.minutes(r, lang: .id)
        #expect(!md.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        // No tag, link or entity opens unescaped: each such character carries a backslash.
        #expect(!md.contains("<") && !md.contains(">"), "tags arrive as entities")
        let chars = Array(md)
        for (i, ch) in chars.enumerated() where "[]".contains(ch) {
            #expect(i > 0 && chars[i - 1] == "\\", "unescaped \(ch) at \(i): \(String(chars[max(0, i - 20)..<min(chars.count, i + 20)]))")
        }
        #expect(!md.contains("\n# Bukan judul"))
        // Every table row still has its columns: no bar from data splits a cell.
        for line in md.split(separator: "\n") where line.hasPrefix("| K2 |") || line.hasPrefix("| \(r.curators[1].id) |") {
            let bars = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(bars == 5, "\(line)")
        }
    }

    @Test func theHTMLMinutesParseAndPrintOnA4WithTheSignaturesTogether() throws {
        var r = try finished()
        let pinned = r.pins(in: .mamin)[0].product
        r = r.handEdited { $0.products[$0.products.firstIndex { $0.id == pinned }!].name = "<script>alert(1)</script> & \u{1B}]2;x\u{07}" }
        let html = Export.minutesHTML(r, lang: .id, number: "012/BA")
        #expect(html.contains("@page { size: A4"))
        let doc = try XMLDocument(xmlString: html, options: [])
        let root = try #require(doc.rootElement())
        #expect(root.name == "html")
        #expect(try doc.nodes(forXPath: "//script").isEmpty, "data never becomes an element")
        #expect(try doc.nodes(forXPath: "//title").first?.stringValue == "Berita Acara Kurasi: Kurasi Produk Unggulan Kadin Kota Madiun 2020")
        let signatureRows = try doc.nodes(forXPath: "//table[@class='signatures']/tbody/tr")
        #expect(signatureRows.count == r.curators.count)
        // The page break comes after the signatures and before the appendix.
        let headings = try doc.nodes(forXPath: "//h2 | //div[@class='page-break']").map { $0.stringValue ?? "" }
        let pageBreak = try #require(headings.firstIndex(of: ""))
        #expect(headings[pageBreak - 1] == "Pengesahan")
        #expect(headings[pageBreak + 1] == "Lampiran: produk berperingkat")
        // The hostile name is there as text, with no escape characters.
        #expect(root.stringValue?.contains("<script>alert(1)</script> & ") == true)
        #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        // Pins with their permits, as in the Markdown.
        #expect(root.stringValue?.contains("Izin produk terpilih") == true)
    }
}
