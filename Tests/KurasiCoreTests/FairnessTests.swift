import Foundation
import KurasiCore
import Testing

/// K2 (lenient) and K4 (severe) score P-M1…P-M5 with the same pattern 40 points apart on the
/// sheet scale: K2 100, 100, 75, 75, 50; K4 50, 50, 25, 25, 0.
func lenientAndSevere() throws -> Round {
    var r = smallRound()
    for (i, (k2, k4)) in [(5, 3), (5, 3), (4, 2), (4, 2), (3, 1)].enumerated() {
        try r.score("P-M\(i + 1)", by: "K2", full(k2))
        try r.score("P-M\(i + 1)", by: "K4", full(k4))
    }
    return r
}

@Suite struct NormalisationTests {
    @Test func handComputedZScoresRescaledToTheCommittee() throws {
        let r = try lenientAndSevere()
        let n = r.normalisation()
        // Committee: ten sheets, mean (400 + 150) / 10 = 55; squared deviations from it
        // K2 2·45² + 2·20² + 5², K4 2·5² + 2·30² + 55²: 4875 + 4875 = 9750, so sd = √975.
        #expect(abs(n.committeeMean - 55) < 1e-9)
        #expect(abs(n.committeeStandardDeviation - 975.0.squareRoot()) < 1e-9)
        // Each curator: mean 80 (K2) and 30 (K4), squared deviations 400+400+25+25+900 = 1750, sd = √350.
        #expect(n.scales["K2"]?.mean == 80)
        #expect(n.scales["K4"]?.mean == 30)
        #expect(abs(n.scales["K2"]!.standardDeviation - 350.0.squareRoot()) < 1e-9)
        #expect(n.scales["K2"]?.treatment == .normalised)
        // K2's 100 and K4's 50 are both +20 from their means: 55 + 20·√(975/350) = 88.381…
        let top = 55 + 20 * (975.0 / 350).squareRoot()
        #expect(abs(n.adjust(100, curator: "K2") - top) < 1e-9)
        #expect(abs(n.adjust(50, curator: "K4") - top) < 1e-9)
        #expect(Format.score(top, .id) == "88,4")
        // The bottom product: 55 − 30·√(975/350) = 4.928…
        #expect(Format.score(n.adjust(0, curator: "K4"), .id) == "4,9")
    }

    @Test func aCuratorWithFewerThanFiveSheetsIsLeftRawAndSaysSo() throws {
        var r = try lenientAndSevere()
        try r.score("P-N1", by: "K3", full(4))
        let n = r.normalisation()
        #expect(n.scales["K3"]?.treatment == .tooFewSheets)
        #expect(n.scales["K3"]?.sheets == 1)
        #expect(n.adjust(75, curator: "K3") == 75)
    }

    @Test func theChairChoosesTheBasisBeforeDeliberationAndTheRankingFollows() throws {
        var r = try lenientAndSevere()
        try r.score("P-M6", by: "K4", full(3))  // 50: above K4's mean
        try r.score("P-M7", by: "K2", full(4))  // 75: below K2's mean
        func order(_ r: Round) -> [ProductID] { r.ranking(.mamin).filter { $0.rank != nil }.map(\.product.id) }
        let raw = order(r)
        #expect(raw.firstIndex(of: "P-M7")! < raw.firstIndex(of: "P-M6")!)
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.fairness(.setScoreBasis(.normalised)), by: "K2", at: "2020-10-15T10:00:00Z") }
        let e = try r.perform(.fairness(.setScoreBasis(.normalised)), by: "K1", at: "2020-10-15T10:00:00Z")
        #expect(e?.change.summary(.id) == "peringkat memakai skor ternormalisasi")
        #expect(r.scoreBasis == .normalised)
        let norm = order(r)
        #expect(norm.firstIndex(of: "P-M6")! < norm.firstIndex(of: "P-M7")!)
        // The incremental rerank agrees with a full ranking on the normalised basis.
        var list = r.ranking(.mamin)
        try r.score("P-M8", by: "K2", full(5))
        r.rerank(&list, changed: ["P-M8"])
        #expect(list.map(\.product.id) == r.ranking(.mamin).map(\.product.id))
        // Rows side by side with the moves.
        let rows = r.normalisedRows(.mamin)
        #expect(rows.first { $0.product == "P-M6" }?.move ?? 0 > 0)
        // Once deliberation is open the basis is fixed.
        try r.perform(.openDeliberation, by: "K1", at: "2020-10-15T12:00:00Z")
        #expect(throws: Refusal.fairness(.basisBeforeDeliberation)) { try r.perform(.fairness(.setScoreBasis(.raw)), by: "K1", at: "2020-10-15T12:00:00Z") }
    }

    @Test func fairnessEventsRoundTripThroughJSON() throws {
        var r = smallRound()
        let a = try #require(try r.perform(.fairness(.setScoreBasis(.normalised)), by: "K1", at: "2020-10-15T10:00:00Z"))
        let b = try #require(try r.perform(.fairness(.compare("P-M3", "P-M1", prefer: .a)), by: "K2", at: "2020-10-15T10:01:00Z"))
        let c = try #require(try r.perform(.fairness(.setMinimumCapacity(500)), by: "K1", at: "2020-10-15T10:02:00Z"))
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        for e in [a, b, c] {
            let data = try enc.encode(e)
            #expect(try JSONDecoder().decode(Event.self, from: data) == e)
        }
        #expect(String(decoding: try enc.encode(a.change), as: UTF8.self) == #"{"from":null,"kind":"scoreBasis","to":"normalised"}"#)
        // Settings without the new keys read as before, and write nothing new.
        let settings = try JSONDecoder().decode(Settings.self, from: Data(#"{"aggregation":"mean","blindScoring":true,"onePinPerProducer":true,"disagreementThreshold":25,"tieBreakCriterion":"kualitas","permitGates":{}}"#.utf8))
        #expect(settings.scoreBasis == nil && settings.minimumCapacity == nil)
        #expect(!String(decoding: try enc.encode(Settings()), as: UTF8.self).contains("scoreBasis"))
    }
}

/// P-M1, P-M3, P-M4, P-M7 score 100 from everyone; fifth place is P-M5 or P-M6, and K3 alone
/// decides it: with K3, P-M5 (50, 50, 100) beats P-M6 (75, 50, 0); without K3, P-M6 (75, 50)
/// beats P-M5 (50, 50).
func oneCuratorDecidesFifth() throws -> Round {
    var r = smallRound()
    for c in ["K2", "K3", "K4"] as [CuratorID] {
        for p in ["P-M1", "P-M3", "P-M4", "P-M7"] as [ProductID] { try r.score(p, by: c, full(5)) }
    }
    try r.score("P-M5", by: "K2", full(3)); try r.score("P-M6", by: "K2", full(4))
    try r.score("P-M5", by: "K4", full(3)); try r.score("P-M6", by: "K4", full(3))
    try r.score("P-M5", by: "K3", full(5)); try r.score("P-M6", by: "K3", full(1))
    return r
}

@Suite struct StabilityTests {
    @Test func splitMixIsTheReferenceGenerator() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func leavingOutTheCuratorWhoAloneDecidesFifthPlaceIsFlagged() throws {
        let r = try oneCuratorDecidesFifth()
        #expect(r.topFive(.mamin) == ["P-M1", "P-M3", "P-M4", "P-M7", "P-M5"])
        let s = r.stability(clusters: [.mamin])
        let m = try #require(s.clusters.first)
        #expect(m.topFive == r.topFive(.mamin))
        #expect(m.decisive == ["K3"])
        let k3 = try #require(m.leaveOneOut.first { $0.curator == "K3" })
        #expect(k3.leaves == ["P-M5"] && k3.enters == ["P-M6"])
        #expect(m.leaveOneOut.map(\.curator) == ["K2", "K3", "K4"])
        #expect(m.leaveOneOut.filter { $0.curator != "K3" }.allSatisfy { !$0.changes })
    }

    @Test func theBootstrapIsReproducibleBySeed() throws {
        let r = try oneCuratorDecidesFifth()
        let a = r.stability(clusters: [.mamin], seed: 7)
        let b = r.stability(clusters: [.mamin], seed: 7)
        #expect(a == b)
        let m = try #require(a.clusters.first)
        for p in ["P-M1", "P-M3", "P-M4", "P-M7"] as [ProductID] { #expect(m.probability(of: p) == 1) }
        // Six ranked products: every resample puts exactly one of P-M5 and P-M6 fifth.
        let p5 = m.probability(of: "P-M5"), p6 = m.probability(of: "P-M6")
        #expect(abs(p5 + p6 - 1) < 1e-12)
        #expect(p5 > 0.5 && p5 < 1)
        // The same on every machine: integers only, a fixed walk. Seed 2020 gives exactly this.
        let fixed = try #require(r.stability(clusters: [.mamin]).clusters.first)
        #expect(fixed.probability(of: "P-M5") == Self.expectedP5)
        // A cluster asked alone gets the same numbers as with both.
        #expect(r.stability().clusters.first == fixed)
        #expect(Format.percent(0.965) == "97 %")
        #expect(Format.percent(0.54) == "54 %")
    }
    // 0.842 while one stream was shared by every product (before 2026-11-30).
    static let expectedP5 = 0.836
}

@Suite struct CalibrationTests {
    @Test func handComputedLeniencyAgreementAndTheMostDisagreeingPair() throws {
        let r = try lenientAndSevere()
        let cal = r.calibration()
        let k2 = try #require(cal.curators.first { $0.curator == "K2" })
        let k4 = try #require(cal.curators.first { $0.curator == "K4" })
        #expect(k2.sheets == 5 && k2.mean == 80)
        #expect(abs(k2.spread! - 350.0.squareRoot()) < 1e-9)
        #expect(k2.leniency == 50 && k4.leniency == -50)
        #expect(abs(k2.agreement! - 1) < 1e-12)
        #expect(k2.points["kualitas"] == [0, 0, 1, 2, 2])
        #expect(k4.points["kualitas"] == [1, 2, 2, 0, 0])
        #expect(k2.histogram == [0, 0, 0, 0, 0, 1, 0, 2, 0, 2])
        #expect(Bars.lengths(k2.histogram, width: 8) == [0, 0, 0, 0, 0, 4, 0, 8, 0, 8])
        let k3 = try #require(cal.curators.first { $0.curator == "K3" })
        #expect(k3.sheets == 0 && k3.mean == nil && k3.leniency == nil)
        let pair = try #require(cal.disagreements.first)
        #expect(pair.curators == ["K2", "K4"] && pair.shared == 5 && pair.meanAbsoluteDifference == 50)
        #expect(pair.products.map(\.product) == ["P-M1", "P-M2", "P-M3"])
        #expect(pair.products.first?.scores == [100, 50])
    }
}

@Suite struct PairwiseTests {
    @Test func bradleyTerryMatchesTheHandSolvedThreeProductCase() {
        // A beats B 2–1 and B beats C 2–1, A and C never meet: on a tree the fit reproduces each
        // pair's share, s_A/(s_A+s_B) = 2/3 and s_B/(s_B+s_C) = 2/3, so s = (4, 2, 1)/7.
        let fit = BradleyTerry.fit(items: ["A", "B", "C"], outcomes: [
            ("A", "B", .a), ("A", "B", .a), ("A", "B", .b), ("B", "C", .a), ("B", "C", .a), ("C", "B", .a),
        ])
        #expect(fit.map(\.product) == ["A", "B", "C"])
        #expect(abs(fit[0].strength - 4.0 / 7) < 1e-9)
        #expect(abs(fit[1].strength - 2.0 / 7) < 1e-9)
        #expect(abs(fit[2].strength - 1.0 / 7) < 1e-9)
        #expect(fit[1].wins == 3 && fit[1].losses == 3)
        // A tie counts half a win each way: one tie alone is an even match.
        let even = BradleyTerry.fit(items: ["X", "Y"], outcomes: [("X", "Y", .same)])
        #expect(abs(even[0].strength - 0.5) < 1e-12 && even[0].ties == 1)
    }

    @Test func comparisonsAreEventsWithBlindnessAndUndo() throws {
        var r = try oneCuratorDecidesFifth()
        #expect(r.cutLine(.mamin) == ["P-M7", "P-M5", "P-M6"])
        let at = "2020-10-15T13:00:00Z"
        let e = try #require(try r.perform(.fairness(.compare("P-M6", "P-M5", prefer: .a)), by: "K2", at: at))
        #expect(e.change.summary(.en) == "K2: P-M6 preferred to P-M5")
        #expect(e.change.products == ["P-M5", "P-M6"])
        #expect(r.comparisons == [Comparison(a: "P-M5", b: "P-M6", curator: "K2", prefer: .b, at: at)])
        #expect(try r.perform(.fairness(.compare("P-M5", "P-M6", prefer: .b)), by: "K2", at: at) == nil)
        try r.perform(.fairness(.compare("P-M5", "P-M6", prefer: .a)), by: "K4", at: at)
        // While scoring is blind, K2 sees K4's judgement of a pair K2 has judged; K1 has judged
        // nothing and sees none; the board sees none.
        #expect(r.comparisons(visibleTo: "K2").count == 2)
        #expect(r.comparisons(visibleTo: "K1").isEmpty)
        #expect(r.comparisons(visibleTo: nil).isEmpty)
        // The same in a product's history.
        #expect(r.history(product: "P-M5", visibleTo: "K1").allSatisfy { $0.change.fairnessChanges.isEmpty })
        #expect(r.history(product: "P-M5", visibleTo: "K2").filter { !$0.change.fairnessChanges.isEmpty }.count == 2)
        // K2 changes their mind, then undoes it.
        try r.perform(.fairness(.compare("P-M5", "P-M6", prefer: .same)), by: "K2", at: at)
        #expect(r.comparisons.first { $0.curator == "K2" }?.prefer == .same)
        try r.perform(.undo, by: "K2", at: at)
        #expect(r.comparisons.first { $0.curator == "K2" }?.prefer == .b)
        let fit = r.pairwise(.mamin, everything: true)
        #expect(fit.comparisons == 2 && fit.order.count == 3)
        #expect(r.nextPair(.mamin, for: "K2").map { [$0.0, $0.1] } == ["P-M5", "P-M7"])
        // Refusals name the rule.
        #expect(throws: Refusal.fairness(.samePair("P-M5"))) { try r.perform(.fairness(.compare("P-M5", "P-M5", prefer: .a)), by: "K2", at: at) }
        #expect(throws: Refusal.fairness(.differentClusters("P-M5", "P-N1"))) { try r.perform(.fairness(.compare("P-M5", "P-N1", prefer: .a)), by: "K2", at: at) }
        #expect(throws: Refusal.recused(curator: "K3", producer: "U-2", reason: "adik pemilik")) {
            try r.perform(.fairness(.compare("P-M2", "P-M5", prefer: .a)), by: "K3", at: at)
        }
        #expect(Refusal.fairness(.samePair("P-M5")).text(.id).contains("dua produk berbeda"))
    }
}

@Suite struct ReadinessTests {
    @Test func everyLineOfTheChecklistWithWhatToDoAndByWhen() throws {
        var r = smallRound()
        // P-M1: every paper in order, 1.200 bungkus a month, curators agree on its quality.
        r = r.handEdited {
            let i = $0.products.firstIndex { $0.id == "P-M1" }!
            $0.products[i].capacity = Capacity(amount: 1200, unit: "bungkus")
            $0.products[i].permits += [Permit(kind: .halal, number: "ID35110000123", expires: "2024-06-30"),
                                       Permit(kind: .hki, number: "IDM000123456")]
            $0.producers[0].nib = "9120001234567"
        }
        try r.score("P-M1", by: "K2", full(5)); try r.score("P-M1", by: "K4", full(5))
        // P-M3: only its P-IRT, and the curators disagree on its quality (5 and 3: 50 points apart).
        var q = full(4); q["kualitas"] = 5; try r.score("P-M3", by: "K2", q)
        q["kualitas"] = 3; try r.score("P-M3", by: "K4", q)
        try r.pin("P-M1"); try r.pin("P-M3", reason: "ikon")
        var list = r.readiness(lang: .id)
        #expect(r.readinessDue == "2021-01-13")
        let ready = try #require(list.first { $0.product == "P-M1" })
        #expect(ready.lines.map(\.item) == [.nib, .foodPermit, .halal, .brand, .capacity, .consistency])
        #expect(ready.lines.map(\.mark) == ["✓", "✓", "✓", "✓", "?", "✓"])
        #expect(ready.lines[4].action == "ketua menetapkan kapasitas minimum" && ready.lines[4].remedy == .setMinimumCapacity)
        try r.perform(.fairness(.setMinimumCapacity(500)), by: "K1", at: "2020-10-15T12:00:00Z")
        list = r.readiness(lang: .id)
        let now = try #require(list.first { $0.product == "P-M1" })
        #expect(now.ready)
        #expect(now.lines[1].found == "P-IRT 2063577010123-25 s/d 31 Maret 2025")
        #expect(now.lines[4].found == "1.200 bungkus per bulan")
        let not = try #require(list.first { $0.product == "P-M3" })
        #expect(!not.ready)
        #expect(not.lines.map(\.mark) == ["✗", "✓", "✗", "✗", "✗", "✗"])
        #expect(not.lines[0].action == "daftarkan NIB lewat OSS (oss.go.id)" && not.lines[0].due == "2021-01-13")
        #expect(not.lines[2].action == "ajukan sertifikat halal (BPJPH, program SEHATI)")
        #expect(not.lines[3].action == "daftarkan merek di DJKI (HKI)")
        #expect(not.lines[4].action == "naikkan kapasitas ke paling sedikit 500 per bulan")
        #expect(not.lines[5].found == "kualitas 3–5 dari 2 kurator")
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.fairness(.setMinimumCapacity(10)), by: "K2", at: "2020-10-15T12:00:00Z") }
        #expect(throws: Refusal.fairness(.capacityNotPositive(0))) { try r.perform(.fairness(.setMinimumCapacity(0)), by: "K1", at: "2020-10-15T12:00:00Z") }
        // Non-mamin products need no food permit or halal line.
        let n = r.readiness(of: r.product("P-N1")!, slot: 1, lang: .en, due: "2021-01-13")
        #expect(n.lines.map(\.item) == [.nib, .brand, .capacity, .consistency])
        // A permit valid on the round's day but lapsing before the deadline: met, renew by then.
        let lapsing = r.readiness(of: r.product("P-M1")!, slot: 1, lang: .en, due: "2025-12-31")
        #expect(lapsing.lines[1].status == .met && lapsing.lines[1].action == "renew before 31 March 2025")
    }
}

/// A round to test the feedback sheets on: U-1 scored by three curators, U-3 by two (its
/// packaging weakest), U-4 by one curator only, U-1's non-mamin product by two.
func feedbackRound() throws -> Round {
    var r = smallRound()
    try r.score("P-M1", by: "K2", full(5)); try r.score("P-M1", by: "K4", full(3)); try r.score("P-M1", by: "K3", full(4))
    var p = full(4); p["kemasan"] = 2
    try r.score("P-M3", by: "K2", p); try r.score("P-M3", by: "K4", p)
    try r.score("P-M4", by: "K2", full(2))
    try r.score("P-N1", by: "K2", full(4)); try r.score("P-N1", by: "K3", full(3))
    return r
}

@Suite struct FeedbackTests {
    @Test func aSheetNamesStrengthsAndTheNextAnchorToReach() throws {
        let r = try feedbackRound()
        #expect(r.scoredProducers == ["U-1", "U-3", "U-4"])
        let sheet = try #require(r.feedback(lang: .id, producers: ["U-3"]).first)
        let p = try #require(sheet.products.first { $0.product == "P-M3" })
        #expect(p.strongest.map(\.criterion) == ["kualitas", "keunikan"])
        #expect(p.toImprove.map(\.criterion) == ["kemasan", "pasar"])
        let md = sheet.markdown(round: r.round, lang: .id)
        #expect(md.contains("- Kemasan & label: 2 → 3, kemasan layak, label lengkap"))
        #expect(md.contains("Skor: 67,5 / 100"))
        #expect(md.contains("| Kualitas produk | 4,0 | 4: konsisten, bahan baik |"))
        let one = try #require(r.feedback(lang: .id, producers: ["U-4"]).first?.products.first { $0.product == "P-M4" })
        #expect(one.criteria.isEmpty && one.note != nil)
    }

    @Test func noSheetShowsAnotherProducerOrOneCuratorsPoints() throws {
        let r = try feedbackRound()
        let curatorWords = r.curators.flatMap { [$0.id.rawValue, $0.name] }
        for lang in Language.allCases {
            for sheet in r.feedback(lang: lang) {
                for text in [sheet.markdown(round: r.round, lang: lang), sheet.html(round: r.round, lang: lang)] {
                    for other in r.producers where other.id != sheet.producer {
                        #expect(!text.contains(other.name), "\(sheet.producer) names \(other.name)")
                        #expect(!text.contains(other.id.rawValue + ")"), "\(sheet.producer) names \(other.id)")
                    }
                    for product in r.products where product.producer != sheet.producer {
                        #expect(!text.contains(product.name), "\(sheet.producer) names \(product.name)")
                        if let s = r.aggregate(product).score {
                            #expect(!text.contains(Format.score(s, lang) + " / 100"), "\(sheet.producer) shows the score of \(product.id)")
                        }
                    }
                    for word in curatorWords { #expect(!text.contains(word), "\(sheet.producer) names curator \(word)") }
                }
                // Per-criterion points only as means of at least two sheets.
                for p in sheet.products where !p.criteria.isEmpty {
                    #expect(r.aggregate(r.product(p.product)!).count >= 2)
                }
            }
        }
    }
}

@Suite struct AnalysisDataTests {
    @Test func barsAndDotsForAScreenThatOnlyDrawsThem() throws {
        var r = try lenientAndSevere()
        let data = r.analysisData(barWidth: 10, resamples: 50)
        let k2 = try #require(data.curators.first { $0.curator == "K2" })
        #expect(k2.histogram == [0, 0, 0, 0, 0, 5, 0, 10, 0, 10])
        #expect(k2.leniency == 10)  // +50 points, beyond the 20 that fill the width
        #expect(data.curators.first { $0.curator == "K4" }?.leniency == -10)
        #expect(data.ranks[.mamin]?.count == 5)
        #expect(data.probabilities[.mamin]?.first?.cells == 10)
        // While scoring is blind, K3 (no sheet) sees no dots; K2 (own sheet complete) does.
        #expect(r.sheetDots(product: "P-M1", width: 21, visibleTo: "K3") == nil)
        let dots = try #require(r.sheetDots(product: "P-M1", width: 21, visibleTo: "K2"))
        #expect(dots.cells == [10, 20] && dots.score == 15)
        try r.perform(.openDeliberation, by: "K1", at: "2020-10-15T12:00:00Z")
        #expect(r.sheetDots(product: "P-M1", width: 21, visibleTo: nil) != nil)
    }
}

@Suite struct FeedbackEscapingTests {
    @Test func valuesFromDataAreEscapedInBothFormats() throws {
        var r = try feedbackRound()
        r = r.handEdited { $0.producers[2].name = "Usaha <script>alert(1)</script> | *tiga*\u{1B}]2;x\u{07}" }
        let sheet = try #require(r.feedback(lang: .id, producers: ["U-3"]).first)
        let html = sheet.html(round: r.round, lang: .id)
        #expect(html.contains("Usaha &lt;script&gt;alert(1)&lt;/script&gt; | *tiga*"))
        #expect(!html.contains("<script>"))
        let md = sheet.markdown(round: r.round, lang: .id)
        #expect(md.contains("Usaha \\<script\\>alert(1)\\</script\\> \\| \\*tiga\\*"))
        for text in [html, md] { #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }) }
        #expect(sheet.fileStem == "U-3")
        var odd = sheet
        odd.producer = "../x"
        #expect(odd.fileStem == "___x")
    }
}
