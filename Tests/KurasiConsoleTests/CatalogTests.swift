import KurasiConsole
import KurasiCore
import Testing

/// The one text catalog and the structured refusals: Core says what is missing as data (a
/// `Remedy`), the console names a key and the command line a flag; the console never shows a
/// command-line flag.
@Suite struct CatalogTests {
    /// One refusal of every kind (and of every kind nested in one), with plausible values.
    static let everyRefusal: [Refusal] = {
        var all: [Refusal] = [
            .roundFinal(by: "K1"), .roundFinal(by: nil), .unknownProduct("P-9999"), .unknownProducer("U-9999"), .unknownCurator("K9"),
            .unknownCriterion("rasa", known: ["kualitas", "kemasan"]), .outOfScale(criterion: "kualitas", value: 7, scale: 1...5),
            .recused(curator: "K3", producer: "U-0243", reason: "adik kandung pemilik"),
            .notEligible(product: "P-0003", reasons: [.producerNotValidated(.pending), .missingPermit(anyOf: [.pirt, .bpomMD], expired: [.pirt])]),
            .alreadyPinned(product: "P-0012", cluster: .mamin, slot: 1), .clusterFull(.nonMamin),
            .slotTaken(cluster: .mamin, slot: 2, product: "P-0044"), .slotOutOfRange(6),
            .producerAlreadyPinned(producer: "U-0412", product: "P-0012", slot: 1),
            .reasonRequired(product: "P-0077", rank: 8), .reasonRequired(product: "P-0077", rank: nil), .notPinned("P-0012"),
            .finalizeNeedsPins(mamin: 4, nonMamin: 5), .chairOnly(curator: "K2"), .reasonMissing, .notFinal,
            .curatorExists("K2"), .conflictExists(curator: "K3", producer: "U-0243"),
            .producerHasPins(producer: "U-0412", product: "P-0012"), .nothingToUndo(curator: "K2"), .undoStatus,
            .changedSince(what: "P-0012", revision: 66, by: "K4"), .productInUse("P-0012"), .emptyField("nama"), .duplicateID("K2"),
            .invalidID("K 7", problem: "has a space"), .deliberationOpen, .curatorHasWork("K2"),
            .noConflict(curator: "K3", producer: "U-0001"), .pinsByChairOrSecretary(curator: "K4"),
            .recusedFromPin(curator: "K3", producer: "U-0243", reason: "keluarga"),
            .conflictWithdrawnByChair(curator: "K3", producer: "U-0243"), .conflictOwnOrChair(curator: "K4"),
            .breaksRule(.pinSlotOutOfRange(.mamin, slot: 6)), .breaksRule(.pinUnknownProduct(.mamin, slot: 1, product: "P-9")),
            .invalidField(FieldProblem("harga", .notRupiah("lima ribu"))), .invalidField(FieldProblem("nama", .empty)),
            .permitExists(product: "P-0012", kind: .pirt, number: "2063577050152-22"),
            .noSuchPermit(product: "P-0012", kind: .halal, held: ["P-IRT 1"]),
            .permitAmbiguous(product: "P-0012", kind: .pirt, numbers: ["1", "2"]),
            .pinnedElsewhere(product: "P-0012", cluster: .mamin, slot: 1), .rubricLocked(countedSheets: 12),
        ]
        all += [FairnessRefusal.basisBeforeDeliberation, .capacityNotPositive(0), .samePair("P-1"), .differentClusters("P-1", "P-2")].map { .fairness($0) }
        return all
    }()

    @Test(arguments: [Language.id, .en])
    func theConsoleNeverShowsACommandLineFlag(_ lang: Language) {
        // Every text of the console: the command line's own words aside (its remedies, messages,
        // option help and usage errors), and the store errors only the command line meets, on
        // opening or creating a store before any console starts.
        let commandLineOnly: Set<T> = [.stIsDirectory, .stIsDevice, .stIsFIFO, .stIsSocket, .stAlreadyExists, .impNoProducer]
        for key in T.allCases where !["rl", "cl", "ch", "cu", "cd"].contains(key.rawValue.prefix(2)) && !commandLineOnly.contains(key) {
            #expect(!tr(key, lang).contains("--"), "\(key): \(tr(key, lang))")
        }
        // Every refusal, as the console renders it.
        for refusal in Self.everyRefusal {
            let text = refusal.text(lang, naming: { tr($0.onConsole, lang) })
            #expect(!text.contains("--"), "\(refusal): \(text)")
        }
        // And as it reaches the screen: a pin outside the top five, refused without its reason.
        var state = State(round: ScreenTests.deliberating, lang: lang, curator: "K1")
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .committed(.refused(.reasonRequired(product: "P-0077", rank: 8), latest: ScreenTests.deliberating)))
        let screen = View.render(state)
        let text = (0..<screen.height).map { screen.text(row: $0) }.joined(separator: "\n")
        #expect(text.contains(tr(.rcGiveReason, lang)) && !text.contains("--"))
    }

    @Test(arguments: [Language.id, .en])
    func eachFrontEndNamesTheRemedyInItsOwnTerms(_ lang: Language) {
        let refusal = Refusal.reasonRequired(product: "P-0077", rank: 8)
        #expect(refusal.remedy == .giveReason)
        #expect(refusal.text(lang, naming: { tr($0.onCommandLine, lang) }).contains("--reason"))
        #expect(Refusal.roundFinal(by: "K1").text(lang, naming: { tr($0.onConsole, lang) }).hasSuffix(tr(.rcReopen, lang)))
        #expect(Refusal.roundFinal(by: "K1").text(lang, naming: { tr($0.onCommandLine, lang) }).contains("kurasi reopen --reason"))
        // Every remedy has words on both sides, different ones.
        for remedy in Remedy.allCases {
            #expect(tr(remedy.onConsole, lang) != tr(remedy.onCommandLine, lang))
        }
        // A refusal without a remedy reads the same everywhere.
        let plain = Refusal.notPinned("P-0012")
        #expect(plain.remedy == nil && plain.text(lang, naming: { tr($0.onConsole, lang) }) == plain.text(lang))
    }
}

@Suite struct CatalogSubstitutionTests {
    @Test func placeholdersAreFilledOnceAndDataIsNeverReadAsAPlaceholder() {
        // A reason typed with braces stays as typed.
        #expect(tr(.boardReasonLabel, .id, "pakai {0} dan {1}") == "alasan: pakai {0} dan {1}")
        #expect(tr(.refOutOfScale, .en, 7, "{1}", 1, 5) == "Score 7 for {1} is off the scale; give 1–5.")
        #expect(tr(.tooSmall, .id, 40, 10, 60, 16) == "Terminal terlalu kecil (40×10); perlu paling sedikit 60×16.")
    }
}
