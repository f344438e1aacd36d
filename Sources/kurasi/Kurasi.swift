import ArgumentParser
import Foundation
import KurasiConsoleRuntime
import KurasiCore
import KurasiStore
import KurasiTerminal

struct Kurasi: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "kurasi",
        abstract: tr(.clCurateUmkmProductsScore, cliLanguage),
        discussion: tr(.cdWithoutASubcommandKurasi, cliLanguage),
        version: kurasiVersion,
        subcommands: [
            Demo.self, Init.self, Import.self, Validate.self, ProducerCommand.self, ProductCommand.self,
            PermitCommand.self, CuratorCommand.self, ConflictCommand.self, SettingsCommand.self, RubricCommand.self,
            Score.self, Rank.self, PinCommand.self, Unpin.self, Deliberate.self, Finalize.self, Reopen.self,
            History.self, Undo.self, ExportCommand.self, Check.self, Recover.self, Compact.self, Status.self,
            Report.self, Basis.self, Compare.self, ReadinessCommand.self, FeedbackCommand.self,
        ]) }

    @OptionGroup var options: StoreOptions
    // The same option group the editing subcommands use: ArgumentParser parses a root command's
    // options wherever they appear and hands them on only to groups of the same type, so a plain
    // `--curator` here would swallow `kurasi score … --curator K2`.
    @OptionGroup var curator: CuratorOption
    @Flag(name: .long, help: ArgumentHelp(tr(.chOpenTheConsoleFor, cliLanguage)))
    var board = false

    func run() throws {
        try Console.open(options, curator: curator.curator, board: board)
    }
}

/// The interactive console (KurasiConsole run by KurasiConsoleRuntime, drawn by KurasiTerminal) on a store.
enum Console {
    static func open(_ options: StoreOptions, curator: CuratorID?, board: Bool = false) throws {
        guard Terminal.isInteractive else {
            writeStderr(notATerminal(options.language))
            throw ExitCode(1)
        }
        let lang = options.language
        let status = try ConsoleRuntime.run(store: options.kurasiStore, lang: lang, curator: curator, board: board, describe: { $0.text(lang) })
        if status != 0 { throw ExitCode(status) }
    }

    static func notATerminal(_ lang: Language) -> String {
        tr(.clNotATerminal, lang)
    }
}

struct Status: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "status", abstract: tr(.clSummariseTheRoundCounts, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table
    func run() throws {
        if format == .json { return try Self.json(options) }
        try Self.show(options)
    }

    /// The summary for scripts (shape in README, "--format json outputs").
    static func json(_ options: StoreOptions) throws {
        let round = try options.loadRound()
        let info = round.round
        try printJSON([
            "title": info.title, "organizer": info.organizer, "date": info.date, "revision": round.revision,
            "state": info.status.state.rawValue, "store": options.storePath,
            "producers": ["total": round.producers.count,
                          "valid": round.producers.filter { $0.validation.status == .valid }.count],
            "curators": round.curators.count,
            "clusters": Cluster.allCases.map { cluster -> [String: Any] in
                let ranking = round.ranking(cluster)
                return ["cluster": cluster.rawValue, "products": ranking.count,
                        "eligible": ranking.filter(\.eligible).count,
                        "scored": ranking.filter { $0.aggregate.count > 0 }.count,
                        "pins": round.pins(in: cluster).count]
            },
        ])
    }

    static func show(_ options: StoreOptions) throws {
        let lang = options.language
        let round = try options.loadRound()
        let info = round.round
        let phase = switch info.status.state {
        case .open: tr(.clScoringBlind, lang)
        case .deliberation: tr(.clDeliberation, lang)
        case .final: "FINAL"
        }
        print("\(info.title.displaySafe) · rev \(round.revision) · \(phase)")
        print((tr(.clStore, lang)) + options.storePath)
        let valid = round.producers.filter { $0.validation.status == .valid }.count
        func n(_ x: Int) -> String { Format.count(x, lang) }
        print(tr(.clProducersValidatedCurators, lang, n(round.producers.count), n(valid), round.curators.count))
        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            let scored = ranking.filter { $0.aggregate.count > 0 }.count
            let eligible = ranking.filter(\.eligible).count
            let pins = round.pins(in: cluster).count
            print(tr(.clProductsEligibleScoredPins, lang, cluster.label(lang), n(ranking.count), n(eligible), n(scored), pins))
        }
        print(tr(.clCommandsKurasiRankKurasi, lang))
    }
}

struct Demo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "demo",
        abstract: tr(.clMakeAFreshCopy, cliLanguage),
        discussion: tr(.cdTheCopyGoesTo, cliLanguage)) }
    // The root command's option groups (see Kurasi): `demo --store PATH` puts the copy at PATH;
    // a plain `@Option var store` here would never see it.
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption

    func run() throws {
        guard let url = Bundle.module.url(forResource: "madiun-2020", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw ValidationError(tr(.cuTheBundledMadiunRound, cliLanguage))
        }
        let round = try Store.decode(data, file: url.path)
        let path: String
        if let store = options.store { path = store } else {
            let env = ProcessInfo.processInfo.environment
            let home = env["XDG_DATA_HOME"].map { $0 + "/kurasi" }
                ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/share/kurasi")
            let dir = home + "/demo"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let stamp = now().replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
            path = "\(dir)/madiun-2020-\(stamp)-\(getpid()).json"
        }
        try Store(path: path).create(round)
        let options = try StoreOptions.parse(["--store", path] + (options.lang.map { ["--lang", $0.rawValue] } ?? []))
        print((tr(.clACopyOfThe, options.language)) + path)
        fflush(nil)  // on the screen before the console takes it over
        // Without a terminal (a script, a pipe), say what was made and stop there.
        guard Terminal.isInteractive else { return try Status.show(options) }
        try Console.open(options, curator: curator.curator)
        // The console's screen is gone: say again where the copy is and how to come back to it.
        print(tr(.clTheCopyStaysAt, options.language, path))
    }
}

struct Init: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "init", abstract: tr(.clCreateANewEmpty, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chTheRoundSTitle, cliLanguage))) var title = "Kurasi Produk Unggulan"
    @Option(name: .long, help: ArgumentHelp(tr(.chTheOrganiserEG, cliLanguage))) var organizer = ""
    @Option(name: .long, help: ArgumentHelp(tr(.chWhereTheCommitteeMeets, cliLanguage))) var place: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chTheRoundSDate, cliLanguage)))
    var date: String?

    func validate() throws {
        if let date, date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError(tr(.cuDateMustLookLike, cliLanguage, date))
        }
    }

    func run() throws {
        let round = Round(round: RoundInfo(title: title, organizer: organizer, date: date ?? String(now().prefix(10)), place: place))
        try options.kurasiStore.create(round)
        print(tr(.clCreatedANewRound, options.language, options.storePath))
    }
}
