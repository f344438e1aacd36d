import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

// The committee's intake work from the command line: producers, products, permits, the round's
// settings and its rubric. Field checks are KurasiCore's (`Fields`), the same the console's
// forms use; a refused field exits 1 with the reason.

enum ListFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
enum ShowFormat: String, ExpressibleByArgument, CaseIterable { case table, json }
enum StatusFilter: String, ExpressibleByArgument, CaseIterable { case pending, valid, rejected, all }
enum YesNo: String, ExpressibleByArgument, CaseIterable { case yes, no }
extension Aggregation: ExpressibleByArgument {}

/// A field check's refusal, as a rule's refusal (exit 1, in the user's language).
func checked<T>(_ lang: Language, _ body: () throws(FieldProblem) -> T) throws(RuleRefusal) -> T {
    do { return try body() } catch { throw RuleRefusal(refusal: .invalidField(error), lang: lang) }
}

/// JSON for people's scripts: sorted keys, two-space indent, null for missing values.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: jsonSafe(value), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func statusLabel(_ s: ValidationStatus, _ lang: Language) -> String {
    guard lang == .id else { return s.rawValue }
    switch s { case .pending: return "menunggu"; case .valid: return "valid"; case .rejected: return "ditolak" }
}

func nullable(_ v: Any?) -> Any { v ?? NSNull() }

/// Printed JSON is an edge: a typed id (a value or a key) becomes its text there.
func jsonSafe(_ v: Any) -> Any {
    if let id = v as? any KurasiID { return id.rawValue }
    if let d = v as? [String: Any] { return d.mapValues(jsonSafe) }
    if let d = v as? [AnyHashable: Any] {
        return Dictionary(d.map { k, v in ((k.base as? any KurasiID)?.rawValue ?? "\(k.base)", jsonSafe(v)) }, uniquingKeysWith: { a, _ in a })
    }
    if let a = v as? [Any] { return a.map(jsonSafe) }
    return v
}

/// 1398 -> "1.398" in Indonesian, "1,398" in English.
func grouped(_ n: Int, _ lang: Language) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(tr(.clThousandsMark, lang)) }
        out.append(d)
    }
    return out
}

// MARK: - producer

struct ProducerCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "producer", abstract: tr(.clListShowAndAdd, cliLanguage),
                                                    subcommands: [List.self, Show.self, Add.self]) }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: tr(.clListProducersWithTheir, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: ArgumentHelp(tr(.chPendingValidRejectedOr, cliLanguage))) var status: StatusFilter = .all
        @Option(name: .long, help: ArgumentHelp(tr(.chTableJsonOrCsv, cliLanguage))) var format: ListFormat = .table

        func run() throws {
            let lang = options.language
            let round = try options.loadRound()
            let dups = round.duplicateSuspects()
            var productCount: [ProducerID: Int] = [:]
            for p in round.products { productCount[p.producer, default: 0] += 1 }
            let shown = round.producers.filter { status == .all || $0.validation.status.rawValue == status.rawValue }
            let counts = round.validationCounts()
            switch format {
            case .json:
                try printJSON([
                    "counts": ["valid": counts[.valid] ?? 0, "pending": counts[.pending] ?? 0, "rejected": counts[.rejected] ?? 0],
                    "producers": shown.map { producerJSON($0, products: productCount[$0.id] ?? 0, duplicateOf: dups[$0.id]) },
                ])
            case .csv:
                // Through Kurasi's one CSV writer: quoting, and no cell a spreadsheet would run.
                let header = ["id", "name", "owner", "kelurahan", "kecamatan", "sector", "business_type", "nib", "products",
                              "status", "reason", "trader", "duplicate_of"]
                let rows = shown.map { p in
                    [p.id.rawValue, p.name, p.owner, p.kelurahan, p.kecamatan, p.sector ?? "", p.businessType ?? "", p.nib ?? "",
                     String(productCount[p.id] ?? 0), p.validation.status.rawValue, p.validation.reason ?? "",
                     p.isTraderSuspect ? "yes" : "no", dups[p.id]?.rawValue ?? ""].map(\.displaySafe)
                }
                FileHandle.standardOutput.write(try Export.csv([header] + rows))
            case .table:
                func n(_ s: ValidationStatus) -> String { grouped(counts[s] ?? 0, lang) }
                print(tr(.clValidPendingRejected, lang, n(.valid), n(.pending), n(.rejected)))
                print("\(col("ID", 7)) \(col(tr(.clBusiness, lang), 28)) \(col(tr(.clOwner, lang), 18)) \(col("Kelurahan", 15)) \(col(tr(.clType, lang), 9)) \(col("NIB", 3)) \(col(tr(.clProducts, lang), 8, right: true))  Status")
                for p in shown {
                    var marks: [String] = []
                    if p.isTraderSuspect { marks.append("pedagang?") }
                    if let d = dups[p.id] { marks.append("≈\(d)") }
                    let reason = p.validation.reason.map { " (\($0.displaySafe))" } ?? ""
                    print("\(col(p.id, 7)) \(col(p.name, 28)) \(col(p.owner, 18)) \(col(p.kelurahan, 15)) \(col(p.businessType ?? "", 9)) \(col(p.nib == nil ? "–" : "✓", 3)) \(col(String(productCount[p.id] ?? 0), 8, right: true))  \(statusLabel(p.validation.status, lang))\(reason)\(marks.isEmpty ? "" : "  " + marks.joined(separator: " "))")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: tr(.clAProducerSRegistry, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chProducerIdEG, cliLanguage)), completion: StoreCompletion.producers) var producer: ProducerID
        @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table

        func run() throws {
            let lang = options.language
            let round = try options.loadRound()
            guard let p = round.producer(producer) else { throw RuleRefusal(refusal: .unknownProducer(producer), lang: lang) }
            let products = round.products(of: p.id)
            let events = round.historyWithProducts(producer: p.id)
            let dup = round.duplicateSuspects()[p.id]
            if format == .json {
                var producer = producerJSON(p, products: products.count, duplicateOf: dup)
                producer["address"] = p.address
                producer["phone"] = nullable(p.phone)
                producer["remark"] = nullable(p.remark)
                producer["registryKey"] = nullable(p.registryKey)
                try printJSON([
                    "producer": producer,
                    "products": products.map { productJSON($0, round: round, lang: lang) },
                    "history": events.map { ["revision": $0.revision, "at": $0.at, "by": $0.by, "summary": $0.summary(lang)] as [String: Any] },
                ])
                return
            }
            print("\(p.id) \(p.name.displaySafe)")
            let rows: [(String, String?)] = [
                (tr(.clOwner, lang), p.owner), (tr(.clAddress, lang), p.address),
                ("Kelurahan", "\(p.kelurahan), \(p.kecamatan)"), (tr(.clPhone, lang), p.phone.map(Format.phone)), ("NIB", p.nib),
                (tr(.clSector, lang), p.sector), (tr(.clBusinessType, lang), p.businessType),
                (tr(.clRemark, lang), p.remark),
                ("Status", statusLabel(p.validation.status, lang) + (p.validation.reason.map { " (\($0))" } ?? "")
                    + (p.validation.by.map { " · \($0)" } ?? "") + (p.validation.at.map { " · " + Format.time($0, zone: round.round.zone, lang) } ?? "")),
            ]
            for (k, v) in rows { if let v, !v.isEmpty { print("  \(col(k, 14)) \(v.displaySafe)") } }
            if p.isTraderSuspect { print(tr(.clPedagangTheSectorOr, lang)) }
            if let dup { print(tr(.clLikeSameNibOr, lang, dup)) }
            print(tr(.clProducts2, lang, products.count))
            for pr in products {
                let why = round.ineligibility(pr)
                let price = pr.price.map { "Rp " + Format.count($0, lang) } ?? "–"
                print("  \(col(pr.id, 7)) \(col(pr.name, 30)) \(col(pr.cluster.rawValue, 9)) \(col(price, 12)) " + (why.isEmpty ? (tr(.clEligible, lang)) : "⊘ " + why.map { $0.text(lang) }.joined(separator: "; ")))
                for permit in pr.permits {
                    print("      \(permit.kind.rawValue) \(permit.number.displaySafe)" + (permit.expires.map { (tr(.clUntil, lang)) + Format.date($0, lang) } ?? ""))
                }
            }
            print(tr(.clHistory, lang))
            for e in events { print("  rev \(col(String(e.revision), 5)) \(Format.time(e.at, zone: round.round.zone, lang))  \(col(e.by, 6)) \(e.summary(lang).displaySafe)") }
        }
    }

    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: tr(.clAddAProducerPending, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: ArgumentHelp(tr(.chBusinessName, cliLanguage))) var name: String
        @Option(name: .long, help: ArgumentHelp(tr(.chOwnerSName, cliLanguage))) var owner: String = ""
        @Option(name: .long, help: ArgumentHelp(tr(.chAddress, cliLanguage))) var address: String = ""
        @Option(name: .long, help: ArgumentHelp(tr(.chKelurahan, cliLanguage))) var kelurahan: String = ""
        @Option(name: .long, help: ArgumentHelp(tr(.chKecamatan, cliLanguage))) var kecamatan: String = ""
        @Option(name: .long, help: ArgumentHelp(tr(.chNibDigits, cliLanguage))) var nib: String?
        @Option(name: .long, help: ArgumentHelp(tr(.chPhone, cliLanguage))) var phone: String?
        @OptionGroup var curator: CuratorOption

        func run() throws {
            let lang = options.language
            let nibValue = try checked(lang) { () throws(FieldProblem) in try Fields.nib(nib ?? "") }
            let p = Producer(id: "", name: name, owner: owner.trimmingCharacters(in: .whitespaces), address: address,
                             kelurahan: kelurahan, kecamatan: kecamatan, phone: phone.flatMap { $0.isEmpty ? nil : $0 },
                             nib: nibValue)
            if let e = try editEvent(options, by: curator.id(), .addProducer(p)), case let .producer(newID, _, _) = e.change {
                print(newID)
            }
        }
    }
}

func producerJSON(_ p: Producer, products: Int, duplicateOf: ProducerID?) -> [String: Any] {
    ["id": p.id, "name": p.name, "owner": p.owner, "kelurahan": p.kelurahan, "kecamatan": p.kecamatan,
     "sector": nullable(p.sector), "businessType": nullable(p.businessType), "nib": nullable(p.nib),
     "products": products, "status": p.validation.status.rawValue, "reason": nullable(p.validation.reason),
     "by": nullable(p.validation.by), "at": nullable(p.validation.at), "trader": p.isTraderSuspect,
     "duplicateOf": nullable(duplicateOf)]
}

func productJSON(_ p: Product, round: Round, lang: Language) -> [String: Any] {
    let why = round.ineligibility(p)
    return ["id": p.id, "producer": p.producer, "name": p.name, "cluster": p.cluster.rawValue, "category": p.category,
            "description": p.description, "price": nullable(p.price),
            "capacity": p.capacity.map { ["amount": $0.amount, "unit": $0.unit] as [String: Any] } ?? NSNull(),
            "permits": p.permits.map { ["kind": $0.kind.rawValue, "number": $0.number, "expires": nullable($0.expires),
                                        "valid": $0.isValid(on: round.round.date)] as [String: Any] },
            "eligible": why.isEmpty, "ineligible": why.map { $0.text(lang) }]
}

// MARK: - product

/// The product options `product add` and `product edit` share; each is checked by KurasiCore.
struct ProductFieldOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(.chProductName, cliLanguage))) var name: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chMaminOrNonMamin, cliLanguage))) var cluster: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chCategoryEGSambal, cliLanguage))) var category: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chPriceInRupiahOr, cliLanguage))) var price: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chMonthlyCapacityAWhole, cliLanguage))) var capacity: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chTheCapacitySUnit, cliLanguage))) var unit: String?
    @Option(name: .long, help: ArgumentHelp(tr(.chDescription, cliLanguage))) var description: String?

    /// The fields with these options applied over `base`.
    func apply(to base: Product.Fields, lang: Language) throws -> Product.Fields {
        var f = base
        try checked(lang) { () throws(FieldProblem) in
            if let name { f.name = try Fields.text(name, field: "name", max: FieldLimit.name, required: true)! }
            if let cluster { f.cluster = try Fields.cluster(cluster) }
            if let category { f.category = try Fields.text(category, field: "category", max: FieldLimit.category) ?? "" }
            if let description { f.description = try Fields.text(description, field: "description", max: FieldLimit.description) ?? "" }
            if let price { f.price = try Fields.rupiah(price) }
            if let capacity {
                if let amount = try Fields.positive(capacity) {
                    guard let u = try Fields.text(unit ?? f.capacity?.unit ?? "", field: "unit", max: FieldLimit.unit, required: true) else { return }
                    f.capacity = Capacity(amount: amount, unit: u)
                } else {
                    f.capacity = nil
                }
            } else if let unit, let c = f.capacity {
                f.capacity = Capacity(amount: c.amount, unit: try Fields.text(unit, field: "unit", max: FieldLimit.unit, required: true)!)
            } else if unit != nil {
                throw FieldProblem("capacity", .empty)
            }
        }
        return f
    }
}

struct ProductCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "product", abstract: tr(.clAddOrEditProducts, cliLanguage),
                                                    subcommands: [Add.self, Edit.self]) }

    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: tr(.clAddAProductTo, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: ArgumentHelp(tr(.chProducerIdEG, cliLanguage)), completion: StoreCompletion.producers) var producer: ProducerID
        @OptionGroup var fields: ProductFieldOptions
        @OptionGroup var curator: CuratorOption

        func validate() throws {
            if fields.name == nil { throw ValidationError(tr(.cuGiveTheProductS, cliLanguage)) }
            if fields.cluster == nil { throw ValidationError(tr(.cuGiveTheProductS2, cliLanguage)) }
        }

        func run() throws {
            let lang = options.language
            let f = try fields.apply(to: Product.Fields(name: "", cluster: .mamin), lang: lang)
            var p = Product(id: "", producer: producer, name: "", cluster: .mamin, category: "")
            p.fields = f
            if let e = try editEvent(options, by: curator.id(), .addProduct(p)), case let .product(newID, _, _) = e.change {
                print(newID)
            }
        }
    }

    struct Edit: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "edit", abstract: tr(.clChangeAProductS, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chProductIdEG, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
        @OptionGroup var fields: ProductFieldOptions
        @OptionGroup var curator: CuratorOption

        func run() throws {
            let lang = options.language
            let round = try options.loadRound()
            guard let current = round.product(product) else { throw RuleRefusal(refusal: .unknownProduct(product), lang: lang) }
            let f = try fields.apply(to: current.fields, lang: lang)
            try edit(options, by: curator.id(), .editProduct(id: product, f))
        }
    }
}

// MARK: - permit

struct PermitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "permit", abstract: tr(.clAddOrRemoveA, cliLanguage),
                                                    subcommands: [Add.self, Remove.self]) }

    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: tr(.clAddAPermitP, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chProductId, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
        @Option(name: .long, help: ArgumentHelp(tr(.chPIrtBpomMd, cliLanguage))) var kind: String
        @Option(name: .long, help: ArgumentHelp(tr(.chThePermitSNumber, cliLanguage))) var number: String
        @Option(name: .long, help: ArgumentHelp(tr(.chValidUntilYyyyMm, cliLanguage))) var expires: String?
        @OptionGroup var curator: CuratorOption

        func run() throws {
            let lang = options.language
            let (k, n, e) = try checked(lang) { () throws(FieldProblem) in
                let k = try Fields.permitKind(kind)
                return (k, try Fields.permitNumber(number, kind: k), try Fields.date(expires ?? ""))
            }
            try edit(options, by: curator.id(), .addPermit(product: product, Permit(kind: k, number: n, expires: e)))
        }
    }

    struct Remove: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "remove", abstract: tr(.clRemoveAProductS2, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chProductId, cliLanguage)), completion: StoreCompletion.products) var product: ProductID
        @Option(name: .long, help: ArgumentHelp(tr(.chPIrtBpomMd, cliLanguage))) var kind: String
        @Option(name: .long, help: ArgumentHelp(tr(.chThePermitSNumber, cliLanguage))) var number: String?
        @OptionGroup var curator: CuratorOption

        func run() throws {
            let k = try checked(options.language) { () throws(FieldProblem) in try Fields.permitKind(kind) }
            try edit(options, by: curator.id(), .removePermit(product: product, kind: k, number: number))
        }
    }
}

// MARK: - settings and rubric

struct SettingsCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "settings",
        abstract: tr(.clShowTheRoundS, cliLanguage),
        discussion: tr(.clWithoutAnOptionShows, cliLanguage)) }
    @OptionGroup var options: StoreOptions
    @Option(name: .long, help: ArgumentHelp(tr(.chMeanOrMedian, cliLanguage))) var aggregation: Aggregation?
    @Option(name: .long, help: ArgumentHelp(tr(.chAProductIsRanked, cliLanguage))) var minSheets: Int?
    @Option(name: .long, help: ArgumentHelp(tr(.chYesOrNo, cliLanguage))) var onePinPerProducer: YesNo?
    @Option(name: .long, help: ArgumentHelp(tr(.chSpreadOfSheetScores, cliLanguage))) var disagreement: Int?
    @Option(name: .long, help: ArgumentHelp(tr(.chPermitKindsThatLet, cliLanguage))) var maminPermits: String?
    @OptionGroup var curator: CuratorOption

    func run() throws {
        let lang = options.language
        let changing = aggregation != nil || minSheets != nil || onePinPerProducer != nil || disagreement != nil || maminPermits != nil
        guard changing else { return try show(options.loadRound().round.settings, lang: lang) }
        let round = try options.loadRound()
        var s = round.round.settings
        if let aggregation { s.aggregation = aggregation }
        if let minSheets { s.minSheets = minSheets }
        if let onePinPerProducer { s.onePinPerProducer = onePinPerProducer == .yes }
        if let disagreement { s.disagreementThreshold = Double(disagreement) }
        if let maminPermits {
            let kinds = try checked(lang) { () throws(FieldProblem) -> [PermitKind] in
                var out: [PermitKind] = []
                for part in maminPermits.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
                    let k = try Fields.permitKind(String(part), field: "mamin-permits")
                    if !out.contains(k) { out.append(k) }
                }
                return out
            }
            s.permitGates[.mamin] = kinds
        }
        try edit(options, by: curator.id(), .changeSettings(s))
    }

    func show(_ s: Settings, lang: Language) {
        let gate = (s.permitGates[.mamin] ?? []).map(\.rawValue).joined(separator: ",")
        print("aggregation           \(s.aggregation.rawValue)")
        print("min-sheets            \(s.minSheets)")
        print("one-pin-per-producer  \(s.onePinPerProducer ? "yes" : "no")")
        print("disagreement          \(Int(s.disagreementThreshold))")
        print("mamin-permits         \(gate.isEmpty ? "-" : gate)")
        print("blind-scoring         \(s.blindScoring ? "yes" : "no")")
        print("tie-break             \(s.tieBreakCriterion)")
        print(tr(.clChangeTheChairKurasi, lang))
    }
}

struct RubricCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rubric", abstract: tr(.clShowTheRubricOr, cliLanguage),
                                                    subcommands: [Show.self, Weight.self], defaultSubcommand: Show.self) }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: tr(.clTheRubricSCriteria, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: ArgumentHelp(tr(.chTableOrJson, cliLanguage))) var format: ShowFormat = .table

        func run() throws {
            let lang = options.language
            let round = try options.loadRound()
            let r = round.rubric
            let counted = round.countedSheets
            if format == .json {
                try printJSON([
                    "scaleMin": r.scaleMin, "scaleMax": r.scaleMax, "countedSheets": counted, "locked": counted > 0,
                    "criteria": r.criteria.map { c in
                        ["id": c.id, "name": ["id": c.name.id, "en": c.name.en],
                         "weights": Dictionary(uniqueKeysWithValues: Cluster.allCases.map { ($0.rawValue, r.weight(of: c, in: $0)) })] as [String: Any]
                    },
                ])
                return
            }
            print(tr(.clScale, lang, r.scaleMin, r.scaleMax))
            print("\(col(tr(.clCriterion, lang), 12)) \(col(tr(.clName, lang), 32)) \(col("mamin", 6, right: true)) \(col("non-mamin", 10, right: true))")
            for c in r.criteria {
                print("\(col(c.id, 12)) \(col(c.name.text(lang), 32)) \(col(String(r.weight(of: c, in: .mamin)), 6, right: true)) \(col(String(r.weight(of: c, in: .nonMamin)), 10, right: true))")
            }
            if counted > 0 {
                print(tr(.clLockedCompleteScoreSheets, lang, counted))
            }
        }
    }

    struct Weight: ParsableCommand {
        static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "weight", abstract: tr(.clSetACriterionS, cliLanguage)) }
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(tr(.chCriterionIdEG, cliLanguage))) var criterion: CriterionID
        @Argument(help: ArgumentHelp(tr(.chTheWeight, cliLanguage))) var weight: Int
        @Option(name: .long, help: ArgumentHelp(tr(.chOnlyThisClusterMamin, cliLanguage))) var cluster: Cluster?
        @OptionGroup var curator: CuratorOption

        func run() throws {
            try edit(options, by: curator.id(), .setWeight(criterion: criterion, weight: weight, cluster: cluster))
        }
    }
}
