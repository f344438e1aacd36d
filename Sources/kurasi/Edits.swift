import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

struct Import: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "import",
        abstract: tr(.clImportTheUmkmRegistry, cliLanguage),
        discussion: tr(.cdKurasiImportRegistryCsv, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chTheRegistryCsvAs, cliLanguage))) var file: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chAProductsFileProducts, cliLanguage))) var products: String?
    @Flag(name: .long, help: ArgumentHelp(tr(.chShowWhatWouldChange, cliLanguage))) var dryRun = false
    @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJsonThe, cliLanguage))) var format: ShowFormat = .table
    @OptionGroup var finalists: FinalistsOptions

    func validate() throws {
        let given = [file != nil, products != nil, finalists.finalists != nil].filter { $0 }.count
        if given != 1 {
            throw ValidationError(tr(.cuGiveOneOfThe, cliLanguage))
        }
    }

    func run() throws {
        if let path = finalists.finalists { return try finalists.run(options, path, dryRun: dryRun) }
        if let products { return try importProducts(products) }
        guard let file else { throw ValidationError("Name the registry CSV to import, a products file with --products FILE.csv, or a finished city round with --finalists FILE.json.") }
        try importRegistry(file)
    }

    func importRegistry(_ file: String) throws {
        let lang = options.language
        let progress = ProgressLine()
        // The rows are read one at a time straight into the plan (none is kept), against the
        // store as read (no exclusive lock while the plan is made); the plan is applied under the
        // lock, made again (the file read again) only if another writer changed the store meanwhile.
        // Ctrl-C while the file is read or the plan made stops at once (nothing is saved); while
        // the import is saved, once it is saved whole. Either way the line is finished and says so.
        ImportStop.install(nothingSaved: tr(.clImportStoppedNothingSaved, lang, options.storePath.displaySafe),
                           onceSaved: tr(.clImportStoppingOnceSaved, lang))
        defer { ImportStop.uninstall() }
        progress.show(tr(.clReading, lang, file))
        let registry = try RegistryCSV.rows(contentsOf: file)
        let handle = try options.openStore()
        var plan = RegistryImport(registry, file: file, into: handle.round) { done, total, rows in
            progress.bar(tr(.clReading, lang, file), done: done, total: total, count: rows, lang: lang)
        }
        if !dryRun, !plan.producers.isEmpty {
            pauseAfterPlan()
            let saving = tr(.clSavingProducers, lang, Format.count(plan.producers.count, lang))
            progress.show(saving)
            // A large import is saved as a new snapshot (see StoreHandle.snapshotAbove): its bar.
            handle.saving = { done, total in progress.bar(saving, done: done, total: total, count: nil, lang: lang) }
            defer { progress.done() }
            ImportStop.saving()
            plan = try handle.commit { round in
                let current = round.revision == plan.revision ? plan : RegistryImport(registry, file: file, into: round)
                if !current.producers.isEmpty { try perform(current.command, on: &round, by: "import", lang: lang) }
                return current
            }
            let saved = tr(.clImportStoppedAfterSave, lang, Format.count(plan.producers.count, lang),
                           Format.count(plan.products.count, lang), handle.round.revision)
            if ImportStop.asked {
                progress.done()
                writeStderr(saved)
                throw ExitCode(130)
            }
            // Saved: a stop from here on (while the summary is written) says what was saved.
            ImportStop.saved(saved)
            pause(at: "KURASI_TEST_PAUSE_AFTER_SAVE")
        }
        progress.done()
        if format == .json {
            try printJSON([
                "file": file, "kind": "registry", "dryRun": dryRun, "rows": plan.rows,
                "added": ["producers": plan.producers.map(\.id), "products": plan.products.map(\.id)],
                "traders": plan.traders, "unchanged": plan.unchanged,
                "duplicates": plan.duplicates.map { ["line": $0.line, "name": $0.name, "of": $0.of] as [String: Any] },
                "closed": plan.closed, "services": plan.services,
                "refused": plan.issues.map { ["line": $0.line, "reason": $0.text(lang)] as [String: Any] },
            ])
            if !plan.issues.isEmpty { throw ExitCode(1) }
            return
        }
        func n(_ x: Int) -> String { Format.count(x, lang) }
        print(tr(.clDataRows, lang, file, n(plan.rows)))
        let verb = dryRun ? (tr(.clWouldBeAdded, lang)) : (tr(.clAdded, lang))
        print(tr(.clProducersAndProductsPending, lang, n(plan.producers.count), n(plan.products.count), verb))
        print(tr(.clOfThemLookLike, lang, n(plan.traders.count)))
        print(tr(.clAlreadyInTheStore, lang, n(plan.unchanged)))
        print(tr(.clDuplicatesSkipped, lang, n(plan.duplicates.count)))
        for d in plan.duplicates.prefix(20) {
            print("    \(tr(.csvLine, lang, d.line)): \(d.name.displaySafe) = \(d.ofText(lang))")
        }
        if plan.duplicates.count > 20 { print("    …") }
        print(tr(.clClosedBusinessesSkipped, lang, n(plan.closed.count)))
        print(tr(.clServiceBusinessesNoProduct, lang, n(plan.services.count)))
        print(tr(.clUnreadableRowsNotImported, lang, n(plan.issues.count)))
        for issue in plan.issues { writeStderr("\(file): \(issue.text(lang).displaySafe)") }
        if dryRun { print(tr(.clDryRunTheStore, lang)) }
        if !plan.issues.isEmpty {
            writeStderr(tr(.clKurasiRowsWereRefused, lang, plan.issues.count))
            throw ExitCode(1)
        }
    }

    func importProducts(_ file: String) throws {
        let lang = options.language
        let table = try RegistryCSV.table(contentsOf: file)
        let handle = try options.openStore()
        var plan = try ProductsImport(table, file: file, into: handle.round, lang: lang)
        func json(_ plan: ProductsImport) throws {
            try printJSON([
                "file": file, "kind": "products", "dryRun": dryRun, "rows": plan.rows, "applied": plan.errors.isEmpty && !dryRun,
                "added": plan.added, "updated": plan.updated, "unchanged": plan.unchanged,
                "refused": plan.errors.map { ["line": $0.line, "column": nullable($0.column), "reason": $0.problem.text(lang)] as [String: Any] },
            ])
        }
        if format == .table { print(tr(.clDataRows, lang, file, plan.rows)) }
        if !plan.errors.isEmpty {
            if format == .json { try json(plan); throw ExitCode(1) }
            for e in plan.errors { writeStderr("\(file): \(e.text(lang).displaySafe)") }
            writeStderr(tr(.clKurasiRowsNeedFixing, lang, plan.errors.count))
            throw ExitCode(1)
        }
        if !dryRun, !plan.products.isEmpty {
            pauseAfterPlan()
            plan = try handle.commit { round in
                let current = round.revision == plan.revision ? plan : try ProductsImport(table, file: file, into: round, lang: lang)
                guard current.errors.isEmpty else { return current }
                try perform(current.command, on: &round, by: "import", lang: lang)
                return current
            }
            if !plan.errors.isEmpty { return try importProducts(file) }
        }
        if format == .json { return try json(plan) }
        let verb = dryRun ? (tr(.clWouldBe, lang)) : ""
        print(tr(.clProductsAddedProductsUpdated, lang, plan.added.count, verb, plan.updated.count, plan.unchanged))
        if dryRun {
            let round = handle.round
            for p in plan.products {
                let before = round.product(p.id)
                let permits = p.permits.map { "\($0.kind.rawValue) \($0.number)" + ($0.expires.map { " s/d \($0)" } ?? "") }.joined(separator: ", ")
                let what = before == nil ? (tr(.clNew, lang)) : (tr(.clUpdate, lang))
                print("    \(p.id) \(what): \(p.producer) \(p.name.displaySafe) [\(p.cluster.rawValue)]" + (permits.isEmpty ? "" : " · \(permits.displaySafe)"))
            }
            print(tr(.clDryRunTheStore, lang))
        }
    }
}

/// What a long command is doing, on one line of standard error that is rewritten in place, only
/// when standard error is a terminal (a script or a pipe sees nothing of it); cleared when done.
final class ProgressLine {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false
    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text.displaySafe).utf8))
        shown = true
    }
    /// A bar for work that goes row by row: `done` of `total` (bytes), `count` rows so far. Drawn
    /// again only when the bar or the percentage moves (at most a few hundred times, whatever the
    /// number of rows).
    func bar(_ text: String, done: Int, total: Int, count: Int?, lang: Language) {
        guard enabled else { return }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let percent = Int(fraction * 100)
        let width = 30, filled = Int(fraction * Double(width))
        guard percent != lastPercent || filled != lastFilled else { return }
        lastPercent = percent; lastFilled = filled
        show(text + " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(percent)%"
             + (count.map { " · " + Format.count($0, lang) } ?? ""))
    }
    private var lastPercent = -1, lastFilled = -1

    func done() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}

/// Ctrl-C (SIGINT) or SIGTERM during `kurasi import`. While the registry is read and the plan
/// made, nothing is saved and no lock is held: the handler finishes the progress bar's line, says
/// that nothing was saved and exits (130). While the import is saved, stopping could leave a
/// journal line written but not acknowledged, so the handler says the import is being saved and
/// Kurasi stops once it is (the import then says what was saved). Once it is saved, the handler
/// says what was saved and exits (130). The handler only writes bytes prepared before the phase
/// that uses them began (a signal handler may do little else).
enum ImportStop {
    nonisolated(unsafe) static var phase: sig_atomic_t = 0
    nonisolated(unsafe) static var stopAsked: sig_atomic_t = 0
    nonisolated(unsafe) static var nothingSaved = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    nonisolated(unsafe) static var onceSaved = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    nonisolated(unsafe) static var afterSave = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    /// What the handler writes: `text` on a line of its own. A terminal's line may hold the bar
    /// (and the ^C the terminal echoed): it is finished first.
    private static func bytes(_ text: String) -> UnsafeMutableBufferPointer<UInt8> {
        let lead = isatty(STDERR_FILENO) == 1 ? "\n" : ""
        let utf8 = Array((lead + text.displaySafe + "\n").utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: utf8.count)
        _ = buffer.initialize(from: utf8)
        return buffer
    }

    static func install(nothingSaved: String, onceSaved: String) {
        phase = 0
        stopAsked = 0
        self.nothingSaved = bytes(nothingSaved)
        self.onceSaved = bytes(onceSaved)
        signal(SIGINT, importStopHandler)
        signal(SIGTERM, importStopHandler)
        // A parent that blocked them (a thread pool's thread that started this process) must
        // not keep Ctrl-C from reaching the import.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// From here on the import is being saved: a stop waits until it is.
    static func saving() { phase = 1 }
    /// The import is saved: a stop from here on says `text` (what was saved) and exits.
    static func saved(_ text: String) {
        afterSave = bytes(text)  // in place before the phase that writes it
        phase = 2
    }
    /// Whether a stop was asked while saving.
    static var asked: Bool { stopAsked != 0 }

    static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

private let importStopHandler: @convention(c) (Int32) -> Void = { _ in
    if ImportStop.phase == 0 {
        let text = ImportStop.nothingSaved
        if let base = text.baseAddress { _ = write(STDERR_FILENO, base, text.count) }
        _exit(130)
    }
    if ImportStop.phase == 2 {
        let text = ImportStop.afterSave
        if let base = text.baseAddress { _ = write(STDERR_FILENO, base, text.count) }
        _exit(130)
    }
    if ImportStop.stopAsked == 0 {
        ImportStop.stopAsked = 1
        let text = ImportStop.onceSaved
        if let base = text.baseAddress { _ = write(STDERR_FILENO, base, text.count) }
    }
}

/// A named point for tests: with $KURASI_TEST_PAUSE_AFTER_PLAN set to a path, an import that has
/// made its plan (holding no lock) creates that file and waits until the test removes it, so a
/// test can make another edit between the plan and its application.
func pauseAfterPlan() { pause(at: "KURASI_TEST_PAUSE_AFTER_PLAN") }

/// A named point for tests: with `$variable` set to a path, create that file and wait until the
/// test removes it ($KURASI_TEST_PAUSE_AFTER_SAVE: an import saved, its summary not yet written).
func pause(at variable: String) {
    guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return }
    FileManager.default.createFile(atPath: path, contents: Data())
    while FileManager.default.fileExists(atPath: path) { usleep(10_000) }
}

struct Validate: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "validate",
        abstract: tr(.clRecordWhetherProducersAre, cliLanguage),
        discussion: tr(.cdKurasiValidateUU, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chProducerIdsEG, cliLanguage)), completion: StoreCompletion.producers) var producers: [ProducerID] = []
    @Flag(name: .long, help: ArgumentHelp(tr(.chTheProducersAreValid, cliLanguage))) var valid = false
    @Flag(name: .long, help: ArgumentHelp(tr(.chTheProducersAreRejected, cliLanguage))) var reject = false
    @Flag(name: .long, help: ArgumentHelp(tr(.chBackToPending, cliLanguage))) var pending = false
    @Option(name: .long, help: ArgumentHelp(tr(.chWhyRequiredWithReject, cliLanguage))) var reason: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chAVisitsFileCsv, cliLanguage))) var from: String?
    @Flag(name: .long, help: ArgumentHelp(tr(.chWithFromShowWhat, cliLanguage))) var dryRun = false
    @Option(name: .long, help: ArgumentHelp(tr(.chWithFromTableOr, cliLanguage))) var format: ShowFormat = .table
    @OptionGroup var curator: CuratorOption

    func validate() throws {
        if from == nil, format == .json {
            throw ValidationError(tr(.cuFormatJsonGoesWith, cliLanguage))
        }
        if from != nil {
            if !producers.isEmpty || valid || reject || pending {
                throw ValidationError(tr(.cuWithFromFileThe, cliLanguage))
            }
            return
        }
        if producers.isEmpty { throw ValidationError(tr(.cuNameTheProducersE, cliLanguage)) }
        if [valid, reject, pending].filter({ $0 }).count != 1 {
            throw ValidationError(tr(.cuGiveExactlyOneOf, cliLanguage))
        }
    }

    func run() throws {
        let by = try curator.id()
        if let from { return try fromFile(from, by: by) }
        let status: ValidationStatus = valid ? .valid : reject ? .rejected : .pending
        let why = reason.map { status == .rejected ? RejectionReason.parse($0).stored : $0 }
        if producers.count == 1 {
            try edit(options, by: by, .validate(producer: producers[0], status: status, reason: why))
        } else {
            try edit(options, by: by, .validateMany(producers.map { ValidationDecision(producer: $0, status: status, reason: why) }))
        }
    }

    func fromFile(_ file: String, by: CuratorID) throws {
        let lang = options.language
        let table = try RegistryCSV.table(contentsOf: file)
        let handle = try options.openStore()
        var plan = try VisitsImport(table, file: file, into: handle.round)
        func json(_ plan: VisitsImport, event: Event?) throws {
            var counts: [ValidationStatus: Int] = [:]
            for d in plan.decisions { counts[d.status, default: 0] += 1 }
            try printJSON([
                "file": file, "kind": "visits", "dryRun": dryRun, "rows": plan.rows, "applied": event != nil,
                "valid": counts[.valid] ?? 0, "rejected": counts[.rejected] ?? 0, "pending": counts[.pending] ?? 0,
                "unchanged": plan.unchanged, "revision": nullable(event?.revision),
                "refused": plan.errors.map { ["line": $0.line, "column": nullable($0.column), "reason": $0.problem.text(lang)] as [String: Any] },
            ])
        }
        func report(_ plan: VisitsImport) throws {
            guard !plan.errors.isEmpty else { return }
            if format == .json { try json(plan, event: nil); throw ExitCode(1) }
            for e in plan.errors { writeStderr("\(file): \(e.text(lang).displaySafe)") }
            writeStderr(tr(.clKurasiRowsNeedFixing2, lang, plan.errors.count))
            throw ExitCode(1)
        }
        try report(plan)
        var event: Event?
        if !dryRun, !plan.decisions.isEmpty {
            (plan, event) = try handle.commit { round in
                let current = round.revision == plan.revision ? plan : try VisitsImport(table, file: file, into: round)
                guard current.errors.isEmpty else { return (current, nil) }
                return (current, try perform(current.command, on: &round, by: by, lang: lang))
            }
            try report(plan)
        }
        if format == .json { return try json(plan, event: event) }
        var counts: [ValidationStatus: Int] = [:]
        for d in plan.decisions { counts[d.status, default: 0] += 1 }
        print(tr(.clRowsValidRejectedPending, lang, file, plan.rows, counts[.valid] ?? 0, counts[.rejected] ?? 0, counts[.pending] ?? 0, plan.unchanged))
        if let event { print("rev \(event.revision): \(event.summary(lang).displaySafe)") }
        if dryRun { print(tr(.clDryRunTheStore, lang)) }
    }
}

struct CuratorCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "curator", abstract: tr(.clAddListRemoveCurators, cliLanguage),
                                                    subcommands: [Add.self, List.self, Role.self, Remove.self]) }
    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "add",
            abstract: tr(.clAddACurator, cliLanguage),
            discussion: tr(.clOnceTheRoundHas, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: ArgumentHelp(tr(.chAShortIdE, cliLanguage))) var id: CuratorID
        @Option(name: .long, help: ArgumentHelp(tr(.chFullName, cliLanguage))) var name: String
        @Flag(name: .long, help: ArgumentHelp(tr(.chTheCommitteeSChair, cliLanguage))) var chair = false
        @Flag(name: .long, help: ArgumentHelp(tr(.chTheCommitteeSSecretary, cliLanguage))) var secretary = false
        func run() throws {
            guard !(chair && secretary) else { throw ValidationError(tr(.cuChooseOneRoleChair, cliLanguage)) }
            let role: CuratorRole = chair ? .chair : secretary ? .secretary : .curator
            let by = (try? curator.id()) ?? "admin"
            try edit(options, by: by, .addCurator(Curator(id: id, name: name, role: role)))
        }
    }
    struct Role: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "role", abstract: tr(.clGiveACuratorAnother, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: ArgumentHelp(tr(.chTheCuratorWhoseRole, cliLanguage)), completion: StoreCompletion.curators) var id: CuratorID
        @Argument(help: ArgumentHelp(tr(.chChairSecretaryOrCurator, cliLanguage))) var role: CuratorRole
        func run() throws { try edit(options, by: curator.id(), .setRole(curator: id, role)) }
    }
    struct Remove: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "remove", abstract: tr(.clRemoveACuratorWho, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: ArgumentHelp(tr(.chTheCuratorToRemove, cliLanguage)), completion: StoreCompletion.curators) var id: CuratorID
        func run() throws { try edit(options, by: curator.id(), .removeCurator(id)) }
    }
    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: tr(.clListTheCuratorsAnd, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table
        func run() throws {
            let round = try options.loadRound()
            if format == .json {
                try printJSON(["curators": round.curators.map { c -> [String: Any] in
                    ["id": c.id, "name": c.name, "role": c.role.rawValue,
                     "conflicts": c.conflicts.filter(\.isActive).map { ["producer": $0.producer, "kind": $0.kind.rawValue, "reason": $0.reason] }]
                }])
                return
            }
            for c in round.curators {
                let role = switch c.role {
                case .chair: tr(.clChair, options.language)
                case .secretary: tr(.clSecretary, options.language)
                case .curator: tr(.clCurator, options.language)
                }
                var line = "\(col(c.id, 6)) \(col(c.name, 28)) \(role)"
                let active = c.conflicts.filter(\.isActive)
                if !active.isEmpty {
                    line += (tr(.clConflicts, options.language)) + active.map { "\($0.producer) (\($0.reason.displaySafe))" }.joined(separator: ", ")
                }
                print(line)
            }
        }
    }
}

extension ConflictKind: ExpressibleByArgument {}
extension CuratorRole: ExpressibleByArgument {}

struct ConflictCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "conflict", abstract: tr(.clDeclareOrWithdrawConflicts, cliLanguage),
                                                    subcommands: [Add.self, Withdraw.self]) }
    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: tr(.clDeclareThatACurator, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chCuratorId, cliLanguage)), completion: StoreCompletion.curators) var curator: CuratorID
        @Argument(help: ArgumentHelp(tr(.chProducerId, cliLanguage)), completion: StoreCompletion.producers) var producer: ProducerID
        @Option(name: .long, help: ArgumentHelp(tr(.chWhyEGAdik, cliLanguage))) var reason: String
        @Option(name: .long, help: ArgumentHelp(tr(.chFamilyBusinessEmploymentOr, cliLanguage))) var kind: ConflictKind = .other
        @Option(name: [.customLong("by")], help: ArgumentHelp(tr(.chWhoRecordsItThe, cliLanguage)), completion: StoreCompletion.curators) var by: CuratorID?
        func run() throws {
            try edit(options, by: by ?? curator, .addConflict(curator: curator, Conflict(producer: producer, kind: kind, reason: reason)))
        }
    }
    struct Withdraw: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "withdraw", abstract: tr(.clWithdrawADeclaredConflict, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var acting: CuratorOption
        @Argument(help: ArgumentHelp(tr(.chCuratorId, cliLanguage)), completion: StoreCompletion.curators) var curator: CuratorID
        @Argument(help: ArgumentHelp(tr(.chProducerId, cliLanguage)), completion: StoreCompletion.producers) var producer: ProducerID
        @Option(name: .long, help: ArgumentHelp(tr(.chWhyTheConflictNo, cliLanguage))) var reason: String
        func run() throws {
            try edit(options, by: acting.id(), .withdrawConflict(curator: curator, producer: producer, reason: reason))
        }
    }
}

struct Score: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "score",
        abstract: tr(.clScoreAProductOne, cliLanguage),
        discussion: tr(.clExampleKurasiScoreP, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chProductId, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
    @OptionGroup var curator: CuratorOption
    @Argument(help: ArgumentHelp(tr(.chCriterionNPairs, cliLanguage)), completion: StoreCompletion.criteria) var points: [String]

    func parsed() throws -> [CriterionID: Int?] {
        var out: [CriterionID: Int?] = [:]
        for p in points {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError(tr(.cuIsNotCriterionN, cliLanguage, p))
            }
            if parts[1] == "-" { out[CriterionID(parts[0])] = .some(nil); continue }
            guard let n = Int(parts[1]) else { throw ValidationError(tr(.cuTheScoreMustBe, cliLanguage, p, parts[0])) }
            out[CriterionID(parts[0])] = n
        }
        return out
    }
    func validate() throws {
        if points.isEmpty { throw ValidationError(tr(.cuGiveAtLeastOne, cliLanguage)) }
        _ = try parsed()
    }
    func run() throws {
        try edit(options, by: curator.id(), .score(product: product, points: parsed()))
    }
}

struct PinCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "pin", abstract: tr(.clPinAProductTo, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chProductId, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
    @Option(name: .long, help: ArgumentHelp(tr(.chSlotDefaultTheFirst, cliLanguage))) var slot: Int?
    @Option(name: .long, help: ArgumentHelp(tr(.chWhyRequiredWhenThe, cliLanguage))) var reason: String?
    @OptionGroup var curator: CuratorOption
    func run() throws {
        try edit(options, by: curator.id(), .pin(product: product, slot: slot, reason: reason))
    }
}

struct Unpin: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "unpin", abstract: tr(.clRemoveAProductS, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chProductId, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .unpin(product: product)) }
}

struct Deliberate: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "deliberate",
        abstract: tr(.clOpenDeliberationTheChair, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .openDeliberation) }
}

struct Finalize: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "finalize", abstract: tr(.clFinaliseTheRoundThe, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .finalize) }
}

struct Reopen: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "reopen", abstract: tr(.clReopenAFinalRound, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chWhyTheRoundIs, cliLanguage))) var reason: String
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .reopen(reason: reason)) }
}

struct Undo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "undo", abstract: tr(.clUndoYourOwnLast, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .undo) }
}
