import Foundation
import KurasiStore
import Testing

/// The committee's whole round, through the built binary: import, validate, score by several
/// curators, pin five and five, finalise, export the minutes.
@Suite(.serialized) struct WorkflowTests {
    @Test func importingTheRegistryReportsCountsAndIsIdempotent() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--title", "Kurasi Madiun", "--organizer", "Kadin Kota Madiun", "--date", "2020-10-15"])
        let registry = CLI.fixture("madiun-2020/registry.csv")
        let before = try cli.storeBytes()
        let dry = try cli.ok(["import", registry, "--dry-run"])
        #expect(dry.contains("2,000 data rows"))
        #expect(dry.contains("Dry run: the store was not changed."))
        #expect(try cli.storeBytes() == before)

        let first = try cli.ok(["import", registry])
        let added = try #require(first.firstMatch(of: /([\d,]+) producers and ([\d,]+) products added/))
        #expect(Int(added.1.filter(\.isNumber))! > 1000)
        #expect(first.contains("closed businesses skipped"))
        #expect(first.contains("service businesses (no product) skipped"))
        #expect(first.contains("duplicates skipped"))
        #expect(first.contains("0 unreadable rows"))
        let afterFirst = try cli.storeBytes()

        let second = try cli.ok(["import", registry])
        #expect(second.contains("0 producers and 0 products added"))
        // Every entry imported the first time is found again by its stable key.
        let unchanged = try #require(second.firstMatch(of: #/([\d,]+) already in the store/#))
        #expect(Int(unchanged.1.filter(\.isNumber))! >= Int(added.1.filter(\.isNumber))!)
        #expect(try cli.storeBytes() == afterFirst)  // the second import changed nothing
    }

    @Test func unreadableRowsAreReportedWithTheirLinesAndTheRestImported() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let r = try cli.run(["import", CLI.fixture("bad/bad-rows.csv")])
        #expect(r.status == 1)  // rows were refused: the exit status says so
        let unreadable = try #require(r.stdout.firstMatch(of: /(\d+) unreadable rows \(not imported\)/))
        #expect(Int(unreadable.1)! >= 3)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == Int(unreadable.1)! + 1)
        for line in lines.dropLast() { #expect(line.contains("bad-rows.csv: line "), "\(line)") }
        #expect(lines.last!.contains("rows were refused") && lines.last!.contains("already imported stay unchanged"))
        #expect(try #require(r.stdout.firstMatch(of: /(\d+) producers/)).1 != "0")
    }

    @Test func theMadiunRoundEndToEnd() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        #expect(try cli.ok(["check"]).contains("OK"))
        let curators = try cli.ok(["curator", "list"])
        #expect(curators.contains("K1") && curators.contains("chair"))

        // Three curators score an unscored product.
        let start = try cli.rank()
        let mamin = (start["clusters"] as! [String: Any])["mamin"] as! [String: Any]
        let ranking = mamin["ranking"] as! [[String: Any]]
        let unscored = try #require(ranking.first { ($0["curators"] as! Int) == 0 && ($0["eligible"] as! Bool) })
        let target = unscored["product"] as! String
        for (curator, point) in [("K2", "5"), ("K4", "5"), ("K5", "5")] {
            let all = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"].map { "\($0)=\(point)" }
            let out = try cli.ok(["score", target, "--curator", curator] + all)
            #expect(out.hasPrefix("rev "))
        }
        let after = try cli.rank()
        let row = (((after["clusters"] as! [String: Any])["mamin"] as! [String: Any])["ranking"] as! [[String: Any]])
            .first { $0["product"] as! String == target }!
        #expect(row["curators"] as! Int == 3)
        #expect(row["score"] as! Double == 100)
        #expect(row["rank"] as! Int == 1)

        // Pins are recorded by the chair or the secretary: a curator is refused until the chair
        // makes them secretary.
        let curatorPin = try cli.run(["pin", target, "--curator", "K4"])
        #expect(curatorPin.status == 1 && curatorPin.stderr.contains("secretary"))
        let takeover = try cli.run(["curator", "role", "K4", "chair", "--curator", "K4"])
        #expect(takeover.status == 1 && takeover.stderr.contains("chair"))
        let selfAdded = try cli.run(["curator", "add", "K9", "--name", "Siapa", "--chair"])
        #expect(selfAdded.status == 1 && selfAdded.stderr.contains("chair"))
        try cli.ok(["curator", "role", "K4", "secretary", "--curator", "K1"])
        #expect(try cli.ok(["curator", "list"]).contains("secretary"))
        try cli.ok(["curator", "role", "K4", "curator", "--curator", "K1"])

        // Pin five per cluster: the top five the rules allow (one per producer) need no reason;
        // the fifth mamin pin comes from outside them and carries a reason.
        for cluster in ["mamin", "non-mamin"] {
            let rows = (((try cli.rank()["clusters"] as! [String: Any])[cluster] as! [String: Any])["ranking"] as! [[String: Any]])
            var producers = Set<String>()
            var chosen: [String] = []
            for r in rows where r["rank"] is Int && producers.insert(r["producer"] as! String).inserted {
                chosen.append(r["product"] as! String)
                if chosen.count == 5 { break }
            }
            for (i, p) in chosen.enumerated() {
                if cluster == "mamin" && i == 4 { continue }
                try cli.ok(["pin", p, "--curator", "K1"])
            }
            if cluster == "mamin" {
                let outsider = try #require(rows.first { r in
                    (r["rank"] as? Int ?? 0) > 5 && !producers.contains(r["producer"] as! String)
                })
                let p = outsider["product"] as! String
                let refused = try cli.run(["pin", p, "--curator", "K2"])
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("outside the top five"))
                try cli.ok(["pin", p, "--curator", "K2", "--reason", "ikon oleh-oleh Madiun"])
            }
        }
        // A sixth pin is refused, naming the rule.
        let sixth = try cli.run(["pin", target, "--curator", "K1", "--reason", "x"])
        #expect(sixth.status == 1)
        #expect(sixth.stderr.contains("already pinned") || sixth.stderr.contains("five"))

        // Only the chair finalises; then edits are refused until the chair reopens.
        let notChair = try cli.run(["finalize", "--curator", "K2"])
        #expect(notChair.status == 1 && notChair.stderr.contains("chair"))
        try cli.ok(["finalize", "--curator", "K1"])
        let refused = try cli.run(["score", target, "--curator", "K3", "kualitas=1"])
        #expect(refused.status == 1 && refused.stderr.contains("final"))

        let final = try cli.rank()
        #expect((final["round"] as! [String: Any])["status"] as! String == "final")
        for cluster in ["mamin", "non-mamin"] {
            let c = (final["clusters"] as! [String: Any])[cluster] as! [String: Any]
            let pins = c["pins"] as! [String]
            #expect(pins.count == 5)
            let pinnedRows = (c["ranking"] as! [[String: Any]]).filter { $0["pinned"] is Int }
            #expect(Set(pinnedRows.map { $0["product"] as! String }) == Set(pins))
        }

        // The minutes name the round, the pins, the reason and who finalised.
        let md = try cli.ok(["export", "--format", "md", "--lang", "id", "-o", cli.dir + "/berita-acara.md"])
        #expect(md.contains("berita-acara.md"))
        let minutes = try String(contentsOfFile: cli.dir + "/berita-acara.md", encoding: .utf8)
        #expect(minutes.contains("# Berita Acara Kurasi: Kurasi Produk Unggulan Kadin Kota Madiun 2020"))
        #expect(minutes.contains("**FINAL**, difinalisasi oleh"))
        #expect(minutes.contains("ikon oleh-oleh Madiun"))
        #expect(minutes.contains("## Pilihan MAMIN") && minutes.contains("## Pilihan NON-MAMIN"))
        #expect(!minutes.contains("| ★5 | – |"))
        let csv = try cli.ok(["export", "--format", "csv"])
        #expect(csv.hasPrefix("cluster,rank,product_id"))
        let products = (try JSONSerialization.jsonObject(with: cli.storeBytes()) as! [String: Any])["products"] as! [Any]
        #expect(csv.utf8.filter { $0 == UInt8(ascii: "\n") }.count == products.count + 1)  // a header and a row per product

        // The history shows the scoring, and the chair can reopen with a reason.
        let history = try cli.ok(["history", target])
        #expect(history.contains("K2") && history.contains("K5"))
        try cli.ok(["reopen", "--reason", "salah satu produk ternyata sudah tidak diproduksi", "--curator", "K1"])
        // Reopened, the round is back in deliberation: its scores were public once it was final.
        #expect((try cli.rank()["round"] as! [String: Any])["status"] as! String == "deliberation")
        #expect(try cli.ok(["check"]).contains("OK"))
    }

    @Test func aRecusedCuratorIsRefusedByName() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let store = try JSONSerialization.jsonObject(with: cli.storeBytes()) as! [String: Any]
        let k3 = (store["curators"] as! [[String: Any]]).first { $0["id"] as! String == "K3" }!
        let producer = ((k3["conflicts"] as! [[String: Any]]).first!)["producer"] as! String
        let product = (store["products"] as! [[String: Any]]).first { $0["producer"] as! String == producer }!["id"] as! String
        let before = try cli.storeBytes()
        let r = try cli.run(["score", product, "--curator", "K3", "kualitas=5"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("conflict of interest") && r.stderr.contains(producer))
        #expect(try cli.storeBytes() == before)
        let id = try cli.run(["score", product, "--curator", "K3", "kualitas=5"], env: ["LANG": "id_ID.UTF-8"])
        #expect(id.stderr.contains("konflik kepentingan"))
    }

    @Test func undoRevertsTheLastOwnChange() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let base = Store(path: cli.store).loadOrFail().revision
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=2"])
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=5"])
        try cli.ok(["score", "P-0004", "--curator", "K4", "kualitas=4"])
        let undo = try cli.ok(["undo", "--curator", "K2"])
        #expect(undo.contains("undone (rev \(base + 2)):"))
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.sheet(product: "P-0003", curator: "K2")["kualitas"] == 2)
        #expect(round.sheet(product: "P-0004", curator: "K4")["kualitas"] == 4)
    }
}

@Suite struct BundledRoundTests {
    /// `kurasi demo` ships the fixture; the two copies must not drift apart.
    @Test func bundledRoundIsTheFixture() throws {
        let bundled = CLI.repoRoot.appendingPathComponent("Sources/kurasi/Resources/madiun-2020.json")
        let fixture = CLI.repoRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        #expect(try Data(contentsOf: bundled) == Data(contentsOf: fixture),
                "KURASI_UPDATE_FIXTURES=1 swift test --filter BundledRoundTests writes both")
    }
}
