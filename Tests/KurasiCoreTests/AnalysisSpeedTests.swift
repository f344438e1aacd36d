@testable import KurasiCore
import Testing

/// The reports' fast paths give the same answers as the plain computations they replace, on
/// seeded random rounds with ties, incomplete sheets, a conflict, both aggregations and both
/// pin rules (the hand-computed tests in FairnessTests pin the answers themselves).
@Suite struct AnalysisSpeedTests {
    static func randomRound(seed: UInt64, aggregation: Aggregation, onePinPerProducer: Bool) -> Round {
        var rng = SplitMix64(seed: seed)
        let pirt = Permit(kind: .pirt, number: "2063577010123-25", expires: "2025-03-31")
        let producers = (1...12).map { i in
            Producer(id: "U-\(i)", name: "Usaha \(i)", owner: "", address: "", kelurahan: "Kuncen", kecamatan: "Taman",
                     validation: Validation(status: .valid, by: "K1", at: "2020-09-20T09:00:00Z"))
        }
        var products: [Product] = []
        for i in 1...60 {
            let mamin = i % 2 == 0
            products.append(Product(id: ProductID(String(format: "P-%03d", i)), producer: "U-\(1 + i % 12)", name: "Produk \(i)",
                                    cluster: mamin ? .mamin : .nonMamin, category: "x", permits: mamin ? [pirt] : []))
        }
        var curators = [Curator(id: "K1", name: "Ketua", role: .chair)]
        for k in 2...7 { curators.append(Curator(id: "K\(k)", name: "Kurator \(k)")) }
        curators[3].conflicts = [Conflict(producer: "U-2", kind: .family, reason: "adik")]
        var r = Round(round: RoundInfo(title: "Acak", organizer: "Kadin", date: "2020-10-15",
                                       settings: Settings(aggregation: aggregation, onePinPerProducer: onePinPerProducer)),
                      curators: curators, producers: producers, products: products)
        for p in products {
            for c in curators where rng.below(10) < 8 {
                // Each curator leans: K2 lenient, K5 severe; one sheet in ten left incomplete.
                let lean = c.id == "K2" ? 1 : c.id == "K5" ? -1 : 0
                var points: [CriterionID: Int?] = [:]
                for k in criteria { points[k] = Swift.max(1, Swift.min(5, 2 + rng.below(3) + lean)) }
                if rng.below(10) == 0 { points["harga"] = .some(nil) }
                // The conflicted curator's sheets on U-2 were made before the declaration: set aside.
                _ = try? r.perform(.score(product: p.id, points: points), by: c.id, at: "2020-10-15T10:00:00Z")
            }
        }
        return r
    }

    static let rounds: [Round] = [
        randomRound(seed: 1, aggregation: .mean, onePinPerProducer: true),
        randomRound(seed: 2, aggregation: .median, onePinPerProducer: true),
        randomRound(seed: 3, aggregation: .mean, onePinPerProducer: false),
        randomRound(seed: 4, aggregation: .median, onePinPerProducer: false),
    ]

    /// The aggregate as it was computed before it summed points by the rubric's position.
    static func plainAggregate(_ r: Round, _ product: Product, normalisation: Normalisation?) -> Aggregate {
        var sheetScores: [CuratorID: Double] = [:]
        var points: [CriterionID: [Int]] = [:]
        var setAside: [CuratorID] = []
        let sheets = r.scores[product.id] ?? [:]
        let recused = Set(r.recusedCurators(for: product).map(\.id))
        for (curator, sheet) in sheets {
            guard r.isComplete(sheet) else { continue }
            var total = 0.0, weights = 0.0
            let span = Double(r.rubric.scaleMax - r.rubric.scaleMin)
            for c in r.rubric.criteria {
                let w = Double(r.rubric.weight(of: c, in: product.cluster))
                total += w * Double(sheet[c.id]! - r.rubric.scaleMin) / span
                weights += w
            }
            let s = total / weights * 100
            if recused.contains(curator) { setAside.append(curator); continue }
            sheetScores[curator] = normalisation?.adjust(s, curator: curator) ?? s
            for (k, v) in sheet { points[k, default: []].append(v) }
        }
        let values = sheetScores.values.sorted()
        var a = Aggregate(sheetScores: sheetScores, criterionMeans: [:], setAside: setAside.sorted())
        guard !values.isEmpty else { return a }
        let mean = values.reduce(0, +) / Double(values.count)
        let mid = values.count / 2
        let median = values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        a.mean = mean; a.median = median; a.min = values.first; a.max = values.last
        a.standardDeviation = variance.squareRoot()
        a.score = r.round.settings.aggregation == .mean ? mean : median
        a.criterionMeans = KeyedValues(points.mapValues { Double($0.reduce(0, +)) / Double($0.count) })
        return a
    }

    @Test(arguments: 0..<4)
    func aggregatesAreTheSame(_ i: Int) {
        let r = Self.rounds[i]
        let norm = r.normalisation()
        for p in r.products {
            #expect(r.aggregate(p) == Self.plainAggregate(r, p, normalisation: nil), "\(p.id)")
            #expect(r.aggregate(p, normalisation: norm) == Self.plainAggregate(r, p, normalisation: norm), "\(p.id)")
        }
    }

    @Test(arguments: 0..<4)
    func theNormalisedRankingFromTheRawOneIsTheSame(_ i: Int) {
        let r = Self.rounds[i]
        let norm = r.normalisation()
        #expect(norm.scales.values.contains { $0.treatment == .normalised })
        for c in Cluster.allCases {
            let direct = r.ranking(c, normalisation: norm)
            #expect(r.renormalised(r.ranking(c, normalisation: nil), by: norm) == direct)
            #expect(direct.contains { $0.rank != nil })
        }
    }

    /// Leave one curator out and the five chosen, as the plain walk over sorted keys gives them.
    @Test(arguments: 0..<4)
    func leaveOneOutIsTheSame(_ i: Int) {
        let r = Self.rounds[i]
        let useMedian = r.round.settings.aggregation == .median
        for c in Cluster.allCases {
            let ranked = r.ranking(c)
            let base = r.topFive(of: ranked)
            let all = r.candidates(ranked)
            let got = r.clusterStability(c, seed: 7, resamples: 20).leaveOneOut
            let ids = Set(all.flatMap { $0.sheets.map(\.curator) }).sorted()
            #expect(got.map(\.curator) == ids)
            for (k, curator) in ids.enumerated() {
                var keys: [ChainKey] = []
                for (j, cand) in all.enumerated() {
                    var values: [Double] = [], tie = 0
                    for s in cand.sheets where s.curator != curator { values.append(s.score); tie += s.tie }
                    guard !values.isEmpty else { continue }
                    keys.append(.make(&values, tieSum: tie, index: j, median: useMedian))
                }
                keys.sort(by: ChainKey.precedes)
                var five: [ProductID] = [], producers = Set<ProducerID>()
                for key in keys where five.count < Round.pinSlots {
                    if r.round.settings.onePinPerProducer, !producers.insert(all[key.index].producer).inserted { continue }
                    five.append(all[key.index].id)
                }
                #expect(got[k].topFive == five, "\(c) without \(curator)")
                #expect(got[k].leaves == base.filter { !five.contains($0) })
            }
        }
    }

    /// The bootstrap computing only the keys that can still be chosen gives the plain walk's
    /// percentages, resample for resample (the same draws), on both aggregations and pin rules.
    @Test(arguments: 0..<4)
    func theBootstrapIsTheSame(_ i: Int) {
        let r = Self.rounds[i]
        for c in Cluster.allCases {
            let fast = r.clusterStability(c, seed: 2020, resamples: 300)
            let plain = r.clusterStability(c, seed: 2020, resamples: 300, exhaustive: true)
            #expect(fast == plain)
            #expect(fast.probabilities.contains { $0.probability > 0 && $0.probability < 1 })
        }
    }

    /// On the constructed rounds too: four products that cannot leave the five (100 % without a
    /// draw) and one curator deciding fifth place; and a lenient and a severe curator.
    @Test func theBootstrapIsTheSameOnTheConstructedRounds() throws {
        for r in [try oneCuratorDecidesFifth(), try lenientAndSevere()] {
            for c in Cluster.allCases {
                #expect(r.clusterStability(c, seed: 7, resamples: 500) == r.clusterStability(c, seed: 7, resamples: 500, exhaustive: true))
            }
        }
    }

    /// Each product draws from its own stream, from the seed and the product id: resample r
    /// starts at the stream's output r·n, reached without drawing what comes before it.
    @Test func aProductsStreamIsReachedAtAnyResample() {
        let start = Round.stream(seed: 2020, product: "P-M5")
        var whole = SplitMix64(seed: start)
        for r in 0..<50 {
            var at = Round.draws(start, resample: r, n: 3)
            for _ in 0..<3 { #expect(at.next() == whole.next()) }
        }
        #expect(Round.stream(seed: 2020, product: "P-M5") != Round.stream(seed: 2020, product: "P-M6"))
        #expect(Round.stream(seed: 2020, product: "P-M5") != Round.stream(seed: 2021, product: "P-M5"))
    }

    /// A product that cannot reach the five leaves every other product's percentage as it was
    /// (with one stream shared by all, its draws would have moved everyone's after it).
    @Test func aProductThatCannotReachChangesNoOtherPercentage() throws {
        let r = try oneCuratorDecidesFifth()
        var more = r
        for c in ["K2", "K3", "K4"] as [CuratorID] { try more.score("P-M8", by: c, full(1)) }
        let a = try #require(r.stability(clusters: [.mamin]).clusters.first)
        let b = try #require(more.stability(clusters: [.mamin]).clusters.first)
        #expect(b.probabilities.map(\.product) == a.probabilities.map(\.product))
        #expect(b.probabilities.map(\.probability) == a.probabilities.map(\.probability))
        #expect(more.clusterStability(.mamin, seed: 2020, resamples: 1000, exhaustive: true) == b)
    }

    /// The counted sheet scores as they were computed before (each sheet weighed through
    /// `weightedScore(_:cluster:)`, recused curators per product, a dictionary per curator).
    static func plainCounted(_ r: Round) -> [(product: Product, sheets: [(curator: CuratorID, score: Double)])] {
        var out: [(Product, [(CuratorID, Double)])] = []
        for p in r.products {
            guard let sheets = r.scores[p.id], !sheets.isEmpty else { continue }
            let recused = Set(r.recusedCurators(for: p).map(\.id))
            var list: [(CuratorID, Double)] = []
            for (c, sheet) in sheets where !recused.contains(c) {
                if let s = r.weightedScore(sheet, cluster: p.cluster) { list.append((c, s)) }
            }
            guard !list.isEmpty else { continue }
            list.sort { $0.0 < $1.0 }
            out.append((p, list))
        }
        return out.sorted { $0.0.id < $1.0.id }.map { (product: $0.0, sheets: $0.1.map { (curator: $0.0, score: $0.1) }) }
    }

    /// The normalisation as it was computed before: sums in dictionaries by curator id.
    static func plainNormalisation(_ counted: [(product: Product, sheets: [(curator: CuratorID, score: Double)])]) -> Normalisation {
        var sums: [CuratorID: (n: Int, sum: Double)] = [:]
        var n = 0, sum = 0.0
        for entry in counted {
            for (c, s) in entry.sheets { var t = sums[c] ?? (0, 0); t.n += 1; t.sum += s; sums[c] = t; n += 1; sum += s }
        }
        let mean = n > 0 ? sum / Double(n) : 0
        var means: [CuratorID: Double] = [:]
        for (c, t) in sums { means[c] = t.sum / Double(t.n) }
        var dev: [CuratorID: Double] = [:], devAll = 0.0
        for entry in counted {
            for (c, s) in entry.sheets { let d = s - means[c]!; dev[c, default: 0] += d * d; devAll += (s - mean) * (s - mean) }
        }
        var scales: [CuratorID: Normalisation.Scale] = [:]
        for (c, t) in sums {
            let sd = (dev[c]! / Double(t.n)).squareRoot()
            scales[c] = .init(curator: c, sheets: t.n, mean: means[c]!, standardDeviation: sd,
                              treatment: t.n < Normalisation.minimumSheets ? .tooFewSheets : sd < 1e-9 ? .noSpread : .normalised)
        }
        return Normalisation(committeeMean: mean, committeeStandardDeviation: n > 0 ? (devAll / Double(n)).squareRoot() : 0, scales: scales)
    }

    /// Counted sheets, the normalisation and calibration's points per criterion: the same as the
    /// plain computations, value for value (a conflict, incomplete sheets, both clusters).
    @Test(arguments: 0..<4)
    func countedSheetsNormalisationAndCalibrationAreTheSame(_ i: Int) throws {
        let r = Self.rounds[i]
        let plain = Self.plainCounted(r)
        let fast = r.countedSheetScores()
        #expect(fast.map(\.product.id) == plain.map(\.product.id))
        #expect(fast.map { $0.sheets.map(\.curator) } == plain.map { $0.sheets.map(\.curator) })
        #expect(fast.map { $0.sheets.map(\.score) } == plain.map { $0.sheets.map(\.score) })
        #expect(fast.contains { $0.product.producer == "U-2" } && r.curators.contains { !$0.conflicts.isEmpty })
        #expect(r.normalisation() == Self.plainNormalisation(plain))
        for clusters in [Cluster.allCases, [.mamin], [.nonMamin]] {
            let cal = r.calibration(clusters: clusters)
            for cur in cal.curators {
                // Points per criterion and the sheets, straight from the score sheets.
                var expected: [CriterionID: [Int]] = [:]
                var sheets = 0
                for entry in plain where clusters.contains(entry.product.cluster) {
                    for s in entry.sheets where s.curator == cur.curator {
                        sheets += 1
                        for k in r.rubric.criteria {
                            let v = r.scores[entry.product.id]![cur.curator]![k.id]!
                            expected[k.id, default: [Int](repeating: 0, count: r.rubric.scaleMax - r.rubric.scaleMin + 1)][v - r.rubric.scaleMin] += 1
                        }
                    }
                }
                #expect(cur.sheets == sheets)
                #expect(cur.points == (sheets == 0 ? [:] : expected), "\(cur.curator)")
            }
        }
    }

    /// The cut line, the pairwise round and the next pair on a ranking the caller holds (the
    /// console's) are those computed from scratch, for every curator, with comparisons made.
    @Test func pairwiseOnAHeldRankingIsTheSame() throws {
        var r = try oneCuratorDecidesFifth()
        try r.perform(.fairness(.compare("P-M6", "P-M5", prefer: .a)), by: "K2", at: "2020-10-15T13:00:00Z")
        try r.perform(.fairness(.compare("P-M5", "P-M7", prefer: .b)), by: "K4", at: "2020-10-15T13:01:00Z")
        for round in Self.rounds + [r] {
            for c in Cluster.allCases {
                let ranked = round.ranking(c)
                #expect(round.cutLine(of: ranked) == round.cutLine(c))
                #expect(round.pairwise(c, ranked: ranked, everything: true) == round.pairwise(c, everything: true))
                for k in round.curators.map(\.id) {
                    #expect(round.pairwise(c, ranked: ranked, visibleTo: k) == round.pairwise(c, visibleTo: k))
                    let held = round.nextPair(c, for: k, ranked: ranked).map { [$0.0, $0.1] }
                    #expect(held == round.nextPair(c, for: k).map { [$0.0, $0.1] })
                }
            }
        }
        #expect(r.pairwise(.mamin, everything: true).comparisons == 2)
    }

    /// Markdown escaping of printable ASCII byte by byte is the character walk's.
    @Test func markdownEscapingIsTheSame() {
        func plain(_ s: String) -> String {
            var out = ""
            for ch in s.displaySafe {
                if "\\`*_[]<>|#".contains(ch) { out.append("\\") }
                out.append(ch)
            }
            return out
        }
        for s in ["Kemasan & label", "Sambal *pedas* [x]", "a_b|c#d<e>f\\g`h", "", "Rp 25.000", "Kopi\tTubruk", "Jenang – manis ≥ 3",
                  "E\u{301}#", "#\u{301}", "line\nbreak", "\u{1B}[31m", "naïve_café"] {
            #expect(Feedback.escapeMarkdown(s) == plain(s), "\(s)")
        }
    }

    /// The bootstrap's choice of five by passes over the keys is the sorted walk's.
    @Test func chooseFiveIsTheSortedWalk() {
        var rng = SplitMix64(seed: 99)
        for rule in [true, false] {
            let r = Self.randomRound(seed: 5, aggregation: .mean, onePinPerProducer: rule)
            let all = r.candidates(r.ranking(.mamin))
            for _ in 0..<200 {
                // Coarse scores so that the chain's later links decide often.
                var keys = all.indices.map { j in
                    ChainKey(score: Double(rng.below(4)), count: 1 + rng.below(2), median: Double(rng.below(2)),
                             tie: Double(rng.below(2)), index: j)
                }
                let fast = r.chooseFive(&keys, all)
                keys.sort(by: ChainKey.precedes)
                var five: [Int] = [], producers = Set<ProducerID>()
                for key in keys where five.count < Round.pinSlots {
                    if rule, !producers.insert(all[key.index].producer).inserted { continue }
                    five.append(key.index)
                }
                #expect(fast == five)
            }
        }
    }
}
