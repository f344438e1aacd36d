import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

enum RankFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, json, md, html }

struct Rank: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Show the computed ranking of each cluster.", "Tampilkan peringkat hasil hitungan tiap klaster.")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("Only this cluster: mamin or non-mamin.", "Hanya klaster ini: mamin atau non-mamin.")) var cluster: Cluster?
    @Option(name: .long, help: H("table, json or csv.", "table (tabel), json atau csv.")) var format: RankFormat = .table
    @Flag(name: .long, help: H("CSV for Indonesian Excel: ';', decimal comma, UTF-8 BOM and CRLF, so a double-click opens it in columns.", "CSV untuk Excel berbahasa Indonesia: ';', koma desimal, BOM UTF-8 dan CRLF, agar klik ganda membukanya dalam kolom.")) var excel = false

    func validate() throws {
        if excel && format != .csv { throw usageError("--excel goes with --format csv.", "--excel hanya bersama --format csv.") }
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
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Show the history of the round, or of one product.", "Tampilkan riwayat putaran, atau riwayat satu produk.")) }
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Product id (default: every change).", "ID produk (bawaan: semua perubahan)."), completion: StoreCompletion.products) var product: String?
    @Option(name: .long, help: H("table or json.", "table (tabel) atau json.")) var format: ShowFormat = .table
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
        if events.isEmpty { print(options.language == .id ? "Belum ada perubahan." : "No changes yet.") }
        for e in events {
            let when = Format.time(e.at, zone: round.round.zone, options.language)
            print("rev \(col(String(e.revision), 5)) \(when)  \(col(e.by, 6)) \(e.summary(options.language).displaySafe)")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: L("Export the shortlist and ranking: csv, json, or the minutes (berita acara) as md or html to print.", "Ekspor daftar terpilih dan peringkat: csv, json, atau berita acara sebagai md atau html untuk dicetak.")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("csv, json, md or html.", "csv, json, md atau html.")) var format: ExportFormat
    @Option(name: .shortAndLong, help: H("Write to this file (default: standard output).", "Tulis ke berkas ini (bawaan: keluaran standar).")) var output: String?
    @Flag(name: .long, help: H("With --format csv: for Indonesian Excel (';', decimal comma, UTF-8 BOM, CRLF).", "Dengan --format csv: untuk Excel berbahasa Indonesia (';', koma desimal, BOM UTF-8, CRLF).")) var excel = false
    @Option(name: .long, help: H("The berita acara number written on the minutes (md), e.g. 012/BA/KADIN/X/2020; a blank line to fill in by hand when absent.", "Nomor berita acara, mis. 012/BA/KADIN/X/2020; bila tidak diberikan, baris kosong untuk diisi tangan.")) var number: String?

    func validate() throws {
        if excel && format != .csv { throw usageError("--excel goes with --format csv.", "--excel hanya bersama --format csv.") }
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
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: L("Verify the store, its journal and its backups; exits non-zero on any problem.", "Periksa data, jurnal dan cadangannya; keluar dengan status bukan nol bila ada masalah.")) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: H("table or json.", "table (tabel) atau json.")) var format: ShowFormat = .table

    func run() throws {
        let lang = options.language, id = lang == .id
        let store = options.kurasiStore
        let handle = try StoreHandle(store: store)
        let round = handle.round
        // Every rule of the round, the same ones the commands keep (KurasiCore's `violations`).
        var problems: [(kind: String, file: String, text: String)] = round.violations().map { ("rule", options.storePath, $0.text(lang)) }
        for backup in store.backups() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: backup.path)) else { continue }
            do { _ = try Store.decode(data, file: backup.path) } catch {
                problems.append(("backup", backup.path, (id ? "cadangan rusak: " : "backup damaged: ") + errorText(error, lang)))
            }
        }
        for segment in store.journalSegments() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: segment.path)) else { continue }
            do { try Store.checkJournal(data, file: segment.path) } catch {
                problems.append(("journal", segment.path, (id ? "bagian jurnal rusak: " : "journal segment damaged: ") + errorText(error, lang)))
            }
        }
        let backups = store.backups().count
        if format == .json {
            try printJSON([
                "store": options.storePath, "ok": problems.isEmpty, "revision": round.revision,
                "producers": round.producers.count, "products": round.products.count, "events": round.events.count,
                "backups": backups, "warnings": handle.warnings,
                "problems": problems.map { ["kind": $0.kind, "file": $0.file, "message": $0.text] },
            ])
            if !problems.isEmpty { throw ExitCode(1) }
            return
        }
        for w in handle.warnings { writeStderr("\(options.storePath): \(id ? "peringatan" : "warning"): \(w)") }
        if problems.isEmpty {
            func n(_ x: Int) -> String { Format.count(x, lang) }
            print(id ? "\(options.storePath): BAIK · rev \(round.revision) · \(n(round.producers.count)) pelaku UMKM · \(n(round.products.count)) produk · \(n(round.events.count)) peristiwa · \(n(backups)) cadangan"
                     : "\(options.storePath): OK · rev \(round.revision) · \(n(round.producers.count)) producers · \(n(round.products.count)) products · \(n(round.events.count)) events · \(n(backups)) backups")
        } else {
            for p in problems { writeStderr("\(options.storePath): \(p.text)") }
            throw ExitCode(1)
        }
    }
}

struct Recover: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Rebuild a damaged store from the newest good backup and the journals; asks before it changes anything.", "Pulihkan data yang rusak dari cadangan baik terbaru dan jurnal; bertanya dulu sebelum mengubah apa pun.")) }
    @OptionGroup var options: StoreOptions
    @Flag(name: .long, help: H("Do it without asking (for scripts).", "Lakukan tanpa bertanya (untuk skrip).")) var yes = false

    func run() throws {
        let id = options.language == .id
        func say(_ en: String, _ ind: String) { print(id ? ind : en) }
        let store = options.kurasiStore
        try store.checkIsFile()
        let path = options.storePath
        if let round = try? store.load() {
            say("\(path) reads fine (rev \(round.revision)); there is nothing to recover. `kurasi check` verifies it in full.",
                "\(path) terbaca baik (rev \(round.revision)); tidak ada yang perlu dipulihkan. `kurasi check` memeriksanya lengkap.")
            return
        }
        let plan = try Recovery.plan(store)
        say("Recovery of \(path):", "Pemulihan \(path):")
        say("  start from \(plan.base) (rev \(plan.baseRevision))", "  mulai dari \(plan.base) (rev \(plan.baseRevision))")
        say("  replay \(plan.replayed) edits from the journals, to rev \(plan.round.revision)",
            "  terapkan ulang \(plan.replayed) perubahan dari jurnal, sampai rev \(plan.round.revision)")
        for note in plan.notes { print((id ? "  catatan: " : "  note: ") + note.displaySafe) }
        let stamp = now().replacingOccurrences(of: ":", with: "")
        say("  the damaged store and journal are kept as \(path).damaged-\(stamp)[.journal]",
            "  data dan jurnal yang rusak disimpan sebagai \(path).damaged-\(stamp)[.journal]")
        if !plan.skipped.isEmpty {
            let kept = Recovery.skippedPath(store, stamp: stamp)
            say("  the \(plan.skipped.count) skipped journal line\(plan.skipped.count == 1 ? " is" : "s are") kept in \(kept)",
                "  \(plan.skipped.count) baris jurnal yang dilewati disimpan di \(kept)")
        }
        if !yes {
            print(id ? "Lanjutkan? [y/N] " : "Go ahead? [y/N] ", terminator: "")
            guard let answer = readLine(), ["y", "ya", "yes"].contains(answer.lowercased()) else {
                say("Nothing was changed.", "Tidak ada yang diubah.")
                throw ExitCode(1)
            }
        }
        try plan.apply(to: store, stamp: stamp)
        say("Recovered: \(path) is at rev \(plan.round.revision).", "Dipulihkan: \(path) kini di rev \(plan.round.revision).")
    }
}

/// One event for scripts: when, who, and what in words (the store keeps the full change).
func eventJSON(_ e: Event, lang: Language) -> [String: Any] {
    ["revision": e.revision, "at": e.at, "by": e.by, "summary": e.summary(lang)]
}
