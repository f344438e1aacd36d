import Foundation
import KurasiCore
import Testing

/// The committee's rules on their side paths: blindness, conflicts, roles, the top five the rules
/// allow, undo, and `violations` (what `kurasi check` reports).
@Suite struct RulesTests {
    let at = "2020-10-15T10:00:00Z"

    // MARK: Blind scoring

    @Test func aProductStaysBlindUntilOnesOwnSheetIsComplete() throws {
        var r = smallRound()
        try r.score("P-N1", by: "K2", full(5))
        #expect(r.visibility(of: "P-N1", to: "K2") == .all)
        #expect(r.visibility(of: "P-N1", to: "K4") == .hidden)
        var half = full(3); half["harga"] = nil
        try r.score("P-N1", by: "K4", half)
        #expect(r.visibility(of: "P-N1", to: "K4") == .hidden, "an incomplete sheet does not open the product")
        // The projected board (nobody signed in) shows no scores during scoring.
        #expect(r.visibility(of: "P-N1", to: nil) == .hidden)
        // K4 sees its own score events, not K2's.
        let seen = r.history(product: "P-N1", visibleTo: "K4")
        #expect(seen.allSatisfy { $0.by == "K4" })
        #expect(r.history(product: "P-N1", visibleTo: "K2").count == 2)
    }

    @Test func deliberationOpenedByTheChairShowsEverything() throws {
        var r = smallRound()
        try r.score("P-N1", by: "K2", full(5))
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.openDeliberation, by: "K2", at: at) }
        let e = try r.perform(.openDeliberation, by: "K1", at: at)
        #expect(e?.summary(.id) == "tahap musyawarah dibuka")
        #expect(r.phase == .deliberation)
        #expect(r.visibility(of: "P-N1", to: nil) == .all)
        #expect(r.visibility(of: "P-N1", to: "K4") == .all)
        #expect(throws: Refusal.deliberationOpen) { try r.perform(.openDeliberation, by: "K1", at: at) }
        // Scoring goes on in deliberation; undo cannot close it again.
        try r.score("P-N2", by: "K4", full(4))
        #expect(throws: Refusal.undoStatus) { try r.perform(.undo, by: "K1", at: at) }
    }

    @Test func withBlindScoringOffEverythingIsVisible() {
        var r = smallRound()
        r = r.handEdited { $0.round.settings.blindScoring = false }
        #expect(r.visibility(of: "P-N1", to: "K4") == .all)
        #expect(r.visibility(of: "P-N1", to: nil) == .all)
    }

    // MARK: Conflicts of interest

    @Test func aConflictDeclaredAfterScoringSetsTheSheetsAside() throws {
        var r = smallRound()
        for c in ["K1", "K2", "K4"] as [CuratorID] { try r.score("P-N3", by: c, full(c == "K2" ? 5 : 2)) }
        let product = r.product("P-N3")!
        #expect(r.aggregate(product).count == 3)
        try r.perform(.addConflict(curator: "K2", Conflict(producer: "U-3", kind: .business, reason: "pemasok")), by: "K2", at: at)
        let a = r.aggregate(product)
        #expect(a.count == 2)
        #expect(a.setAside == ["K2"])
        #expect(a.score == 25)
        #expect(r.coverage(product) == (2, 3))
        #expect(r.violations().isEmpty, "check agrees with the commands: \(r.violations())")
    }

    @Test func aConflictedOfficerNeitherPinsNorUnpinsThatProducer() throws {
        var r = smallRound()
        try r.perform(.setRole(curator: "K3", .secretary), by: "K1", at: at)
        try r.score("P-N2", by: "K2", full(5))
        #expect(throws: Refusal.recusedFromPin(curator: "K3", producer: "U-2", reason: "adik pemilik")) {
            try r.pin("P-N2", by: "K3")
        }
        try r.pin("P-N2", by: "K1")
        #expect(throws: Refusal.recusedFromPin(curator: "K3", producer: "U-2", reason: "adik pemilik")) {
            try r.perform(.unpin(product: "P-N2"), by: "K3", at: at)
        }
        try r.pin("P-N1", by: "K3", reason: "usulan komite")
        #expect(r.pin(of: "P-N1")?.1.by == "K3")
    }

    @Test func onlyTheChairWithdrawsAConflictAndUndoIsNoWayAround() throws {
        var r = smallRound()
        try r.perform(.addConflict(curator: "K2", Conflict(producer: "U-5", kind: .family, reason: "ipar")), by: "K2", at: at)
        #expect(throws: Refusal.conflictWithdrawnByChair(curator: "K2", producer: "U-5")) {
            try r.perform(.undo, by: "K2", at: at)
        }
        #expect(throws: Refusal.conflictWithdrawnByChair(curator: "K2", producer: "U-5")) {
            try r.perform(.withdrawConflict(curator: "K2", producer: "U-5", reason: "salah input"), by: "K2", at: at)
        }
        #expect(throws: Refusal.reasonMissing) {
            try r.perform(.withdrawConflict(curator: "K2", producer: "U-5", reason: "  "), by: "K1", at: at)
        }
        #expect(r.curator("K2")!.isRecused(from: "U-5"))
        let e = try r.perform(.withdrawConflict(curator: "K2", producer: "U-5", reason: "salah input"), by: "K1", at: at)
        #expect(e?.summary(.id) == "konflik K2 dengan U-5 dicabut: salah input")
        #expect(!r.curator("K2")!.isRecused(from: "U-5"))
        #expect(r.curator("K2")!.conflicts.first?.withdrawn?.by == "K1", "the withdrawn conflict stays on record")
        try r.score("P-N5", by: "K2", full(4))
        // Another curator does not declare K2's conflicts; the chair may.
        #expect(throws: Refusal.conflictOwnOrChair(curator: "K2")) {
            try r.perform(.addConflict(curator: "K2", Conflict(producer: "U-6", kind: .other, reason: "x")), by: "K4", at: at)
        }
        try r.perform(.addConflict(curator: "K2", Conflict(producer: "U-6", kind: .other, reason: "tetangga")), by: "K1", at: at)
    }

    // MARK: Who may do what

    @Test func onceThereIsAChairOnlyTheChairManagesTheCommittee() throws {
        var r = Round(round: RoundInfo(title: "Baru", date: "2020-10-15"))
        // The first curators of a new round need nobody to add them.
        try r.perform(.addCurator(Curator(id: "K2", name: "Sri")), by: "admin", at: at)
        try r.perform(.addCurator(Curator(id: "K1", name: "Ketua", role: .chair)), by: "admin", at: at)
        // The takeover: anyone adds themselves as chair. Refused once a chair exists.
        #expect(throws: Refusal.chairOnly(curator: "admin")) {
            try r.perform(.addCurator(Curator(id: "K9", name: "Siapa", role: .chair)), by: "admin", at: at)
        }
        #expect(throws: Refusal.chairOnly(curator: "K2")) {
            try r.perform(.addCurator(Curator(id: "K9", name: "Siapa", role: .chair)), by: "K2", at: at)
        }
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.setRole(curator: "K2", .chair), by: "K2", at: at) }
        try r.perform(.addCurator(Curator(id: "K3", name: "Bambang")), by: "K1", at: at)
        try r.perform(.setRole(curator: "K3", .secretary), by: "K1", at: at)
        #expect(r.curator("K3")?.role == .secretary)
        #expect(throws: Refusal.chairOnly(curator: "K3")) { try r.perform(.removeCurator("K2"), by: "K3", at: at) }
        try r.perform(.removeCurator("K2"), by: "K1", at: at)
        #expect(r.curator("K2") == nil)
        #expect(throws: Refusal.curatorHasWork("K1")) { try r.perform(.removeCurator("K1"), by: "K1", at: at) }
    }

    @Test func pinsAreRecordedByTheChairOrTheSecretary() throws {
        var r = smallRound()
        try r.score("P-N1", by: "K2", full(5))
        #expect(throws: Refusal.pinsByChairOrSecretary(curator: "K2")) { try r.pin("P-N1", by: "K2") }
        try r.perform(.setRole(curator: "K4", .secretary), by: "K1", at: at)
        try r.pin("P-N1", by: "K4")
        #expect(r.pin(of: "P-N1")?.1.by == "K4")
        #expect(throws: Refusal.chairOnly(curator: "K4")) { try r.perform(.finalize, by: "K4", at: at) }
    }

    @Test func aCuratorWhoMayNotPinIsToldSoBeforeBeingAskedForAReason() throws {
        var r = smallRound()
        try r.score("P-N1", by: "K2", full(5))
        // P-N2 has no score, so it is outside the top five: pinning it needs a reason. K2 may not
        // pin at all, and hears that first, with or without a reason.
        #expect(throws: Refusal.pinsByChairOrSecretary(curator: "K2")) { try r.pin("P-N2", by: "K2") }
        #expect(throws: Refusal.pinsByChairOrSecretary(curator: "K2")) {
            _ = try r.plan(.pin(product: "P-N2", slot: nil, reason: nil), by: "K2", at: at)
        }
        #expect(throws: Refusal.pinsByChairOrSecretary(curator: "K2")) { try r.pin("P-N2", by: "K2", reason: "ikon") }
        // A recused curator likewise: the chair who declared a conflict with U-2 is not asked why.
        try r.perform(.addConflict(curator: "K1", Conflict(producer: "U-2", kind: .family, reason: "ipar")), by: "K1", at: at)
        #expect(throws: Refusal.recusedFromPin(curator: "K1", producer: "U-2", reason: "ipar")) { try r.pin("P-N2", by: "K1") }
        // The chair, free to pin, is asked for the reason.
        #expect(throws: Refusal.reasonRequired(product: "P-N3", rank: nil)) { try r.pin("P-N3", by: "K1") }
        #expect(r.pins(in: .nonMamin).isEmpty)
    }

    // MARK: The top five the rules allow

    @Test func theTopFivePassesOverASecondProductOfOneProducer() throws {
        var r = smallRound()
        r.setPermits("P-M9", [Permit(kind: .bpomMD, number: "MD 224413001234")])
        // P-M1 and P-M9 (both U-1) first and second; P-M2…P-M6 below.
        try r.score("P-M1", by: "K2", full(5))
        var high = full(5); high["harga"] = 4
        try r.score("P-M9", by: "K2", high)
        for i in 2...6 { try r.score("P-M\(i)", by: "K2", full(4)) }
        let ranked = r.ranking(.mamin).filter { $0.rank != nil }.map(\.product.id)
        #expect(Array(ranked.prefix(2)) == ["P-M1", "P-M9"])
        let top = r.topFive(.mamin)
        #expect(!top.contains("P-M9"))
        #expect(top.count == 5)
        #expect(top.first == "P-M1")
        // The natural fifth (ranked sixth) needs no reason to be pinned.
        let fifth = top[4]
        #expect(ranked.firstIndex(of: fifth) == 5)
        try r.pin(fifth)
        #expect(r.pin(of: fifth)?.1.reason == nil)
        // With the option off, the top five is the first five ranked.
        r = r.handEdited { $0.round.settings.onePinPerProducer = false }
        #expect(r.topFive(.mamin) == Array(ranked.prefix(5)))
    }

    // MARK: Changes that would break a pin

    @Test func aValidationChangeThatUnseatsAPinIsRefused() throws {
        var r = smallRound()
        try r.score("P-N3", by: "K2", full(5))
        try r.pin("P-N3")
        #expect(throws: Refusal.producerHasPins(producer: "U-3", product: "P-N3")) {
            try r.perform(.validate(producer: "U-3", status: .pending, reason: nil), by: "K1", at: at)
        }
        #expect(r.producer("U-3")?.validation.status == .valid)
    }

    @Test func undoRunsTheChecksOfTheCommandItReverses() throws {
        var r = smallRound()
        for i in 1...6 { try r.score("P-N\(i)", by: "K2", full(5)) }
        // K4 is secretary; K4 pins P-N1 then unpins it; the chair fills the five slots meanwhile.
        try r.perform(.setRole(curator: "K4", .secretary), by: "K1", at: at)
        try r.pin("P-N1", by: "K4")
        try r.perform(.unpin(product: "P-N1"), by: "K4", at: at)
        for i in 2...6 { try r.pin("P-N\(i)", reason: "keputusan komite") }
        // Undoing K4's unpin would make a sixth pin, or put P-N1 in a taken slot: refused.
        #expect(throws: Refusal.self) { try r.perform(.undo, by: "K4", at: at) }
        #expect(r.pins(in: .nonMamin).count == 5)
        #expect(r.violations().isEmpty)

        // Two products of one producer: undoing an unpin cannot give it two pins.
        var s = smallRound()
        s.setPermits("P-M9", [Permit(kind: .bpomMD, number: "MD 224413001234")])
        try s.score("P-M1", by: "K2", full(5)); try s.score("P-M9", by: "K2", full(5))
        try s.perform(.setRole(curator: "K4", .secretary), by: "K1", at: at)
        try s.pin("P-M9", by: "K4", reason: "komite")
        try s.perform(.unpin(product: "P-M9"), by: "K4", at: at)
        try s.pin("P-M1", by: "K1", slot: 3)
        #expect(throws: Refusal.breaksRule(.producerPinnedTwice(.mamin, producer: "U-1", products: ["P-M1", "P-M9"]))) {
            try s.perform(.undo, by: "K4", at: at)
        }
        #expect(s.pins(in: .mamin).map(\.product) == ["P-M1"])
        #expect(s.violations().isEmpty)
    }

    @Test func finalisingNeedsEveryPinAboveTheMinimumOfSheets() throws {
        var r = smallRound()
        for i in 1...5 {
            try r.score("P-M\(i)", by: "K2", full(5)); try r.score("P-N\(i)", by: "K2", full(5))
            try r.pin("P-M\(i)"); try r.pin("P-N\(i)")
        }
        var settings = r.round.settings
        settings.minSheets = 2
        try r.perform(.changeSettings(settings), by: "K1", at: at)
        #expect(throws: Refusal.breaksRule(.finalPinBelowMinSheets(product: "P-M1", counted: 1, needed: 2))) {
            try r.perform(.finalize, by: "K1", at: at)
        }
        #expect(!r.isFinal)
        #expect(throws: Refusal.chairOnly(curator: "K2")) { try r.perform(.changeSettings(Settings()), by: "K2", at: at) }
    }

    @Test func aPermitChangeThatUnseatsAPinIsRefused() throws {
        var r = smallRound()
        try r.score("P-M3", by: "K2", full(5))
        try r.pin("P-M3")
        #expect(throws: Refusal.self) { try r.perform(.removePermit(product: "P-M3", kind: .pirt, number: nil), by: "K1", at: at) }
        #expect(r.product("P-M3")?.permits.count == 1)
        try r.perform(.unpin(product: "P-M3"), by: "K1", at: at)
        try r.perform(.removePermit(product: "P-M3", kind: .pirt, number: nil), by: "K1", at: at)
        #expect(r.product("P-M3")?.permits.isEmpty == true)
    }

    // MARK: check knows every rule

    @Test func violationsNameEveryBrokenRuleOfAHandEditedRound() throws {
        var r = smallRound()
        #expect(r.violations().isEmpty)
        r = r.handEdited { $0.pins[.mamin] = [Pin(slot: 1, product: "P-M10", by: "K1", at: at)] }  // producer pending
        #expect(r.violations().contains { if case .pinIneligible(product: "P-M10", _) = $0 { true } else { false } })

        var two = smallRound(onePinPerProducer: true)
        two.setPermits("P-M9", [Permit(kind: .bpomMD, number: "MD 224413001234")])
        two = two.handEdited { $0.pins[.mamin] = [Pin(slot: 1, product: "P-M1", by: "K1", at: at), Pin(slot: 2, product: "P-M9", by: "K1", at: at)] }
        #expect(two.violations() == [.producerPinnedTwice(.mamin, producer: "U-1", products: ["P-M1", "P-M9"])])

        var final = smallRound()
        final = final.handEdited { $0.round.status = RoundStatus(state: .final, by: "K7", at: at) }
        #expect(final.violations() == [.finalWithoutPins(mamin: 0, nonMamin: 0), .finalisedByNonChair("K7")])

        var dup = smallRound()
        dup = dup.handEdited { $0.curators.append(Curator(id: "K2", name: "Sri lagi")) }
        #expect(dup.violations() == [.duplicateCurator("K2")])

        var price = smallRound()
        price.setPrice("P-N1", -5)
        #expect(price.violations() == [.negativePrice(product: "P-N1", price: -5)])

        var scale = smallRound()
        try scale.score("P-N1", by: "K2", full(3))
        scale = scale.handEdited { $0.rubric.scaleMin = 5; $0.rubric.scaleMax = 1 }
        // Named, not a crash, and every reader keeps working.
        #expect(scale.violations().first == .scaleInvalid(min: 5, max: 1))
        #expect(scale.aggregate(scale.product("P-N1")!).score == nil)
        _ = scale.ranking(.nonMamin)
        #expect(Violation.scaleInvalid(min: 5, max: 1).text(.en).contains("scaleMin"))
    }

    // MARK: A model of the committee: random commands never reach a round check rejects

    @Test(arguments: 0..<24) func randomCommandsNeverBreakARule(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x6B75_7261 &+ seed)
        var r = smallRound()
        r.setPermits("P-M9", [Permit(kind: .bpomMD, number: "MD 224413001234")])
        let curators: [CuratorID] = ["K1", "K2", "K3", "K4", "K8"]
        let products = r.products.map(\.id) + ["P-X"]
        let producers = r.producers.map(\.id)
        var accepted = 0
        for _ in 0..<160 {
            let by = curators.randomElement(using: &rng)!
            let product = products.randomElement(using: &rng)!
            let producer = producers.randomElement(using: &rng)!
            let command: Command
            switch Int.random(in: 0..<16, using: &rng) {
            case 0, 1, 2, 3:
                let k = criteria.randomElement(using: &rng)!
                let v: Int? = Int.random(in: 0..<8, using: &rng) == 0 ? nil : Int.random(in: 1...5, using: &rng)
                command = Int.random(in: 0..<3, using: &rng) == 0 ? .score(product: product, points: [k: v])
                    : .score(product: product, points: full(Int.random(in: 1...5, using: &rng)))
            case 4, 5:
                command = .pin(product: product, slot: Bool.random(using: &rng) ? nil : Int.random(in: 1...6, using: &rng),
                               reason: Bool.random(using: &rng) ? "keputusan komite" : nil)
            case 6: command = .unpin(product: product)
            case 7:
                let s = [ValidationStatus.valid, .pending, .rejected].randomElement(using: &rng)!
                command = .validate(producer: producer, status: s, reason: s == .rejected ? "sudah tutup" : nil)
            case 8: command = .undo
            case 9: command = .addConflict(curator: curators.randomElement(using: &rng)!,
                                           Conflict(producer: producer, kind: .business, reason: "mitra"))
            case 10: command = .withdrawConflict(curator: curators.randomElement(using: &rng)!, producer: producer, reason: "keliru")
            case 11: command = .setRole(curator: curators.randomElement(using: &rng)!,
                                        [CuratorRole.chair, .secretary, .curator].randomElement(using: &rng)!)
            case 12: command = [.finalize, .openDeliberation, .reopen(reason: "periksa ulang")].randomElement(using: &rng)!
            case 14 where Bool.random(using: &rng):
                var settings = r.round.settings
                settings.minSheets = Int.random(in: 1...3, using: &rng)
                settings.onePinPerProducer = Bool.random(using: &rng)
                command = .changeSettings(settings)
            case 14: command = Bool.random(using: &rng)
                ? .removePermit(product: product, kind: .pirt, number: nil)
                : .addPermit(product: product, Permit(kind: .pirt, number: "206357701012325", expires: "2025-03-31"))
            case 13: command = .addCurator(Curator(id: CuratorID("K\(Int.random(in: 5...9, using: &rng))"), name: "Tamu"))
            default: command = .removeCurator(curators.randomElement(using: &rng)!)
            }
            let before = r
            do {
                if try r.perform(command, by: by, at: at) != nil { accepted += 1 }
            } catch {
                #expect(r == before, "a refused \(command) changed the round")
            }
            let broken = r.violations()
            #expect(broken.isEmpty, "seed \(seed): after \(command) by \(by): \(broken.map { $0.text(.en) })")
            if !broken.isEmpty { return }
        }
        #expect(accepted > 20)
    }

    // MARK: One number, everywhere

    @Test func scoresRoundHalfUpWithTheLanguagesDecimalMark() {
        #expect(Format.score(81.25, .id) == "81,3")
        #expect(Format.score(81.25, .en) == "81.3")
        #expect(Format.score(81.15, .en) == "81.2")
        #expect(Format.score(81.24, .id) == "81,2")
        #expect(Format.score(100, .id) == "100,0")
        #expect(Format.score(0.05, .en) == "0.1")
        #expect(Format.score(nil, .id) == "–")
        #expect(Format.count(1204, .id) == "1.204")
        #expect(Format.count(1204, .en) == "1,204")
    }

    @Test func phoneNumbersAreWrittenOneWay() {
        #expect(Format.phone("081380487072") == "0813-8048-7072")
        #expect(Format.phone("+62 813 8048 7072") == "0813-8048-7072")
        #expect(Format.phone("62-813-8048-7072") == "0813-8048-7072")
        #expect(Format.phone("0813.8048.707") == "0813-8048-707")
        #expect(Format.phone("(0351) 462123") == "0351-462-123")
        #expect(Format.phone("0351 4621234") == "0351-462-1234")
        #expect(Format.phone("021 5790 1234") == "021-5790-1234")
        #expect(Format.phone("tidak ada") == "tidak ada")
        #expect(Format.phone("12345") == "12345")
    }

    @Test func timesAreShownInTheRoundsZone() {
        let wib = RoundInfo(title: "", date: "2020-10-15").zone
        #expect(Format.time("2020-10-15T07:30:00Z", zone: wib, .id) == "15 Oktober 2020 14.30 WIB")
        #expect(Format.time("2020-10-15T07:30:00Z", zone: wib, .en) == "15 October 2020 14:30 WIB")
        #expect(Format.clock("2020-10-15T07:30:00Z", zone: wib, .id) == "14.30 WIB")
        // Past midnight in Madiun is still the 15th in UTC.
        #expect(Format.time("2020-10-15T18:05:00Z", zone: wib, .id, dateOnly: true) == "16 Oktober 2020")
        let wita = RoundInfo(title: "", date: "2020-10-15", timeZone: "Asia/Makassar").zone
        #expect(Format.clock("2020-10-15T07:30:00Z", zone: wita, .id) == "15.30 WITA")
        #expect(Format.date("2020-10-15", .id) == "15 Oktober 2020")
        #expect(Format.time("bukan waktu", zone: wib, .id) == "bukan waktu")
    }
}


extension Round {
    /// Give a product these permits, as a products file import does.
    mutating func setPermits(_ id: ProductID, _ permits: [Permit]) {
        var p = product(id)!; p.permits = permits
        try! perform(.putProducts([p]), by: "K1", at: "2020-10-15T08:00:00Z")
    }
    /// A price no command accepts (a hand-edited store).
    mutating func setPrice(_ id: ProductID, _ price: Int) {
        self = handEdited { $0.products[$0.products.firstIndex { $0.id == id }!].price = price }
    }
}
