import Foundation

/// Numbers and times for people: one formatter for the console, the command line, the exports
/// and the minutes, so the number on the screen is the number in the signed minutes.
/// Machine formats (JSON, CSV) keep ISO 8601 in UTC and full precision; these are for reading.
public enum Format {
    /// A 0–100 score to one decimal, half up ("81,3" in Bahasa Indonesia for 81.25, "81.3" in
    /// English); "–" when there is none.
    public static func score(_ x: Double?, _ lang: Language) -> String {
        guard let x, x.isFinite else { return "–" }
        let tenths = halfUp(x * 10)
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return "\(sign)\(a / 10)\(tr(.fmtDecimalMark, lang))\(a % 10)"
    }

    /// Half up at the tenth, after taking off binary noise: 81.25 → 813 tenths, 81.15 → 812
    /// (81.15 is 81.1499999… in binary, but people wrote 81.15).
    static func halfUp(_ tenths: Double) -> Int {
        let cleaned = (tenths * 1e6).rounded() / 1e6
        return Int(cleaned.rounded(.toNearestOrAwayFromZero))
    }

    /// A whole number with the thousands separator of the language ("1.204" / "1,204").
    public static func count(_ n: Int, _ lang: Language) -> String {
        let digits = String(abs(n))
        var out = ""
        let mark = tr(.fmtThousandsMark, lang)
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(mark) }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// The short name Indonesians use for a zone: WIB, WITA, WIT; else "UTC+h".
    public static func zoneName(_ zone: TimeZone, at date: Date) -> String {
        let seconds = zone.secondsFromGMT(for: date)
        switch seconds {
        case 7 * 3600: return "WIB"
        case 8 * 3600: return "WITA"
        case 9 * 3600: return "WIT"
        default:
            let h = seconds / 3600, m = abs(seconds % 3600) / 60
            return "UTC" + (seconds < 0 ? "-" : "+") + "\(abs(h))" + (m == 0 ? "" : ":\(m)")
        }
    }

    /// The names of the months, January first.
    static func months(_ lang: Language) -> [Substring] { tr(.fmtMonths, lang).split(separator: " ") }

    /// An ISO 8601 instant ("2020-10-15T07:30:00Z") as people read it in the round's zone:
    /// "15 Oktober 2020 14.30 WIB" (id) or "15 October 2020 14:30 WIB" (en); `dateOnly` drops the
    /// time. Text that is not an instant comes back as it is.
    public static func time(_ iso: String, zone: TimeZone, _ lang: Language, dateOnly: Bool = false) -> String {
        guard let date = parseInstant(iso) else { return iso }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let mo = c.month, let d = c.day, let h = c.hour, let mi = c.minute else { return iso }
        let day = "\(d) \(months(lang)[mo - 1]) \(y)"
        if dateOnly { return day }
        let hm = String(format: tr(.fmtClock, lang), h, mi)
        return "\(day) \(hm) \(zoneName(zone, at: date))"
    }

    /// Only the clock time, "14.30 WIB" / "14:30 WIB".
    public static func clock(_ iso: String, zone: TimeZone, _ lang: Language) -> String {
        let full = time(iso, zone: zone, lang)
        guard full != iso else { return iso }
        return full.split(separator: " ").suffix(2).joined(separator: " ")
    }

    /// An ISO date ("2020-10-15") as "15 Oktober 2020" / "15 October 2020".
    public static func date(_ isoDate: String, _ lang: Language) -> String {
        let parts = isoDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return isoDate }
        return "\(parts[2]) \(months(lang)[parts[1] - 1]) \(parts[0])"
    }

    /// A phone number in the one format Indonesians write: mobile "0813-8048-7072", landline
    /// with its area code "0351-462-123" (Jakarta and the big cities have two-digit codes:
    /// "021-5790-1234"). "+62", "62", spaces, dots and dashes as the registry wrote them are all
    /// read; a text that is not a phone number comes back as it was.
    public static func phone(_ raw: String) -> String {
        var digits = raw.filter(\.isASCII).filter(\.isNumber)
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, trimmed.allSatisfy({ $0.isNumber || " +-.()/".contains($0) }) else { return trimmed }
        if digits.hasPrefix("62") { digits = "0" + digits.dropFirst(2) }
        guard digits.hasPrefix("0"), (9...13).contains(digits.count) else { return trimmed }
        func groups(_ s: Substring, _ sizes: [Int]) -> [Substring] {
            var out: [Substring] = [], rest = s
            for n in sizes where !rest.isEmpty { out.append(rest.prefix(n)); rest = rest.dropFirst(n) }
            if !rest.isEmpty { out[out.count - 1] += rest }
            return out
        }
        let d = Substring(digits)
        if digits.hasPrefix("08") {
            return groups(d, [4, 4, 5]).joined(separator: "-")
        }
        let bigCities = ["021", "022", "024", "031", "061"]
        let code = bigCities.contains(String(d.prefix(3))) ? 3 : 4
        let local = d.dropFirst(code)
        let split = local.count <= 7 ? [3, 4] : [4, 4]
        return ([d.prefix(code)] + groups(local, split)).joined(separator: "-")
    }

    static func parseInstant(_ iso: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: iso) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: iso)
    }
}

extension RoundInfo {
    /// The round's time zone (`timeZone` in the store, an IANA name); Asia/Jakarta (WIB) by default.
    public var zone: TimeZone { timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Jakarta")! }
}
