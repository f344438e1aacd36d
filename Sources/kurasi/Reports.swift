import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

enum RankFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, json, md, html }

struct Rank: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the computed ranking of each cluster.")
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: "Only this cluster: mamin or non-mamin.") var cluster: Cluster?
    @Option(name: .long, help: "table, json or csv.") var format: RankFormat = .table
    @Flag(name: .long, help: "CSV for Indonesian Excel: ';', decimal comma, UTF-8 BOM and CRLF, so a double-click opens it in columns.") var excel = false

    func validate() throws {
        if excel && format != .csv { throw ValidationError("--excel goes with --format csv.") }
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
        let id = lang == .id
        for cluster in clusters {
            let ranking = round.ranking(cluster)
            print("\(cluster.label(lang)) (\(ranking.count))")
            print("  \(col("#", 3, right: true))  \(col("ID", 7)) \(col(id ? "Produk" : "Product", 30)) \(col(id ? "Pelaku UMKM" : "Producer", 24)) \(col(id ? "Skor" : "Score", 5, right: true))  n  \("Pin")")
            let threshold = round.round.settings.disagreementThreshold
            for r in ranking {
                let a = r.aggregate
                let score = Format.score(a.score, lang)
                let disputed = a.count > 1 && a.spread >= threshold ? "⚑" : " "
                // On the normalised basis the raw score stands beside the normalised one.
                let raw = round.scoreBasis == .normalised && a.score != nil ? (id ? "  mentah " : "  raw ") + Format.score(round.aggregate(r.product).score, lang) : ""
                let mark = r.pinnedSlot.map { "★\($0)" } ?? (r.eligible ? (r.unranked.map { "– " + $0.text(lang) } ?? "") : "⊘ " + (r.ineligibility.first?.text(lang) ?? ""))
                print("  \(col(r.rank.map(String.init) ?? "–", 3, right: true))  \(col(r.product.id, 7)) \(col(r.product.name, 30)) \(col(round.producer(r.product.producer)?.name ?? "", 24)) \(col(score, 5, right: true))\(disputed)\(col(String(a.count), 2, right: true))  \(mark)\(raw)")
            }
            print("")
        }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the history of the round, or of one product.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Product id (default: every change).") var product: String?
    func run() throws {
        let round = try options.loadRound()
        if let product, round.product(product) == nil {
            throw RuleRefusal(refusal: .unknownProduct(product), lang: options.language)
        }
        let events = product.map { round.history(product: $0) } ?? round.events
        if events.isEmpty { print(options.language == .id ? "Belum ada perubahan." : "No changes yet.") }
        for e in events {
            let when = Format.time(e.at, zone: round.round.zone, options.language)
            print("rev \(col(String(e.revision), 5)) \(when)  \(col(e.by, 6)) \(e.summary(options.language).displaySafe)")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the shortlist and ranking: csv, json, or the minutes (berita acara) as md or html to print.")
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: "csv, json, md or html.") var format: ExportFormat
    @Option(name: .shortAndLong, help: "Write to this file (default: standard output).") var output: String?
    @Flag(name: .long, help: "With --format csv: for Indonesian Excel (';', decimal comma, UTF-8 BOM, CRLF).") var excel = false
    @Option(name: .long, help: "The berita acara number written on the minutes (md), e.g. 012/BA/KADIN/X/2020; a blank line to fill in by hand when absent.") var number: String?

    func validate() throws {
        if excel && format != .csv { throw ValidationError("--excel goes with --format csv.") }
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
            print(lang == .id ? "Ditulis: \(output)" : "Written: \(output)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Verify the store, its journal and its backups; exits non-zero on any problem.")
    @OptionGroup var options: StoreOptions
    func run() throws {
        let store = options.kurasiStore
        let handle = try StoreHandle(store: store)
        let round = handle.round
        // Every rule of the round, the same ones the commands keep (KurasiCore's `violations`).
        var problems: [String] = round.violations().map { $0.text(options.language) }
        for backup in store.backups() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: backup.path)) else { continue }
            do { _ = try Store.decode(data, file: backup.path) } catch { problems.append("backup damaged: \(error.description)") }
        }
        for segment in store.journalSegments() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: segment.path)) else { continue }
            do { try Store.checkJournal(data, file: segment.path) } catch { problems.append("journal segment damaged: \(error.description)") }
        }
        for w in handle.warnings { writeStderr("\(options.storePath): warning: \(w)") }
        if problems.isEmpty {
            print("\(options.storePath): OK · rev \(round.revision) · \(round.producers.count) producers · \(round.products.count) products · \(round.events.count) events · \(store.backups().count) backups")
        } else {
            for p in problems { writeStderr("\(options.storePath): \(p)") }
            throw ExitCode(1)
        }
    }
}

struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild a damaged store from the newest good backup and the journals; asks before it changes anything.")
    @OptionGroup var options: StoreOptions
    @Flag(name: .long, help: "Do it without asking (for scripts).") var yes = false

    func run() throws {
        let store = options.kurasiStore
        try store.checkIsFile()
        if let round = try? store.load() {
            print("\(options.storePath) reads fine (rev \(round.revision)); there is nothing to recover. `kurasi check` verifies it in full.")
            return
        }
        let plan = try Recovery.plan(store)
        print("Recovery of \(options.storePath):")
        print("  start from \(plan.base) (rev \(plan.baseRevision))")
        print("  replay \(plan.replayed) edits from the journals, to rev \(plan.round.revision)")
        for note in plan.notes { print("  note: \(note.displaySafe)") }
        let stamp = now().replacingOccurrences(of: ":", with: "")
        print("  the damaged store and journal are kept as \(options.storePath).damaged-\(stamp)[.journal]")
        if !plan.skipped.isEmpty {
            print("  the \(plan.skipped.count) skipped journal line\(plan.skipped.count == 1 ? " is" : "s are") kept in \(Recovery.skippedPath(store, stamp: stamp))")
        }
        if !yes {
            print("Go ahead? [y/N] ", terminator: "")
            guard let answer = readLine(), ["y", "ya", "yes"].contains(answer.lowercased()) else {
                print("Nothing was changed.")
                throw ExitCode(1)
            }
        }
        try plan.apply(to: store, stamp: stamp)
        print("Recovered: \(options.storePath) is at rev \(plan.round.revision).")
    }
}
