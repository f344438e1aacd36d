/// The round's score sheets by product (reads like `[ProductID: ProductSheets]`), kept in a fixed
/// number of buckets, each a small dictionary. A round is a value shared between the store's
/// handle and the console: the first write to a shared round copies the array of buckets (one
/// reference each) and the one bucket the product falls in, not every product's entry, and
/// dropping the older round releases as little. At 100,000 products a bucket holds about 100.
///
/// A product's bucket comes from a hash of its id's bytes that is the same in every run (FNV-1a),
/// not from Swift's seeded `Hasher`. Nothing may depend on the order of iteration (it is the
/// buckets' order, then each bucket's dictionary order, as unspecified as a dictionary's): the
/// store writes the products in sorted order itself, and the encoding is a dictionary's.
public struct ScoreMap: Sendable {
    public typealias Key = ProductID
    public typealias Value = ProductSheets

    /// How many buckets (a power of two). Allocated on the first entry: an empty map is free.
    static let bucketCount = 1024
    @usableFromInline var buckets: [[ProductID: ProductSheets]]
    /// How many products have sheets.
    public private(set) var count: Int

    public init() { buckets = []; count = 0 }

    public init(_ dictionary: [ProductID: ProductSheets]) {
        self.init()
        for (k, v) in dictionary { self[k] = v }
    }

    /// The bucket of an id: FNV-1a over its UTF-8 bytes, the same in every run.
    @inline(__always) static func bucket(_ id: ProductID) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: (h ^ (h >> 32))) & (bucketCount - 1)
    }

    public var isEmpty: Bool { count == 0 }

    /// Room for about `n` products without growing a bucket (a load that knows how many).
    public mutating func reserveCapacity(_ n: Int) {
        let each = n / Self.bucketCount
        guard each >= 4 else { return }
        if buckets.isEmpty { buckets = Array(repeating: [:], count: Self.bucketCount) }
        for b in buckets.indices { buckets[b].reserveCapacity(each + each / 4 + 2) }
    }

    public subscript(product: ProductID) -> ProductSheets? {
        get { count == 0 ? nil : buckets[Self.bucket(product)][product] }
        set {
            if let newValue {
                updateValue(newValue, forKey: product)
            } else if count > 0, buckets[Self.bucket(product)].removeValue(forKey: product) != nil {
                count -= 1
            }
        }
    }

    /// Sets a product's sheets; returns the ones they replace, as a dictionary's does.
    @discardableResult
    public mutating func updateValue(_ value: ProductSheets, forKey product: ProductID) -> ProductSheets? {
        if buckets.isEmpty { buckets = Array(repeating: [:], count: Self.bucketCount) }
        let old = buckets[Self.bucket(product)].updateValue(value, forKey: product)
        if old == nil { count += 1 }
        return old
    }

    public subscript(product: ProductID, default value: @autoclosure () -> ProductSheets) -> ProductSheets {
        get { self[product] ?? value() }
        set { self[product] = newValue }
    }

    /// The products with sheets (in iteration order, lazily).
    public var keys: LazyMapSequence<ScoreMap, ProductID> { lazy.map(\.key) }
    /// Each product's sheets (in iteration order, lazily).
    public var values: LazyMapSequence<ScoreMap, ProductSheets> { lazy.map(\.value) }
    /// Some entry (the first in iteration order), nil when empty.
    public var first: Element? { var i = makeIterator(); return i.next() }

    /// Change every product's sheets in place (each bucket copied at most once).
    public mutating func updateEach(_ body: (inout ProductSheets) throws -> Void) rethrows {
        for b in buckets.indices where !buckets[b].isEmpty {
            var i = buckets[b].values.startIndex
            while i != buckets[b].values.endIndex {
                try body(&buckets[b].values[i])
                i = buckets[b].values.index(after: i)
            }
        }
    }

    /// The map as a dictionary.
    public var dictionary: [ProductID: ProductSheets] {
        var out: [ProductID: ProductSheets] = [:]
        out.reserveCapacity(count)
        for (k, v) in self { out[k] = v }
        return out
    }
}

extension ScoreMap: Sequence {
    public typealias Element = (key: ProductID, value: ProductSheets)
    public struct Iterator: IteratorProtocol {
        let buckets: [[ProductID: ProductSheets]]
        var b = 0
        var inner: Dictionary<ProductID, ProductSheets>.Iterator?
        public mutating func next() -> Element? {
            while true {
                if let e = inner?.next() { return e }
                guard b < buckets.count else { return nil }
                inner = buckets[b].makeIterator(); b += 1
            }
        }
    }
    public func makeIterator() -> Iterator { Iterator(buckets: buckets) }
    public var underestimatedCount: Int { count }
}

extension ScoreMap: Equatable {
    /// Equal by content. The same id always falls in the same bucket, so buckets compare pairwise
    /// (a bucket two rounds still share compares by identity).
    public static func == (a: ScoreMap, b: ScoreMap) -> Bool {
        a.count == b.count && (a.count == 0 || a.buckets == b.buckets)
    }
}

extension ScoreMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (ProductID, ProductSheets)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
}

/// Encoded and decoded exactly as `[ProductID: ProductSheets]` (schema 1's `scores` object).
extension ScoreMap: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([ProductID: ProductSheets].self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(dictionary)
    }
}
