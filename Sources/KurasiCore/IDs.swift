/// The ids of a round's things, each a type of its own so that a producer's id cannot be passed
/// where a product's belongs: that no longer compiles. Each is stored as the plain JSON string it
/// always was (and as a plain key in a JSON object), so the store's format does not change.
/// A `String` becomes an id only at the edges: a command-line argument, a CSV cell, a typed field.
public protocol KurasiID: RawRepresentable, Hashable, Comparable, Codable, CodingKeyRepresentable,
    CustomStringConvertible, ExpressibleByStringLiteral, Sendable where RawValue == String {
    init(_ rawValue: String)
}

extension KurasiID {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var isEmpty: Bool { rawValue.isEmpty }

    // One JSON string, not {"rawValue": ...}.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// The id without surrounding spaces (as typed).
    var trimmingSpaces: Self { Self(rawValue.trimmingSpaces) }
}

/// A product's id ("P-0012").
public struct ProductID: KurasiID {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A producer's (pelaku UMKM's) id ("U-0412").
public struct ProducerID: KurasiID {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A curator's id ("K2"). Who made an event, a pin or a validation is a curator's id too
/// ("import" for a registry import).
public struct CuratorID: KurasiID {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A rubric criterion's id ("kualitas").
public struct CriterionID: KurasiID {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

extension KurasiID {
    /// Whether this id comes before `other` in the order people read ids in, the one every list,
    /// sort and tie-break uses (`<` is the order of the text, which the store keeps for its
    /// files): ids with the same prefix and a number at the end are ordered by that number's
    /// value, so that P-10000 comes after P-9999 (an import past 9,999 products gives P-10000…);
    /// other ids by their prefixes' text. Ids of one width (P-0001 … P-9999) keep the text's
    /// order. See `IDOrder`.
    @inlinable
    public func precedes(_ other: Self) -> Bool { IDOrder.precedes(rawValue, other.rawValue) }
}

/// The order of ids for people: each id is read as its prefix and the number that ends it
/// ("P-" and 12 in "P-0012"; "K" and 2 in "K2"; "harga" and none). Ids are ordered by prefix (as
/// text), then an id without a number before those with one, then by the number's value, then
/// by the whole text ("P-0012" before "P-012", the same number). A total order, so that sorts and
/// binary searches by it are consistent.
public enum IDOrder {
    public static func precedes(_ a: String, _ b: String) -> Bool {
        if let x = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y in precedes(x, y) }
        }), let result = x { return result }
        return precedes(Array(a.utf8), Array(b.utf8))
    }

    static func precedes(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in precedes(x, y) } }
    }

    static func precedes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        // Where the number at the end starts (the count when there is none).
        func numberStart(_ p: UnsafeBufferPointer<UInt8>) -> Int {
            var i = p.count
            while i > 0, p[i - 1] &- 0x30 < 10 { i -= 1 }
            return i
        }
        let i = numberStart(x), j = numberStart(y)
        // The prefixes, as text.
        for k in 0..<min(i, j) where x[k] != y[k] { return x[k] < y[k] }
        if i != j { return i < j }
        // The same prefix: no number first.
        let xn = i < x.count, yn = j < y.count
        if xn != yn { return yn }
        if xn {
            // The numbers' values: without leading zeros, the shorter is the smaller; of one length,
            // the first digit that differs.
            var s = i, t = j
            while s < x.count - 1, x[s] == 0x30 { s += 1 }
            while t < y.count - 1, y[t] == 0x30 { t += 1 }
            let m = x.count - s, n = y.count - t
            if m != n { return m < n }
            for k in 0..<m where x[s + k] != y[t + k] { return x[s + k] < y[t + k] }
        }
        // The same prefix and number: the whole text.
        for k in 0..<min(x.count, y.count) where x[k] != y[k] { return x[k] < y[k] }
        return x.count < y.count
    }
}

extension Sequence where Element: KurasiID {
    /// The ids in the order people read them (`KurasiID.precedes`).
    public func sortedForPeople() -> [Element] { sorted { $0.precedes($1) } }

    /// The ids as text, one after the other ("P-0012, P-0044").
    public func joined(separator: String = "") -> String { map(\.rawValue).joined(separator: separator) }
}
