import Foundation
import KurasiCore

/// Turns registry entries into new producers (pending validation) and their main products.
///
/// Each entry has a stable key: its NIB when it has one, else its business name and kelurahan,
/// lowercased with spaces collapsed. An entry whose key is already in the store changes nothing,
/// so importing the same file twice adds nothing the second time. Within a kelurahan, entries whose
/// names differ only in vowels, case, spacing, punctuation or a legal-form prefix (UD, CV, PT) are
/// taken as spelling variants of one business: the first is imported, the others reported.
///
/// Traders (see `TraderRule`: sector or business type Dagang, Perdagangan, Toko, …; agents,
/// resellers, distributors) are imported like every other entry, pending, and counted: the
/// producers screen and `kurasi producer list` mark them "pedagang?" for the validators. The
/// registry's remark column ("Keterangan") is kept as the producer's remark, never as a product's
/// description.
public struct RegistryImport: Sendable {
    public struct Duplicate: Sendable, Hashable {
        public var line: Int
        public var name: String
        /// The producer id in the store, or "line N" of this file, that it duplicates.
        public var of: String
        /// The line of this file that it duplicates, when it is one.
        public var ofLine: Int? { of.hasPrefix("line ") ? Int(of.dropFirst(5)) : nil }
        /// What it duplicates, in `lang`: the producer id, or "baris N" / "line N".
        public func ofText(_ lang: Language) -> String { ofLine.map { tr(.csvLine, lang, $0) } ?? of }
    }

    public var file: String
    public var rows: Int
    public var producers: [Producer] = []
    public var products: [Product] = []
    public var unchanged: Int = 0
    public var duplicates: [Duplicate] = []
    public var closed: [Int] = []
    public var services: [Int] = []
    /// Lines of the imported entries that look like traders ("pedagang?").
    public var traders: [Int] = []
    /// The revision of the round the plan was made against.
    public var revision: Int
    public var issues: [RegistryRowIssue]

    /// Plan the import of `registry` into `round`; nothing is changed.
    public init(_ registry: RegistryFile, file: String, into round: Round) {
        var planner = Planner(file: file, into: round)
        for e in registry.entries { planner.add(e) }
        self = planner.plan
        rows = registry.entries.count + registry.issues.count
        issues = registry.issues
    }

    /// Plan the import of a registry file's rows into `round`, reading them one at a time into
    /// the plan (no row is kept once planned: a million-row registry needs the memory of the
    /// producers and products it adds, not of its rows). `progress` hears, after each row, how
    /// many of the file's bytes are read. The same plan and the same issues as reading the file
    /// with `RegistryCSV.read` and planning that. `file` is the name the plan reports.
    public init(_ registry: RegistryRows, file: String, into round: Round,
                progress: ((_ done: Int, _ total: Int, _ rows: Int) -> Void)? = nil) {
        var planner = Planner(file: file, into: round)
        var entries = 0
        var issues: [RegistryRowIssue] = []
        registry.forEach(progress: progress, entry: { entries += 1; planner.add($0) }, issues: { issues.append(contentsOf: $0) })
        self = planner.plan
        rows = entries + issues.count
        self.issues = issues
    }

    /// The plan as it grows, one registry entry at a time (the keys and the ids it has given).
    private struct Planner {
        var plan: RegistryImport
        let round: Round
        var byKey: [String: String] = [:]       // stable key -> producer id or "line N"
        var bySkeleton: [String: String] = [:]  // loose key -> producer id or "line N"
        var nextProducer: Int, nextProduct: Int

        init(file: String, into round: Round) {
            plan = RegistryImport(file: file, revision: round.revision)
            self.round = round
            for p in round.producers {
                if let k = p.registryKey { byKey[k] = p.id.rawValue }
                bySkeleton[RegistryImport.skeleton(p.name, p.kelurahan)] = p.id.rawValue
            }
            nextProducer = RegistryImport.nextNumber(round.producers.map(\.id.rawValue), prefix: "U-")
            nextProduct = RegistryImport.nextNumber(round.products.map(\.id.rawValue), prefix: "P-")
        }

        mutating func add(_ e: RegistryEntry) {
            let status = (e.status ?? "").lowercased()
            if status.contains("tutup") || status.contains("tidak aktif") || status.contains("nonaktif") {
                plan.closed.append(e.line); return
            }
            if (e.sector ?? "").lowercased() == "jasa" || (e.businessType ?? "").lowercased() == "jasa" {
                plan.services.append(e.line); return
            }
            let key = RegistryImport.key(e)
            if byKey[key] != nil, byKey[key]!.hasPrefix("U-"), round.producer(ProducerID(byKey[key]!)) != nil {
                plan.unchanged += 1; return
            }
            let loose = RegistryImport.skeleton(e.businessName, e.kelurahan ?? "")
            if let other = byKey[key] ?? bySkeleton[loose] {
                plan.duplicates.append(Duplicate(line: e.line, name: e.businessName, of: other)); return
            }
            let id = ProducerID(String(format: "U-%04d", nextProducer)); nextProducer += 1
            plan.producers.append(Producer(
                id: id, name: e.businessName, owner: e.owner ?? "", address: e.address ?? "",
                kelurahan: e.kelurahan ?? "", kecamatan: e.kecamatan ?? "", phone: e.phone,
                nib: e.nib, registryKey: key, sector: e.sector, businessType: e.businessType, remark: e.note,
                validation: .pending))
            if plan.producers[plan.producers.count - 1].isTraderSuspect { plan.traders.append(e.line) }
            byKey[key] = "line \(e.line)"; bySkeleton[loose] = "line \(e.line)"
            if let name = e.product, let cluster = RegistryImport.cluster(sector: e.sector) {
                let pid = ProductID(String(format: "P-%04d", nextProduct)); nextProduct += 1
                plan.products.append(Product(
                    id: pid, producer: id, name: name, cluster: cluster, category: e.sector ?? "",
                    description: "", price: e.price,
                    capacity: e.capacity.map { Capacity(amount: $0, unit: e.unit ?? "") }))
            }
        }
    }

    private init(file: String, revision: Int) {
        self.file = file
        self.revision = revision
        rows = 0
        issues = []
    }

    public var command: Command { .add(producers: producers, products: products) }

    /// The stable key of a registry entry (see the type's documentation).
    public static func key(_ e: RegistryEntry) -> String {
        if let nib = e.nib?.filter(\.isNumber), !nib.isEmpty { return nib }
        return collapse(e.businessName) + "|" + collapse(e.kelurahan ?? "")
    }

    static func collapse(_ s: String) -> String {
        s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A loose key for spelling variants: name without legal-form prefix, punctuation and vowels.
    static func skeleton(_ name: String, _ kelurahan: String) -> String {
        var words = collapse(name).split(separator: " ").map(String.init)
        if let f = words.first, ["ud", "ud.", "cv", "cv.", "pt", "pt.", "pd", "pd."].contains(f), words.count > 1 {
            words.removeFirst()
        }
        let consonants = words.joined().filter { $0.isLetter || $0.isNumber }.filter { !"aeiou".contains($0) }
        return consonants + "|" + collapse(kelurahan)
    }

    static func cluster(sector: String?) -> Cluster? {
        switch (sector ?? "").lowercased() {
        case "makanan", "minuman", "makanan dan minuman", "makanan & minuman", "kuliner", "mamin": .mamin
        case "kerajinan", "fashion", "kerajinan tangan", "busana", "kriya", "non-mamin": .nonMamin
        default: nil
        }
    }

    static func nextNumber(_ ids: [String], prefix: String) -> Int {
        (ids.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }.max() ?? 0) + 1
    }
}
