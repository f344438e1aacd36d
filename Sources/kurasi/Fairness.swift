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
        writeStderr(tr(.clKurasiThisReportShows, lang))
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
        commandName: "report",
        abstract: tr(.clFairnessReportsCuratorCalibration, cliLanguage),
        discussion: tr(.cdCalibrationPerCuratorSheets, cliLanguage))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: ArgumentHelp(tr(.chCalibrationStabilityNormalisedOr, cliLanguage))) var kind: ReportKind
    @Option(name: .long, help: ArgumentHelp(tr(.chOnlyThisClusterMamin, cliLanguage))) var cluster: Cluster?
    @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: TableOrJSON = .table
    @Option(name: .long, help: ArgumentHelp(tr(.chTheBootstrapSSeed, cliLanguage))) var seed: UInt64 = Stability.defaultSeed
    @Option(name: .long, help: ArgumentHelp(tr(.chTheBootstrapSResamples, cliLanguage))) var resamples: Int = Stability.defaultResamples

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
        print(tr(.clCuratorCalibration, lang, clusters.map { $0.label(lang) }.joined(separator: " + ")))
        print(tr(.clForTheChairTo, lang))
        print("")
        print("  \(col(tr(.clCurator2, lang), 18)) \(col(tr(.clSheets, lang), 6, right: true)) \(col(tr(.clMean, lang), 6, right: true)) \(col(tr(.clSpread, lang), 7, right: true)) \(col(tr(.clLeniency, lang), 9, right: true)) \(col(tr(.clAgreement, lang), 10, right: true))  0–100")
        for (i, c) in cal.curators.enumerated() {
            let len = c.leniency.map { ($0 >= 0 ? "+" : "") + Format.score($0, lang) } ?? "–"
            let agr = c.agreement.map { Format.score($0 * 100, lang).replacingOccurrences(of: tr(.clDecimalZero, lang), with: "") + " %" } ?? "–"
            let hist = bars[(i * 10)..<(i * 10 + 10)].map { " ▁▂▃▄▅▆▇█".map(String.init)[Swift.min(8, $0)] }.joined()
            print("  \(col("\(c.curator) \(c.name)", 18)) \(col(String(c.sheets), 6, right: true)) \(col(Format.score(c.mean, lang), 6, right: true)) \(col(Format.score(c.spread, lang), 7, right: true)) \(col(len, 9, right: true)) \(col(agr, 10, right: true))  \(hist)")
        }
        print("")
        print(tr(.clPointsPerCriterionSheets, lang, round.rubric.scaleMin, round.rubric.scaleMax))
        for c in cal.curators where c.sheets > 0 {
            let parts = round.rubric.criteria.map { k in "\(k.id) " + (c.points[k.id] ?? []).map(String.init).joined(separator: "/") }
            print("  \(col(c.curator, 6)) " + parts.joined(separator: "  "))
        }
        print("")
        if cal.disagreements.isEmpty {
            print(tr(.clNoTwoCuratorsHave, lang))
        } else {
            print(tr(.clTheCuratorsWhoDisagree, lang))
            for d in cal.disagreements {
                let items = d.products.map { "\($0.product) \(Format.score($0.scores[0], lang))/\(Format.score($0.scores[1], lang))" }.joined(separator: ", ")
                print("  \(d.curators.joined(separator: "–")): \(Format.score(d.meanAbsoluteDifference, lang)) " + (tr(.clOverProducts, lang, d.shared)) + " · \(items)")
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
        print(tr(.clStabilityOfTheTop, lang, s.basis.label(lang), Format.count(s.resamples, lang), s.seed))
        for c in s.clusters {
            print("")
            print("\(c.cluster.label(lang)) · " + (tr(.clTopFive, lang)) + (c.topFive.isEmpty ? "–" : c.topFive.joined(separator: ", ")))
            print(tr(.clProbabilityOfBeingIn, lang))
            for p in c.probabilities {
                let bar = Bars.draw(Bars.length(p.probability, width: 20))
                print("  \(p.inTopFive ? "★" : " ") \(col(p.rank.map { "#\($0)" } ?? "–", 4)) \(col(p.product, 8)) \(col(Format.score(p.score, lang), 5, right: true))  \(col(Format.percent(p.probability), 5, right: true)) \(bar)")
            }
            print(tr(.clLeavingOneCuratorOut, lang))
            for e in c.leaveOneOut {
                if e.changes {
                    print("  ⚑ " + (tr(.clWithoutOutIn, lang, e.curator, e.leaves.joined(separator: ", "), e.enters.joined(separator: ", "))))
                } else {
                    print("    " + (tr(.clWithoutUnchanged, lang, e.curator)))
                }
            }
            if !c.decisive.isEmpty {
                print("  " + (tr(.clNoteWhoIsIn, lang, c.decisive.joined(separator: ", "))))
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
        print(tr(.clNormalisedScoresTheRanking, lang, round.scoreBasis.label(lang)))
        print(tr(.clCommitteeMeanStandardDeviation, lang, Format.score(n.committeeMean, lang), Format.score(n.committeeStandardDeviation, lang)))
        for s in curators {
            let how: String = switch s.treatment {
            case .normalised: tr(.clNormalised, lang)
            case .tooFewSheets: tr(.clLeftRawFewerThan, lang, Normalisation.minimumSheets)
            case .noSpread: tr(.clLeftRawEverySheet, lang)
            }
            print("  \(col(s.curator, 6)) \(col(String(s.sheets), 4, right: true)) " + (tr(.clSheets2, lang)) + " · " + (tr(.clMean2, lang)) + " \(Format.score(s.mean, lang)) · sd \(Format.score(s.standardDeviation, lang)) · \(how)")
        }
        for c in clusters {
            print("")
            print(c.label(lang))
            print("  \(col("#norm", 5, right: true)) \(col("#raw", 4, right: true))  \(col("ID", 8)) \(col(tr(.clProduct, lang), 28)) \(col(tr(.clRaw, lang), 6, right: true)) \(col("Norm", 6, right: true))  " + (tr(.clMove, lang)))
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
        for p in rounds {
            print("\(p.cluster.label(lang)) · " + (tr(.clCutLine, lang)) + p.cutLine.joined(separator: ", ") + " · " + (tr(.clComparisons, lang, p.comparisons)))
            for (i, s) in p.order.enumerated() {
                print("  \(i + 1). \(col(s.product, 8)) \(col(Format.score(s.strength * 100, lang), 5, right: true))  " + (tr(.clWonLostTied, lang, s.wins, s.losses, s.ties)))
            }
        }
    }
}

struct Basis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "basis",
        abstract: tr(.clTheChairChoosesBefore, cliLanguage))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: ArgumentHelp(tr(.chRawOrNormalised, cliLanguage))) var basis: ScoreBasis
    func run() throws {
        try edit(options, by: curator.id(), .fairness(.setScoreBasis(basis)))
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: tr(.clCompareTwoProductsAt, cliLanguage))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Argument(help: ArgumentHelp(tr(.chTheFirstProductA, cliLanguage))) var a: ProductID
    @Argument(help: ArgumentHelp(tr(.chTheSecondProductB, cliLanguage))) var b: ProductID
    @Option(name: .long, help: ArgumentHelp(tr(.chABOrSame, cliLanguage))) var prefer: Prefer

    func run() throws {
        let who = try curator.id()
        let p: Comparison.Preference = prefer == .a ? .a : prefer == .b ? .b : .same
        try edit(options, by: who, .fairness(.compare(a, b, prefer: p)))
        let round = try options.loadRound()
        if let cluster = round.product(a)?.cluster, let next = round.nextPair(cluster, for: who) {
            print(tr(.clNextPairKurasiCompare, options.language, next.0, next.1))
        }
    }
}

struct ReadinessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness",
        abstract: tr(.clTheCollectiveMarkMerek, cliLanguage),
        discussion: tr(.clTheChairSetsThe, cliLanguage))
    @OptionGroup var options: StoreOptions
    @OptionGroup var curator: CuratorOption
    @Option(name: .long, help: ArgumentHelp(tr(.chTableJsonOrMd, cliLanguage))) var format: ReadinessFormat = .table
    @Option(name: .long, help: ArgumentHelp(tr(.chSetTheMinimumCapacity, cliLanguage))) var minimum: Int?
    @Option(name: .long, help: ArgumentHelp(tr(.chTheDateYyyyMm, cliLanguage))) var by: String?

    func validate() throws {
        if let by, by.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--by must look like 2021-01-15, not \(by).")
        }
        if let minimum, minimum < 0 { throw ValidationError("--minimum must be 0 (to clear it) or more, not \(minimum).") }
    }

    func run() throws {
        let lang = options.language
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
                                             "action": readinessAction($0, lang), "due": orNull($0.due)] as [String: Any] }] as [String: Any]
                },
            ] as [String: Any])
        case .md:
            print(readinessMarkdown(round, list, lang))
        case .table:
            if list.isEmpty { print(tr(.clNoProductIsPinned, lang)); return }
            let minimum = round.round.settings.minimumCapacity.map { Format.count($0, lang) } ?? (tr(.clNotSet, lang))
            print(tr(.clCollectiveMarkReadinessMinimum, lang, minimum))
            for r in list {
                print("")
                print("\(r.cluster.label(lang)) ★\(r.slot) \(r.product) \(r.name.displaySafe) · \(r.producerName.displaySafe) — " + (r.ready ? (tr(.clReady, lang)) : (tr(.clNotReady, lang))))
                for l in r.lines {
                    let todo = l.action.isEmpty ? "" : " → \(readinessAction(l, lang))" + (l.due.map { (tr(.clBy, lang)) + Format.date($0, lang) } ?? "")
                    print("  \(l.mark) \(col(l.item.label(lang), 34)) \(l.found.displaySafe)\(todo.displaySafe)")
                }
            }
        }
    }

    func readinessMarkdown(_ round: Round, _ list: [Readiness], _ lang: Language) -> String {
        func e(_ s: String) -> String { Feedback.escapeMarkdown(s) }
        var out = ["# " + (tr(.clCollectiveMarkReadiness, lang)) + " · " + e(round.round.title), ""]
        for r in list {
            out.append("## \(r.cluster.label(lang)) ★\(r.slot) · \(e(r.name)) (\(e(r.product.rawValue))) · \(e(r.producerName))")
            out.append("")
            out.append(tr(.clRequirementOnRecordTo, lang))
            out.append("|---|---|---|---|---|")
            for l in r.lines {
                out.append("| \(l.mark) | \(e(l.item.label(lang))) | \(e(l.found)) | \(e(readinessAction(l, lang))) | \(l.due.map { Format.date($0, lang) } ?? "") |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}

struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: tr(.clWriteAFeedbackSheet, cliLanguage),
        discussion: tr(.clOneFilePerProducer, cliLanguage))
    @OptionGroup var options: StoreOptions
    @Argument(help: ArgumentHelp(tr(.chOnlyThisProducerId, cliLanguage))) var producer: ProducerID?
    @Option(name: .shortAndLong, help: ArgumentHelp(tr(.chTheDirectoryToWrite, cliLanguage))) var output: String
    @Option(name: .long, help: ArgumentHelp(tr(.chMdOrHtml, cliLanguage))) var format: FeedbackFormat = .md

    func run() throws {
        let lang = options.language
        let round = try options.loadRound()
        guard round.scoresArePublic else {
            writeStderr(tr(.clKurasiFeedbackSheetsAre, lang))
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
        print(tr(.clFeedbackSheetsWrittenTo, lang, sheets.count, output))
    }
}

/// `kurasi import --finalists CITY-ROUND.json [--prefix MDN] --curator CHAIR`: a finished city
/// round's 5 + 5 into this (province) round.
struct FinalistsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(.chImportTheFinalistsOf, cliLanguage)))
    var finalists: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chWithFinalistsPutThis, cliLanguage)))
    var prefix: String?
    @OptionGroup var curator: CuratorOption

    func run(_ options: StoreOptions, _ path: String, dryRun: Bool) throws {
        let lang = options.language
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
        let verb = dryRun ? (tr(.clWouldBeAdded, lang)) : (tr(.clAdded, lang))
        print(tr(.clFinalistsAndProducersFrom, lang, path, plan.products.count, plan.producers.count, verb, city.round.title.displaySafe))
        for o in plan.origins {
            print("  \(o.cluster.label(lang)) ★\(o.slot) \(o.product)" + (o.product != o.sourceProduct ? " (\(o.sourceProduct))" : "")
                  + (tr(.clCityScoreForReference, lang, Format.score(o.score, lang))))
        }
        if !plan.alreadyImported.isEmpty {
            print(tr(.clAlreadyImported, lang, plan.alreadyImported.joined(separator: ", ")))
        }
        if let event { print("rev \(event.revision)") }
        if dryRun { print(tr(.clDryRunTheStore, lang)) }
    }
}

/// A readiness line's action with its remedy in the command line's terms.
func readinessAction(_ l: ReadinessLine, _ lang: Language) -> String {
    l.action + (l.remedy.map { " (" + tr($0.onCommandLine, lang) + ")" } ?? "")
}
