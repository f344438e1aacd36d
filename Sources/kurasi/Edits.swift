import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import the UMKM registry (CSV) as producers awaiting validation, or (--products) the products and permits gathered on the visits.",
        discussion: """
        kurasi import REGISTRY.csv [--dry-run]
        kurasi import --products PRODUCTS.csv [--dry-run]
        The import is planned against the store as read, then applied under the store's lock as one
        event (planned again if someone edited the store meanwhile). Rows that cannot be read are
        reported by line; the exit status is 1 when any row was refused.
        """)
    @OptionGroup var options: StoreOptions
    @Argument(help: "The registry CSV as the city office sends it (; or , separated).") var file: String?
    @Option(name: .long, help: "A products file: products and permits gathered on the visits (see README).") var products: String?
    @Flag(name: .long, help: "Show what would change; change nothing.") var dryRun = false
    @OptionGroup var finalists: FinalistsOptions

    func validate() throws {
        let given = [file != nil, products != nil, finalists.finalists != nil].filter { $0 }.count
        if given != 1 {
            throw ValidationError("Give one of: the registry file (kurasi import REGISTRY.csv), a products file (kurasi import --products FILE.csv), or a finished city round (kurasi import --finalists FILE.json).")
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
        let registry = try RegistryCSV.read(contentsOf: file)
        // Plan against the store as read (no exclusive lock while the plan is made); apply under
        // the lock, planning again only if another writer changed the store meanwhile.
        let handle = try options.openStore()
        var plan = RegistryImport(registry, file: file, into: handle.round)
        if !dryRun, !plan.producers.isEmpty {
            pauseAfterPlan()
            plan = try handle.commit { round in
                let current = round.revision == plan.revision ? plan : RegistryImport(registry, file: file, into: round)
                if !current.producers.isEmpty { try perform(current.command, on: &round, by: "import", lang: lang) }
                return current
            }
        }
        print(id ? "\(file): \(plan.rows) baris data" : "\(file): \(plan.rows) data rows")
        let verb = dryRun ? (id ? "akan ditambahkan" : "would be added") : (id ? "ditambahkan" : "added")
        print(id ? "  \(plan.producers.count) pelaku UMKM dan \(plan.products.count) produk \(verb) (menunggu validasi)"
                 : "  \(plan.producers.count) producers and \(plan.products.count) products \(verb) (pending validation)")
        print(id ? "  \(plan.traders.count) di antaranya tampak pedagang (ditandai \"pedagang?\" untuk validator)"
                 : "  \(plan.traders.count) of them look like traders (marked \"pedagang?\" for the validators)")
        print(id ? "  \(plan.unchanged) sudah ada di data (tidak berubah)" : "  \(plan.unchanged) already in the store (unchanged)")
        print(id ? "  \(plan.duplicates.count) duplikat dilewati" : "  \(plan.duplicates.count) duplicates skipped")
        for d in plan.duplicates.prefix(20) {
            print(id ? "    baris \(d.line): \(d.name.displaySafe) = \(d.of)" : "    line \(d.line): \(d.name.displaySafe) = \(d.of)")
        }
        if plan.duplicates.count > 20 { print("    …") }
        print(id ? "  \(plan.closed.count) usaha tutup dilewati" : "  \(plan.closed.count) closed businesses skipped")
        print(id ? "  \(plan.services.count) usaha jasa (tanpa produk) dilewati" : "  \(plan.services.count) service businesses (no product) skipped")
        print(id ? "  \(plan.issues.count) baris tidak terbaca (tidak diimpor)" : "  \(plan.issues.count) unreadable rows (not imported)")
        for issue in plan.issues { writeStderr("\(file): \(issue.reason.displaySafe)") }
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
        print(id ? "\(file): \(plan.rows) baris data" : "\(file): \(plan.rows) data rows")
        if !plan.errors.isEmpty {
            for e in plan.errors { writeStderr("\(file): \(e.description.displaySafe)") }
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

/// A named point for tests: with $KURASI_TEST_PAUSE_AFTER_PLAN set to a path, an import that has
/// made its plan (holding no lock) creates that file and waits until the test removes it, so a
/// test can make another edit between the plan and its application.
func pauseAfterPlan() {
    guard let path = ProcessInfo.processInfo.environment["KURASI_TEST_PAUSE_AFTER_PLAN"], !path.isEmpty else { return }
    FileManager.default.createFile(atPath: path, contents: Data())
    while FileManager.default.fileExists(atPath: path) { usleep(10_000) }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record whether producers are real, operating UMKM: one or several ids, or a visits file.",
        discussion: """
        kurasi validate U-0012 U-0013 --valid --curator K1
        kurasi validate U-0014 --reject --reason "sudah tutup" --curator K1
        kurasi validate --from visits.csv --curator K1     (columns: id or NIB; status; reason)
        Several producers are decided as one event, undone as one. A visits file with a bad row
        applies nothing and names every bad row.
        """)
    @OptionGroup var options: StoreOptions
    @Argument(help: "Producer ids, e.g. U-0012.") var producers: [String] = []
    @Flag(name: .long, help: "The producers are valid.") var valid = false
    @Flag(name: .long, help: "The producers are rejected (needs --reason).") var reject = false
    @Flag(name: .long, help: "Back to pending.") var pending = false
    @Option(name: .long, help: "Why (required with --reject): tidak ditemukan di alamat, sudah tutup, bukan produsen / pedagang, duplikat dari U-…, or your own words.") var reason: String?
    @Option(name: .long, help: "A visits file (CSV): id (or NIB), status (valid, ditolak, menunggu), reason.") var from: String?
    @Flag(name: .long, help: "With --from: show what would change; change nothing.") var dryRun = false
    @OptionGroup var curator: CuratorOption

    func validate() throws {
        if from != nil {
            if !producers.isEmpty || valid || reject || pending {
                throw ValidationError("With --from FILE the file gives the ids and statuses; give no ids and none of --valid, --reject, --pending.")
            }
            return
        }
        if producers.isEmpty { throw ValidationError("Name the producers (e.g. kurasi validate U-0012 --valid) or give a visits file with --from FILE.") }
        if [valid, reject, pending].filter({ $0 }).count != 1 {
            throw ValidationError("Give exactly one of --valid, --reject or --pending.")
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
        func report(_ plan: VisitsImport) throws {
            guard !plan.errors.isEmpty else { return }
            for e in plan.errors { writeStderr("\(file): \(e.description.displaySafe)") }
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
        var counts: [ValidationStatus: Int] = [:]
        for d in plan.decisions { counts[d.status, default: 0] += 1 }
        print(id ? "\(file): \(plan.rows) baris; \(counts[.valid] ?? 0) valid, \(counts[.rejected] ?? 0) ditolak, \(counts[.pending] ?? 0) menunggu, \(plan.unchanged) tidak berubah"
                 : "\(file): \(plan.rows) rows; \(counts[.valid] ?? 0) valid, \(counts[.rejected] ?? 0) rejected, \(counts[.pending] ?? 0) pending, \(plan.unchanged) unchanged")
        if let event { print("rev \(event.revision): \(event.summary(lang).displaySafe)") }
        if dryRun { print(id ? "Uji coba: data tidak diubah." : "Dry run: the store was not changed.") }
    }
}

struct CuratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "curator", abstract: "Add, list, remove curators and give them roles.",
                                                    subcommands: [Add.self, List.self, Role.self, Remove.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a curator.",
            discussion: "Once the round has a chair, only the chair adds curators (--curator CHAIR); the first curators of a new round need no --curator.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: "A short id, e.g. K6.") var id: String
        @Option(name: .long, help: "Full name.") var name: String
        @Flag(name: .long, help: "The committee's chair (manages curators, settings and the rubric; opens deliberation, finalises, reopens).") var chair = false
        @Flag(name: .long, help: "The committee's secretary (records pins with the chair).") var secretary = false
        func run() throws {
            guard !(chair && secretary) else { throw ValidationError("Choose one role: --chair or --secretary.") }
            let role: CuratorRole = chair ? .chair : secretary ? .secretary : .curator
            let by = (try? curator.id()) ?? "admin"
            try edit(options, by: by, .addCurator(Curator(id: id, name: name, role: role)))
        }
    }
    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a curator another role (the chair only).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: "The curator whose role changes.") var id: String
        @Argument(help: "chair, secretary or curator.") var role: CuratorRole
        func run() throws { try edit(options, by: curator.id(), .setRole(curator: id, role)) }
    }
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a curator who has not scored, pinned or changed anything (the chair only).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var curator: CuratorOption
        @Argument(help: "The curator to remove.") var id: String
        func run() throws { try edit(options, by: curator.id(), .removeCurator(id)) }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the curators and their declared conflicts.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let round = try options.loadRound()
            let id = options.language == .id
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
    static let configuration = CommandConfiguration(commandName: "conflict", abstract: "Declare or withdraw conflicts of interest.",
                                                    subcommands: [Add.self, Withdraw.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare that a curator has a conflict with a producer; the curator then does not score its products.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Curator id.") var curator: String
        @Argument(help: "Producer id.") var producer: String
        @Option(name: .long, help: "Why, e.g. \"adik kandung pemilik\".") var reason: String
        @Option(name: .long, help: "family, business, employment or other.") var kind: ConflictKind = .other
        @Option(name: [.customLong("by")], help: "Who records it: the curator themselves (the default) or the chair.") var by: String?
        func run() throws {
            try edit(options, by: by ?? curator, .addConflict(curator: curator, Conflict(producer: producer, kind: kind, reason: reason)))
        }
    }
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a declared conflict (the chair only, with a reason kept on record).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var acting: CuratorOption
        @Argument(help: "Curator id.") var curator: String
        @Argument(help: "Producer id.") var producer: String
        @Option(name: .long, help: "Why the conflict no longer holds.") var reason: String
        func run() throws {
            try edit(options, by: acting.id(), .withdrawConflict(curator: curator, producer: producer, reason: reason))
        }
    }
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a product: one or more CRITERION=N (N on the rubric's scale; - clears).",
        discussion: "Example: kurasi score P-0012 --curator K2 kualitas=4 kemasan=3")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Product id.") var product: String
    @OptionGroup var curator: CuratorOption
    @Argument(help: "CRITERION=N pairs.") var points: [String]

    func parsed() throws -> [String: Int?] {
        var out: [String: Int?] = [:]
        for p in points {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("\(p) is not CRITERION=N, e.g. kualitas=4 (or kualitas=- to clear).")
            }
            if parts[1] == "-" { out[parts[0]] = .some(nil); continue }
            guard let n = Int(parts[1]) else { throw ValidationError("\(p): the score must be a whole number, e.g. \(parts[0])=4.") }
            out[parts[0]] = n
        }
        return out
    }
    func validate() throws {
        if points.isEmpty { throw ValidationError("Give at least one CRITERION=N, e.g. kualitas=4.") }
        _ = try parsed()
    }
    func run() throws {
        try edit(options, by: curator.id(), .score(product: product, points: parsed()))
    }
}

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pin", abstract: "Pin a product to one of its cluster's five slots.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Product id.") var product: String
    @Option(name: .long, help: "Slot 1–5 (default: the first free one).") var slot: Int?
    @Option(name: .long, help: "Why; required when the product is outside the computed top five.") var reason: String?
    @OptionGroup var curator: CuratorOption
    func run() throws {
        try edit(options, by: curator.id(), .pin(product: product, slot: slot, reason: reason))
    }
}

struct Unpin: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove a product's pin.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "Product id.") var product: String
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .unpin(product: product)) }
}

struct Deliberate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open deliberation (the chair): blind scoring ends and every score is visible.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .openDeliberation) }
}

struct Finalize: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Finalise the round (the chair; needs five pins in each cluster).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .finalize) }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen a final round (the chair, with a reason).")
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: "Why the round is reopened.") var reason: String
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .reopen(reason: reason)) }
}

struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Undo your own last change (appends its inverse to the history).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    func run() throws { try edit(options, by: curator.id(), .undo) }
}
