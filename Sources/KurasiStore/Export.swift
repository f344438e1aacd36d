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
                    rank: r.rank, product: r.product.id.rawValue, name: r.product.name, producer: r.product.producer.rawValue,
                    producerName: round.producer(r.product.producer)?.name ?? "",
                    kelurahan: round.producer(r.product.producer)?.kelurahan ?? "",
                    score: rounded(r.aggregate.score), curators: r.aggregate.count,
                    min: rounded(r.aggregate.min), max: rounded(r.aggregate.max),
                    sd: rounded(r.aggregate.standardDeviation), eligible: r.eligible,
                    ineligible: r.ineligibility.map { $0.text(lang) }, pinned: r.pinnedSlot,
                    unranked: r.unranked.map { $0 == .ineligible ? r.ineligibility.map { $0.text(lang) }.joined(separator: "; ") : $0.text(lang) })
            }
            out[cluster.rawValue] = .init(pins: round.pins(in: cluster).map(\.product.rawValue), ranking: entries)
        }
        let info = round.round
        let doc = RankJSON(
            round: .init(title: info.title, organizer: info.organizer, date: info.date, status: info.status.state.rawValue,
                         aggregation: info.settings.aggregation.rawValue,
                         finalizedBy: info.status.state == .final ? info.status.by?.rawValue : nil,
                         finalizedAt: info.status.state == .final ? info.status.at : nil),
            revision: round.revision, clusters: out)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(doc) + Data("\n".utf8)
    }

    // MARK: CSV

    /// How a CSV is written. `.rfc4180` (the default): `,`, LF, no BOM, numbers with a point.
    /// `.excel`, for a double-click in Indonesian Excel: `;`, CRLF, a UTF-8 BOM and the decimal
    /// comma, so that the file opens in columns with numbers Excel reads as numbers.
    public enum CSVDialect: Sendable {
        case rfc4180, excel
        var delimiter: String { self == .excel ? ";" : "," }
        /// A number with two decimals in this dialect.
        func number(_ x: Double?) -> String {
            guard let x else { return "" }
            let s = String(format: "%.2f", x)
            return self == .excel ? s.replacingOccurrences(of: ".", with: ",") : s
        }
    }

    /// Every CSV Kurasi writes goes through here: each cell made spreadsheet-safe, the dialect's
    /// separator, line ends and BOM, a line end after the last row.
    public static func csv(_ rows: [[String]], dialect: CSVDialect = .rfc4180) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, delimiter: dialect.delimiter, newline: dialect == .excel ? .crlf : .lf)
        for row in rows { try writer.write(row: row.map(spreadsheetSafe)) }
        writer.stream.close()
        var data = dialect == .excel ? Data([0xEF, 0xBB, 0xBF]) : Data()
        data.append(stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
        data.append(contentsOf: dialect == .excel ? [0x0D, 0x0A] : [0x0A])  // end the last row like every other
        return data
    }

    public static func rankCSV(_ round: Round, clusters: [Cluster] = Cluster.allCases, lang: Language = .id,
                               dialect: CSVDialect = .rfc4180) throws -> Data {
        let header = tr(.exRankHeader, lang).split(separator: ",").map(String.init)
        var rows = [header]
        let num = dialect.number
        for cluster in clusters {
            let pins = round.pins(in: cluster)
            for r in round.ranking(cluster) {
                let producer = round.producer(r.product.producer)
                let pin = pins.first { $0.product == r.product.id }
                rows.append([
                    cluster.rawValue, r.rank.map(String.init) ?? "", r.product.id.rawValue, r.product.name,
                    r.product.producer.rawValue, producer?.name ?? "", producer?.kelurahan ?? "",
                    num(r.aggregate.score), String(r.aggregate.count), num(r.aggregate.min), num(r.aggregate.max),
                    num(r.aggregate.standardDeviation), tr(r.eligible ? .exYes : .exNo, lang),
                    r.ineligibility.map { $0.text(lang) }.joined(separator: "; "),
                    pin.map { String($0.slot) } ?? "", pin?.reason ?? "",
                ])
            }
        }
        return try csv(rows, dialect: dialect)
    }

    /// A CSV cell a spreadsheet will not run: a cell that starts with = + - @ TAB or CR is read
    /// as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), so it gets a leading single quote
    /// (the OWASP rule). Every CSV Kurasi writes passes each cell through here.
    public static func spreadsheetSafe(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// Text from data made safe to interpolate into Markdown that may be rendered to HTML or
    /// shown with `cat`: control characters (escape sequences, newlines that would start a
    /// heading) and bidi overrides are removed, HTML's `& < >` become entities, and every
    /// character Markdown gives a meaning within a line is backslash-escaped, so `<script>`,
    /// `[x](javascript:…)`, `**`, `#` and `|` arrive as the text they are.
    public static func markdownSafe(_ s: String) -> String { s.markdownSafe }
}
