import CSV
import Foundation
import KurasiCore

/// What leaves Kurasi: the ranking as JSON (for scripts) and CSV (for spreadsheets), and the
/// round's minutes (berita acara) as Markdown, ready to print and sign.
public enum Export {
    // MARK: JSON

    struct RankJSON: Encodable {
        struct RoundJSON: Encodable {
            var title: String, organizer: String, date: String, status: String
            var aggregation: String, finalizedBy: String?, finalizedAt: String?
        }
        struct Entry: Encodable {
            var rank: Int?, product: String, name: String, producer: String, producerName: String
            var kelurahan: String, score: Double?, curators: Int, min: Double?, max: Double?
            var sd: Double?, eligible: Bool, ineligible: [String], pinned: Int?
            /// Why the product has no rank (nil when ranked).
            var unranked: String? = nil
            enum CodingKeys: String, CodingKey {
                case rank, product, name, producer, producerName, kelurahan, score, curators, min, max, sd, eligible, ineligible, pinned, unranked
            }
            // nil values are written as null, not left out: a script sees every field.
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(rank, forKey: .rank); try c.encode(product, forKey: .product)
                try c.encode(name, forKey: .name); try c.encode(producer, forKey: .producer)
                try c.encode(producerName, forKey: .producerName); try c.encode(kelurahan, forKey: .kelurahan)
                try c.encode(score, forKey: .score); try c.encode(curators, forKey: .curators)
                try c.encode(min, forKey: .min); try c.encode(max, forKey: .max); try c.encode(sd, forKey: .sd)
                try c.encode(eligible, forKey: .eligible); try c.encode(ineligible, forKey: .ineligible)
                try c.encode(pinned, forKey: .pinned); try c.encode(unranked, forKey: .unranked)
            }
        }
        struct ClusterJSON: Encodable { var pins: [String]; var ranking: [Entry] }
        var round: RoundJSON
        var revision: Int
        var clusters: [String: ClusterJSON]
    }

    /// Scores rounded to two decimals, as shown everywhere.
    static func rounded(_ x: Double?) -> Double? { x.map { ($0 * 100).rounded() / 100 } }

    public static func rankJSON(_ round: Round, clusters: [Cluster] = Cluster.allCases, lang: Language = .en) throws -> Data {
        var out: [String: RankJSON.ClusterJSON] = [:]
        for cluster in clusters {
            let entries = round.ranking(cluster).map { r in
                RankJSON.Entry(
                    rank: r.rank, product: r.product.id, name: r.product.name, producer: r.product.producer,
                    producerName: round.producer(r.product.producer)?.name ?? "",
                    kelurahan: round.producer(r.product.producer)?.kelurahan ?? "",
                    score: rounded(r.aggregate.score), curators: r.aggregate.count,
                    min: rounded(r.aggregate.min), max: rounded(r.aggregate.max),
                    sd: rounded(r.aggregate.standardDeviation), eligible: r.eligible,
                    ineligible: r.ineligibility.map { $0.text(lang) }, pinned: r.pinnedSlot,
                    unranked: r.unranked.map { $0 == .ineligible ? r.ineligibility.map { $0.text(lang) }.joined(separator: "; ") : $0.text(lang) })
            }
            out[cluster.rawValue] = .init(pins: round.pins(in: cluster).map(\.product), ranking: entries)
        }
        let info = round.round
        let doc = RankJSON(
            round: .init(title: info.title, organizer: info.organizer, date: info.date, status: info.status.state.rawValue,
                         aggregation: info.settings.aggregation.rawValue,
                         finalizedBy: info.status.state == .final ? info.status.by : nil,
                         finalizedAt: info.status.state == .final ? info.status.at : nil),
            revision: round.revision, clusters: out)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(doc) + Data("\n".utf8)
    }

    // MARK: CSV

    public static func rankCSV(_ round: Round, clusters: [Cluster] = Cluster.allCases, lang: Language = .id) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let csv = try CSVWriter(stream: stream)
        let header = lang == .id
            ? ["klaster", "peringkat", "id_produk", "produk", "id_pelaku", "pelaku_umkm", "kelurahan", "skor", "kurator", "min", "maks", "sd", "memenuhi_syarat", "alasan_tidak_memenuhi", "pin", "alasan_pin"]
            : ["cluster", "rank", "product_id", "product", "producer_id", "producer", "kelurahan", "score", "curators", "min", "max", "sd", "eligible", "ineligible_because", "pin", "pin_reason"]
        try csv.write(row: header)
        func num(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "" }
        for cluster in clusters {
            let pins = round.pins(in: cluster)
            for r in round.ranking(cluster) {
                let producer = round.producer(r.product.producer)
                let pin = pins.first { $0.product == r.product.id }
                try csv.write(row: [
                    cluster.rawValue, r.rank.map(String.init) ?? "", r.product.id, r.product.name,
                    r.product.producer, producer?.name ?? "", producer?.kelurahan ?? "",
                    num(r.aggregate.score), String(r.aggregate.count), num(r.aggregate.min), num(r.aggregate.max),
                    num(r.aggregate.standardDeviation), r.eligible ? (lang == .id ? "ya" : "yes") : (lang == .id ? "tidak" : "no"),
                    r.ineligibility.map { $0.text(lang) }.joined(separator: "; "),
                    pin.map { String($0.slot) } ?? "", pin?.reason ?? "",
                ])
            }
        }
        csv.stream.close()
        var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        data.append(UInt8(ascii: "\n"))  // end the last row like every other
        return data
    }

    // MARK: Minutes

    /// The round's minutes (berita acara) in Markdown. Text from data is made display-safe and
    /// table cells have `|` escaped.
    public static func minutes(_ round: Round, lang: Language = .id) -> String {
        let L = { (id: String, en: String) in lang == .id ? id : en }
        func cell(_ s: String) -> String { s.displaySafe.replacingOccurrences(of: "|", with: "\\|") }
        func score(_ x: Double?) -> String { x.map { String(format: "%.1f", $0) } ?? "–" }
        let info = round.round
        var md = "# \(L("Berita Acara Kurasi", "Curation Minutes")): \(cell(info.title))\n\n"
        md += "- \(L("Penyelenggara", "Organiser")): \(cell(info.organizer))\n"
        md += "- \(L("Tanggal", "Date")): \(info.date)\n"
        md += "- \(L("Revisi data", "Store revision")): \(round.revision)\n"
        if info.status.state == .final {
            let who = info.status.by.flatMap { round.curator($0) }.map { "\(cell($0.name)) (\($0.id))" } ?? (info.status.by ?? "–")
            md += "- \(L("Status", "Status")): **\(L("FINAL", "FINAL"))**, \(L("difinalisasi oleh", "finalised by")) \(who) \(L("pada", "at")) \(info.status.at ?? "–")\n"
        } else {
            md += "- \(L("Status", "Status")): \(L("terbuka (belum final)", "open (not final)"))\n"
        }
        md += "- \(L("Agregasi", "Aggregation")): \(info.settings.aggregation == .mean ? L("rata-rata", "mean") : L("median", "median")) \(L("lembar nilai lengkap", "of complete score sheets"))\n\n"

        md += "## \(L("Kurator", "Curators"))\n\n"
        for c in round.curators {
            let role = c.role == .chair ? L("ketua", "chair") : L("kurator", "curator")
            md += "- \(c.id) \(cell(c.name)), \(role)"
            if !c.conflicts.isEmpty {
                let list = c.conflicts.map { "\($0.producer) (\(cell($0.reason)))" }.joined(separator: ", ")
                md += "; \(L("konflik kepentingan, tidak menilai", "conflict of interest, does not score")): \(list)"
            }
            md += "\n"
        }

        md += "\n## \(L("Rubrik", "Rubric")) (\(L("skala", "scale")) \(round.rubric.scaleMin)–\(round.rubric.scaleMax))\n\n"
        md += "| \(L("Kriteria", "Criterion")) | \(L("Bobot MAMIN", "MAMIN weight")) | \(L("Bobot NON-MAMIN", "NON-MAMIN weight")) |\n|---|---:|---:|\n"
        for k in round.rubric.criteria {
            md += "| \(cell(k.name.text(lang))) | \(round.rubric.weight(of: k, in: .mamin)) | \(round.rubric.weight(of: k, in: .nonMamin)) |\n"
        }

        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            md += "\n## \(L("Pilihan", "Selection")) \(cluster.label(lang))\n\n"
            md += "| \(L("Slot", "Slot")) | ID | \(L("Produk", "Product")) | \(L("Pelaku UMKM", "Producer")) | Kelurahan | \(L("Skor", "Score")) | n | \(L("Peringkat", "Rank")) | \(L("Alasan di luar 5 teratas", "Reason (outside top five)")) |\n"
            md += "|---:|---|---|---|---|---:|---:|---:|---|\n"
            let pins = round.pins(in: cluster)
            for slot in 1...Round.pinSlots {
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    md += "| ★\(slot) | – | – | – | – | – | – | – | |\n"; continue
                }
                let producer = round.producer(r.product.producer)
                md += "| ★\(slot) | \(r.product.id) | \(cell(r.product.name)) | \(cell(producer?.name ?? "")) | \(cell(producer?.kelurahan ?? "")) | \(score(r.aggregate.score)) | \(r.aggregate.count) | \(r.rank.map(String.init) ?? "–") | \(cell(pin.reason ?? "")) |\n"
            }
            let top = ranking.prefix { $0.rank != nil }.prefix(Round.pinSlots)
            md += "\n\(L("Lima teratas menurut skor", "Top five by score")): "
            md += top.isEmpty ? "–" : top.map { "\($0.product.id) \(cell($0.product.name)) (\(score($0.aggregate.score)))" }.joined(separator: "; ")
            md += "\n"
        }

        md += "\n## \(L("Lampiran: peringkat lengkap", "Appendix: full ranking"))\n"
        for cluster in Cluster.allCases {
            md += "\n### \(cluster.label(lang))\n\n| # | ID | \(L("Produk", "Product")) | \(L("Pelaku UMKM", "Producer")) | \(L("Skor", "Score")) | n | min | max | sd | \(L("Keterangan", "Note")) |\n|---:|---|---|---|---:|---:|---:|---:|---:|---|\n"
            for r in round.ranking(cluster) {
                let a = r.aggregate
                let note = r.eligible ? (r.pinnedSlot.map { "★\($0)" } ?? "") : r.ineligibility.map { $0.text(lang) }.joined(separator: "; ")
                md += "| \(r.rank.map(String.init) ?? "–") | \(r.product.id) | \(cell(r.product.name)) | \(cell(round.producer(r.product.producer)?.name ?? "")) | \(score(a.score)) | \(a.count) | \(score(a.min)) | \(score(a.max)) | \(score(a.standardDeviation)) | \(cell(note)) |\n"
            }
        }
        md += "\n\(L("Tanda tangan kurator", "Curators' signatures")):\n\n"
        for c in round.curators { md += "- \(cell(c.name)): ______________________\n" }
        return md
    }
}
