import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

enum RankFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, json, md, html }

struct Rank: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rank", abstract: tr(.clShowTheComputedRanking, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chOnlyThisClusterMamin, cliLanguage))) var cluster: Cluster?
    @Option(name: .long, help: ArgumentHelp(tr(.chTableJsonOrCsv, cliLanguage))) var format: RankFormat = .table
    @Flag(name: .long, help: ArgumentHelp(tr(.chCsvForIndonesianExcel, cliLanguage))) var excel = false

    func validate() throws {
        if excel && format != .csv { throw ValidationError(tr(.cuExcelGoesWithFormat, cliLanguage)) }
    }

    func run() throws {
        let round = try options.loadRound()
        let clusters = cluster.map { [$0] } ?? Cluster.allCases
        let lang = options.language
        switch format {
        case .json: FileHandle.standardOutput.write(try Export.rankJSON(round, clusters: clusters, lang: lang))
        case .csv: FileHandle.standardOutput.write(try Export.rankCSV(round, clusters: clusters, lang: lang, dialect: excel ? .excel : .rfc4180))
        case .table: Self.table(round, clusters: clusters, lang: lang)
        }
    }

    static func table(_ round: Round, clusters: [Cluster], lang: Language) {
        for cluster in clusters {
            let ranking = round.ranking(cluster)
            print("\(cluster.label(lang)) (\(ranking.count))")
            print("  \(col("#", 3, right: true))  \(col("ID", 7)) \(col(tr(.clProduct, lang), 30)) \(col(tr(.clProducer, lang), 24)) \(col(tr(.clScore, lang), 5, right: true))  n  \("Pin")")
            let threshold = round.round.settings.disagreementThreshold
            for r in ranking {
                let a = r.aggregate
                let score = Format.score(a.score, lang)
                let disputed = a.count > 1 && a.spread >= threshold ? "⚑" : " "
                // On the normalised basis the raw score stands beside the normalised one.
                let raw = round.scoreBasis == .normalised && a.score != nil ? (tr(.clRaw2, lang)) + Format.score(round.aggregate(r.product).score, lang) : ""
                let mark = r.pinnedSlot.map { "★\($0)" } ?? (r.eligible ? (r.unranked.map { "– " + $0.text(lang) } ?? "") : "⊘ " + (r.ineligibility.first?.text(lang) ?? ""))
                print("  \(col(r.rank.map(String.init) ?? "–", 3, right: true))  \(col(r.product.id, 7)) \(col(r.product.name, 30)) \(col(round.producer(r.product.producer)?.name ?? "", 24)) \(col(score, 5, right: true))\(disputed)\(col(String(a.count), 2, right: true))  \(mark)\(raw)")
            }
            print("")
        }
    }
}

struct History: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "history", abstract: tr(.clShowTheHistoryOf, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chProductIdDefaultEvery, cliLanguage)), completion: StoreCompletion.products) var product: ProductID?
    @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table
    func run() throws {
        let round = try options.loadRound()
        if let product, round.product(product) == nil {
            throw RuleRefusal(refusal: .unknownProduct(product), lang: options.language)
        }
        let events = product.map { round.history(product: $0) } ?? round.events
        if format == .json {
            try printJSON(["revision": round.revision, "product": nullable(product),
                           "events": events.map { eventJSON($0, lang: options.language) }])
            return
        }
        if events.isEmpty { print(tr(.clNoChangesYet, options.language)) }
        for e in events {
            let when = Format.time(e.at, zone: round.round.zone, options.language)
            print("rev \(col(String(e.revision), 5)) \(when)  \(col(e.by, 6)) \(e.summary(options.language).displaySafe)")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: tr(.clExportTheShortlistAnd, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chCsvJsonMdOr, cliLanguage))) var format: ExportFormat
    @Option(name: .shortAndLong, help: ArgumentHelp(tr(.chWriteToThisFile, cliLanguage))) var output: String?
    @Flag(name: .long, help: ArgumentHelp(tr(.chWithFormatCsvFor, cliLanguage))) var excel = false
    @Option(name: .long, help: ArgumentHelp(tr(.chTheBeritaAcaraNumber, cliLanguage))) var number: String?

    func validate() throws {
        if excel && format != .csv { throw ValidationError(tr(.cuExcelGoesWithFormat, cliLanguage)) }
    }

    func run() throws {
        let round = try options.loadRound()
        let lang = options.language
        let data: Data = switch format {
        case .csv: try Export.rankCSV(round, lang: lang, dialect: excel ? .excel : .rfc4180)
        case .json: try Export.rankJSON(round, lang: lang)
        case .md: Data(Export.minutes(round, lang: lang, number: number).utf8)
        case .html: Data(Export.minutesHTML(round, lang: lang, number: number).utf8)
        }
        if let output {
            try Export.write(data, to: output, store: options.kurasiStore, example: "ranking." + format.rawValue)
            print(tr(.clWritten, lang, output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

struct Check: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "check", abstract: tr(.clVerifyTheStoreIts, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table

    func run() throws {
        let lang = options.language
        let store = options.kurasiStore
        let handle: StoreHandle
        do { handle = try StoreHandle(store: store) } catch {
            // A store that cannot be read is the check's one problem: said as a problem (in JSON
            // too), with what to do; not "`kurasi check` tells more", which is this command.
            let text = (error as? StoreError)?.text(lang, hint: .stHintRecover) ?? errorText(error, lang)
            if format == .json {
                try printJSON([
                    "store": options.storePath, "ok": false, "revision": NSNull(), "producers": NSNull(),
                    "products": NSNull(), "events": NSNull(), "backups": store.backups().count, "warnings": [String](),
                    "problems": [["kind": "store", "file": options.storePath, "message": text]],
                ])
            } else {
                writeStderr("kurasi: \(text.displaySafe)")
            }
            throw ExitCode(1)
        }
        let round = handle.round
        // Every rule of the round, the same ones the commands keep (KurasiCore's `violations`).
        var problems: [(kind: String, file: String, text: String)] = round.violations().map { ("rule", options.storePath, $0.text(lang)) }
        for backup in store.backups() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: backup.path)) else { continue }
            do { _ = try Store.decode(data, file: backup.path) } catch {
                problems.append(("backup", backup.path, (tr(.clBackupDamaged, lang)) + errorText(error, lang)))
            }
        }
        for segment in store.journalSegments() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: segment.path)) else { continue }
            do { try Store.checkJournal(data, file: segment.path) } catch {
                problems.append(("journal", segment.path, (tr(.clJournalSegmentDamaged, lang)) + errorText(error, lang)))
            }
        }
        let backups = store.backups().count
        if format == .json {
            try printJSON([
                "store": options.storePath, "ok": problems.isEmpty, "revision": round.revision,
                "producers": round.producers.count, "products": round.products.count, "events": round.events.count,
                "backups": backups, "warnings": handle.warnings.map { $0.text(lang) },
                "problems": problems.map { ["kind": $0.kind, "file": $0.file, "message": $0.text] },
            ])
            if !problems.isEmpty { throw ExitCode(1) }
            return
        }
        for w in handle.warnings { writeStderr("\(options.storePath): \(tr(.clWarning, lang)): \(w.text(lang))") }
        if problems.isEmpty {
            func n(_ x: Int) -> String { Format.count(x, lang) }
            print(tr(backups == 1 ? .clOkRevOneBackup : .clOkRevProducersProducts, lang, options.storePath, round.revision, n(round.producers.count), n(round.products.count), n(round.events.count), n(backups)))
        } else {
            for p in problems { writeStderr("\(options.storePath): \(p.text)") }
            throw ExitCode(1)
        }
    }
}

struct Recover: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "recover",
        abstract: tr(.clRebuildADamagedStore, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Flag(name: .long, help: ArgumentHelp(tr(.chDoItWithoutAsking, cliLanguage))) var yes = false

    func run() throws {
        let store = options.kurasiStore
        try store.checkIsFile()
        let path = options.storePath
        if let round = try? store.load() {
            print(tr(.clReadsFineRevThere, options.language, path, round.revision))
            return
        }
        let plan = try Recovery.plan(store)
        print(tr(.clRecoveryOf, options.language, path))
        print(tr(.clStartFromRev, options.language, plan.base, plan.baseRevision))
        print(tr(.clReplayEditsFromThe, options.language, plan.replayed, plan.round.revision))
        for note in plan.notes { print((tr(.clNote, options.language)) + note.displaySafe) }
        let stamp = now().replacingOccurrences(of: ":", with: "")
        print(tr(.clTheDamagedStoreAnd, options.language, path, stamp))
        if !plan.skipped.isEmpty {
            let kept = Recovery.skippedPath(store, stamp: stamp)
            print(tr(plan.skipped.count == 1 ? .clSkippedLineKept : .clSkippedLinesKept, options.language, plan.skipped.count, kept))
        }
        if !yes {
            print(tr(.clGoAheadYN, options.language), terminator: "")
            guard let answer = readLine(), ["y", "ya", "yes"].contains(answer.lowercased()) else {
                print(tr(.clNothingWasChanged, options.language))
                throw ExitCode(1)
            }
        }
        try plan.apply(to: store, stamp: stamp)
        print(tr(.clRecoveredIsAtRev, options.language, path, plan.round.revision))
    }
}

/// One event for scripts: when, who, and what in words (the store keeps the full change).
func eventJSON(_ e: Event, lang: Language) -> [String: Any] {
    ["revision": e.revision, "at": e.at, "by": e.by, "summary": e.summary(lang)]
}
