import Foundation
import Testing

/// What a terminal user expects of the command line: help and errors in their language,
/// --version, --format json for every report, shell completion of the store's ids.
@Suite struct CommandLineHabitsTests {
    static let indonesian = ["LANG": "id_ID.UTF-8"]

    /// Every command's path, for the help of each.
    static let commands: [[String]] = [
        [], ["demo"], ["init"], ["import"], ["validate"], ["producer"], ["producer", "list"], ["producer", "show"],
        ["producer", "add"], ["product"], ["product", "add"], ["product", "edit"], ["permit"], ["permit", "add"],
        ["permit", "remove"], ["curator"], ["curator", "add"], ["curator", "list"], ["curator", "role"],
        ["curator", "remove"], ["conflict"], ["conflict", "add"], ["conflict", "withdraw"], ["settings"],
        ["rubric"], ["rubric", "show"], ["rubric", "weight"], ["score"], ["rank"], ["pin"], ["unpin"],
        ["deliberate"], ["finalize"], ["reopen"], ["history"], ["undo"], ["export"], ["check"], ["recover"], ["status"],
        // the fairness commands
        ["report"], ["basis"], ["compare"], ["readiness"], ["feedback"],
    ]

    /// Words that only the English help has: the parser's headings and the help of options
    /// every command shares.
    static let english = ["USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "OVERVIEW:", "Show help information",
                          "The store file", "Your curator id", " the ", " or ", "(default:"]

    @Test func everyHelpIsInIndonesianWithLangID() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for path in Self.commands {
            let r = try cli.run(path + ["--help"], env: Self.indonesian)
            #expect(r.status == 0, "\(path): \(r.stderr)")
            #expect(r.stdout.contains("PEMAKAIAN: kurasi"), "\(path) --help:\n\(r.stdout)")
            // The root's list of subcommands also shows commands added elsewhere; their own
            // help is checked where they are made. The parser's words are checked everywhere.
            for word in path.isEmpty ? Array(Self.english.prefix(7)) : Self.english {
                #expect(!r.stdout.contains(word), "\(path) --help says \"\(word)\" with LANG=id:\n\(r.stdout)")
            }
        }
    }

    @Test func helpFollowsLangOverTheEnvironment() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let en = try cli.ok(["pin", "--help", "--lang", "en"], env: Self.indonesian)
        #expect(en.contains("USAGE: kurasi pin") && en.contains("Why; required when the product"))
        let id = try cli.ok(["--lang=id", "pin", "--help"])
        #expect(id.contains("PEMAKAIAN: kurasi pin") && id.contains("Alasan; wajib bila produk"))
        // LC_ALL wins over LANG, as elsewhere.
        let lcAll = try cli.ok(["status", "--help"], env: ["LANG": "en_US.UTF-8", "LC_ALL": "id_ID.UTF-8"])
        #expect(lcAll.contains("RINGKASAN: Ringkasan putaran"))
    }

    @Test func parserErrorsAreInIndonesian() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let missing = try cli.run(["score"], env: Self.indonesian)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Galat: Argumen yang diperlukan belum diberikan: '<product>'"), "\(missing.stderr)")
        #expect(missing.stderr.contains("Lihat 'kurasi score --help' untuk keterangan lebih lanjut."))
        #expect(!missing.stderr.contains("Missing expected argument") && !missing.stderr.contains("Usage:"))

        let unknown = try cli.run(["status", "--sotre", "x"], env: Self.indonesian)
        #expect(unknown.status == 2 && unknown.stderr.contains("Galat: Opsi tidak dikenal: '--sotre'"), "\(unknown.stderr)")

        let badValue = try cli.run(["rank", "--format", "pdf"], env: Self.indonesian)
        #expect(badValue.status == 2 && badValue.stderr.contains("Galat: Nilai 'pdf' tidak berlaku untuk '--format <format>'"), "\(badValue.stderr)")

        let noValue = try cli.run(["pin", "P-0001", "--slot"], env: Self.indonesian)
        #expect(noValue.status == 2 && noValue.stderr.contains("Nilai untuk '--slot <slot>' belum diberikan"), "\(noValue.stderr)")

        // Nothing was written by any of them.
        #expect(try cli.storeBytes() == Data(contentsOf: URL(fileURLWithPath: CLI.fixture("madiun-2020/kurasi.json"))))
    }

    @Test func refusalsOfTheCommandLineAreInIndonesian() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let noCurator = try cli.run(["score", "P-0001", "kualitas=4"], env: Self.indonesian)
        #expect(noCurator.status == 2)
        #expect(noCurator.stderr.contains("Galat: Sebutkan siapa yang membuat perubahan ini: --curator ID (lihat `kurasi curator list`)."), "\(noCurator.stderr)")
        #expect(!noCurator.stderr.contains("Say who"))

        let badPoint = try cli.run(["score", "P-0001", "kualitas", "--curator", "K2"], env: Self.indonesian)
        #expect(badPoint.status == 2 && badPoint.stderr.contains("kualitas bukan KRITERIA=N"), "\(badPoint.stderr)")

        let excel = try cli.run(["rank", "--excel"], env: Self.indonesian)
        #expect(excel.status == 2 && excel.stderr.contains("--excel hanya bersama --format csv."))

        let noStore = try cli.run(["status", "--store", cli.dir + "/nothing.json"], env: Self.indonesian)
        #expect(noStore.status == 1)
        #expect(noStore.stderr.contains("nothing.json: tidak ada data Kurasi di sini. Buat dengan `kurasi init`"), "\(noStore.stderr)")
    }

    @Test func checkSummaryInIndonesian() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let id = try cli.ok(["check"], env: Self.indonesian)
        #expect(id.hasPrefix("kurasi.json: BAIK · rev "), "\(id)")
        #expect(id.contains(" pelaku UMKM · ") && id.contains(" produk · ") && id.contains(" peristiwa · ") && id.contains(" cadangan"))
        let en = try cli.ok(["check"])
        #expect(en.hasPrefix("kurasi.json: OK · rev ") && en.contains(" producers · "))
    }

    @Test func importOutputIsInOneLanguage() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let r = try cli.run(["import", CLI.fixture("madiun-2020/registry.csv")], env: Self.indonesian)
        #expect(r.stdout.contains("duplikat dilewati"))
        // A duplicate names the line it repeats in Indonesian too: "baris 96: … = baris 56".
        let dupLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("    baris ") }
        #expect(!dupLines.isEmpty)
        for line in dupLines { #expect(!line.contains("line "), "\(line)") }
    }

    @Test func version() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let r = try cli.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
    }

    // MARK: --format json

    func json(_ cli: CLI, _ args: [String], status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let r = try cli.run(args)
        #expect(r.status == status, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return try #require(object as? [String: Any], sourceLocation: sourceLocation)
    }

    @Test func statusJSON() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let s = try json(cli, ["status", "--format", "json"])
        #expect(Set(s.keys) == ["title", "organizer", "date", "revision", "state", "store", "producers", "curators", "clusters"])
        #expect(s["state"] as? String == "open")
        let clusters = try #require(s["clusters"] as? [[String: Any]])
        #expect(clusters.map { $0["cluster"] as? String } == ["mamin", "non-mamin"])
        #expect(Set(clusters[0].keys) == ["cluster", "products", "eligible", "scored", "pins"])
        let producers = try #require(s["producers"] as? [String: Int])
        #expect(Set(producers.keys) == ["total", "valid"])
        // The same counts the table shows.
        let table = try cli.ok(["status"])
        #expect(table.contains("Producers: 1,580 (100 validated)") && producers == ["total": 1580, "valid": 100], "\(table)")
    }

    @Test func historyJSON() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        try cli.ok(["score", "P-0001", "--curator", "K2", "kualitas=4"])
        let h = try json(cli, ["history", "P-0001", "--format", "json"])
        #expect(h["product"] as? String == "P-0001")
        let events = try #require(h["events"] as? [[String: Any]])
        let last = try #require(events.last)
        #expect(Set(last.keys) == ["revision", "at", "by", "summary"])
        #expect(last["by"] as? String == "K2" && last["at"] as? String == "2020-10-15T09:00:00Z")
        #expect(last["revision"] as? Int == h["revision"] as? Int)
        let all = try json(cli, ["history", "--format", "json"])
        #expect(all["product"] is NSNull)
        #expect((all["events"] as? [Any])?.count ?? 0 >= events.count)
    }

    @Test func curatorListJSON() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let c = try json(cli, ["curator", "list", "--format", "json"])
        let curators = try #require(c["curators"] as? [[String: Any]])
        #expect(!curators.isEmpty)
        #expect(Set(curators[0].keys) == ["id", "name", "role", "conflicts"])
        #expect(curators.contains { $0["role"] as? String == "chair" })
    }

    @Test func checkJSON() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let ok = try json(cli, ["check", "--format", "json"])
        #expect(ok["ok"] as? Bool == true)
        #expect(Set(ok.keys) == ["store", "ok", "revision", "producers", "products", "events", "backups", "warnings", "problems"])
        #expect((ok["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func importJSON() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        let before = try cli.storeBytes()
        let dry = try json(cli, ["import", CLI.fixture("madiun-2020/registry.csv"), "--dry-run", "--format", "json"])
        #expect(try cli.storeBytes() == before)
        #expect(dry["kind"] as? String == "registry" && dry["dryRun"] as? Bool == true)
        let added = try #require(dry["added"] as? [String: [String]])
        #expect(!(added["producers"] ?? []).isEmpty)
        let dups = try #require(dry["duplicates"] as? [[String: Any]])
        #expect(dups.allSatisfy { Set($0.keys) == ["line", "name", "of"] })
        #expect(Set(dry.keys) == ["file", "kind", "dryRun", "rows", "added", "traders", "unchanged", "duplicates", "closed", "services", "refused"])

        // A products file with a bad row: the JSON names the row, exit 1, nothing applied.
        let bad = cli.dir + "/products.csv"
        try "producer;name;cluster\nU-9999;Keripik;mamin\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let p = try json(cli, ["import", "--products", bad, "--format", "json"], status: 1)
        #expect(p["kind"] as? String == "products" && p["applied"] as? Bool == false)
        let refused = try #require(p["refused"] as? [[String: Any]])
        #expect(refused.first?["line"] as? Int == 2)
        #expect(try cli.storeBytes() == before)
    }

    @Test func visitsJSON() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Ketua", "--chair"])
        try cli.ok(["import", CLI.fixture("madiun-2020/registry.csv")])
        let v = try json(cli, ["validate", "--from", CLI.fixture("madiun-2020/visits.csv"), "--curator", "K1", "--format", "json"])
        #expect(Set(v.keys) == ["file", "kind", "dryRun", "rows", "applied", "valid", "rejected", "pending", "unchanged", "revision", "refused"])
        #expect(v["kind"] as? String == "visits" && v["applied"] as? Bool == true && v["valid"] as? Int == 100)
        #expect(v["revision"] as? Int == 3)
        let wrong = try cli.run(["validate", "U-0001", "--valid", "--curator", "K1", "--format", "json"], env: Self.indonesian)
        #expect(wrong.status == 2 && wrong.stderr.contains("--format json hanya bersama --from BERKAS."), "\(wrong.stderr)")
    }

    /// The man page is made by argument-parser's generate-manual from this dump of the commands:
    /// it must stay JSON whatever the language, and name every command.
    @Test func theHelpDumpForTheManPageNamesEveryCommand() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for env in [[:], Self.indonesian] {
            let dump = try cli.ok(["--experimental-dump-help"], env: env)
            let info = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
            let command = try #require(info["command"] as? [String: Any])
            #expect(command["commandName"] as? String == "kurasi")
            let names = Set((command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String })
            #expect(Set(Self.commands.compactMap(\.first)).isSubset(of: names), "\(names)")
        }
    }

    // MARK: completion

    @Test func completionScriptsForEveryShell() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for shell in ["bash", "zsh", "fish"] {
            let script = try cli.ok(["--generate-completion-script", shell], env: Self.indonesian)
            #expect(script.contains("kurasi"), "\(shell)")
            #expect(script.contains("---completion"), "\(shell): ids are completed by asking kurasi")
        }
    }

    @Test func productAndCuratorIdsAreCompletedFromTheStore() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        // What the shell asks: `kurasi ---completion SUBCOMMAND -- ARGUMENT INDEX CURSOR WORDS…`.
        let products = try cli.ok(["---completion", "score", "--", "positional@0", "1", "4", "score", "P-00"])
        let ids = products.split(separator: "\n").map(String.init)
        #expect(ids.contains("P-0001") && ids.allSatisfy { $0.hasPrefix("P-00") }, "\(products)")
        let curators = try cli.ok(["---completion", "pin", "--", "--curator", "2", "0", "pin", "P-0001", ""])
        #expect(curators.split(separator: "\n").contains("K1"), "\(curators)")
        // Another store, named on the command line.
        let other = try CLI()
        defer { other.cleanUp() }
        let elsewhere = try other.ok(["---completion", "unpin", "--", "positional@0", "3", "0", "unpin", "--store", cli.store, ""])
        #expect(elsewhere.split(separator: "\n").contains("P-0001"), "\(elsewhere)")
        // No store: nothing offered, no error.
        let none = try other.run(["---completion", "unpin", "--", "positional@0", "1", "0", "unpin", ""])
        #expect(none.status == 0 && none.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
