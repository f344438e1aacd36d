import Foundation
import KurasiCore
import Testing

/// Format.time and Format.clock read the store's own form of an instant ("2020-10-15T07:30:00Z")
/// by hand, without building a date formatter per line of history. They must say what Foundation's
/// ISO 8601 parser and Gregorian calendar say, in every zone, and leave every other form to them.
@Suite struct FormatTimeTests {
    /// What Format.time said when it asked Foundation for every instant.
    static func foundation(_ iso: String, zone: TimeZone, _ lang: Language, dateOnly: Bool = false) -> String {
        let f = ISO8601DateFormatter()
        var date = f.date(from: iso)
        if date == nil {
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = f.date(from: iso)
        }
        guard let date else { return iso }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let mo = c.month, let d = c.day, let h = c.hour, let mi = c.minute else { return iso }
        let months = tr(.fmtMonths, lang).split(separator: " ")
        let day = "\(d) \(months[mo - 1]) \(y)"
        if dateOnly { return day }
        return "\(day) \(String(format: tr(.fmtClock, lang), h, mi)) \(Format.zoneName(zone, at: date))"
    }

    static let zones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC", "Asia/Kolkata", "America/New_York",
                        "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"].compactMap(TimeZone.init(identifier:))

    @Test func randomInstantsInManyZones() {
        var random = SplitMix64(seed: 2020)
        for _ in 0..<800 {
            // From 1600 to 2100, and now and then on the edge of a day, a month or a year.
            let y = Int.random(in: 1600...2100, using: &random), mo = Int.random(in: 1...12, using: &random)
            let d = Int.random(in: 1...28, using: &random) + (Bool.random(using: &random) ? 3 : 0)
            let h = Bool.random(using: &random) ? 23 : Int.random(in: 0...23, using: &random)
            let mi = Int.random(in: 0...59, using: &random), s = Int.random(in: 0...59, using: &random)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let iso = "\(y)-\(two(mo))-\(two(min(d, 31)))T\(two(h)):\(two(mi)):\(two(s))Z"
            let zone = Self.zones.randomElement(using: &random)!
            for lang in [Language.id, .en] {
                #expect(Format.time(iso, zone: zone, lang) == Self.foundation(iso, zone: zone, lang), "\(iso) \(zone.identifier)")
            }
            let full = Self.foundation(iso, zone: zone, .id)
            let clock = full == iso ? iso : full.split(separator: " ").suffix(2).joined(separator: " ")
            #expect(Format.clock(iso, zone: zone, .id) == clock, "\(iso) \(zone.identifier)")
        }
    }

    @Test func otherFormsAreLeftToFoundation() {
        let wib = TimeZone(identifier: "Asia/Jakarta")!
        for iso in ["2020-10-15T07:30:00.250Z", "2020-10-15T07:30:00+07:00", "2020-10-15T07:30:00-0300", "2020-02-30T07:30:00Z",
                    "2020-10-15T24:00:00Z", "2020-10-15T07:60:00Z", "2020-10-15 07:30:00Z", "1582-10-10T12:00:00Z",
                    "0999-01-01T00:00:00Z", "2020-1-15T07:30:00Z", "2020-10-15T07:30:00z", "bukan waktu", ""] {
            #expect(Format.time(iso, zone: wib, .id) == Self.foundation(iso, zone: wib, .id), "\(iso)")
            #expect(Format.time(iso, zone: wib, .en, dateOnly: true) == Self.foundation(iso, zone: wib, .en, dateOnly: true), "\(iso)")
        }
        #expect(Format.clock("2020-10-15T07:30:00.250Z", zone: wib, .id) == "14.30 WIB")
        #expect(Format.clock("2020-12-31T17:00:00Z", zone: wib, .en) == "00:00 WIB")
        #expect(Format.time("2020-12-31T17:00:00Z", zone: wib, .id) == "1 Januari 2021 00.00 WIB")
    }
}
