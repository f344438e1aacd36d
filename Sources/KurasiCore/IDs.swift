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

extension Sequence where Element: KurasiID {
    /// The ids as text, one after the other ("P-0012, P-0044").
    public func joined(separator: String = "") -> String { map(\.rawValue).joined(separator: separator) }
}
