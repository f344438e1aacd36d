import Testing
import KurasiCore

/// The one catalog: every key says the same things in both languages, so a value given to
/// `tr` is never dropped in one of them.
struct CatalogPlaceholderTests {
    static func placeholders(_ text: String) -> Set<String> {
        Set(text.matches(of: /\{\d\}/).map { String($0.output) })
    }

    @Test func everyKeyTakesTheSamePlaceholdersInBothLanguages() {
        // These two take a value for each language (a "nobody recorded" in its words, the English
        // reason why an id is refused) and use only their own.
        let ownValues: Set<T> = [.refInvalidID, .vioFinalisedByNonChair]
        for key in T.allCases where !ownValues.contains(key) {
            #expect(Self.placeholders(key.id) == Self.placeholders(key.en), "\(key): \(key.id) | \(key.en)")
        }
    }

    @Test func numbersAndDatesFollowTheLanguageFromTheCatalog() {
        #expect(Format.score(81.25, .id) == "81,3" && Format.score(81.25, .en) == "81.3")
        #expect(Format.count(1_204_000, .id) == "1.204.000" && Format.count(1_204_000, .en) == "1,204,000")
        #expect(Format.date("2020-10-15", .id) == "15 Oktober 2020" && Format.date("2020-12-01", .en) == "1 December 2020")
    }

    @Test(arguments: [Language.id, .en])
    func theAnalysesNameNoFlagButTheCommandLineDoes(_ lang: Language) {
        let taken = FinalistImportError.idTaken(file: "madiun.json", id: "P-0001")
        #expect(taken.remedy == .prefixIDs)
        let console = taken.text(lang, naming: { tr($0.onConsole, lang) })
        #expect(console.hasPrefix("madiun.json: ") && console.contains("P-0001") && !console.contains("--"), "\(console)")
        #expect(taken.text(lang).hasSuffix("--prefix MDN"), "\(taken.text(lang))")
        #expect(!tr(Remedy.setMinimumCapacity.onConsole, lang).contains("--"))
        #expect(tr(Remedy.setMinimumCapacity.onCommandLine, lang) == "kurasi readiness --minimum N")
    }
}
