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
        abstract: L("Curate UMKM products: score them against a rubric and pin the top five of each cluster.", "Kurasi produk UMKM: nilai dengan rubrik dan pin lima besar tiap klaster."),
        discussion: L("""
        Without a subcommand, kurasi opens the console on the store
        (press ? in it for every key).
        The store is --store PATH, else $KURASI_STORE, else ./kurasi.json.
        Edits name the acting curator with --curator ID (or $KURASI_CURATOR).
        Every edit is saved at once. Reports take --format json for scripts.
        Help and messages follow --lang, else LC_ALL, LC_MESSAGES or LANG.
        """, """
        Tanpa subperintah, kurasi membuka konsol pada data
        (tekan ? di sana untuk semua tombol).
        Data adalah --store PATH, atau $KURASI_STORE, atau ./kurasi.json.
        Perubahan menyebut kurator yang bertindak dengan --curator ID
        (atau $KURASI_CURATOR). Setiap perubahan langsung disimpan.
        Laporan menerima --format json untuk skrip.
        Bantuan dan pesan mengikuti --lang, atau LC_ALL, LC_MESSAGES, LANG.
        """),
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
    @Flag(name: .long, help: H("Open the console for the projector: the board, nobody signed in, nothing can be changed.",
                               "Buka konsol untuk proyektor: papan pilihan, tanpa kurator, tidak ada yang dapat diubah."))
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
        let status = try ConsoleRuntime.run(store: options.kurasiStore, lang: lang, curator: curator, board: board, describe: { storeErrorText($0, lang) })
        if status != 0 { throw ExitCode(status) }
    }

    static func notATerminal(_ lang: Language) -> String {
        lang == .id ? """
            kurasi: konsol perlu terminal (masukan dan keluaran standar harus terminal).
            Tanpa terminal, gunakan perintah: kurasi status (ringkasan), kurasi rank (peringkat),
            kurasi score (beri nilai), kurasi --help (semua perintah).
            """ : """
            kurasi: the console needs a terminal (standard input and output must both be terminals).
            Without one, use the commands: kurasi status (summary), kurasi rank (ranking),
            kurasi score (score a product), kurasi --help (every command).
            """
    }
}

struct Status: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Summarise the round: counts, scoring progress, pins.", "Ringkasan putaran: jumlah, kemajuan penilaian, pin.")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("table or json.", "table (tabel) atau json.")) var format: ShowFormat = .table
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
        let lang = options.language, id = lang == .id
        let round = try options.loadRound()
        let info = round.round
        let phase = switch info.status.state {
        case .open: id ? "penilaian (buta)" : "scoring (blind)"
        case .deliberation: id ? "musyawarah" : "deliberation"
        case .final: "FINAL"
        }
        print("\(info.title.displaySafe) · rev \(round.revision) · \(phase)")
        print((id ? "Data: " : "Store: ") + options.storePath)
        let valid = round.producers.filter { $0.validation.status == .valid }.count
        func n(_ x: Int) -> String { Format.count(x, lang) }
        print(id ? "Pelaku UMKM: \(n(round.producers.count)) (\(n(valid)) tervalidasi) · kurator: \(round.curators.count)"
                 : "Producers: \(n(round.producers.count)) (\(n(valid)) validated) · curators: \(round.curators.count)")
        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            let scored = ranking.filter { $0.aggregate.count > 0 }.count
            let eligible = ranking.filter(\.eligible).count
            let pins = round.pins(in: cluster).count
            print(id ? "\(cluster.label(lang)): \(n(ranking.count)) produk, \(n(eligible)) memenuhi syarat, \(n(scored)) dinilai, pin \(pins)/5"
                     : "\(cluster.label(lang)): \(n(ranking.count)) products, \(n(eligible)) eligible, \(n(scored)) scored, pins \(pins)/5")
        }
        print(id ? "Perintah: kurasi rank · kurasi score · kurasi pin · kurasi --help"
                 : "Commands: kurasi rank · kurasi score · kurasi pin · kurasi --help")
    }
}

struct Demo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Make a fresh copy of the bundled Kadin Kota Madiun 2020 round and open it.", "Buat salinan baru putaran contoh Kadin Kota Madiun 2020 lalu buka."),
        discussion: L("""
        The copy goes to --store PATH when given, else to a new file under ~/.local/share/kurasi/demo.
        kurasi says where the copy is first; on a terminal the console then opens on it, otherwise
        kurasi summarises it.
        """, """
        Salinan ditulis ke --store PATH bila diberikan, atau ke berkas baru di ~/.local/share/kurasi/demo.
        kurasi lebih dulu menyebut letak salinan; di terminal konsol lalu terbuka padanya, tanpa
        terminal kurasi menampilkan ringkasannya.
        """)) }
    // The root command's option groups (see Kurasi): `demo --store PATH` puts the copy at PATH;
    // a plain `@Option var store` here would never see it.
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption

    func run() throws {
        guard let url = Bundle.module.url(forResource: "madiun-2020", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw usageError("The bundled Madiun round is missing from this build; reinstall Kurasi.", "Putaran contoh Madiun tidak ada di build ini; pasang ulang Kurasi.")
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
        let id = options.language == .id
        print((id ? "Salinan putaran Madiun 2020 disimpan di " : "A copy of the Madiun 2020 round is at ") + path)
        fflush(nil)  // on the screen before the console takes it over
        // Without a terminal (a script, a pipe), say what was made and stop there.
        guard Terminal.isInteractive else { return try Status.show(options) }
        try Console.open(options, curator: curator.curator)
        // The console's screen is gone: say again where the copy is and how to come back to it.
        print(id ? "Salinan tetap di \(path); buka lagi dengan: kurasi --store \(path)"
                 : "The copy stays at \(path); open it again with: kurasi --store \(path)")
    }
}

struct Init: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Create a new, empty round with the default rubric.", "Buat putaran baru yang kosong dengan rubrik bawaan.")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("The round's title.", "Judul putaran.")) var title = "Kurasi Produk Unggulan"
    @Option(name: .long, help: H("The organiser, e.g. Kadin Kota Madiun.", "Penyelenggara, mis. Kadin Kota Madiun.")) var organizer = ""
    @Option(name: .long, help: H("Where the committee meets, e.g. Madiun (written above the signatures of the minutes).", "Tempat panitia bersidang, mis. Madiun (ditulis di atas tanda tangan berita acara).")) var place: String?
    @Option(name: .long, help: H("The round's date (YYYY-MM-DD); permits must be valid on it. Default: today.", "Tanggal putaran (TTTT-BB-HH); izin harus berlaku pada tanggal itu. Bawaan: hari ini."))
    var date: String?

    func validate() throws {
        if let date, date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw usageError("--date must look like 2020-10-15, not \(date).", "--date harus berbentuk 2020-10-15, bukan \(date).")
        }
    }

    func run() throws {
        let round = Round(round: RoundInfo(title: title, organizer: organizer, date: date ?? String(now().prefix(10)), place: place))
        try options.kurasiStore.create(round)
        print(options.language == .id ? "Putaran baru dibuat: \(options.storePath). Tambahkan kurator dengan kurasi curator add, lalu impor registri dengan kurasi import."
                                      : "Created a new round: \(options.storePath). Add curators with kurasi curator add, then import the registry with kurasi import.")
    }
}
