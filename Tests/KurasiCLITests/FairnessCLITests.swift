import Foundation
import KurasiStore
import Testing

@Suite struct FairnessCLITests {
    func json(_ s: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(s.utf8)) as! [String: Any]
    }

    @Test func reportsAreTheChairsWhileScoringIsBlindAndHaveTheirJSONShapes() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let refused = try cli.run(["report", "calibration", "--curator", "K2"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("only the chair may see it"))
        #expect(try cli.run(["report", "stability"]).status == 1)
        let bogus = try cli.run(["report", "fairness", "--curator", "K1"])
        #expect(bogus.status == 2)

        let cal = try json(cli.ok(["report", "calibration", "--format", "json", "--curator", "K1"]))
        let curators = try #require(cal["curators"] as? [[String: Any]])
        #expect(curators.map { $0["curator"] as? String } == ["K1", "K2", "K3", "K4", "K5"])
        for key in ["sheets", "mean", "spread", "leniency", "agreement", "points", "histogram", "histogramBars", "shared"] {
            #expect(curators[0][key] != nil, "calibration lacks \(key)")
        }
        #expect((curators[0]["histogram"] as? [Int])?.count == 10)
        #expect(((cal["disagreements"] as? [[String: Any]])?.first?["curators"] as? [String])?.count == 2)

        let a = try cli.ok(["report", "stability", "--format", "json", "--curator", "K1", "--cluster", "mamin"])
        let b = try cli.ok(["report", "stability", "--format", "json", "--curator", "K1", "--cluster", "mamin"])
        #expect(a == b, "the same seed gives the same report")
        let s = try json(a)
        #expect(s["seed"] as? Int == 2020 && s["resamples"] as? Int == 1000 && s["basis"] as? String == "raw")
        let mamin = try #require((s["clusters"] as? [String: Any])?["mamin"] as? [String: Any])
        #expect((mamin["topFive"] as? [String])?.count == 5)
        let rank = try cli.rank()
        let ranking = (((rank["clusters"] as! [String: Any])["mamin"] as! [String: Any])["ranking"] as! [[String: Any]])
        #expect((mamin["topFive"] as? [String])?.first == ranking.first?["product"] as? String)
        let probs = try #require(mamin["probabilities"] as? [[String: Any]])
        #expect(probs.allSatisfy { ($0["probability"] as? Double).map { (0...1).contains($0) } ?? false })
        #expect(mamin["leaveOneOut"] as? [[String: Any]] != nil && mamin["decisive"] as? [String] != nil)
        let table = try cli.ok(["report", "stability", "--curator", "K1", "--cluster", "mamin", "--seed", "5", "--resamples", "200"])
        #expect(table.contains("bootstrap 200 resamples, seed 5"))
        #expect(try cli.run(["report", "stability", "--curator", "K1", "--resamples", "0"]).status == 2)

        let n = try json(cli.ok(["report", "normalised", "--format", "json", "--curator", "K1"]))
        #expect(n["basis"] as? String == "raw" && n["minimumSheets"] as? Int == 5)
        let rows = try #require((n["clusters"] as? [String: Any])?["non-mamin"] as? [[String: Any]])
        #expect(rows.first?["normalisedRank"] as? Int == 1)
        for key in ["product", "name", "raw", "normalised", "rawRank", "move"] { #expect(rows.first?[key] != nil) }
    }

    @Test func theChairSetsTheBasisBeforeDeliberationAndTheMinutesSayIt() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let refused = try cli.run(["basis", "normalised", "--curator", "K2"])
        #expect(refused.status == 1 && refused.stderr.contains("chair"))
        #expect(try cli.ok(["basis", "normalised", "--curator", "K1"]).contains("the ranking uses normalised scores"))
        #expect(try cli.ok(["basis", "normalised", "--curator", "K1"]).contains("Nothing changed."))
        let n = try json(cli.ok(["report", "normalised", "--format", "json", "--curator", "K1"]))
        #expect(n["basis"] as? String == "normalised")
        // The ranking follows the normalised scores.
        let rows = (n["clusters"] as! [String: Any])["mamin"] as! [[String: Any]]
        let ranking = ((try cli.rank()["clusters"] as! [String: Any])["mamin"] as! [String: Any])["ranking"] as! [[String: Any]]
        #expect(ranking.prefix(5).map { $0["product"] as! String } == rows.prefix(5).map { $0["product"] as! String })
        #expect(try cli.ok(["rank", "--cluster", "mamin"]).contains("  raw "), "the raw score beside the normalised one")
        try cli.ok(["deliberate", "--curator", "K1"])
        let late = try cli.run(["basis", "raw", "--curator", "K1"])
        #expect(late.status == 1 && late.stderr.contains("chosen before deliberation"))
        let minutes = try cli.ok(["export", "--format", "md", "--lang", "id"])
        #expect(minutes.contains("- Dasar skor peringkat: skor ternormalisasi, dipilih oleh Dra"))
        #expect(minutes.contains("peluang masuk lima besar, bootstrap 1.000 kali, seed 2020, undian per produk: P-"))
        #expect(try cli.ok(["history"]).contains("the ranking uses normalised scores"))
    }

    @Test func comparingPairsAtTheCutLine() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        try cli.ok(["deliberate", "--curator", "K1"])
        let p = try json(cli.ok(["report", "pairwise", "--format", "json"]))
        let line = try #require(((p["clusters"] as? [String: Any])?["mamin"] as? [String: Any])?["cutLine"] as? [String])
        #expect(line.count == 4)
        let out = try cli.ok(["compare", line[0], line[1], "--prefer", "B", "--curator", "K2"])
        #expect(out.contains("K2: \(line[1]) preferred to \(line[0])"))
        #expect(out.contains("Next pair: kurasi compare "))
        try cli.ok(["compare", line[2], line[1], "--prefer", "same", "--curator", "K4"])
        let after = try json(cli.ok(["report", "pairwise", "--format", "json"]))
        let mamin = (after["clusters"] as! [String: Any])["mamin"] as! [String: Any]
        #expect(mamin["comparisons"] as? Int == 2)
        #expect((mamin["order"] as? [[String: Any]])?.first?["product"] as? String == line[1])
        let bad = try cli.run(["compare", line[0], line[1], "--prefer", "C", "--curator", "K2"])
        #expect(bad.status == 2)
        let unknown = try cli.run(["compare", line[0], "P-9999", "--prefer", "A", "--curator", "K2"])
        #expect(unknown.status == 1 && unknown.stderr.contains("P-9999"))
        #expect(try cli.ok(["history", line[0]]).contains("preferred to"))
        #expect(try cli.ok(["export", "--format", "md"]).contains("pairwise comparisons at the cut line, 2 comparisons, Bradley-Terry order: "))
        #expect(try cli.ok(["undo", "--curator", "K4"]).contains("undo"))
    }

    @Test func readinessOfThePinnedProducts() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        #expect(try cli.ok(["readiness"]).contains("No product is pinned yet."))
        let ranking = ((try cli.rank()["clusters"] as! [String: Any])["mamin"] as! [String: Any])["ranking"] as! [[String: Any]]
        let first = ranking[0]["product"] as! String
        try cli.ok(["pin", first, "--curator", "K1"])
        let refused = try cli.run(["readiness", "--minimum", "500", "--curator", "K2"])
        #expect(refused.status == 1 && refused.stderr.contains("chair"))
        #expect(try cli.run(["readiness", "--by", "soon"]).status == 2)
        #expect(try cli.ok(["readiness", "--minimum", "500", "--curator", "K1"]).contains("minimum capacity 500 a month"))
        let r = try json(cli.ok(["readiness", "--format", "json"]))
        #expect(r["minimumCapacity"] as? Int == 500 && r["due"] as? String == "2021-01-13")
        let product = try #require((r["products"] as? [[String: Any]])?.first)
        #expect(product["product"] as? String == first && product["slot"] as? Int == 1)
        let lines = try #require(product["lines"] as? [[String: Any]])
        #expect(lines.map { $0["item"] as! String } == ["nib", "foodPermit", "halal", "brand", "capacity", "consistency"])
        #expect(lines.allSatisfy { ["met", "unmet", "unknown"].contains($0["status"] as! String) })
        let md = try cli.ok(["readiness", "--format", "md", "--lang", "id"])
        #expect(md.contains("| | Syarat | Tercatat | Yang harus dilakukan | Batas |"))
        let table = try cli.ok(["readiness", "--lang", "id"])
        #expect(table.contains("KESIAPAN MEREK KOLEKTIF · kapasitas minimum 500 per bulan"))
    }

    @Test func feedbackSheetsForEveryProducerScoredNameNobodyElse() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let early = try cli.run(["feedback", "-o", "umpan"])
        #expect(early.status == 1 && early.stderr.contains("deliberation"))
        try cli.ok(["deliberate", "--curator", "K1"])
        let out = try cli.ok(["feedback", "-o", "umpan", "--lang", "id"])
        #expect(out.contains("lembar umpan balik ditulis di umpan"))
        let dir = cli.dir + "/umpan"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files.count > 50 && files.allSatisfy { $0.hasSuffix(".md") })
        let store = try JSONSerialization.jsonObject(with: cli.storeBytes()) as! [String: Any]
        let producers = store["producers"] as! [[String: Any]]
        let products = store["products"] as! [[String: Any]]
        let curators = store["curators"] as! [[String: Any]]
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let own = String(file.dropLast(3))
            let mine = (producers.first { $0["id"] as? String == own }?["name"] as? String ?? "")
                + " " + products.filter { $0["producer"] as? String == own }.map { $0["name"] as! String }.joined(separator: " ")
            for p in producers where p["id"] as? String != own {
                let name = p["name"] as! String
                // A name that is part of this producer's own names (a shared word) is no leak.
                if mine.contains(name) { continue }
                #expect(!text.contains(name), "\(file) names another producer, \(name)")
                #expect(!text.contains("(\(p["id"] as! String))"), "\(file) names \(p["id"]!)")
            }
            for c in curators {
                #expect(!text.contains(c["name"] as! String), "\(file) names a curator")
            }
            #expect(text.contains("# Umpan balik kurasi"))
        }
        let one = try cli.ok(["feedback", files[0].replacingOccurrences(of: ".md", with: ""), "-o", "satu", "--format", "html"])
        #expect(one.contains("1 feedback sheets") || one.contains("1 feedback sheet"))
        #expect(try String(contentsOfFile: cli.dir + "/satu/" + files[0].replacingOccurrences(of: ".md", with: ".html"), encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let unknown = try cli.run(["feedback", "U-9999", "-o", "x"])
        #expect(unknown.status == 1 && unknown.stderr.contains("U-9999"))
        FileManager.default.createFile(atPath: cli.dir + "/berkas", contents: Data())
        let notDir = try cli.run(["feedback", "-o", "berkas"])
        #expect(notDir.status != 0 && notDir.stderr.contains("berkas is a file"))
    }
}

@Suite struct FinalistsCLITests {
    @Test func aFinishedCityRoundsFiveAndFiveComeToTheProvince() throws {
        let city = try CLI(copying: "madiun-2020/kurasi.json")
        defer { city.cleanUp() }
        let cityStore = city.store
        // Not final yet: refused, naming the file and what to do.
        let prov = try CLI()
        defer { prov.cleanUp() }
        try prov.ok(["init", "--title", "Kurasi Provinsi Jawa Timur", "--date", "2020-12-01"])
        try prov.ok(["curator", "add", "P1", "--name", "Ketua Provinsi", "--chair"])
        try prov.ok(["curator", "add", "P2", "--name", "Anggota", "--curator", "P1"])
        let early = try prov.run(["import", "--finalists", cityStore, "--curator", "P1"])
        #expect(early.status == 1 && early.stderr.contains("\(cityStore): the city round is not final"))
        // Finalise the city round with its computed top fives.
        for cluster in ["mamin", "non-mamin"] {
            let s = try JSONSerialization.jsonObject(with: Data(city.ok(["report", "stability", "--format", "json", "--curator", "K1", "--resamples", "1", "--cluster", cluster]).utf8)) as! [String: Any]
            for p in ((s["clusters"] as! [String: Any])[cluster] as! [String: Any])["topFive"] as! [String] {
                try city.ok(["pin", p, "--curator", "K1"])
            }
        }
        try city.ok(["finalize", "--curator", "K1"])
        let before = try city.storeBytes()
        #expect(try prov.run(["import", "--finalists", cityStore, "--curator", "P2"]).stderr.contains("chair"))
        let out = try prov.ok(["import", "--finalists", cityStore, "--curator", "P1"])
        #expect(out.contains("10 finalists and 10 producers added from Kurasi Produk Unggulan Kadin Kota Madiun 2020"))
        #expect(out.contains("city score"))
        #expect(try city.storeBytes() == before, "the city round is only read")
        let rank = try prov.rank()
        let clusters = rank["clusters"] as! [String: Any]
        for c in ["mamin", "non-mamin"] {
            let ranking = (clusters[c] as! [String: Any])["ranking"] as! [[String: Any]]
            #expect(ranking.count == 5)
            #expect(ranking.allSatisfy { $0["rank"] is NSNull && $0["curators"] as? Int == 0 }, "the city's scores are not counted")
        }
        // Again: nothing new. With clashing ids from another city, a prefix is asked for.
        #expect(try prov.ok(["import", "--finalists", cityStore, "--curator", "P1"]).contains("already imported"))
        let minutes = try prov.ok(["export", "--format", "md"])
        #expect(minutes.contains("## Fairness of the scoring"))
        #expect(minutes.contains("from Kurasi Produk Unggulan Kadin Kota Madiun 2020, Kadin Kota Madiun, 15 October 2020, MAMIN ★1, city score"))
        let renamed = try CLI()
        defer { renamed.cleanUp() }
        var other = try Store(path: cityStore).load()
        other = other.handEdited { $0.round.title = "Kurasi Kota Kediri 2020" }
        try Store(path: renamed.store).create(other)
        let clash = try prov.run(["import", "--finalists", renamed.store, "--curator", "P1"])
        #expect(clash.status == 1 && clash.stderr.contains("--prefix"))
        let prefixed = try prov.ok(["import", "--finalists", renamed.store, "--curator", "P1", "--prefix", "KDR"])
        #expect(prefixed.contains("10 finalists and 10 producers added from Kurasi Kota Kediri 2020"))
        #expect(prefixed.contains("KDR-P-"))
        #expect(try prov.run(["import", "--curator", "P1"]).stderr.contains("--finalists FILE.json"))
        let missing = try prov.run(["import", "--finalists", "tidak-ada.json", "--curator", "P1"])
        #expect(missing.status == 1 && missing.stderr.contains("tidak-ada.json"))
        FileManager.default.createFile(atPath: prov.dir + "/rusak.json", contents: Data("{\"schemaVersion\": 1,\n  \"revision\": }".utf8))
        let broken = try prov.run(["import", "--finalists", "rusak.json", "--curator", "P1"])
        #expect(broken.status == 1 && broken.stderr.contains("rusak.json:2:"))
        #expect(try prov.run(["import", "--finalists", cityStore, "--curator", "P1", "--prefix", "a b"]).status == 2)
    }
}
