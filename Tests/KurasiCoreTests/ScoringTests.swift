import KurasiCore
import Testing

@Suite struct ScoringTests {
    @Test func completeSheetIsWeightedOnZeroToHundred() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", full(5))
        try r.score("P-M2", by: "K2", full(1))
        #expect(r.aggregate(r.product("P-M1")!).score == 100)
        #expect(r.aggregate(r.product("P-M2")!).score == 0)
        // kualitas 5 (weight 25), the rest 1: 25 / 100 of the weight at the top.
        var sheet = full(1); sheet["kualitas"] = 5
        try r.score("P-M3", by: "K2", sheet)
        #expect(r.aggregate(r.product("P-M3")!).score == 25)
    }

    @Test func clusterWeightsApply() throws {
        var r = smallRound()
        var sheet = full(1); sheet["keunikan"] = 5
        try r.score("P-M1", by: "K2", sheet)
        try r.score("P-N1", by: "K2", sheet)
        #expect(r.aggregate(r.product("P-M1")!).score == 20)  // mamin: keunikan weighs 20 of 100
        #expect(r.aggregate(r.product("P-N1")!).score == 25)  // non-mamin: 25 of 100
    }

    @Test func incompleteSheetDoesNotCount() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", ["kualitas": 5, "kemasan": 4])
        let a = r.aggregate(r.product("P-M1")!)
        #expect(a.count == 0)
        #expect(a.score == nil)
        #expect(r.ranking(.mamin).first { $0.product.id == "P-M1" }?.rank == nil)
        try r.score("P-M1", by: "K2", ["keunikan": 3, "pasar": 3, "kapasitas": 3, "harga": 3])
        #expect(r.aggregate(r.product("P-M1")!).count == 1)
    }

    @Test func aggregateShowsSpread() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K1", full(5))  // 100
        try r.score("P-M1", by: "K2", full(3))  // 50
        try r.score("P-M1", by: "K4", full(2))  // 25
        let a = r.aggregate(r.product("P-M1")!)
        #expect(a.count == 3)
        let expectedMean: Double = 175.0 / 3
        #expect(a.mean == expectedMean)
        #expect(a.median == 50)
        #expect(a.min == 25)
        #expect(a.max == 100)
        #expect(a.spread == 75)
        let deviations: [Double] = [100, 50, 25].map { ($0 - expectedMean) * ($0 - expectedMean) }
        let sd: Double = (deviations.reduce(0, +) / 3).squareRoot()
        #expect(abs(a.standardDeviation! - sd) < 1e-9)
    }

    @Test func medianIsARoundOption() throws {
        var r = smallRound()
        r = r.handEdited { $0.round.settings.aggregation = .median }
        try r.score("P-M1", by: "K1", full(5))
        try r.score("P-M1", by: "K2", full(2))
        try r.score("P-M1", by: "K4", full(2))
        #expect(r.aggregate(r.product("P-M1")!).score == 25)
    }

    @Test func recusedCuratorIsRefused() throws {
        var r = smallRound()
        #expect(throws: Refusal.recused(curator: "K3", producer: "U-2", reason: "adik pemilik")) {
            try r.score("P-M2", by: "K3", ["kualitas": 4])
        }
        #expect(r.scores["P-M2"] == nil)
        #expect(r.recusedCurators(for: r.product("P-M2")!).map(\.id) == ["K3"])
        #expect(r.coverage(r.product("P-M2")!).possible == 3)
        // K3 scores other producers' products as usual.
        try r.score("P-M1", by: "K3", ["kualitas": 4])
    }

    @Test func scoresOffTheScaleOrOffTheRubricAreRefused() {
        var r = smallRound()
        #expect(throws: Refusal.outOfScale(criterion: "kualitas", value: 6, scale: 1...5)) {
            try r.score("P-M1", by: "K2", ["kualitas": 6])
        }
        #expect(throws: Refusal.unknownCriterion("rasa", known: criteria)) { try r.score("P-M1", by: "K2", ["rasa": 3]) }
        #expect(throws: Refusal.unknownCurator("K9")) { try r.score("P-M1", by: "K9", ["kualitas": 3]) }
        #expect(throws: Refusal.unknownProduct("P-X")) { try r.score("P-X", by: "K2", ["kualitas": 3]) }
        #expect(r.events.isEmpty)
    }

    @Test func clearingAScoreAndScoringTheSameValueAgain() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", ["kualitas": 4])
        let rev = r.revision
        try r.score("P-M1", by: "K2", ["kualitas": 4])
        #expect(r.revision == rev)  // nothing changed, no event
        try r.score("P-M1", by: "K2", ["kualitas": nil])
        #expect(r.scores["P-M1"] == nil)
        #expect(r.revision == rev + 1)
    }
}
