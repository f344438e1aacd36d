/// The scores in memory: per product one `ProductSheets`, its curators and their points in one
/// flat array of small integers, laid out in the rubric's criterion order (one array of criterion
/// ids shared by every product, not copied). At 100,000 products and 2 million sheets this is
/// about 0.5 KB a product, where a dictionary per sheet was about 600 bytes a sheet.
///
/// Both types read like the dictionaries they replace (`sheet[criterion]`, `sheets[curator]`,
/// `keys`, `values`, `count`, iteration as `(key:, value:)` pairs, dictionary literals) and are
/// equal by content, whatever the layout or the order the curators came in.
///
/// A point is an `Int8`; `notScored` marks a criterion not scored. A point outside
/// `-126...127` (only a hand-edited store holds one, and the store's validation refuses it by
/// value) is kept exactly, in a side table. A criterion outside the layout (a hand-edited store,
/// or a criterion the rubric has since dropped) extends that product's layout, after the
/// rubric's criteria: nothing read is lost.
enum PointCode {
    /// Not scored.
    static let none: Int8 = .min
    /// The point is in the side table (`wide`).
    static let wide: Int8 = .min + 1
    static let direct: ClosedRange<Int> = -126...127

    @inline(__always) static func decode(_ code: Int8, wide: [Int: Int], at flat: Int) -> Int? {
        code == none ? nil : code == PointCode.wide ? wide[flat] : Int(code)
    }
}

/// One curator's points for one product, by criterion id (reads like `[CriterionID: Int]`).
public struct Sheet: Sendable {
    /// The layout: the criterion of each position (the rubric's order, shared).
    public private(set) var criteria: [CriterionID]
    @usableFromInline var points: ArraySlice<Int8>
    /// Points outside `PointCode.direct`, by position in `criteria`.
    var wide: [Int: Int]

    public init() { criteria = []; points = []; wide = [:] }

    /// An empty sheet laid out by `layout`.
    public init(layout: [CriterionID]) {
        criteria = layout; points = ArraySlice(repeating: PointCode.none, count: layout.count); wide = [:]
    }

    init(criteria: [CriterionID], points: ArraySlice<Int8>, wide: [Int: Int]) {
        self.criteria = criteria; self.points = points; self.wide = wide
    }

    /// A sheet laid out by `criteria`, with one optional point per criterion (nil: not scored).
    public init(criteria: [CriterionID], points list: [Int?]) {
        precondition(criteria.count == list.count, "one point per criterion")
        self.init()
        self.criteria = criteria
        var codes = ArraySlice<Int8>(repeating: PointCode.none, count: list.count)
        for (i, v) in list.enumerated() {
            guard let v else { continue }
            if PointCode.direct.contains(v) { codes[i] = Int8(v) } else { codes[i] = PointCode.wide; wide[i] = v }
        }
        points = codes
    }

    public init(_ dictionary: [CriterionID: Int]) {
        self.init()
        for (k, v) in dictionary.sorted(by: { $0.key < $1.key }) { self[k] = v }
    }

    /// The point at a position of the layout (nil: not scored).
    @inline(__always) public func point(at position: Int) -> Int? {
        let code = points[points.startIndex + position]
        return code == PointCode.none ? nil : code == PointCode.wide ? wide[position] : Int(code)
    }

    public subscript(criterion: CriterionID) -> Int? {
        get {
            guard let i = criteria.firstIndex(of: criterion) else { return nil }
            return point(at: i)
        }
        set {
            let i: Int
            if let found = criteria.firstIndex(of: criterion) { i = found } else {
                guard newValue != nil else { return }
                criteria.append(criterion); points.append(PointCode.none); i = criteria.count - 1
            }
            wide[i] = nil
            if let v = newValue {
                if PointCode.direct.contains(v) { points[points.startIndex + i] = Int8(v) } else {
                    points[points.startIndex + i] = PointCode.wide; wide[i] = v
                }
            } else {
                points[points.startIndex + i] = PointCode.none
            }
        }
    }

    /// How many criteria are scored.
    public var count: Int { points.reduce(0) { $0 + ($1 == PointCode.none ? 0 : 1) } }
    public var isEmpty: Bool { !points.contains { $0 != PointCode.none } }
    /// The scored criteria, in the layout's order.
    public var keys: [CriterionID] { map(\.key) }
    public var values: [Int] { map(\.value) }
    /// The sheet as a dictionary.
    public var dictionary: [CriterionID: Int] {
        Dictionary(map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
    /// This sheet with `other`'s points added (`combine` decides where both have one).
    public func merging(_ other: Sheet, uniquingKeysWith combine: (Int, Int) throws -> Int) rethrows -> Sheet {
        var out = self
        for (k, v) in other { out[k] = try self[k].map { try combine($0, v) } ?? v }
        return out
    }

    /// The points laid out by `order` (nil where not scored), and whether every point scored
    /// has its criterion in `order`.
    public func points(in order: [CriterionID]) -> (points: [Int?], complete: Bool) {
        if criteria == order { return ((0..<order.count).map { point(at: $0) }, true) }
        let out = order.map { self[$0] }
        return (out, out.lazy.compactMap { $0 }.count == count)
    }

    /// The same points laid out by `order`, followed by any scored criterion outside it.
    func laidOut(by order: [CriterionID]) -> Sheet {
        if criteria == order { var s = self; s.criteria = order; return s }
        var s = Sheet()
        s.criteria = order
        s.points = ArraySlice(repeating: PointCode.none, count: order.count)
        for (k, v) in self { s[k] = v }
        return s
    }
}

extension Sheet: Sequence {
    public typealias Element = (key: CriterionID, value: Int)
    public struct Iterator: IteratorProtocol {
        let sheet: Sheet
        var i = 0
        public mutating func next() -> Element? {
            while i < sheet.criteria.count {
                defer { i += 1 }
                if let v = sheet.point(at: i) { return (sheet.criteria[i], v) }
            }
            return nil
        }
    }
    public func makeIterator() -> Iterator { Iterator(sheet: self) }
    public var underestimatedCount: Int { 0 }
}

extension Sheet: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (CriterionID, Int)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
}

extension Sheet: Hashable {
    public static func == (a: Sheet, b: Sheet) -> Bool {
        if a.criteria == b.criteria { return a.points.elementsEqual(b.points) && a.wide == b.wide }
        let n = a.count
        guard n == b.count else { return false }
        for (k, v) in a where b[k] != v { return false }
        return true
    }
    /// The same for equal content in any layout.
    public func hash(into h: inout Hasher) { hashIgnoringOrder(self, into: &h) }
}

/// A JSON object `{ "kualitas" : 4, … }` (schema 1); schema 2's array is written and read by
/// the round, which knows the rubric's order.
extension Sheet: Codable {
    struct CodingName: CodingKey {
        var stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingName.self)
        self.init()
        for k in c.allKeys { self[CriterionID(k.stringValue)] = try c.decode(Int.self, forKey: k) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingName.self)
        for (k, v) in self { try c.encode(v, forKey: CodingName(stringValue: k.rawValue)) }
    }
}

/// A product's sheets, by curator (reads like `[CuratorID: Sheet]`): the curators in the order
/// they came, and their points in one flat array, a row of `criteria.count` per curator.
public struct ProductSheets: Sendable {
    /// The layout of every row: the rubric's criterion ids (shared), then any others held.
    public private(set) var criteria: [CriterionID]
    /// The curators with a sheet, one row each.
    public private(set) var curators: [CuratorID]
    @usableFromInline var points: [Int8]
    /// Points outside `PointCode.direct`, by flat position in `points`.
    var wide: [Int: Int]

    /// The code of a criterion not scored, for `init(criteria:curators:points:)`.
    public static let notScored: Int8 = PointCode.none

    public init() { criteria = []; curators = []; points = []; wide = [:] }

    /// No sheets yet, laid out by `layout`.
    public init(layout: [CriterionID]) { criteria = layout; curators = []; points = []; wide = [:] }

    /// Sheets already laid out: `points` holds `criteria.count` codes per curator, each a point
    /// in -126...127 or `notScored`.
    public init(criteria: [CriterionID], curators: [CuratorID], points: [Int8]) {
        precondition(points.count == criteria.count * curators.count, "a row per curator")
        self.criteria = criteria; self.curators = curators; self.points = points; wide = [:]
    }

    /// The point of a curator's row (by position in `curators`) at a criterion's position.
    @inline(__always) public func point(row: Int, column: Int) -> Int? {
        let flat = row * criteria.count + column
        return PointCode.decode(points[flat], wide: wide, at: flat)
    }

    /// Whether the row has a point at each of the first `n` positions (fast path of completeness).
    @inline(__always) func rowHasPoints(_ row: Int, first n: Int) -> Bool {
        let base = row * criteria.count
        for i in base..<(base + n) where points[i] == PointCode.none { return false }
        return true
    }

    /// Whether every point held is in `scale` and at one of the first `known` positions of the
    /// layout (the rubric's criteria): the store's validation, without a look-up per point.
    public func allPoints(within scale: ClosedRange<Int>, known: Int) -> Bool {
        let n = criteria.count
        guard n > 0 else { return true }
        if !wide.isEmpty {
            for (flat, v) in wide where flat % n >= known || !scale.contains(v) { return false }
        }
        let lo = scale.lowerBound, hi = scale.upperBound
        return points.withUnsafeBufferPointer { b in
            var col = 0
            for code in b {
                if code != PointCode.none, code != PointCode.wide {
                    if col >= known { return false }
                    let v = Int(code)
                    if v < lo || v > hi { return false }
                }
                col += 1
                if col == n { col = 0 }
            }
            return true
        }
    }

    func sheet(row r: Int) -> Sheet {
        let n = criteria.count, base = r * n
        var w: [Int: Int] = [:]
        if !wide.isEmpty { for (flat, v) in wide where flat >= base && flat < base + n { w[flat - base] = v } }
        return Sheet(criteria: criteria, points: points[base..<(base + n)], wide: w)
    }

    public subscript(curator: CuratorID) -> Sheet? {
        get { curators.firstIndex(of: curator).map { sheet(row: $0) } }
        set {
            if let sheet = newValue { set(sheet, for: curator) } else if let r = curators.firstIndex(of: curator) { removeRow(r) }
        }
    }

    public subscript(curator: CuratorID, default value: @autoclosure () -> Sheet) -> Sheet {
        get { self[curator] ?? value() }
        set { self[curator] = newValue }
    }

    /// Put a sheet in a curator's row (a new row at the end when the curator has none).
    mutating func set(_ sheet: Sheet, for curator: CuratorID) {
        // Any criterion the layout lacks becomes a new position in every row.
        for k in sheet.criteria where !criteria.contains(k) && sheet[k] != nil { addColumn(k) }
        let n = criteria.count
        let r: Int
        if let found = curators.firstIndex(of: curator) { r = found } else {
            curators.append(curator); points.append(contentsOf: repeatElement(PointCode.none, count: n)); r = curators.count - 1
        }
        let base = r * n
        if !wide.isEmpty { for flat in Array(wide.keys) where flat >= base && flat < base + n { wide[flat] = nil } }
        if sheet.criteria == criteria && sheet.wide.isEmpty {
            points.replaceSubrange(base..<(base + n), with: sheet.points)
            return
        }
        for i in 0..<n {
            let v = sheet[criteria[i]]
            if let v, !PointCode.direct.contains(v) { points[base + i] = PointCode.wide; wide[base + i] = v }
            else { points[base + i] = v.map(Int8.init) ?? PointCode.none }
        }
    }

    private mutating func addColumn(_ k: CriterionID) {
        let n = criteria.count, rows = curators.count
        var out: [Int8] = []
        out.reserveCapacity((n + 1) * rows)
        var w: [Int: Int] = [:]
        for r in 0..<rows {
            out.append(contentsOf: points[(r * n)..<(r * n + n)])
            out.append(PointCode.none)
        }
        for (flat, v) in wide { w[(flat / n) * (n + 1) + flat % n] = v }
        criteria.append(k); points = out; wide = w
    }

    private mutating func removeRow(_ r: Int) {
        let n = criteria.count
        curators.remove(at: r)
        points.removeSubrange((r * n)..<(r * n + n))
        if !wide.isEmpty {
            var w: [Int: Int] = [:]
            for (flat, v) in wide where flat / n != r { w[flat / n > r ? flat - n : flat] = v }
            wide = w
        }
    }

    public var count: Int { curators.count }
    public var isEmpty: Bool { curators.isEmpty }
    public var keys: [CuratorID] { curators }
    public var values: [Sheet] { curators.indices.map(sheet(row:)) }

    /// Whether the rows are laid out by exactly `order` (the same shared array or equal ids).
    public func isLaidOut(by order: [CriterionID]) -> Bool { criteria == order }

    /// The same sheets laid out by `order` (shared, not copied), then any other criterion held.
    public func laidOut(by order: [CriterionID]) -> ProductSheets {
        if criteria == order { var s = self; s.criteria = order; return s }
        var s = ProductSheets()
        s.criteria = order
        for (c, sheet) in self { s.set(sheet, for: c) }
        return s
    }
}

extension ProductSheets: Sequence {
    public typealias Element = (key: CuratorID, value: Sheet)
    public struct Iterator: IteratorProtocol {
        let sheets: ProductSheets
        var r = 0
        public mutating func next() -> Element? {
            guard r < sheets.curators.count else { return nil }
            defer { r += 1 }
            return (sheets.curators[r], sheets.sheet(row: r))
        }
    }
    public func makeIterator() -> Iterator { Iterator(sheets: self) }
    public var underestimatedCount: Int { curators.count }
}

extension ProductSheets: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (CuratorID, Sheet)...) {
        self.init()
        for (c, s) in elements { set(s, for: c) }
    }
}

extension ProductSheets {
    public init(_ dictionary: [CuratorID: Sheet]) {
        self.init()
        for (c, s) in dictionary.sorted(by: { $0.key < $1.key }) { set(s, for: c) }
    }
}

extension ProductSheets: Hashable {
    public static func == (a: ProductSheets, b: ProductSheets) -> Bool {
        if a.criteria == b.criteria, a.curators == b.curators { return a.points == b.points && a.wide == b.wide }
        guard a.count == b.count else { return false }
        for (c, s) in a { guard let t = b[c], t == s else { return false } }
        return true
    }
    public func hash(into h: inout Hasher) { hashIgnoringOrder(self, into: &h) }
}

/// A JSON object by curator id, each sheet an object (schema 1).
extension ProductSheets: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Sheet.CodingName.self)
        self.init()
        for k in c.allKeys { set(try c.decode(Sheet.self, forKey: k), for: CuratorID(k.stringValue)) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Sheet.CodingName.self)
        for (curator, sheet) in self { try c.encode(sheet, forKey: Sheet.CodingName(stringValue: curator.rawValue)) }
    }
}

/// A few values by key, read like a dictionary (`map[key]`, `keys`, `values`, `count`, iteration
/// as `(key:, value:)` pairs, dictionary literals) and equal by content in any order, but held as
/// two arrays in the same order: the keys (often an array shared with a layout, as `Sheet` and
/// `ProductSheets` share the rubric's order, so not copied) and the values. For the handful of
/// entries a product has (its curators, the rubric's criteria) this is a fraction of a
/// dictionary's memory, and a look-up is a short scan instead of hashing a string.
public struct KeyedValues<Key: Hashable & Comparable & Sendable, Value: Hashable & Sendable>: Sendable {
    /// The keys, in the order they came (no key twice).
    public private(set) var keys: [Key]
    /// The value of each key, in the same order.
    public private(set) var values: [Value]

    public init() { keys = []; values = [] }

    /// The values of `keys` (one each, no key twice); `keys` is kept as given (shared, not copied).
    public init(keys: [Key], values: [Value]) {
        precondition(keys.count == values.count, "one value per key")
        self.keys = keys; self.values = values
    }

    /// The same entries as a dictionary, in the keys' order.
    public init(_ dictionary: [Key: Value]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        keys = sorted.map(\.key); values = sorted.map(\.value)
    }

    @inline(__always) public func index(forKey key: Key) -> Int? { keys.firstIndex(of: key) }

    public subscript(key: Key) -> Value? {
        get { index(forKey: key).map { values[$0] } }
        set {
            if let i = index(forKey: key) {
                if let v = newValue { values[i] = v } else { keys.remove(at: i); values.remove(at: i) }
            } else if let v = newValue {
                keys.append(key); values.append(v)
            }
        }
    }

    public subscript(key: Key, default value: @autoclosure () -> Value) -> Value {
        get { self[key] ?? value() }
        set { self[key] = newValue }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The entries as a dictionary.
    public var dictionary: [Key: Value] { Dictionary(zip(keys, values), uniquingKeysWith: { a, _ in a }) }

    /// The same keys with each value transformed.
    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> KeyedValues<Key, T> {
        KeyedValues<Key, T>(keys: keys, values: try values.map(transform))
    }
}

extension KeyedValues: Sequence {
    public typealias Element = (key: Key, value: Value)
    public struct Iterator: IteratorProtocol {
        let map: KeyedValues
        var i = 0
        public mutating func next() -> Element? {
            guard i < map.keys.count else { return nil }
            defer { i += 1 }
            return (map.keys[i], map.values[i])
        }
    }
    public func makeIterator() -> Iterator { Iterator(map: self) }
    public var underestimatedCount: Int { keys.count }
}

extension KeyedValues: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Key, Value)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
}

extension KeyedValues: Hashable {
    public static func == (a: KeyedValues, b: KeyedValues) -> Bool {
        if a.keys == b.keys { return a.values == b.values }
        guard a.count == b.count else { return false }
        for (k, v) in a { guard let w = b[k], w == v else { return false } }
        return true
    }
    /// The same for equal content in any order.
    public func hash(into h: inout Hasher) { hashIgnoringOrder(self, into: &h) }
}

extension KeyedValues: CustomStringConvertible {
    public var description: String { dictionary.description }
}

/// One hash for a map's content whatever the order of its entries (each entry hashed alone and
/// combined with xor): `Sheet`, `ProductSheets` and `KeyedValues` compare equal by content.
func hashIgnoringOrder<M: Sequence, K: Hashable, V: Hashable>(_ map: M, into h: inout Hasher) where M.Element == (key: K, value: V) {
    var acc = 0
    for (k, v) in map { var e = Hasher(); e.combine(k); e.combine(v); acc ^= e.finalize() }
    h.combine(acc)
}
