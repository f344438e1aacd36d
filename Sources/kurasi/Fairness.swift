import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

// The fairness commands: report (calibration, stability, normalised, pairwise), basis, compare,
// readiness and feedback. The analysis is KurasiCore's (Analysis/); these print it.

enum ReportKind: String, ExpressibleByArgument, CaseIterable { case calibration, stability, normalised, pairwise }
enum TableOrJSON: String, ExpressibleByArgument, CaseIterable { case table, json }
enum ReadinessFormat: String, ExpressibleByArgument, CaseIterable { case table, json, md }
enum FeedbackFormat: String, ExpressibleByArgument, CaseIterable { case md, html }
extension ScoreBasis: ExpressibleByArgument {}

/// The side a curator prefers: A (the first product named), B, or the same.
enum Prefer: String, ExpressibleByArgument, CaseIterable {
    case a, b, same
    init?(argument: String) {
        switch argument.lowercased() {
        case "a": self = .a
        case "b": self = .b
        case "same", "sama", "=", "equal": self = .same
        default: return nil
        }
    }
}

/// Reports show every curator's scores: while scoring is blind, only the chair may ask for them.
func requireReportAccess(_ round: Round, curator: CuratorOption, lang: Language) throws {
    guard !round.scoresArePublic else { return }
    let who = (try? curator.id()) ?? ""
    guard round.curator(who)?.role == .chair else {
        writeStderr(lang == .id
            ? "kurasi: laporan ini menampilkan nilai semua kurator; selama penilaian buta hanya ketua yang boleh melihatnya (--curator ID-KETUA), atau ketua membuka musyawarah dulu (kurasi deliberate)."
            : "kurasi: this report shows every curator's scores; while scoring is blind only the chair may see it (--curator CHAIR-ID), or the chair opens deliberation first (kurasi deliberate).")
        throw ExitCode(1)
    }
}

func r2(_ x: Double?) -> Any { x.map { ($0 * 100).rounded() / 100 } ?? NSNull() }
func r3(_ x: Double?) -> Any { x.map { ($0 * 1000).rounded() / 1000 } ?? NSNull() }
func orNull(_ x: Any?) -> Any { x ?? NSNull() }

func writeJSON(_ object: Any) throws {
    var data = try JSONSerialization.data(withJSONObject: jsonSafe(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    data.append(0x0A)
    FileHandle.standardOutput.write(data)
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: L("Fairness reports: curator calibration, stability of the top five, normalised scores, the pairwise round.",
                    "Laporan keadilan: kalibrasi kurator, kestabilan lima besar, skor ternormalisasi, putaran berpasangan."),
        discussion: L("""
        calibration: per curator sheets, mean, spread, points per criterion, leniency and agreement; the pairs who disagree most.
        stability: the top five without each curator, and each product's bootstrap probability of being in it (seeded).
        normalised: raw and normalised scores and ranks side by side, and how each curator was rescaled.
        pairwise: the products at the cut line and the Bradley-Terry order of the comparisons.
        While scoring is blind only the chair (--curator) may see these.
        """, """
        calibration: per kurator jumlah lembar, rata-rata, sebaran, nilai per kriteria, kemurahan dan kesepakatan; pasangan kurator yang paling berbeda pendapat.
        stability: lima besar bila satu kurator dikeluarkan, dan peluang bootstrap tiap produk masuk lima besar (dengan seed).
        normalised: skor dan peringkat mentah dan ternormalisasi berdampingan, dan bagaimana skor tiap kurator diskalakan.
        pairwise: produk di garis batas dan urutan Bradley-Terry dari perbandingan berpasangan.
        Selama penilaian buta hanya ketua (--curator) yang boleh melihatnya.
        """))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: H("calibration, stability, normalised or pairwise.", "calibration, stability, normalised atau pairwise.")) var kind: ReportKind
    @Option(name: .long, help: H("Only this cluster: mamin or non-mamin.", "Hanya klaster ini: mamin atau non-mamin.")) var cluster: Cluster?
    @Option(name: .long, help: H("table or json.", "table atau json.")) var format: TableOrJSON = .table
    @Option(name: .long, help: H("The bootstrap's seed (stability).", "Seed bootstrap (stability).")) var seed: UInt64 = Stability.defaultSeed
    @Option(name: .long, help: H("The bootstrap's resamples (stability).", "Jumlah sampel ulang bootstrap (stability).")) var resamples: Int = Stability.defaultResamples

    func validate() throws {
        guard (1...100_000).contains(resamples) else { throw ValidationError("--resamples must be between 1 and 100000, not \(resamples).") }
    }

    func run() throws {
        let round = try options.loadRound()
        let lang = options.language
        try requireReportAccess(round, curator: curator, lang: lang)
        let clusters = cluster.map { [$0] } ?? Cluster.allCases
        switch kind {
        case .calibration: try calibration(round, clusters, lang)
        case .stability: try stability(round, clusters, lang)
        case .normalised: try normalised(round, clusters, lang)
        case .pairwise: try pairwise(round, clusters, lang)
        }
    }

    func calibration(_ round: Round, _ clusters: [Cluster], _ lang: Language) throws {
        let cal = round.calibration(clusters: clusters)
        let bars = Bars.lengths(cal.curators.flatMap(\.histogram), width: 8)
        if format == .json {
            let curators: [[String: Any]] = cal.curators.enumerated().map { i, c in
                ["curator": c.curator, "name": c.name, "sheets": c.sheets, "mean": r2(c.mean), "spread": r2(c.spread),
                 "leniency": r2(c.leniency), "agreement": r3(c.agreement), "shared": c.shared, "points": c.points,
                 "histogram": c.histogram, "histogramBars": Array(bars[(i * 10)..<(i * 10 + 10)])]
            }
            let pairs: [[String: Any]] = cal.disagreements.map { d in
                ["curators": d.curators, "shared": d.shared, "meanAbsoluteDifference": r2(d.meanAbsoluteDifference),
                 "products": d.products.map { ["product": $0.product, "scores": $0.scores.map { r2($0) }] as [String: Any] }]
            }
            return try writeJSON(["clusters": clusters.map(\.rawValue), "curators": curators, "disagreements": pairs] as [String: Any])
        }
        let id = lang == .id
        print(id ? "KALIBRASI KURATOR · \(clusters.map { $0.label(lang) }.joined(separator: " + "))" : "CURATOR CALIBRATION · \(clusters.map { $0.label(lang) }.joined(separator: " + "))")
        print(id ? "Untuk dibahas ketua sebelum musyawarah, bukan untuk menyalahkan siapa pun." : "For the chair to discuss before deliberation, not to blame anyone.")
        print("")
        print("  \(col(id ? "Kurator" : "Curator", 18)) \(col(id ? "Lembar" : "Sheets", 6, right: true)) \(col(id ? "Rerata" : "Mean", 6, right: true)) \(col(id ? "Sebaran" : "Spread", 7, right: true)) \(col(id ? "Kemurahan" : "Leniency", 9, right: true)) \(col(id ? "Kesesuaian" : "Agreement", 10, right: true))  0–100")
        for (i, c) in cal.curators.enumerated() {
            let len = c.leniency.map { ($0 >= 0 ? "+" : "") + Format.score($0, lang) } ?? "–"
            let agr = c.agreement.map { Format.score($0 * 100, lang).replacingOccurrences(of: lang == .id ? ",0" : ".0", with: "") + " %" } ?? "–"
            let hist = bars[(i * 10)..<(i * 10 + 10)].map { " ▁▂▃▄▅▆▇█".map(String.init)[Swift.min(8, $0)] }.joined()
            print("  \(col("\(c.curator) \(c.name)", 18)) \(col(String(c.sheets), 6, right: true)) \(col(Format.score(c.mean, lang), 6, right: true)) \(col(Format.score(c.spread, lang), 7, right: true)) \(col(len, 9, right: true)) \(col(agr, 10, right: true))  \(hist)")
        }
        print("")
        print(id ? "Sebaran poin per kriteria (jumlah lembar yang memberi poin \(round.rubric.scaleMin)…\(round.rubric.scaleMax)):" : "Points per criterion (sheets giving each point \(round.rubric.scaleMin)…\(round.rubric.scaleMax)):")
        for c in cal.curators where c.sheets > 0 {
            let parts = round.rubric.criteria.map { k in "\(k.id) " + (c.points[k.id] ?? []).map(String.init).joined(separator: "/") }
            print("  \(col(c.curator, 6)) " + parts.joined(separator: "  "))
        }
        print("")
        if cal.disagreements.isEmpty {
            print(id ? "Belum ada dua kurator yang menilai dua produk yang sama." : "No two curators have scored two products in common yet.")
        } else {
            print(id ? "Pasangan kurator yang paling berbeda (rata-rata selisih skor lembar):" : "The curators who disagree most (mean difference of sheet scores):")
            for d in cal.disagreements {
                let items = d.products.map { "\($0.product) \(Format.score($0.scores[0], lang))/\(Format.score($0.scores[1], lang))" }.joined(separator: ", ")
                print("  \(d.curators.joined(separator: "–")): \(Format.score(d.meanAbsoluteDifference, lang)) " + (id ? "atas \(d.shared) produk" : "over \(d.shared) products") + " · \(items)")
            }
        }
    }

    func stability(_ round: Round, _ clusters: [Cluster], _ lang: Language) throws {
        let s = round.stability(clusters: clusters, seed: seed, resamples: resamples)
        if format == .json {
            var out: [String: Any] = [:]
            for c in s.clusters {
                out[c.cluster.rawValue] = [
                    "topFive": c.topFive, "decisive": c.decisive,
                    "leaveOneOut": c.leaveOneOut.map { ["curator": $0.curator, "topFive": $0.topFive, "leaves": $0.leaves, "enters": $0.enters] as [String: Any] },
                    "probabilities": c.probabilities.map { ["product": $0.product, "rank": orNull($0.rank), "score": r2($0.score),
                                                            "probability": r3($0.probability), "inTopFive": $0.inTopFive] as [String: Any] },
                ] as [String: Any]
            }
            return try writeJSON(["seed": s.seed, "resamples": s.resamples, "basis": s.basis.rawValue, "clusters": out] as [String: Any])
        }
        let id = lang == .id
        print(id ? "KESTABILAN 5 TERATAS · skor \(s.basis.label(lang)) · bootstrap \(Format.count(s.resamples, lang)) kali, seed \(s.seed)"
                 : "STABILITY OF THE TOP FIVE · \(s.basis.label(lang)) scores · bootstrap \(Format.count(s.resamples, lang)) resamples, seed \(s.seed)")
        for c in s.clusters {
            print("")
            print("\(c.cluster.label(lang)) · " + (id ? "lima besar: " : "top five: ") + (c.topFive.isEmpty ? "–" : c.topFive.joined(separator: ", ")))
            print(id ? "  Peluang masuk lima besar:" : "  Probability of being in the top five:")
            for p in c.probabilities {
                let bar = Bars.draw(Bars.length(p.probability, width: 20))
                print("  \(p.inTopFive ? "★" : " ") \(col(p.rank.map { "#\($0)" } ?? "–", 4)) \(col(p.product, 8)) \(col(Format.score(p.score, lang), 5, right: true))  \(col(Format.percent(p.probability), 5, right: true)) \(bar)")
            }
            print(id ? "  Tanpa satu kurator:" : "  Leaving one curator out:")
            for e in c.leaveOneOut {
                if e.changes {
                    print("  ⚑ " + (id ? "tanpa \(e.curator): keluar \(e.leaves.joined(separator: ", ")), masuk \(e.enters.joined(separator: ", "))"
                                       : "without \(e.curator): out \(e.leaves.joined(separator: ", ")), in \(e.enters.joined(separator: ", "))"))
                } else {
                    print("    " + (id ? "tanpa \(e.curator): tidak berubah" : "without \(e.curator): unchanged"))
                }
            }
            if !c.decisive.isEmpty {
                print("  " + (id ? "PERHATIAN: susunan lima besar bergantung pada lembar \(c.decisive.joined(separator: ", ")) saja."
                                 : "NOTE: who is in the top five rests on the sheets of \(c.decisive.joined(separator: ", ")) alone."))
            }
        }
    }

    func normalised(_ round: Round, _ clusters: [Cluster], _ lang: Language) throws {
        let n = round.normalisation()
        let curators = n.scales.values.sorted { $0.curator < $1.curator }
        if format == .json {
            var out: [String: Any] = [:]
            for c in clusters {
                out[c.rawValue] = round.normalisedRows(c, normalisation: n).map {
                    ["product": $0.product, "name": $0.name, "raw": r2($0.raw), "normalised": r2($0.normalised),
                     "rawRank": orNull($0.rawRank), "normalisedRank": orNull($0.normalisedRank), "move": orNull($0.move)] as [String: Any]
                }
            }
            let scales: [[String: Any]] = curators.map {
                ["curator": $0.curator, "sheets": $0.sheets, "mean": r2($0.mean), "standardDeviation": r2($0.standardDeviation),
                 "treatment": $0.treatment.rawValue]
            }
            return try writeJSON(["basis": round.scoreBasis.rawValue, "minimumSheets": Normalisation.minimumSheets,
                                  "committee": ["mean": r2(n.committeeMean), "standardDeviation": r2(n.committeeStandardDeviation)],
                                  "curators": scales, "clusters": out] as [String: Any])
        }
        let id = lang == .id
        print(id ? "SKOR TERNORMALISASI · peringkat memakai skor \(round.scoreBasis.label(lang))" : "NORMALISED SCORES · the ranking uses \(round.scoreBasis.label(lang)) scores")
        print(id ? "Komite: rerata \(Format.score(n.committeeMean, lang)), simpangan baku \(Format.score(n.committeeStandardDeviation, lang))"
                 : "Committee: mean \(Format.score(n.committeeMean, lang)), standard deviation \(Format.score(n.committeeStandardDeviation, lang))")
        for s in curators {
            let how: String = switch s.treatment {
            case .normalised: id ? "dinormalisasi" : "normalised"
            case .tooFewSheets: id ? "tetap mentah: kurang dari \(Normalisation.minimumSheets) lembar" : "left raw: fewer than \(Normalisation.minimumSheets) sheets"
            case .noSpread: id ? "tetap mentah: semua lembar sama" : "left raw: every sheet the same"
            }
            print("  \(col(s.curator, 6)) \(col(String(s.sheets), 4, right: true)) " + (id ? "lembar" : "sheets") + " · " + (id ? "rerata" : "mean") + " \(Format.score(s.mean, lang)) · sd \(Format.score(s.standardDeviation, lang)) · \(how)")
        }
        for c in clusters {
            print("")
            print(c.label(lang))
            print("  \(col("#norm", 5, right: true)) \(col("#raw", 4, right: true))  \(col("ID", 8)) \(col(id ? "Produk" : "Product", 28)) \(col(id ? "Mentah" : "Raw", 6, right: true)) \(col("Norm", 6, right: true))  " + (id ? "Geser" : "Move"))
            for row in round.normalisedRows(c, normalisation: n) where row.raw != nil {
                let move = row.move.map { $0 > 0 ? "▲\($0)" : $0 < 0 ? "▼\(-$0)" : "=" } ?? ""
                print("  \(col(row.normalisedRank.map(String.init) ?? "–", 5, right: true)) \(col(row.rawRank.map(String.init) ?? "–", 4, right: true))  \(col(row.product, 8)) \(col(row.name, 28)) \(col(Format.score(row.raw, lang), 6, right: true)) \(col(Format.score(row.normalised, lang), 6, right: true))  \(move)")
            }
        }
    }

    func pairwise(_ round: Round, _ clusters: [Cluster], _ lang: Language) throws {
        let me = try? curator.id()
        let rounds = clusters.map { round.pairwise($0, visibleTo: me, everything: round.scoresArePublic || round.curator(me ?? "")?.role == .chair) }
        if format == .json {
            var out: [String: Any] = [:]
            for p in rounds {
                out[p.cluster.rawValue] = ["cutLine": p.cutLine, "comparisons": p.comparisons,
                                           "order": p.order.map { ["product": $0.product, "strength": r3($0.strength), "wins": $0.wins,
                                                                   "losses": $0.losses, "ties": $0.ties] as [String: Any] }] as [String: Any]
            }
            return try writeJSON(["clusters": out])
        }
        let id = lang == .id
        for p in rounds {
            print("\(p.cluster.label(lang)) · " + (id ? "garis batas: " : "cut line: ") + p.cutLine.joined(separator: ", ") + " · " + (id ? "\(p.comparisons) perbandingan" : "\(p.comparisons) comparisons"))
            for (i, s) in p.order.enumerated() {
                print("  \(i + 1). \(col(s.product, 8)) \(col(Format.score(s.strength * 100, lang), 5, right: true))  " + (id ? "menang \(s.wins), kalah \(s.losses), seri \(s.ties)" : "won \(s.wins), lost \(s.losses), tied \(s.ties)"))
            }
        }
    }
}

struct Basis: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: L("The chair chooses, before deliberation, whether the ranking uses raw or normalised scores.",
                    "Ketua memilih, sebelum musyawarah, apakah peringkat memakai skor mentah atau ternormalisasi."))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: H("raw or normalised.", "raw (mentah) atau normalised (ternormalisasi).")) var basis: ScoreBasis
    func run() throws {
        try edit(options, by: curator.id(), .fairness(.setScoreBasis(basis)))
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: L("Compare two products at the cut line: which is better, A (the first named), B, or the same.",
                    "Bandingkan dua produk di garis batas: mana yang lebih baik, A (yang disebut pertama), B, atau sama."))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: H("The first product (A).", "Produk pertama (A).")) var a: ProductID
    @Argument(help: H("The second product (B).", "Produk kedua (B).")) var b: ProductID
    @Option(name: .long, help: H("A, B or same.", "A, B atau same (sama).")) var prefer: Prefer

    func run() throws {
        let who = try curator.id()
        let p: Comparison.Preference = prefer == .a ? .a : prefer == .b ? .b : .same
        try edit(options, by: who, .fairness(.compare(a, b, prefer: p)))
        let round = try options.loadRound()
        if let cluster = round.product(a)?.cluster, let next = round.nextPair(cluster, for: who) {
            print(options.language == .id ? "Pasangan berikutnya: kurasi compare \(next.0) \(next.1) --prefer A|B|same" : "Next pair: kurasi compare \(next.0) \(next.1) --prefer A|B|same")
        }
    }
}

struct ReadinessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness",
        abstract: L("The collective-mark (merek kolektif) checklist of every pinned product.",
                    "Daftar periksa merek kolektif untuk setiap produk yang dipin."),
        discussion: L("The chair sets the minimum monthly capacity with --minimum N --curator CHAIR (an event); --minimum 0 clears it.",
                      "Ketua menetapkan kapasitas minimum per bulan dengan --minimum N --curator KETUA (tercatat di riwayat); --minimum 0 menghapusnya."))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Option(name: .long, help: H("table, json or md.", "table, json atau md.")) var format: ReadinessFormat = .table
    @Option(name: .long, help: H("Set the minimum capacity a month for the shared brand (the chair; 0 clears it).",
                                  "Tetapkan kapasitas minimum per bulan untuk merek bersama (ketua; 0 menghapusnya).")) var minimum: Int?
    @Option(name: .long, help: H("The date (YYYY-MM-DD) by which producers must act; default 90 days after the round.",
                                  "Tanggal (TTTT-BB-HH) batas pelaku bertindak; bawaan 90 hari setelah putaran.")) var by: String?

    func validate() throws {
        if let by, by.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--by must look like 2021-01-15, not \(by).")
        }
        if let minimum, minimum < 0 { throw ValidationError("--minimum must be 0 (to clear it) or more, not \(minimum).") }
    }

    func run() throws {
        let lang = options.language, id = lang == .id
        if let minimum {
            try edit(options, by: curator.id(), .fairness(.setMinimumCapacity(minimum == 0 ? nil : minimum)))
        }
        let round = try options.loadRound()
        let list = round.readiness(lang: lang, due: by)
        switch format {
        case .json:
            try writeJSON([
                "minimumCapacity": orNull(round.round.settings.minimumCapacity), "due": by ?? round.readinessDue,
                "products": list.map { r in
                    ["product": r.product, "name": r.name, "producer": r.producer, "producerName": r.producerName,
                     "cluster": r.cluster.rawValue, "slot": r.slot, "ready": r.ready,
                     "lines": r.lines.map { ["item": $0.item.rawValue, "status": $0.status.rawValue, "found": $0.found,
                                             "action": $0.action, "due": orNull($0.due)] as [String: Any] }] as [String: Any]
                },
            ] as [String: Any])
        case .md:
            print(readinessMarkdown(round, list, lang))
        case .table:
            if list.isEmpty { print(id ? "Belum ada produk yang dipin." : "No product is pinned yet."); return }
            let minimum = round.round.settings.minimumCapacity.map { Format.count($0, lang) } ?? (id ? "belum ditetapkan" : "not set")
            print(id ? "KESIAPAN MEREK KOLEKTIF · kapasitas minimum \(minimum) per bulan" : "COLLECTIVE-MARK READINESS · minimum capacity \(minimum) a month")
            for r in list {
                print("")
                print("\(r.cluster.label(lang)) ★\(r.slot) \(r.product) \(r.name.displaySafe) · \(r.producerName.displaySafe) — " + (r.ready ? (id ? "siap" : "ready") : (id ? "belum siap" : "not ready")))
                for l in r.lines {
                    let todo = l.action.isEmpty ? "" : " → \(l.action)" + (l.due.map { (id ? ", paling lambat " : ", by ") + Format.date($0, lang) } ?? "")
                    print("  \(l.mark) \(col(l.item.label(lang), 34)) \(l.found.displaySafe)\(todo.displaySafe)")
                }
            }
        }
    }

    func readinessMarkdown(_ round: Round, _ list: [Readiness], _ lang: Language) -> String {
        let id = lang == .id
        func e(_ s: String) -> String { Feedback.escapeMarkdown(s) }
        var out = ["# " + (id ? "Kesiapan merek kolektif" : "Collective-mark readiness") + " · " + e(round.round.title), ""]
        for r in list {
            out.append("## \(r.cluster.label(lang)) ★\(r.slot) · \(e(r.name)) (\(e(r.product.rawValue))) · \(e(r.producerName))")
            out.append("")
            out.append(id ? "| | Syarat | Tercatat | Yang harus dilakukan | Batas |" : "| | Requirement | On record | To do | By |")
            out.append("|---|---|---|---|---|")
            for l in r.lines {
                out.append("| \(l.mark) | \(e(l.item.label(lang))) | \(e(l.found)) | \(e(l.action)) | \(l.due.map { Format.date($0, lang) } ?? "") |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}

struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: L("Write a feedback sheet for every producer scored (or one): their own products only.",
                    "Tulis lembar umpan balik untuk setiap pelaku yang dinilai (atau satu): hanya produknya sendiri."),
        discussion: L("One file per producer, named by its id, in DIR. Available once deliberation is open (or scoring is not blind).",
                      "Satu berkas per pelaku, dinamai menurut ID-nya, di DIR. Tersedia setelah musyawarah dibuka (atau bila penilaian tidak buta)."))
    @OptionGroup var options: StoreOptions
    @Argument(help: H("Only this producer (id).", "Hanya pelaku ini (ID).")) var producer: ProducerID?
    @Option(name: .shortAndLong, help: H("The directory to write the sheets in (created if missing).", "Direktori tempat lembar ditulis (dibuat bila belum ada).")) var output: String
    @Option(name: .long, help: H("md or html.", "md atau html.")) var format: FeedbackFormat = .md

    func run() throws {
        let lang = options.language, id = lang == .id
        let round = try options.loadRound()
        guard round.scoresArePublic else {
            writeStderr(id ? "kurasi: lembar umpan balik dibuat setelah penilaian buta selesai; ketua membuka musyawarah dulu (kurasi deliberate)."
                           : "kurasi: feedback sheets are written once blind scoring is over; the chair opens deliberation first (kurasi deliberate).")
            throw ExitCode(1)
        }
        if let producer, round.producer(producer) == nil {
            throw RuleRefusal(refusal: .unknownProducer(producer), lang: lang)
        }
        let sheets = round.feedback(lang: lang, producers: producer.map { [$0] })
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDir), !isDir.boolValue {
            throw ValidationError("\(output) is a file, not a directory; give -o a directory for the sheets.")
        }
        do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
            throw ValidationError("Cannot create the directory \(output): \(error.localizedDescription)")
        }
        for s in sheets {
            let path = (output as NSString).appendingPathComponent("\(s.fileStem).\(format.rawValue)")
            let text = format == .md ? s.markdown(round: round.round, lang: lang) : s.html(round: round.round, lang: lang)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("Cannot write \(path): \(error.localizedDescription)")
            }
        }
        print(id ? "\(sheets.count) lembar umpan balik ditulis di \(output)" : "\(sheets.count) feedback sheets written to \(output)")
    }
}

/// `kurasi import --finalists CITY-ROUND.json [--prefix MDN] --curator CHAIR`: a finished city
/// round's 5 + 5 into this (province) round.
struct FinalistsOptions: ParsableArguments {
    @Option(name: .long, help: H("Import the 5 + 5 finalists of a finished city round (its store file) instead of a registry.",
                                 "Impor 5 + 5 finalis dari putaran kota yang sudah final (berkas datanya), bukan daftar UMKM."))
    var finalists: String?
    @Option(name: .long, help: H("With --finalists: put this prefix before the city's ids (MDN makes P-0012 MDN-P-0012).",
                                 "Dengan --finalists: awalan di depan ID dari kota (MDN menjadikan P-0012 MDN-P-0012)."))
    var prefix: String?
    @OptionGroup var curator: CuratorOption

    func run(_ options: StoreOptions, _ path: String, dryRun: Bool) throws {
        let lang = options.language, id = lang == .id
        if let prefix, prefix.range(of: #"^[A-Za-z0-9_]+$"#, options: .regularExpression) == nil {
            throw ValidationError("--prefix takes letters, digits and _ only, like MDN, not \(prefix).")
        }
        let city = try Store(path: path).load()
        let by = try curator.id()
        let handle = try options.openStore()
        let result: (FinalistImport, Event?) = try handle.commit { round in
            let plan: FinalistImport
            do { plan = try round.planFinalists(from: city, file: path, prefix: prefix) } catch let error as FinalistImportError {
                writeStderr("kurasi: " + error.text(lang))
                throw ExitCode(1)
            }
            let event = dryRun ? nil : try perform(.fairness(.importFinalists(plan)), on: &round, by: by, lang: lang)
            return (plan, event)
        }
        let (plan, event) = result
        let verb = dryRun ? (id ? "akan ditambahkan" : "would be added") : (id ? "ditambahkan" : "added")
        print(id ? "\(path): \(plan.products.count) finalis dan \(plan.producers.count) pelaku UMKM \(verb) dari \(city.round.title.displaySafe)"
                 : "\(path): \(plan.products.count) finalists and \(plan.producers.count) producers \(verb) from \(city.round.title.displaySafe)")
        for o in plan.origins {
            print("  \(o.cluster.label(lang)) ★\(o.slot) \(o.product)" + (o.product != o.sourceProduct ? " (\(o.sourceProduct))" : "")
                  + (id ? " · skor kota \(Format.score(o.score, lang)) (acuan, tidak dihitung)" : " · city score \(Format.score(o.score, lang)) (for reference, not counted)"))
        }
        if !plan.alreadyImported.isEmpty {
            print(id ? "  sudah diimpor sebelumnya: \(plan.alreadyImported.joined(separator: ", "))" : "  already imported: \(plan.alreadyImported.joined(separator: ", "))")
        }
        if let event { print("rev \(event.revision)") }
        if dryRun { print(id ? "Uji coba: data tidak diubah." : "Dry run: the store was not changed.") }
    }
}
