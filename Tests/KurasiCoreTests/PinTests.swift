import Foundation
import KurasiCore
import Testing

@Suite struct PinTests {
    /// A round where P-M1…P-M7 and P-N1…P-N7 are scored in that order (P-x1 best).
    /// The round with K2 and K4 as secretaries, so that they record pins.
    func officers(_ round: Round) throws -> Round {
        var r = round
        try r.perform(.setRole(curator: "K2", .secretary), by: "K1", at: "t")
        try r.perform(.setRole(curator: "K4", .secretary), by: "K1", at: "t")
        return r
    }

    func scored() throws -> Round {
        var r = smallRound()
        for i in 1...7 {
            let point = max(1, 5 - (i - 1) / 2)
            var sheet = full(point); sheet["harga"] = i % 2 == 0 ? 1 : 5  // break ties by position
            try r.score("P-M\(i)", by: "K2", sheet)
            try r.score("P-N\(i)", by: "K2", sheet)
        }
        return r
    }

    @Test func pinsFillSlotsInOrder() throws {
        var r = try scored()
        try r.pin("P-M1"); try r.pin("P-M3", slot: 4); try r.pin("P-M2")
        #expect(r.pins(in: .mamin).map(\.slot) == [1, 2, 4])
        #expect(r.pins(in: .mamin).map(\.product) == ["P-M1", "P-M2", "P-M3"])
        #expect(r.ranking(.mamin).first { $0.product.id == "P-M3" }?.pinnedSlot == 4)
    }

    @Test func aSixthPinIsRefused() throws {
        var r = try scored()
        for i in 1...5 { try r.pin("P-M\(i)") }
        #expect(throws: Refusal.clusterFull(.mamin)) { try r.pin("P-M6", reason: "cadangan") }
        #expect(throws: Refusal.slotTaken(cluster: .mamin, slot: 2, product: "P-M2")) { try r.pin("P-M6", slot: 2, reason: "x") }
        #expect(throws: Refusal.slotOutOfRange(6)) { try r.pin("P-M6", slot: 6, reason: "x") }
        #expect(r.pins(in: .mamin).count == 5)
        // The other cluster has its own five.
        try r.pin("P-N1")
    }

    @Test func aProductIsPinnedOnce() throws {
        var r = try scored()
        try r.pin("P-M1")
        #expect(throws: Refusal.alreadyPinned(product: "P-M1", cluster: .mamin, slot: 1)) { try r.pin("P-M1") }
    }

    @Test func onePinPerProducerPerCluster() throws {
        var r = try scored()
        try r.score("P-M9", by: "K2", full(5))
        r = r.handEdited { $0.products[$0.products.firstIndex { $0.id == "P-M9" }!].permits = [Permit(kind: .bpomMD, number: "MD 1")] }
        try r.pin("P-M1")
        #expect(throws: Refusal.producerAlreadyPinned(producer: "U-1", product: "P-M1", slot: 1)) { try r.pin("P-M9") }
        // One producer may still hold a pin in each cluster.
        try r.pin("P-N1")
        // With the option off, the same producer may hold two.
        var open = try scored()
        open = open.handEdited { $0.round.settings.onePinPerProducer = false }
        open = open.handEdited { $0.products[$0.products.firstIndex { $0.id == "P-M9" }!].permits = [Permit(kind: .bpomMD, number: "MD 1")] }
        try open.score("P-M9", by: "K2", full(5))
        try open.pin("P-M1"); try open.pin("P-M9")
        #expect(open.pins(in: .mamin).count == 2)
    }

    @Test func onlyEligibleProductsArePinned() throws {
        var r = try scored()
        #expect(throws: Refusal.notEligible(product: "P-M9", reasons: [.missingPermit(anyOf: [.pirt, .bpomMD], expired: [])])) {
            try r.pin("P-M9", reason: "bagus")
        }
        #expect(throws: Refusal.notEligible(product: "P-M10", reasons: [.producerNotValidated(.pending)])) {
            try r.pin("P-M10", reason: "bagus")
        }
    }

    @Test func outsideTheTopFiveNeedsAReason() throws {
        var r = try scored()
        #expect(throws: Refusal.reasonRequired(product: "P-M6", rank: 6)) { try r.pin("P-M6") }
        #expect(throws: Refusal.reasonRequired(product: "P-M8", rank: nil)) { try r.pin("P-M8", reason: "  ") }
        try r.pin("P-M6", reason: "ikon kota, dipilih rapat")
        #expect(r.pins(in: .mamin).first?.reason == "ikon kota, dipilih rapat")
        try r.pin("P-M1")
        #expect(r.pins(in: .mamin).last?.reason == nil)
    }

    @Test func aPinPlannedWithTheClustersRankingGivenReadsItInsteadOfRankingAgain() throws {
        let r = try scored()
        let pin = Command.pin(product: "P-M6", slot: nil, reason: nil)
        // Sixth: outside the top five, a reason is asked for.
        #expect(throws: Refusal.reasonRequired(product: "P-M6", rank: 6)) { try r.plan(pin, by: "K1", at: "t") }
        #expect(throws: Refusal.reasonRequired(product: "P-M6", rank: 6)) { try r.plan(pin, by: "K1", at: "t", ranking: r.ranking(.mamin)) }
        // A ranking given in which it comes first decides: the cluster is not ranked again.
        var given = r.ranking(.mamin)
        given.insert(given.remove(at: given.firstIndex { $0.product.id == "P-M6" }!), at: 0)
        #expect(try r.plan(pin, by: "K1", at: "t", ranking: given) != nil)
        // With a reason no ranking is read at all (not even an empty one given).
        #expect(try r.plan(.pin(product: "P-M6", slot: nil, reason: "ikon kota"), by: "K1", at: "t", ranking: []) != nil)
        #expect(throws: Refusal.reasonRequired(product: "P-M6", rank: nil)) { try r.plan(pin, by: "K1", at: "t", ranking: []) }
    }

    @Test func unpinFreesTheSlot() throws {
        var r = try scored()
        try r.pin("P-M1"); try r.pin("P-M2")
        try r.perform(.unpin(product: "P-M1"), by: "K1", at: "t")
        #expect(r.pins(in: .mamin).map(\.product) == ["P-M2"])
        try r.pin("P-M3")
        #expect(r.pins(in: .mamin).map(\.slot) == [1, 2])
        #expect(throws: Refusal.notPinned("P-M1")) { try r.perform(.unpin(product: "P-M1"), by: "K1", at: "t") }
    }
}

@Suite struct RoundStatusTests {
    func fullyPinned() throws -> Round {
        var r = try PinTests().scored()
        for i in 1...5 { try r.pin("P-M\(i)"); try r.pin("P-N\(i)") }
        return r
    }

    @Test func finalisingNeedsFivePinsInEachCluster() throws {
        var r = try PinTests().scored()
        for i in 1...4 { try r.pin("P-M\(i)") }
        for i in 1...5 { try r.pin("P-N\(i)") }
        #expect(throws: Refusal.finalizeNeedsPins(mamin: 4, nonMamin: 5)) { try r.perform(.finalize, by: "K1", at: "t") }
        try r.pin("P-M5")
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.finalize, by: "K2", at: "t") }
        try r.perform(.finalize, by: "K1", at: "2020-10-15T15:00:00Z")
        #expect(r.isFinal)
        #expect(r.round.status.by == "K1")
    }

    @Test func aFinalRoundRefusesEveryEdit() throws {
        var r = try fullyPinned()
        try r.perform(.finalize, by: "K1", at: "t")
        let before = r
        let edits: [Command] = [
            .score(product: "P-M6", points: ["kualitas": 3]), .unpin(product: "P-M1"),
            .pin(product: "P-M6", slot: nil, reason: "x"), .validate(producer: "U-9", status: .valid, reason: nil),
            .addConflict(curator: "K2", Conflict(producer: "U-1", kind: .other, reason: "x")), .undo, .finalize,
        ]
        for edit in edits {
            #expect(throws: Refusal.roundFinal(by: "K1")) { try r.perform(edit, by: "K2", at: "t") }
        }
        #expect(r == before)
    }

    @Test func theChairReopensWithAReason() throws {
        var r = try fullyPinned()
        try r.perform(.finalize, by: "K1", at: "t")
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.reopen(reason: "salah"), by: "K2", at: "t") }
        #expect(throws: Refusal.reasonMissing) { try r.perform(.reopen(reason: " "), by: "K1", at: "t") }
        try r.perform(.reopen(reason: "P-M3 ternyata tutup"), by: "K1", at: "t2")
        #expect(!r.isFinal)
        #expect(r.round.status.reason == "P-M3 ternyata tutup")
        try r.perform(.unpin(product: "P-M3"), by: "K1", at: "t3")
        #expect(throws: Refusal.notFinal) { try r.perform(.reopen(reason: "lagi"), by: "K1", at: "t") }
    }
}

@Suite struct HistoryAndUndoTests {
    @Test func everyChangeIsAnEventWithBeforeAndAfter() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", ["kualitas": 3])
        try r.score("P-M1", by: "K2", ["kualitas": 4])
        let e = r.events.last!
        #expect(e.revision == 2 && e.by == "K2" && e.at == "2020-10-15T10:00:00Z")
        #expect(e.change == .score(product: "P-M1", curator: "K2", criterion: "kualitas", from: 3, to: 4))
        #expect(r.history(product: "P-M1").count == 2)
        #expect(r.history(product: "P-M2").isEmpty)
        #expect(e.summary(.en) == "P-M1 K2 kualitas: 3 → 4")
    }

    @Test func undoRevertsOnesOwnLastChangeByAppendingItsInverse() throws {
        var r = smallRound()
        try r.score("P-M1", by: "K2", ["kualitas": 3])
        try r.score("P-M1", by: "K2", ["kualitas": 4])
        try r.score("P-M2", by: "K4", ["kualitas": 5])
        let undo = try r.perform(.undo, by: "K2", at: "t")!
        #expect(undo.undoOf == 2)
        #expect(r.sheet(product: "P-M1", curator: "K2")["kualitas"] == 3)
        #expect(r.sheet(product: "P-M2", curator: "K4")["kualitas"] == 5)  // K4's edit untouched
        #expect(r.events.count == 4)
        // Undo again goes one further back, not forward.
        try r.perform(.undo, by: "K2", at: "t")
        #expect(r.scores["P-M1"] == nil)
        #expect(throws: Refusal.nothingToUndo(curator: "K2")) { try r.perform(.undo, by: "K2", at: "t") }
    }

    @Test func undoAfterSomeoneElsesEditOfTheSameThingIsRefused() throws {
        var r = try PinTests().officers(try PinTests().scored())
        try r.pin("P-M1", by: "K2")
        try r.perform(.unpin(product: "P-M1"), by: "K4", at: "t")
        try r.pin("P-M2", by: "K4")  // slot 1 now holds P-M2
        let before = r
        #expect(throws: Refusal.changedSince(what: "MAMIN ★1", revision: before.revision, by: "K4")) {
            try r.perform(.undo, by: "K2", at: "t")
        }
        #expect(r == before)
    }

    @Test func undoAfterSomeoneElsesUnrelatedEditWorks() throws {
        var r = try PinTests().officers(try PinTests().scored())
        try r.pin("P-M1", by: "K2")
        try r.pin("P-N1", by: "K4")
        try r.perform(.undo, by: "K2", at: "t")
        #expect(r.pins(in: .mamin).isEmpty)
        #expect(r.pins(in: .nonMamin).count == 1)
    }

    @Test func rejectingAProducerNeedsAReasonAndNoPins() throws {
        var r = try PinTests().scored()
        #expect(throws: Refusal.reasonMissing) { try r.perform(.validate(producer: "U-9", status: .rejected, reason: nil), by: "K1", at: "t") }
        try r.perform(.validate(producer: "U-9", status: .valid, reason: nil), by: "K1", at: "t")
        #expect(r.isEligible(r.product("P-M10")!))
        try r.pin("P-M1")
        #expect(throws: Refusal.producerHasPins(producer: "U-1", product: "P-M1")) {
            try r.perform(.validate(producer: "U-1", status: .rejected, reason: "tutup"), by: "K1", at: "t")
        }
    }

    @Test func changesRoundTripThroughJSON() throws {
        var r = try PinTests().scored()
        try r.pin("P-M7", reason: "ikon")
        try r.perform(.addConflict(curator: "K4", Conflict(producer: "U-3", kind: .business, reason: "pemasok")), by: "K4", at: "t")
        try r.perform(.add(producers: [Producer(id: "U-10", name: "Baru", owner: "", address: "", kelurahan: "Taman", kecamatan: "Taman")],
                           products: [Product(id: "P-X", producer: "U-10", name: "Baru", cluster: .nonMamin, category: "Batik")]),
                      by: "import", at: "t")
        for event in r.events {
            let data = try JSONEncoder().encode(event)
            #expect(try JSONDecoder().decode(Event.self, from: data) == event)
        }
    }
}
