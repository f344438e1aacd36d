import Foundation
import KurasiCore

/// The store's fast load path: one pass over the document's top level that builds `scores`
/// directly from the bytes and hands every other field's bytes to Foundation's decoder alone.
///
/// Why it exists: `scores` is a dictionary of dictionaries of dictionaries (two million sheets at
/// 100,000 products), and Foundation's `JSONDecoder` spends about 70% of a store's load in
/// `Dictionary.init(from:)` for it (Benchmarks/README.md). No fast JSON library is among the
/// packages Kurasi may use, so the hot part is read here by hand.
///
/// It only ever says yes to a plain, well-formed store. Whenever it meets anything it does not
/// handle itself (a syntax error, an escape or control character in a key, a duplicate key, a
/// number that is not a plain non-negative integer, a missing field, `null`, a field Foundation
/// refuses), it returns nil and `Store.decode` reads the document with Foundation's decoder as
/// before: every refusal and message stays Foundation's. Tests/KurasiStoreTests/StoreReaderTests
/// check both readers give the same round, or the same refusal, on random and mutated stores.
enum StoreReader {
    /// The round in `data`, or nil when Foundation's decoder should decide.
    static func read(_ data: Data) -> Round? {
        data.withUnsafeBytes { raw -> Round? in
            var s = Scanner(bytes: raw)
            return s.readRound(data)
        }
    }

    struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        @inline(__always) var atEnd: Bool { i >= bytes.count }
        @inline(__always) func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

        @inline(__always) mutating func skipWhitespace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x0A, 0x0D, 0x09: i += 1
                default: return
                }
            }
        }

        @inline(__always) mutating func expect(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
            return true
        }

        /// A string without escapes or control characters, as valid UTF-8; nil otherwise.
        mutating func plainString() -> String? {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            var ascii = true
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                if b >= 0x80 { ascii = false }
                i += 1
            }
            guard i < bytes.count else { return nil }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
            i += 1
            if ascii { return String(decoding: slice, as: UTF8.self) }
            return String(validating: slice, as: UTF8.self)
        }

        /// A plain integer (`0` or `[1-9][0-9]*`, at most 18 digits) ending where JSON allows;
        /// nil for a sign, fraction, exponent or anything else.
        mutating func plainInt() -> Int? {
            skipWhitespace()
            let start = i
            var value = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value &* 10 &+ Int(bytes[i] &- 0x30)
                i += 1
            }
            let n = i - start
            guard n > 0, n <= 18, !(n > 1 && bytes[start] == 0x30) else { return nil }
            if i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): break
                default: return nil
                }
            }
            return value
        }

        /// Step over one value whose bytes someone else will check: a string, or an object or
        /// array matched bracket by bracket (strings inside skipped), or a scalar up to the next
        /// delimiter. Returns its byte range, or nil when it runs off the end.
        mutating func skipValue() -> Range<Int>? {
            skipWhitespace()
            guard i < bytes.count else { return nil }
            let start = i
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard skipString() else { return nil }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return nil }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { i += 1; return start..<i }
                    default: break
                    }
                    i += 1
                }
                return nil
            default:
                while i < bytes.count {
                    switch bytes[i] {
                    case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"):
                        return i > start ? start..<i : nil
                    default: i += 1
                    }
                }
            }
            return i > start ? start..<i : nil
        }

        /// Past a string starting at `i` (at its quote), escapes included.
        mutating func skipString() -> Bool {
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\\") { i += 2; continue }
                i += 1
                if b == UInt8(ascii: "\"") { return true }
            }
            return false
        }

        /// `{ "P-1" : { "K1" : { "kemasan" : 4, … }, … }, … }`, every key once.
        mutating func readScores() -> [String: [String: Sheet]]? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var scores: [String: [String: Sheet]] = [:]
            if expect(UInt8(ascii: "}")) { return scores }
            repeat {
                guard let product = plainString(), expect(UInt8(ascii: ":")), expect(UInt8(ascii: "{")) else { return nil }
                var sheets: [String: Sheet] = [:]
                if !expect(UInt8(ascii: "}")) {
                    repeat {
                        guard let curator = plainString(), expect(UInt8(ascii: ":")), expect(UInt8(ascii: "{")) else { return nil }
                        var sheet: Sheet = [:]
                        if !expect(UInt8(ascii: "}")) {
                            sheet.reserveCapacity(8)
                            repeat {
                                guard let criterion = plainString(), expect(UInt8(ascii: ":")),
                                      let point = plainInt() else { return nil }
                                guard sheet.updateValue(point, forKey: criterion) == nil else { return nil }
                            } while expect(UInt8(ascii: ","))
                            guard expect(UInt8(ascii: "}")) else { return nil }
                        }
                        guard sheets.updateValue(sheet, forKey: curator) == nil else { return nil }
                    } while expect(UInt8(ascii: ","))
                    guard expect(UInt8(ascii: "}")) else { return nil }
                }
                guard scores.updateValue(sheets, forKey: product) == nil else { return nil }
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            return scores
        }

        mutating func readRound(_ data: Data) -> Round? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var fields: [String: Range<Int>] = [:]
            var scores: [String: [String: Sheet]]?
            var revision: Int?
            if !expect(UInt8(ascii: "}")) {
                repeat {
                    guard let key = plainString(), expect(UInt8(ascii: ":")) else { return nil }
                    guard fields[key] == nil, !(key == "scores" && scores != nil), !(key == "revision" && revision != nil) else { return nil }
                    switch key {
                    case "scores":
                        guard let s = readScores() else { return nil }
                        scores = s
                    case "revision":
                        guard let r = plainInt() else { return nil }
                        revision = r
                    default:
                        guard let r = skipValue() else { return nil }
                        fields[key] = r
                    }
                } while expect(UInt8(ascii: ","))
                guard expect(UInt8(ascii: "}")) else { return nil }
            }
            skipWhitespace()
            guard atEnd, let revision else { return nil }

            let decoder = JSONDecoder()
            func slice(_ r: Range<Int>) -> Data { data[(data.startIndex + r.lowerBound)..<(data.startIndex + r.upperBound)] }
            func value<T: Decodable>(_ key: String, _ type: T.Type) -> T?? {
                guard let r = fields.removeValue(forKey: key) else { return .some(nil) }
                guard let v = try? decoder.decode(T.self, from: slice(r)) else { return nil }
                return .some(v)
            }
            guard let info = value("round", RoundInfo.self), let info,
                  let rubric = value("rubric", Rubric.self), let rubric,
                  let curators = value("curators", [Curator].self), let curators,
                  let producers = value("producers", [Producer].self), let producers,
                  let products = value("products", [Product].self), let products,
                  let pins = value("pins", [Cluster: [Pin]].self),
                  let events = value("events", [Event].self)
            else { return nil }
            // Fields Kurasi does not read (schemaVersion) must still be well-formed JSON.
            for (_, r) in fields {
                guard (try? JSONSerialization.jsonObject(with: slice(r), options: [.fragmentsAllowed])) != nil else { return nil }
            }
            return Round(revision: revision, round: info, rubric: rubric, curators: curators, producers: producers,
                         products: products, scores: scores ?? [:], pins: pins ?? [:], events: events ?? [])
        }
    }
}
