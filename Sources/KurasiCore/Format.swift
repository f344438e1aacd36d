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
        zoneName(offset: zone.secondsFromGMT(for: date))
    }

    /// The short name of a zone `seconds` ahead of UTC.
    static func zoneName(offset seconds: Int) -> String {
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
        guard let t = localTime(iso, zone: zone) else { return iso }
        let day = "\(t.day) \(months(lang)[t.month - 1]) \(t.year)"
        if dateOnly { return day }
        return "\(day) \(clockText(t.hour, t.minute, lang)) \(zoneName(offset: t.offset))"
    }

    /// Only the clock time, "14.30 WIB" / "14:30 WIB".
    public static func clock(_ iso: String, zone: TimeZone, _ lang: Language) -> String {
        guard let t = localTime(iso, zone: zone) else { return iso }
        return "\(clockText(t.hour, t.minute, lang)) \(zoneName(offset: t.offset))"
    }

    static func clockText(_ hour: Int, _ minute: Int, _ lang: Language) -> String {
        String(format: tr(.fmtClock, lang), hour, minute)
    }

    /// An instant's date and time of day in `zone`, with the zone's offset from UTC then.
    struct LocalTime: Equatable {
        var year, month, day, hour, minute: Int
        var offset: Int
    }

    static func localTime(_ iso: String, zone: TimeZone) -> LocalTime? {
        if let utc = parseUTC(iso) {
            // The instant as whole seconds since 1970; the offset the zone had then moves it to
            // the zone's wall clock, which is split into the proleptic Gregorian date and time.
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
            let local = utc + offset
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let secondOfDay = local - days * 86_400
            let (y, m, d) = civil(days: days)
            return LocalTime(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, offset: offset)
        }
        guard let date = parseInstant(iso) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let mo = c.month, let d = c.day, let h = c.hour, let mi = c.minute else { return nil }
        return LocalTime(year: y, month: mo, day: d, hour: h, minute: mi, offset: zone.secondsFromGMT(for: date))
    }

    /// Seconds since 1970 of the form the store writes, "YYYY-MM-DDTHH:MM:SSZ" with every field in
    /// range and the year from 1600 on (where Foundation's calendar is the proleptic Gregorian
    /// one); nil for anything else, which `parseInstant` reads with Foundation's parser.
    static func parseUTC(_ iso: String) -> Int? {
        let utf8 = iso.utf8
        return utf8.withContiguousStorageIfAvailable { b -> Int? in
            guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
                  b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z") else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var n = 0
                for i in from..<from + count {
                    let d = Int(b[i]) - 48
                    guard d >= 0, d <= 9 else { return nil }
                    n = n * 10 + d
                }
                return n
            }
            guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
                  let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2),
                  y >= 1600, (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y),
                  h <= 23, mi <= 59, s <= 59 else { return nil }
            return days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s
        } ?? nil
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (civil_from_days).
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
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
