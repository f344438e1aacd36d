import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

/// Options every command takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(.chTheStoreFileElse, cliLanguage)))
    var store: String?

    @Option(name: .long, help: ArgumentHelp(tr(.chLanguageOfMessagesAnd, cliLanguage)))
    var lang: Language?

    var storePath: String {
        store ?? ProcessInfo.processInfo.environment["KURASI_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "kurasi.json"
    }
    var language: Language { lang ?? Self.environmentLanguage() }
    var kurasiStore: Store { Store(path: storePath) }

    /// The store, opened; what reading found worth a warning (a torn last journal line) goes to stderr.
    /// With `editing`, only what an edit of that product needs may be read (see `StoreIndex`).
    func openStore(editing product: ProductID? = nil) throws(StoreError) -> StoreHandle {
        let handle = try StoreHandle(store: kurasiStore, editing: product)
        for w in handle.warnings { writeStderr("kurasi: \(tr(.clWarning, cliLanguage)): \(w.text(cliLanguage).displaySafe)") }
        return handle
    }

    /// The round as of the latest edit.
    func loadRound() throws(StoreError) -> Round { try openStore().round }

    /// Bahasa Indonesia when LC_ALL, LC_MESSAGES or LANG (the first one set) starts with "id".
    static func environmentLanguage(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("id") ? .id : .en }
        }
        return .en
    }
}

extension Language: ExpressibleByArgument {}
extension Cluster: ExpressibleByArgument {}

// Ids typed on the command line become typed ids here, at the edge.
extension KurasiID {
    public init?(argument: String) { self.init(argument) }
}
extension ProductID: ExpressibleByArgument {}
extension ProducerID: ExpressibleByArgument {}
extension CuratorID: ExpressibleByArgument {}
extension CriterionID: ExpressibleByArgument {}

/// The acting curator of an edit.
struct CuratorOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(.chYourCuratorIdElse, cliLanguage)), completion: StoreCompletion.curators)
    var curator: CuratorID?

    func id() throws -> CuratorID {
        if let c = curator ?? ProcessInfo.processInfo.environment["KURASI_CURATOR"].map({ CuratorID($0) }), !c.isEmpty { return c }
        throw ValidationError(tr(.cuSayWhoMakesThis, cliLanguage))
    }
}

/// The time recorded on events: now, or $KURASI_NOW (ISO 8601) for reproducible scripts and tests.
func now() -> String {
    if let fixed = ProcessInfo.processInfo.environment["KURASI_NOW"], !fixed.isEmpty { return fixed }
    return ISO8601DateFormatter().string(from: Date())
}

/// A refusal by a rule, shown in the user's language; exits 1.
struct RuleRefusal: Error, CustomStringConvertible {
    var refusal: Refusal
    var lang: Language
    var description: String { refusal.text(lang, naming: { tr($0.onCommandLine, lang) }) }
}

/// Perform one command against the store under its lock; prints what changed.
func edit(_ options: StoreOptions, by: CuratorID, _ command: Command) throws {
    try editEvent(options, by: by, command)
}

/// `edit`, returning the event made (nil when nothing changed).
@discardableResult
func editEvent(_ options: StoreOptions, by: CuratorID, _ command: Command) throws -> Event? {
    let lang = options.language
    // A score concerns one product: the store's index lets it read only that product's part.
    var product: ProductID?
    if case let .score(p, _) = command { product = p }
    let handle = try options.openStore(editing: product)
    let shown = handle.warnings.count
    let event: Event? = try handle.commit { round in
        try perform(command, on: &round, by: by, lang: lang)
    }
    for w in handle.warnings.dropFirst(shown) { writeStderr("kurasi: \(tr(.clWarning, cliLanguage)): \(w.text(cliLanguage).displaySafe)") }
    if let event {
        print("rev \(event.revision): \(event.summary(lang).displaySafe)")
    } else {
        print(tr(.clNothingChanged, lang))
    }
    return event
}

/// Perform a command, turning a rule's refusal into an error shown in the user's language.
@discardableResult
func perform(_ command: Command, on round: inout Round, by: CuratorID, lang: Language) throws(RuleRefusal) -> Event? {
    do { return try round.perform(command, by: by, at: now()) } catch {
        throw RuleRefusal(refusal: error, lang: lang)
    }
}

func writeStderr(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
}

/// Pad or clip to a column width, by characters (the console measures display width properly).
func col(_ s: String, _ w: Int, right: Bool = false) -> String {
    let t = s.displaySafe
    if t.count >= w { return String(t.prefix(w)) }
    let pad = String(repeating: " ", count: w - t.count)
    return right ? pad + t : t + pad
}

/// An id in a column (printing is an edge: the id is text here).
func col<ID: KurasiID>(_ id: ID, _ w: Int, right: Bool = false) -> String { col(id.rawValue, w, right: right) }
