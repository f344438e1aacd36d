/// Checks for the fields a person types (in a console form, on the command line, in a CSV file).
/// Each check is a pure function: it takes the text as typed and returns the value to store, or
/// throws a `FieldProblem` that names the field, says what is wrong and what would be accepted.
/// The console's forms, the command line and the CSV imports call the same checks.

/// The longest text each field may hold (in characters). Longer text is refused where it is typed
/// and is a row error in an imported file: a 50 MB cell is never stored as a product name.
public enum FieldLimit {
    public static let name = 200
    public static let owner = 200
    public static let address = 500
    public static let place = 100      // kelurahan, kecamatan
    public static let phone = 40
    public static let nib = 20
    public static let sector = 100     // sector, business type
    public static let category = 100
    public static let unit = 40
    public static let description = 2000
    public static let remark = 500
    public static let permitNumber = 60
    public static let reason = 500
    public static let curatorID = 20
}

/// What is wrong with one typed field.
public struct FieldProblem: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Required and empty.
        case empty
        /// Longer than the field's limit.
        case tooLong(length: Int, max: Int)
        /// Not a rupiah amount ("Rp 15.000", "15000").
        case notRupiah(String)
        /// Not a whole number above zero.
        case notPositive(String)
        /// Not a whole number of zero or more.
        case notWholeNumber(String)
        /// Not a real calendar date.
        case notDate(String)
        /// A P-IRT number must have 15 digits.
        case pirtNumber(String)
        /// A BPOM MD number is "MD" and 12 digits.
        case bpomNumber(String)
        /// An NIB has 13 digits.
        case nibNumber(String)
        /// None of the accepted words.
        case notOneOf(String, accepted: [String])
        /// Outside an allowed range.
        case outOfRange(String, min: Int, max: Int)
    }
    /// The field's name as the command line and the CSV files call it: "price", "number", …
    public var field: String
    public var kind: Kind
    public init(_ field: String, _ kind: Kind) { self.field = field; self.kind = kind }

    /// "price: "lima ribu" is not a rupiah amount; write e.g. 15000 or Rp 15.000."
    public func text(_ lang: Language) -> String {
        let f = FieldProblem.label(field, lang)
        let why: String
        switch kind {
        case .empty:
            why = tr(.fldEmpty, lang)
        case let .tooLong(length, max):
            why = tr(.fldTooLong, lang, length, max)
        case let .notRupiah(s):
            why = tr(.fldNotRupiah, lang, s)
        case let .notPositive(s):
            why = tr(.fldNotPositive, lang, s)
        case let .notWholeNumber(s):
            why = tr(.fldNotWholeNumber, lang, s)
        case let .notDate(s):
            why = tr(.fldNotDate, lang, s)
        case let .pirtNumber(s):
            why = tr(.fldPirtNumber, lang, s)
        case let .bpomNumber(s):
            why = tr(.fldBpomNumber, lang, s)
        case let .nibNumber(s):
            why = tr(.fldNibNumber, lang, s)
        case let .notOneOf(s, accepted):
            why = tr(.fldNotOneOf, lang, s, accepted.joined(separator: ", "))
        case let .outOfRange(s, min, max):
            why = tr(.fldOutOfRange, lang, s, min, max)
        }
        return "\(f): \(why)."
    }

    /// How a field is named in messages.
    static func label(_ field: String, _ lang: Language) -> String {
        guard lang == .id else { return field }
        let names = ["name": "nama", "owner": "pemilik", "address": "alamat", "phone": "no. HP", "nib": "NIB",
                     "category": "kategori", "price": "harga", "capacity": "kapasitas", "unit": "satuan",
                     "description": "deskripsi", "number": "nomor izin", "expires": "berlaku sampai",
                     "kind": "jenis izin", "cluster": "klaster", "reason": "alasan", "status": "status",
                     "kelurahan": "kelurahan", "kecamatan": "kecamatan", "weight": "bobot",
                     "min-sheets": "minimal lembar", "disagreement": "ambang beda pendapat",
                     "aggregation": "agregasi", "mamin-permits": "izin mamin", "producer": "pelaku",
                     "sector": "sektor", "business-type": "jenis usaha", "remark": "keterangan"]
        return names[field] ?? field
    }
}

/// The field checks. Every function trims the text first; "optional" checks return nil for
/// empty text.
public enum Fields {
    /// Text of at most `max` characters; throws `.empty` when `required` and empty.
    public static func text(_ raw: String, field: String, max: Int, required: Bool = false) throws(FieldProblem) -> String? {
        let s = raw.trimmingSpaces
        if s.isEmpty {
            if required { throw FieldProblem(field, .empty) }
            return nil
        }
        let n = s.count
        if n > max { throw FieldProblem(field, .tooLong(length: n, max: max)) }
        return s
    }

    /// A price in whole rupiah: "Rp 15.000", "Rp15.000", "15.000", "15000", "15.000,00",
    /// "Rp 15.000,-". Nil for empty text.
    public static func rupiah(_ raw: String, field: String = "price") throws(FieldProblem) -> Int? {
        let s = raw.trimmingSpaces
        if s.isEmpty { return nil }
        guard let v = parseRupiah(s) else { throw FieldProblem(field, .notRupiah(clip(s))) }
        return v
    }

    /// A whole number above zero, thousands may be grouped ("1.200"). Nil for empty text.
    public static func positive(_ raw: String, field: String = "capacity") throws(FieldProblem) -> Int? {
        let s = raw.trimmingSpaces
        if s.isEmpty { return nil }
        guard let v = parseGroupedInteger(s), v > 0 else { throw FieldProblem(field, .notPositive(clip(s))) }
        return v
    }

    /// A real calendar date, returned as YYYY-MM-DD. Accepts 2025-03-31, 31/03/2025, 31-03-2025
    /// and 31.03.2025 (day first, as Indonesian spreadsheets write it). Nil for empty text.
    public static func date(_ raw: String, field: String = "expires") throws(FieldProblem) -> String? {
        let s = raw.trimmingSpaces
        if s.isEmpty { return nil }
        guard let d = parseDate(s) else { throw FieldProblem(field, .notDate(clip(s))) }
        return d
    }

    /// A permit number checked by kind: P-IRT has 15 digits (separators `-`, `.` and spaces
    /// allowed), BPOM MD is "MD" and 12 digits (stored as "MD 123456789012"), NIB 13 digits;
    /// halal, HKI and SNI numbers are free text.
    public static func permitNumber(_ raw: String, kind: PermitKind, field: String = "number") throws(FieldProblem) -> String {
        guard let s = try text(raw, field: field, max: FieldLimit.permitNumber, required: true) else {
            throw FieldProblem(field, .empty)
        }
        switch kind {
        case .pirt:
            let allowed = s.allSatisfy { $0.isASCIIDigit || $0 == "-" || $0 == "." || $0 == " " }
            guard allowed, s.filter(\.isASCIIDigit).count == 15, s.first?.isASCIIDigit == true else {
                throw FieldProblem(field, .pirtNumber(s))
            }
            return s
        case .bpomMD:
            var t = Substring(s.uppercased())
            for prefix in ["BPOM RI ", "BPOM "] where t.hasPrefix(prefix) { t = t.dropFirst(prefix.count); break }
            guard t.hasPrefix("MD") else { throw FieldProblem(field, .bpomNumber(s)) }
            let digits = t.dropFirst(2).filter { $0 != " " && $0 != "." && $0 != "-" }
            guard digits.count == 12, digits.allSatisfy(\.isASCIIDigit) else { throw FieldProblem(field, .bpomNumber(s)) }
            return "MD " + digits
        case .nib:
            return try nib(s, field: field)!
        case .halal, .hki, .sni:
            return s
        }
    }

    /// An NIB: 13 digits (spaces, dots and dashes between them are dropped). Nil for empty text.
    public static func nib(_ raw: String, field: String = "nib") throws(FieldProblem) -> String? {
        let s = raw.trimmingSpaces
        if s.isEmpty { return nil }
        let digits = s.filter { $0 != " " && $0 != "." && $0 != "-" }
        guard digits.count == 13, digits.allSatisfy(\.isASCIIDigit) else { throw FieldProblem(field, .nibNumber(clip(s))) }
        return digits
    }

    /// A permit kind as people write it: "P-IRT", "pirt", "PIRT", "BPOM MD", "MD", "halal", "HKI",
    /// "merek", "SNI", "NIB".
    public static func permitKind(_ raw: String, field: String = "kind") throws(FieldProblem) -> PermitKind {
        let k = raw.trimmingSpaces.lowercased().filter { $0 != " " && $0 != "-" && $0 != "/" && $0 != "." }
        switch k {
        case "pirt", "sppirt": return .pirt
        case "bpommd", "md", "bpom": return .bpomMD
        case "halal", "sertifikathalal": return .halal
        case "hki", "merek", "merk", "hkimerek", "hakmerek": return .hki
        case "sni": return .sni
        case "nib": return .nib
        default:
            throw FieldProblem(field, .notOneOf(clip(raw.trimmingSpaces), accepted: PermitKind.allCases.map(\.rawValue)))
        }
    }

    /// A cluster as people write it: "mamin", "non-mamin", "makanan", "kerajinan", …
    public static func cluster(_ raw: String, field: String = "cluster") throws(FieldProblem) -> Cluster {
        let k = raw.trimmingSpaces.lowercased()
        if let c = Cluster(rawValue: k) { return c }
        switch k.filter({ $0.isLetter }) {
        case "mamin", "makanan", "minuman", "makanandanminuman", "kuliner": return .mamin
        case "nonmamin", "kerajinan", "fashion", "kerajinantangan", "kriya", "busana": return .nonMamin
        default:
            throw FieldProblem(field, .notOneOf(clip(raw.trimmingSpaces), accepted: Cluster.allCases.map(\.rawValue)))
        }
    }

    /// A whole number in `range`.
    public static func integer(_ raw: String, field: String, in range: ClosedRange<Int>) throws(FieldProblem) -> Int {
        let s = raw.trimmingSpaces
        guard let v = Int(s) else { throw FieldProblem(field, .notWholeNumber(clip(s))) }
        guard range.contains(v) else { throw FieldProblem(field, .outOfRange(s, min: range.lowerBound, max: range.upperBound)) }
        return v
    }

    /// Long text shown in a message is cut, so a 50 MB cell does not become a 50 MB message.
    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(57)) + "…" : s }

    // MARK: Parsing

    /// Parses a rupiah amount as written in Indonesian spreadsheets (see `rupiah`). Nil for
    /// text that is not one: words, negative, cents other than zero, overflow.
    public static func parseRupiah(_ s: String) -> Int? {
        var text = Substring(s.trimmingSpaces)
        let lower = text.lowercased()
        for prefix in ["rp.", "rp", "idr"] where lower.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            break
        }
        text = Substring(String(text).trimmingSpaces)
        if text.hasSuffix(",-") || text.hasSuffix(".-") { text = text.dropLast(2) }
        return parseGroupedInteger(text)
    }

    /// A non-negative whole number that may use thousands grouping and a zero decimal part:
    /// "1200", "1.200", "1,200", "1 200", "1.200,00", "1200.0". Nil for anything else.
    public static func parseGroupedInteger<S: StringProtocol>(_ input: S) -> Int? {
        var chars = Array(input.unicodeScalars.map { $0 == "\u{00A0}" || $0 == "\u{202F}" ? " " : Character($0) })
        while chars.first == " " { chars.removeFirst() }
        while chars.last == " " { chars.removeLast() }
        guard !chars.isEmpty else { return nil }
        var decimalSeparator: Character?
        if let sepIndex = chars.lastIndex(where: { $0 == "." || $0 == "," }) {
            let tail = chars[(sepIndex + 1)...]
            if (1...2).contains(tail.count) && tail.allSatisfy(\.isASCIIDigit) {
                guard tail.allSatisfy({ $0 == "0" }) else { return nil }
                decimalSeparator = chars[sepIndex]
                chars.removeSubrange(sepIndex...)
            }
        }
        guard !chars.isEmpty else { return nil }
        var groups: [[Character]] = [[]]
        var groupSeparator: Character?
        for c in chars {
            if c.isASCIIDigit {
                groups[groups.count - 1].append(c)
            } else if c == "." || c == "," || c == " " {
                if let groupSeparator, groupSeparator != c { return nil }
                groupSeparator = c
                groups.append([])
            } else {
                return nil
            }
        }
        if let groupSeparator {
            if groupSeparator == decimalSeparator { return nil }
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
        }
        var value = 0
        for c in groups.joined() {
            guard let digit = c.wholeNumberValue else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// YYYY-MM-DD, or DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY; a real day of the Gregorian calendar.
    static func parseDate(_ s: String) -> String? {
        let parts = s.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        let y: Int, m: Int, d: Int
        if parts[0].count == 4 {
            guard parts[1].count <= 2, parts[2].count <= 2, s.contains("-") else { return nil }
            (y, m, d) = (Int(parts[0])!, Int(parts[1])!, Int(parts[2])!)
        } else if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
            (y, m, d) = (Int(parts[2])!, Int(parts[1])!, Int(parts[0])!)
        } else {
            return nil
        }
        guard (1900...2999).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

// MARK: - Checking whole records

extension Producer {
    /// Every field of the producer within its limit, the name present, the NIB 13 digits.
    public func check() throws(FieldProblem) {
        _ = try Fields.text(name, field: "name", max: FieldLimit.name, required: true)
        _ = try Fields.text(owner, field: "owner", max: FieldLimit.owner)
        _ = try Fields.text(address, field: "address", max: FieldLimit.address)
        _ = try Fields.text(kelurahan, field: "kelurahan", max: FieldLimit.place)
        _ = try Fields.text(kecamatan, field: "kecamatan", max: FieldLimit.place)
        _ = try Fields.text(phone ?? "", field: "phone", max: FieldLimit.phone)
        _ = try Fields.text(nib ?? "", field: "nib", max: FieldLimit.nib)
        _ = try Fields.text(sector ?? "", field: "sector", max: FieldLimit.sector)
        _ = try Fields.text(businessType ?? "", field: "business-type", max: FieldLimit.sector)
        _ = try Fields.text(remark ?? "", field: "remark", max: FieldLimit.remark)
    }
}

extension Product {
    /// The fields of a product a form edits (everything but its id, producer and permits).
    public struct Fields: Hashable, Sendable {
        public var name: String
        public var cluster: Cluster
        public var category: String
        public var description: String
        public var price: Int?
        public var capacity: Capacity?
        public init(name: String, cluster: Cluster, category: String = "", description: String = "",
                    price: Int? = nil, capacity: Capacity? = nil) {
            self.name = name; self.cluster = cluster; self.category = category; self.description = description
            self.price = price; self.capacity = capacity
        }
    }

    /// The editable fields of this product.
    public var fields: Fields {
        get { Fields(name: name, cluster: cluster, category: category, description: description, price: price, capacity: capacity) }
        set {
            name = newValue.name; cluster = newValue.cluster; category = newValue.category
            description = newValue.description; price = newValue.price; capacity = newValue.capacity
        }
    }

    /// The name present, every text within its limit, the price zero or more, the capacity above
    /// zero with a unit, every permit's number right for its kind.
    public func check() throws(FieldProblem) {
        _ = try KurasiCore.Fields.text(name, field: "name", max: FieldLimit.name, required: true)
        _ = try KurasiCore.Fields.text(category, field: "category", max: FieldLimit.category)
        _ = try KurasiCore.Fields.text(description, field: "description", max: FieldLimit.description)
        if let price, price < 0 { throw FieldProblem("price", .notRupiah(String(price))) }
        if let capacity {
            if capacity.amount <= 0 { throw FieldProblem("capacity", .notPositive(String(capacity.amount))) }
            _ = try KurasiCore.Fields.text(capacity.unit, field: "unit", max: FieldLimit.unit, required: true)
        }
        for p in permits { try p.check() }
    }
}

extension Permit {
    /// The number right for the kind, the expiry a real date.
    public func check() throws(FieldProblem) {
        _ = try Fields.permitNumber(number, kind: kind)
        if let expires { guard Fields.parseDate(expires) == expires else { throw FieldProblem("expires", .notDate(expires)) } }
    }
}
