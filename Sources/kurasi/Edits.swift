import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

struct Import: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Import the UMKM registry (CSV) as producers awaiting validation, or (--products) the products and permits gathered on the visits.", "Impor daftar UMKM (CSV) sebagai pelaku UMKM yang menunggu validasi, atau (--products) produk dan izin yang dicatat saat kunjungan."),
        discussion: L("""
        kurasi import REGISTRY.csv [--dry-run]
        kurasi import --products PRODUCTS.csv [--dry-run]
        The import is planned against the store as read, then applied under the store's lock as one
        event (planned again if someone edited the store meanwhile). Rows that cannot be read are
        reported by line; the exit status is 1 when any row was refused.
        """, """
        kurasi import DAFTAR.csv [--dry-run]
        kurasi import --products PRODUK.csv [--dry-run]
        Impor direncanakan terhadap data seperti terbaca, lalu diterapkan di bawah kunci data sebagai
        satu peristiwa (direncanakan ulang bila ada yang mengubah data sementara itu). Baris yang tidak
        terbaca disebut nomor barisnya; status keluar 1 bila ada baris yang ditolak.
        """)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("The registry CSV as the city office sends it (; or , separated).", "CSV daftar UMKM seperti dikirim dinas (dipisah ; atau ,).")) var file: String?
    @Option(name: .long, help: H("A products file: products and permits gathered on the visits (see README).", "Berkas produk: produk dan izin yang dicatat saat kunjungan (lihat README).")) var products: String?
    @Flag(name: .long, help: H("Show what would change; change nothing.", "Tampilkan apa yang akan berubah; tidak mengubah apa pun.")) var dryRun = false
    @Option(name: .long, help: H("table or json (the summary, for scripts).", "table (tabel) atau json (ringkasan, untuk skrip).")) var format: ShowFormat = .table
    @OptionGroup var finalists: FinalistsOptions

    func validate() throws {
        let given = [file != nil, products != nil, finalists.finalists != nil].filter { $0 }.count
        if given != 1 {
            throw usageError("Give one of: the registry file (kurasi import REGISTRY.csv), a products file (kurasi import --products FILE.csv), or a finished city round (kurasi import --finalists FILE.json).",
                             "Berikan salah satu: berkas daftar UMKM (kurasi import DAFTAR.csv), berkas produk (kurasi import --products BERKAS.csv), atau putaran kota yang sudah final (kurasi import --finalists FILE.json).")
        }
    }

    func run() throws {
        if let path = finalists.finalists { return try finalists.run(options, path, dryRun: dryRun) }
        if let products { return try importProducts(products) }
        guard let file else { throw ValidationError("Name the registry CSV to import, a products file with --products FILE.csv, or a finished city round with --finalists FILE.json.") }
        try importRegistry(file)
    }

    func importRegistry(_ file: String) throws {
        let lang = options.language, id = lang == .id
        let progress = ProgressLine()
        progress.show(id ? "Membaca \(file)…" : "Reading \(file)…")
        let registry = try RegistryCSV.read(contentsOf: file)
        progress.show(id ? "\(Format.count(registry.entries.count, lang)) baris terbaca; membaca data…" : "\(Format.count(registry.entries.count, lang)) rows read; reading the store…")
        // Plan against the store as read (no exclusive lock while the plan is made); apply under
        // the lock, planning again only if another writer changed the store meanwhile.
        let handle = try options.openStore()
        progress.show(id ? "Merencanakan impor…" : "Planning the import…")
        var plan = RegistryImport(registry, file: file, into: handle.round)
        if !dryRun, !plan.producers.isEmpty {
            pauseAfterPlan()
            progress.show(id ? "Menyimpan \(Format.count(plan.producers.count, lang)) pelaku UMKM…" : "Saving \(Format.count(plan.producers.count, lang)) producers…")
            defer { progress.done() }
            plan = try handle.commit { round in
                let current = round.revision == plan.revision ? plan : RegistryImport(registry, file: file, into: round)
                if !current.producers.isEmpty { try perform(current.command, on: &round, by: "import", lang: lang) }
                return current
            }
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
        print(id ? "\(file): \(n(plan.rows)) baris data" : "\(file): \(n(plan.rows)) data rows")
        let verb = dryRun ? (id ? "akan ditambahkan" : "would be added") : (id ? "ditambahkan" : "added")
        print(id ? "  \(n(plan.producers.count)) pelaku UMKM dan \(n(plan.products.count)) produk \(verb) (menunggu validasi)"
                 : "  \(n(plan.producers.count)) producers and \(n(plan.products.count)) products \(verb) (pending validation)")
        print(id ? "  \(n(plan.traders.count)) di antaranya tampak pedagang (ditandai \"pedagang?\" untuk validator)"
                 : "  \(n(plan.traders.count)) of them look like traders (marked \"pedagang?\" for the validators)")
        print(id ? "  \(n(plan.unchanged)) sudah ada di data (tidak berubah)" : "  \(n(plan.unchanged)) already in the store (unchanged)")
        print(id ? "  \(n(plan.duplicates.count)) duplikat dilewati" : "  \(n(plan.duplicates.count)) duplicates skipped")
        for d in plan.duplicates.prefix(20) {
            print("    \(tr(.csvLine, lang, d.line)): \(d.name.displaySafe) = \(d.ofText(lang))")
        }
        if plan.duplicates.count > 20 { print("    …") }
        print(id ? "  \(n(plan.closed.count)) usaha tutup dilewati" : "  \(n(plan.closed.count)) closed businesses skipped")
        print(id ? "  \(n(plan.services.count)) usaha jasa (tanpa produk) dilewati" : "  \(n(plan.services.count)) service businesses (no product) skipped")
        print(id ? "  \(n(plan.issues.count)) baris tidak terbaca (tidak diimpor)" : "  \(n(plan.issues.count)) unreadable rows (not imported)")
        for issue in plan.issues { writeStderr("\(file): \(issue.text(lang).displaySafe)") }
        if dryRun { print(id ? "Uji coba: data tidak diubah." : "Dry run: the store was not changed.") }
        if !plan.issues.isEmpty {
            writeStderr(id ? "kurasi: \(plan.issues.count) baris ditolak; perbaiki lalu impor lagi (baris yang sudah masuk tidak berubah)."
                           : "kurasi: \(plan.issues.count) rows were refused; fix them and import again (the rows already imported stay unchanged).")
            throw ExitCode(1)
        }
    }

    func importProducts(_ file: String) throws {
        let lang = options.language, id = lang == .id
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
        if format == .table { print(id ? "\(file): \(plan.rows) baris data" : "\(file): \(plan.rows) data rows") }
        if !plan.errors.isEmpty {
            if format == .json { try json(plan); throw ExitCode(1) }
            for e in plan.errors { writeStderr("\(file): \(e.text(lang).displaySafe)") }
            writeStderr(id ? "kurasi: \(plan.errors.count) baris perlu diperbaiki; tidak ada yang diterapkan. Perbaiki baris itu lalu impor lagi."
                           : "kurasi: \(plan.errors.count) rows need fixing; nothing was applied. Fix those rows and import again.")
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
        let verb = dryRun ? (id ? "akan " : "would be ") : ""
        print(id ? "  \(plan.added.count) produk \(verb)ditambahkan, \(plan.updated.count) produk \(verb)diperbarui, \(plan.unchanged) tidak berubah"
                 : "  \(plan.added.count) products \(verb)added, \(plan.updated.count) products \(verb)updated, \(plan.unchanged) unchanged")
        if dryRun {
            let round = handle.round
            for p in plan.products {
                let before = round.product(p.id)
                let permits = p.permits.map { "\($0.kind.rawValue) \($0.number)" + ($0.expires.map { " s/d \($0)" } ?? "") }.joined(separator: ", ")
                let what = before == nil ? (id ? "baru" : "new") : (id ? "ubah" : "update")
                print("    \(p.id) \(what): \(p.producer) \(p.name.displaySafe) [\(p.cluster.rawValue)]" + (permits.isEmpty ? "" : " · \(permits.displaySafe)"))
            }
            print(id ? "Uji coba: data tidak diubah." : "Dry run: the store was not changed.")
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
    func done() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}

/// A named point for tests: with $KURASI_TEST_PAUSE_AFTER_PLAN set to a path, an import that has
/// made its plan (holding no lock) creates that file and waits until the test removes it, so a
/// test can make another edit between the plan and its application.
func pauseAfterPlan() {
    guard let path = ProcessInfo.processInfo.environment["KURASI_TEST_PAUSE_AFTER_PLAN"], !path.isEmpty else { return }
    FileManager.default.createFile(atPath: path, contents: Data())
    while FileManager.default.fileExists(atPath: path) { usleep(10_000) }
}

struct Validate: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Record whether producers are real, operating UMKM: one or several ids, or a visits file.", "Catat apakah pelaku UMKM nyata dan masih berusaha: satu atau beberapa ID, atau berkas kunjungan."),
        discussion: L("""
        kurasi validate U-0012 U-0013 --valid --curator K1
        kurasi validate U-0014 --reject --reason "sudah tutup" --curator K1
        kurasi validate --from visits.csv --curator K1     (columns: id or NIB; status; reason)
        Several producers are decided as one event, undone as one. A visits file with a bad row
        applies nothing and names every bad row.
        """, """
        kurasi validate U-0012 U-0013 --valid --curator K1
        kurasi validate U-0014 --reject --reason "sudah tutup" --curator K1
        kurasi validate --from kunjungan.csv --curator K1     (kolom: id atau NIB; status; alasan)
        Beberapa pelaku UMKM diputuskan sebagai satu peristiwa dan dibatalkan sekaligus. Berkas
        kunjungan dengan baris salah tidak menerapkan apa pun dan menyebut setiap baris yang salah.
        """)) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Producer ids, e.g. U-0012.", "ID pelaku UMKM, mis. U-0012."), completion: StoreCompletion.producers) var producers: [String] = []
    @Flag(name: .long, help: H("The producers are valid.", "Pelaku UMKM ini valid.")) var valid = false
    @Flag(name: .long, help: H("The producers are rejected (needs --reason).", "Pelaku UMKM ini ditolak (perlu --reason).")) var reject = false
    @Flag(name: .long, help: H("Back to pending.", "Kembali ke menunggu.")) var pending = false
    @Option(name: .long, help: H("Why (required with --reject): tidak ditemukan di alamat, sudah tutup, bukan produsen / pedagang, duplikat dari U-…, or your own words.", "Alasan (wajib dengan --reject): tidak ditemukan di alamat, sudah tutup, bukan produsen / pedagang, duplikat dari U-…, atau kata-kata sendiri.")) var reason: String?
    @Option(name: .long, help: H("A visits file (CSV): id (or NIB), status (valid, ditolak, menunggu), reason.", "Berkas kunjungan (CSV): id (atau NIB), status (valid, ditolak, menunggu), alasan.")) var from: String?
    @Flag(name: .long, help: H("With --from: show what would change; change nothing.", "Dengan --from: tampilkan apa yang akan berubah; tidak mengubah apa pun.")) var dryRun = false
    @Option(name: .long, help: H("With --from: table or json (the summary, for scripts).", "Dengan --from: table (tabel) atau json (ringkasan, untuk skrip).")) var format: ShowFormat = .table
    @OptionGroup var curator: CuratorOption

    func validate() throws {
        if from == nil, format == .json {
            throw usageError("--format json goes with --from FILE.", "--format json hanya bersama --from BERKAS.")
        }
        if from != nil {
            if !producers.isEmpty || valid || reject || pending {
                throw usageError("With --from FILE the file gives the ids and statuses; give no ids and none of --valid, --reject, --pending.", "Dengan --from BERKAS, berkas itu memberi ID dan status; jangan beri ID maupun --valid, --reject, --pending.")
            }
            return
        }
        if producers.isEmpty { throw usageError("Name the producers (e.g. kurasi validate U-0012 --valid) or give a visits file with --from FILE.", "Sebutkan pelaku UMKM-nya (mis. kurasi validate U-0012 --valid) atau beri berkas kunjungan dengan --from BERKAS.") }
        if [valid, reject, pending].filter({ $0 }).count != 1 {
            throw usageError("Give exactly one of --valid, --reject or --pending.", "Berikan tepat satu dari --valid, --reject atau --pending.")
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

    func fromFile(_ file: String, by: String) throws {
        let lang = options.language, id = lang == .id
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
            writeStderr(id ? "kurasi: \(plan.errors.count) baris perlu diperbaiki; tidak ada yang diterapkan. Perbaiki baris itu lalu jalankan lagi."
                           : "kurasi: \(plan.errors.count) rows need fixing; nothing was applied. Fix those rows and run it again.")
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
        print(id ? "\(file): \(plan.rows) baris; \(counts[.valid] ?? 0) valid, \(counts[.rejected] ?? 0) ditolak, \(counts[.pending] ?? 0) menunggu, \(plan.unchanged) tidak berubah"
                 : "\(file): \(plan.rows) rows; \(counts[.valid] ?? 0) valid, \(counts[.rejected] ?? 0) rejected, \(counts[.pending] ?? 0) pending, \(plan.unchanged) unchanged")
        if let event { print("rev \(event.revision): \(event.summary(lang).displaySafe)") }
        if dryRun { print(id ? "Uji coba: data tidak diubah." : "Dry run: the store was not changed.") }
    }
}

struct CuratorCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "curator", abstract: L("Add, list, remove curators and give them roles.", "Tambah, tampilkan, hapus kurator dan beri mereka peran."),
                                                    subcommands: [Add.self, List.self, Role.self, Remove.self]) }
    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: L("Add a curator.", "Tambah kurator."),
            discussion: L("Once the round has a chair, only the chair adds curators (--curator CHAIR); the first curators of a new round need no --curator.", "Setelah putaran punya ketua, hanya ketua yang menambah kurator (--curator KETUA); kurator pertama putaran baru tidak perlu --curator.")) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: H("A short id, e.g. K6.", "ID singkat, mis. K6.")) var id: String
        @Option(name: .long, help: H("Full name.", "Nama lengkap.")) var name: String
        @Flag(name: .long, help: H("The committee's chair (manages curators, settings and the rubric; opens deliberation, finalises, reopens).", "Ketua panitia (mengelola kurator, pengaturan dan rubrik; membuka musyawarah, memfinalisasi, membuka kembali).")) var chair = false
        @Flag(name: .long, help: H("The committee's secretary (records pins with the chair).", "Sekretaris panitia (mencatat pin bersama ketua).")) var secretary = false
        func run() throws {
            guard !(chair && secretary) else { throw usageError("Choose one role: --chair or --secretary.", "Pilih satu peran: --chair atau --secretary.") }
            let role: CuratorRole = chair ? .chair : secretary ? .secretary : .curator
            let by = (try? curator.id()) ?? "admin"
            try edit(options, by: by, .addCurator(Curator(id: id, name: name, role: role)))
        }
    }
    struct Role: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Give a curator another role (the chair only).", "Beri kurator peran lain (hanya ketua).")) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: H("The curator whose role changes.", "Kurator yang perannya berubah."), completion: StoreCompletion.curators) var id: String
        @Argument(help: H("chair, secretary or curator.", "chair (ketua), secretary (sekretaris) atau curator (kurator).")) var role: CuratorRole
        func run() throws { try edit(options, by: curator.id(), .setRole(curator: id, role)) }
    }
    struct Remove: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Remove a curator who has not scored, pinned or changed anything (the chair only).", "Hapus kurator yang belum menilai, mem-pin atau mengubah apa pun (hanya ketua).")) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: H("The curator to remove.", "Kurator yang dihapus."), completion: StoreCompletion.curators) var id: String
        func run() throws { try edit(options, by: curator.id(), .removeCurator(id)) }
    }
    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("List the curators and their declared conflicts.", "Tampilkan kurator dan konflik kepentingan yang mereka nyatakan.")) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: H("table or json.", "table (tabel) atau json.")) var format: ShowFormat = .table
        func run() throws {
            let round = try options.loadRound()
            let id = options.language == .id
            if format == .json {
                try printJSON(["curators": round.curators.map { c -> [String: Any] in
                    ["id": c.id, "name": c.name, "role": c.role.rawValue,
                     "conflicts": c.conflicts.filter(\.isActive).map { ["producer": $0.producer, "kind": $0.kind.rawValue, "reason": $0.reason] }]
                }])
                return
            }
            for c in round.curators {
                let role = switch c.role {
                case .chair: id ? "ketua" : "chair"
                case .secretary: id ? "sekretaris" : "secretary"
                case .curator: id ? "kurator" : "curator"
                }
                var line = "\(col(c.id, 6)) \(col(c.name, 28)) \(role)"
                let active = c.conflicts.filter(\.isActive)
                if !active.isEmpty {
                    line += (id ? "  konflik: " : "  conflicts: ") + active.map { "\($0.producer) (\($0.reason.displaySafe))" }.joined(separator: ", ")
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
        CommandConfiguration(commandName: "conflict", abstract: L("Declare or withdraw conflicts of interest.", "Nyatakan atau cabut konflik kepentingan."),
                                                    subcommands: [Add.self, Withdraw.self]) }
    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Declare that a curator has a conflict with a producer; the curator then does not score its products.", "Nyatakan bahwa kurator punya konflik dengan pelaku UMKM; kurator itu lalu tidak menilai produknya.")) }
        @OptionGroup var options: StoreOptions
        @Argument(help: H("Curator id.", "ID kurator."), completion: StoreCompletion.curators) var curator: String
        @Argument(help: H("Producer id.", "ID pelaku UMKM."), completion: StoreCompletion.producers) var producer: String
        @Option(name: .long, help: H("Why, e.g. \"adik kandung pemilik\".", "Alasan, mis. \"adik kandung pemilik\".")) var reason: String
        @Option(name: .long, help: H("family, business, employment or other.", "family (keluarga), business (usaha), employment (pekerjaan) atau other (lainnya).")) var kind: ConflictKind = .other
        @Option(name: [.customLong("by")], help: H("Who records it: the curator themselves (the default) or the chair.", "Siapa yang mencatat: kurator itu sendiri (bawaan) atau ketua."), completion: StoreCompletion.curators) var by: String?
        func run() throws {
            try edit(options, by: by ?? curator, .addConflict(curator: curator, Conflict(producer: producer, kind: kind, reason: reason)))
        }
    }
    struct Withdraw: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Withdraw a declared conflict (the chair only, with a reason kept on record).", "Cabut konflik yang sudah dinyatakan (hanya ketua, dengan alasan yang dicatat).")) }
        @OptionGroup var options: StoreOptions
        @OptionGroup var acting: CuratorOption
        @Argument(help: H("Curator id.", "ID kurator."), completion: StoreCompletion.curators) var curator: String
        @Argument(help: H("Producer id.", "ID pelaku UMKM."), completion: StoreCompletion.producers) var producer: String
        @Option(name: .long, help: H("Why the conflict no longer holds.", "Mengapa konflik itu tidak berlaku lagi.")) var reason: String
        func run() throws {
            try edit(options, by: acting.id(), .withdrawConflict(curator: curator, producer: producer, reason: reason))
        }
    }
}

struct Score: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Score a product: one or more CRITERION=N (N on the rubric's scale; - clears).", "Nilai produk: satu atau lebih KRITERIA=N (N pada skala rubrik; - menghapus)."),
        discussion: L("Example: kurasi score P-0012 --curator K2 kualitas=4 kemasan=3", "Contoh: kurasi score P-0012 --curator K2 kualitas=4 kemasan=3")) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Product id.", "ID produk."), completion: StoreCompletion.products) var product: String
    @OptionGroup var curator: CuratorOption
    @Argument(help: H("CRITERION=N pairs.", "Pasangan KRITERIA=N."), completion: StoreCompletion.criteria) var points: [String]

    func parsed() throws -> [String: Int?] {
        var out: [String: Int?] = [:]
        for p in points {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw usageError("\(p) is not CRITERION=N, e.g. kualitas=4 (or kualitas=- to clear).", "\(p) bukan KRITERIA=N, mis. kualitas=4 (atau kualitas=- untuk menghapus).")
            }
            if parts[1] == "-" { out[parts[0]] = .some(nil); continue }
            guard let n = Int(parts[1]) else { throw usageError("\(p): the score must be a whole number, e.g. \(parts[0])=4.", "\(p): nilai harus bilangan bulat, mis. \(parts[0])=4.") }
            out[parts[0]] = n
        }
        return out
    }
    func validate() throws {
        if points.isEmpty { throw usageError("Give at least one CRITERION=N, e.g. kualitas=4.", "Berikan sedikitnya satu KRITERIA=N, mis. kualitas=4.") }
        _ = try parsed()
    }
    func run() throws {
        try edit(options, by: curator.id(), .score(product: product, points: parsed()))
    }
}

struct PinCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "pin", abstract: L("Pin a product to one of its cluster's five slots.", "Pin produk ke salah satu dari lima tempat di klasternya.")) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Product id.", "ID produk."), completion: StoreCompletion.products) var product: String
    @Option(name: .long, help: H("Slot 1–5 (default: the first free one).", "Tempat 1–5 (bawaan: yang pertama kosong).")) var slot: Int?
    @Option(name: .long, help: H("Why; required when the product is outside the computed top five.", "Alasan; wajib bila produk di luar lima besar menurut skor.")) var reason: String?
    @OptionGroup var curator: CuratorOption
    func run() throws {
        try edit(options, by: curator.id(), .pin(product: product, slot: slot, reason: reason))
    }
}

struct Unpin: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Remove a product's pin.", "Lepas pin produk.")) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Product id.", "ID produk."), completion: StoreCompletion.products) var product: String
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .unpin(product: product)) }
}

struct Deliberate: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Open deliberation (the chair): blind scoring ends and every score is visible.", "Buka musyawarah (ketua): penilaian buta berakhir dan semua nilai terlihat.")) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .openDeliberation) }
}

struct Finalize: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Finalise the round (the chair; needs five pins in each cluster).", "Finalisasi putaran (ketua; perlu lima pin di tiap klaster).")) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .finalize) }
}

struct Reopen: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Reopen a final round (the chair, with a reason).", "Buka kembali putaran yang sudah final (ketua, dengan alasan).")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("Why the round is reopened.", "Mengapa putaran dibuka kembali.")) var reason: String
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .reopen(reason: reason)) }
}

struct Undo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Undo your own last change (appends its inverse to the history).", "Batalkan perubahan terakhir Anda sendiri (kebalikannya dicatat di riwayat).")) }
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .undo) }
}
