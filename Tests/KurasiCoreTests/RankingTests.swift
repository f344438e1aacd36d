import KurasiCore
import Testing

@Suite struct RankingTests {
    @Test func eligibilityNamesItsReasons() {
        let r = smallRound()
        #expect(r.ineligibility(r.product("P-M9")!) == [.missingPermit(anyOf: [.pirt, .bpomMD], expired: [])])
        #expect(r.ineligibility(r.product("P-M10")!) == [.producerNotValidated(.pending)])
        #expect(r.ineligibility(r.product("P-M11")!) == [.missingPermit(anyOf: [.pirt, .bpomMD], expired: [.pirt])])
        #expect(r.isEligible(r.product("P-M1")!))
        #expect(r.isEligible(r.product("P-N1")!))  // non-mamin has no permit gate by default
        #expect(Ineligibility.missingPermit(anyOf: [.pirt, .bpomMD], expired: []).text(.id) == "tidak punya izin P-IRT atau BPOM MD")
    }

    @Test func rankingOrdersByScoreThenTheTieBreakChain() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", full(4))                       // 75, 1 sheet
        try r.score("P-M2", by: "K2", full(4)); try r.score("P-M2", by: "K4", full(4))  // 75, 2 sheets
        try r.score("P-M3", by: "K2", full(5))                       // 100
        var a = full(4); a["kualitas"] = 3; a["kemasan"] = 5  // 25*.5 + 15*1 + 60*.75 = 72.5
        try r.score("P-M4", by: "K2", a)
        try r.score("P-M5", by: "K2", full(4))  // 75: ties with P-M1 on score, count, median and kualitas
        // P-M6 and P-M7 identical in every respect: id decides.
        try r.score("P-M7", by: "K2", full(2)); try r.score("P-M6", by: "K2", full(2))
        try r.score("P-M9", by: "K2", full(5))  // ineligible: never ranked
        let ranking = r.ranking(.mamin)
        let ranked = ranking.filter { $0.rank != nil }.map(\.product.id)
        // P-M5 (75, kualitas 4) and P-M1 (75, kualitas 4) tie through the tie-break criterion: id.
        #expect(ranked == ["P-M3", "P-M2", "P-M1", "P-M5", "P-M4", "P-M6", "P-M7"])
        #expect(ranking.map(\.rank).compactMap { $0 } == Array(1...7))
        // Unscored eligible products follow, then the ineligible ones, unranked.
        let rest = ranking.filter { $0.rank == nil }.map(\.product.id)
        #expect(rest == ["P-M8", "P-M9", "P-M10", "P-M11"])
        #expect(r.topFive(.mamin) == ["P-M3", "P-M2", "P-M1", "P-M5", "P-M4"])
    }

    @Test func tieBreakCriterionDecidesEqualScores() throws {
        var r = smallRound()
        var low = full(4); low["kualitas"] = 3; low["harga"] = 5    // 25*.5 + 10*1 + 65*.75 = 71.25
        var high = full(4); high["kualitas"] = 5; high["harga"] = 1 // 25 + 0 + 65*.75 = 73.75
        try r.score("P-M1", by: "K2", low)
        try r.score("P-M2", by: "K2", high)
        #expect(r.topFive(.mamin) == ["P-M2", "P-M1"])
        // Make them tie exactly on score, count and median; kualitas decides.
        var tieLow = full(4); tieLow["kualitas"] = 3; tieLow["kemasan"] = 5   // 12.5 + 15 + 45 = 72.5
        // kualitas 5 (25) + kemasan 4 (11.25) + keunikan 3 (10) + pasar 3 (7.5) + kapasitas 4 (11.25) + harga 4 (7.5) = 72.5
        var mirror = full(4); mirror["kualitas"] = 5; mirror["keunikan"] = 3; mirror["pasar"] = 3
        try r.score("P-M3", by: "K4", tieLow)
        try r.score("P-M4", by: "K4", mirror)
        #expect(r.aggregate(r.product("P-M3")!).score == r.aggregate(r.product("P-M4")!).score)
        let order = r.ranking(.mamin).filter { ["P-M3", "P-M4"].contains($0.product.id) }.map(\.product.id)
        #expect(order == ["P-M4", "P-M3"])
    }

    @Test func moreCuratorsWinsAnEqualScore() throws {
        var r = smallRound()
        try r.score("P-M8", by: "K2", full(3))
        try r.score("P-M7", by: "K2", full(3)); try r.score("P-M7", by: "K4", full(3))
        #expect(r.topFive(.mamin) == ["P-M7", "P-M8"])
    }
}

@Suite struct RerankTests {
    /// After any sequence of score and pin edits, the incremental ranking equals a full one.
    @Test func incrementalRankingEqualsAFullRecompute() throws {
        var r = smallRound()
        var lists = Dictionary(uniqueKeysWithValues: Cluster.allCases.map { ($0, r.ranking($0)) })
        var rng: UInt64 = 7
        func next(_ n: Int) -> Int { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Int((rng >> 33) % UInt64(n)) }
        let ids = r.products.map(\.id)
        for step in 0..<300 {
            let product = ids[next(ids.count)]
            let curator = (["K1", "K2", "K4"] as [CuratorID])[next(3)]
            let event: Event?
            if step % 10 == 9 {
                let p = r.pin(of: product) != nil ? Command.unpin(product: product) : .pin(product: product, slot: nil, reason: "uji")
                event = try? r.perform(p, by: "K1", at: "t")
            } else {
                let value: Int? = next(6) == 0 ? nil : next(5) + 1
                event = try? r.perform(.score(product: product, points: [criteria[next(6)]: value]), by: curator, at: "t")
            }
            guard let event else { continue }
            let changed = Set(event.change.products)
            for cluster in Cluster.allCases {
                r.rerank(&lists[cluster]!, changed: Set(changed.filter { r.product($0)?.cluster == cluster }))
                #expect(lists[cluster]! == r.ranking(cluster), "step \(step)")
            }
        }
    }
}
