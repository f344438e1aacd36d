import Foundation

/// Not Kurasi code: a measurement of what a hand-written, single-pass reader of the store could
/// do, for the issue note's "what would reach the target". It reads the whole document into a
/// tree of plain Swift values in one pass over the bytes (no Codable, no second scan for the
/// header), then turns `scores` into the `[String: [String: [String: Int]]]` that Round holds.
/// It checks syntax only as far as it needs to; the real one would also report line and column.
enum Prototype {
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
    }

    struct ParseError: Error { var offset: Int }

    static func parse(_ data: Data) throws -> Value {
        try data.withUnsafeBytes { raw -> Value in
            var p = Parser(bytes: raw.bindMemory(to: UInt8.self))
            return try p.value()
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skip() {
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
            }
        }

        mutating func value() throws -> Value {
            skip()
            guard i < bytes.count else { throw ParseError(offset: i) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, Value)] = []
                skip()
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skip()
                    let key = try string()
                    skip()
                    guard bytes[i] == UInt8(ascii: ":") else { throw ParseError(offset: i) }
                    i += 1
                    members.append((key, try value()))
                    skip()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "}") else { throw ParseError(offset: i) }
                    i += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                skip()
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skip()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "]") else { throw ParseError(offset: i) }
                    i += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): i += 4; return .bool(true)
            case UInt8(ascii: "f"): i += 5; return .bool(false)
            case UInt8(ascii: "n"): i += 4; return .null
            default:
                return try number()
            }
        }

        mutating func number() throws -> Value {
            let start = i
            var isInt = true
            var n = 0, negative = false
            if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 { n = n &* 10 &+ Int(b - 0x30); i += 1 }
                else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { isInt = false; i += 1 }
                else { break }
            }
            if isInt { return .int(negative ? -n : n) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let d = Double(text) else { throw ParseError(offset: start) }
            return .double(d)
        }

        mutating func string() throws -> String {
            guard bytes[i] == UInt8(ascii: "\"") else { throw ParseError(offset: i) }
            i += 1
            let start = i
            var escaped = false
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
                i += 1
            }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
            i += 1
            if !escaped { return String(decoding: raw, as: UTF8.self) }
            // Rare in a store: fall back to Foundation for the escapes.
            let quoted = "\"" + String(decoding: raw, as: UTF8.self) + "\""
            return (try? JSONDecoder().decode(String.self, from: Data(quoted.utf8))) ?? ""
        }
    }

    /// The store's `scores` member as Round keeps it.
    static func scores(_ doc: Value) -> [String: [String: [String: Int]]] {
        guard case let .object(members) = doc, let (_, s) = members.first(where: { $0.0 == "scores" }),
              case let .object(products) = s else { return [:] }
        var out: [String: [String: [String: Int]]] = [:]
        out.reserveCapacity(products.count)
        for (product, sheetsValue) in products {
            guard case let .object(sheets) = sheetsValue else { continue }
            var bySheet: [String: [String: Int]] = [:]
            bySheet.reserveCapacity(sheets.count)
            for (curator, sheetValue) in sheets {
                guard case let .object(points) = sheetValue else { continue }
                var sheet: [String: Int] = [:]
                sheet.reserveCapacity(points.count)
                for (k, v) in points { if case let .int(n) = v { sheet[k] = n } }
                bySheet[curator] = sheet
            }
            out[product] = bySheet
        }
        return out
    }
}
