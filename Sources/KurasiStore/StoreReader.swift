import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// The store's fast load path: one pass over the document's top level that builds `scores`
/// directly from the bytes and hands every other field's bytes to Foundation's decoder alone.
///
/// Why it exists: `scores` holds two million sheets at 100,000 products, and Foundation's
/// `JSONDecoder` spent about 70% of a store's load in `Dictionary.init(from:)` for them
/// (Benchmarks/README.md). No fast JSON library is among the packages Kurasi may use, so the hot
/// part is read here by hand, straight into each product's `ProductSheets`: schema 2's arrays
/// point by point into the product's flat array, schema 1's objects through the order their keys
/// were met, laid out in the rubric's order once the rubric is known. A schema 2 sheet whose
/// length is not the rubric's, or a point above 127, is left to Foundation's decoder too.
///
/// It reads the file a piece at a time (`ByteWindow`, 4 MB, `read(2)`): the file is never whole in
/// memory while the round is built (the load's peak was the file plus the round, 2.4× the file at
/// 100,000 products; it is now the round). Offsets are the document's; what has been passed is
/// dropped, except a value the reader must see again (`keep`: an event, a field for Foundation).
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
        read(data, file: "", progress: nil).round
    }

    /// One event's JSON (a journal line's `event`), read as the events of a snapshot are, when it
    /// is of the kinds the reader reads (an import, scoring) and plain; nil otherwise (the caller
    /// then asks Foundation's decoder).
    static func event(_ bytes: UnsafeRawBufferPointer) -> Event? {
        var s = Scanner(bytes: bytes)
        s.keep = 0
        guard let e = s.event() else { return nil }
        s.skipWhitespace()
        return s.atEnd() ? e : nil
    }

    /// The schema a document's header gives (1 when it has none Kurasi wrote).
    static func schema(of data: Data) -> Int { Store.headerVersion(data) ?? 1 }

    /// The same, telling `progress` how many bytes it has passed every `reportEvery` bytes (one
    /// comparison per product, sheet list or event; nothing per value). `abandoned` is true when
    /// `progress` answered false: the reading stopped there, and nobody should read further.
    static func read(_ data: Data, file: String, progress: LoadObserver?, every: Int = reportEvery, schema: Int? = nil) -> (round: Round?, abandoned: Bool) {
        let schema = schema ?? Self.schema(of: data)
        return data.withUnsafeBytes { raw -> (Round?, Bool) in
            var s = Scanner(bytes: raw)
            return s.run(schema: schema, file: file, progress: progress, every: every)
        }
    }

    /// The same from `window` (a file read piece by piece): the bytes already read are dropped as
    /// the reading moves on, so that only a piece of the file is in memory at a time (a value the
    /// reader must see again, an event or a field handed to Foundation's decoder, stays whole).
    static func read(_ window: ByteWindow, file: String, progress: LoadObserver?, every: Int = reportEvery, schema: Int) -> (round: Round?, abandoned: Bool) {
        let (round, abandoned, _) = readChecking(window, file: file, progress: progress, every: every, schema: schema)
        return (round, abandoned)
    }

    /// The same, and whether the scores were found as the store's validation wants them
    /// (`Store.validate(_:file:scoresChecked:)` then skips them).
    static func readChecking(_ window: ByteWindow, file: String, progress: LoadObserver?, every: Int = reportEvery,
                             schema: Int) -> (round: Round?, abandoned: Bool, scoresChecked: Bool) {
        var s = Scanner(window: window)
        let (round, abandoned) = s.run(schema: schema, file: file, progress: progress, every: every)
        return (round, abandoned, round != nil && s.scoresChecked)
    }

    /// How often the reader reports: every 4 MB (about a hundred reports at 100,000 products).
    static let reportEvery = 4 << 20

    /// A file's bytes, a piece at a time: `buffer` holds the bytes at offsets
    /// `base..<base + count` of the file; `fill` drops those before an offset still needed and
    /// reads on (growing the buffer only when a value needed whole is longer than it).
    final class ByteWindow {
        private(set) var buffer: UnsafeMutableRawBufferPointer
        private(set) var base = 0
        private(set) var count = 0
        /// The whole file's length, for progress (as `fstat` gave it before the reading).
        let total: Int
        /// Reads up to `n` bytes into the pointer: how many (0 at the end, below 0 on an error).
        private let source: (UnsafeMutableRawPointer, Int) -> Int
        private(set) var atEnd = false
        /// Whether a read failed (the reading then ends there, and the reader declines).
        private(set) var failed = false

        init(capacity: Int, total: Int, source: @escaping (UnsafeMutableRawPointer, Int) -> Int) {
            buffer = .allocate(byteCount: max(1, capacity), alignment: 16)
            self.total = total
            self.source = source
        }

        deinit { buffer.deallocate() }

        /// The window on a file descriptor, read with read(2) (retried on EINTR). `seen` is handed
        /// each piece as it is read, in the file's order (the store's index is made from them).
        static func reading(_ fd: Int32, capacity: Int, total: Int,
                            seen: ((UnsafeRawBufferPointer) -> Void)? = nil) -> ByteWindow {
            ByteWindow(capacity: capacity, total: total) { p, n in
                while true {
                    let r = Glibc.read(fd, p, n)
                    if r < 0, errno == EINTR { continue }
                    if r > 0, let seen { seen(UnsafeRawBufferPointer(start: p, count: r)) }
                    return r
                }
            }
        }

        /// The window on bytes in memory handed out `piece` at a time (the tests' tiny windows).
        static func pieces(of data: Data, capacity: Int, piece: Int) -> ByteWindow {
            var at = 0
            return ByteWindow(capacity: capacity, total: data.count) { p, n in
                let k = min(n, piece, data.count - at)
                guard k > 0 else { return 0 }
                data.withUnsafeBytes { raw in p.copyMemory(from: raw.baseAddress! + at, byteCount: k) }
                at += k
                return k
            }
        }

        /// Read more, keeping the bytes from offset `keep` on. False when nothing more came.
        func fill(keeping keep: Int) -> Bool {
            guard !atEnd else { return false }
            let drop = max(0, min(keep, base + count) - base)
            if drop > 0 {
                if count > drop { memmove(buffer.baseAddress!, buffer.baseAddress! + drop, count - drop) }
                base += drop; count -= drop
            }
            if count == buffer.count {
                let wider = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                wider.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: count)
                buffer.deallocate()
                buffer = wider
            }
            let n = source(buffer.baseAddress! + count, buffer.count - count)
            if n <= 0 { atEnd = true; failed = n < 0; return false }
            count += n
            return true
        }
    }

    /// The keys of the objects the reader reads itself (products, producers, events), each
    /// named as it is written.
    enum Field: CaseIterable {
        case id, producer, name, cluster, category, description, price, capacity, amount, unit, permits
        case kind, number, expires, status, reason, by, at
        case owner, address, kelurahan, kecamatan, phone, nib, registryKey, sector, businessType, remark, validation
        case revision, change, undoOf, product, curator, criterion, from, to, changes

        /// Each key's bytes, up to 16, packed little-endian into two words (zero after the end).
        static let packed: [(lo: UInt64, hi: UInt64, field: Field)] = allCases.map { f in
            var lo: UInt64 = 0, hi: UInt64 = 0
            for (n, b) in "\(f)".utf8.enumerated() {
                if n < 8 { lo |= UInt64(b) << (8 * n) } else { hi |= UInt64(b) << (8 * (n - 8)) }
            }
            return (lo, hi, f)
        }

        /// The key whose bytes, packed the same way, are `lo` and `hi` (no key holds a zero byte,
        /// so the length is in the words too).
        @inline(__always) static func match(_ lo: UInt64, _ hi: UInt64) -> Field? {
            packed.withUnsafeBufferPointer { keys in
                for k in keys where k.lo == lo && k.hi == hi { return k.field }
                return nil
            }
        }
    }

    struct Scanner {
        /// The byte at offset `k` of the document is `origin[k]`, for `k` in the window
        /// (`limit` is the end of what is in memory). Offsets are the document's, whatever part
        /// of it is in memory.
        var origin: UnsafePointer<UInt8>
        var limit: Int
        var i = 0
        /// Where the bytes come from when they are not all in memory.
        let window: ByteWindow?
        /// The lowest offset the reading may still come back to (an event being read, a value
        /// to hand to Foundation's decoder): nothing from it on is dropped from the window.
        var keep = Int.max
        /// The document's length, for progress.
        let total: Int
        /// Progress reports (nil: none): where the next is due, and whether the reading was abandoned.
        var progress: LoadObserver?
        var file = ""
        var nextReport = Int.max
        var every = StoreReader.reportEvery
        var abandoned = false
        /// The store's `schemaVersion` (from its header): how a sheet is written.
        var schema = 1
        /// Whether the round's scores were found as the store's validation wants them (see `layOut`).
        var scoresChecked = false
        init(bytes: UnsafeRawBufferPointer) {
            origin = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 0x10)!
            limit = bytes.count
            total = bytes.count
            window = nil
        }
        init(window: ByteWindow) {
            self.window = window
            total = window.total
            origin = UnsafePointer(window.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)) - window.base
            limit = window.base + window.count
        }

        mutating func run(schema: Int, file: String, progress: LoadObserver?, every: Int) -> (Round?, Bool) {
            self.schema = schema
            if let progress {
                self.file = file
                self.progress = progress
                self.every = every
                nextReport = 0
            }
            let round = readRound()
            return (round, abandoned)
        }

        /// Whether the byte at offset `k` is there to read (reading on when it is not yet in
        /// memory, keeping the bytes from `from` on as well as those from `keep` and `i`).
        @inline(__always) mutating func has(_ k: Int, keeping from: Int = .max) -> Bool {
            k < limit || more(until: k, keeping: from)
        }

        @inline(never) mutating func more(until k: Int, keeping from: Int) -> Bool {
            guard let window else { return false }
            while k >= limit {
                guard window.fill(keeping: min(from, keep, i)) else { return false }
                origin = UnsafePointer(window.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)) - window.base
                limit = window.base + window.count
            }
            return true
        }

        /// The bytes of `range` (in memory: kept while they were read) as their own `Data`.
        func copy(_ range: Range<Int>) -> Data { Data(bytes: origin + range.lowerBound, count: range.count) }

        /// False when the reading is to stop (its observer abandoned it). One comparison unless a
        /// report is due.
        @inline(__always) mutating func passed() -> Bool {
            i < nextReport || report()
        }

        mutating func report() -> Bool {
            nextReport = i + every
            guard let progress, !abandoned else { return !abandoned }
            if !progress(LoadProgress(phase: .snapshot, file: file, done: i, total: total)) { abandoned = true }
            return !abandoned
        }

        @inline(__always) mutating func atEnd() -> Bool { !has(i) }

        @inline(__always) mutating func skipWhitespace() {
            while has(i) {
                switch origin[i] {
                case 0x20, 0x0A, 0x0D, 0x09: i += 1
                default: return
                }
            }
        }

        @inline(__always) mutating func expect(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard has(i), origin[i] == byte else { return false }
            i += 1
            return true
        }

        /// A string without escapes or control characters, as valid UTF-8; nil otherwise.
        mutating func plainString() -> String? {
            skipWhitespace()
            guard has(i), origin[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            var ascii = true
            while has(i, keeping: start) {
                let b = origin[i]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                if b >= 0x80 { ascii = false }
                i += 1
            }
            guard i < limit else { return nil }
            let slice = UnsafeBufferPointer(start: origin + start, count: i - start)
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
            var first: UInt8 = 0
            while has(i), origin[i] >= 0x30, origin[i] <= 0x39 {
                if i == start { first = origin[i] }
                value = value &* 10 &+ Int(origin[i] &- 0x30)
                i += 1
            }
            let n = i - start
            guard n > 0, n <= 18, !(n > 1 && first == 0x30) else { return nil }
            if has(i) {
                switch origin[i] {
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): break
                default: return nil
                }
            }
            return value
        }

        /// Step over one value whose bytes someone else will check: a string, or an object or
        /// array matched bracket by bracket (strings inside skipped), or a scalar up to the next
        /// delimiter. Returns its byte range, or nil when it runs off the end. Its bytes are in
        /// memory when it returns (until the reading moves on).
        mutating func skipValue() -> Range<Int>? {
            skipWhitespace()
            guard has(i) else { return nil }
            let start = i
            let outer = keep
            keep = min(keep, start)
            defer { keep = outer }
            switch origin[i] {
            case UInt8(ascii: "\""):
                guard skipString() else { return nil }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while has(i) {
                    switch origin[i] {
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
                while has(i) {
                    switch origin[i] {
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
            while has(i) {
                let b = origin[i]
                if b == UInt8(ascii: "\\") { i += 2; continue }
                i += 1
                if b == UInt8(ascii: "\"") { return true }
            }
            return false
        }

        /// Any JSON string, escapes decoded; nil for a control character, a bad escape, a lone
        /// surrogate or invalid UTF-8.
        mutating func string() -> String? {
            skipWhitespace()
            guard has(i), origin[i] == UInt8(ascii: "\"") else { return nil }
            // The common case: nothing to unescape, made at once from the bytes.
            var j = i + 1
            var ascii = true
            while has(j) {
                let b = origin[j]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                if b >= 0x80 { ascii = false }
                j += 1
            }
            if j < limit, origin[j] == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(start: origin + i + 1, count: j - i - 1)
                i = j + 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                return String(validating: slice, as: UTF8.self)
            }
            i += 1
            var out: [UInt8] = []
            out.reserveCapacity(32)
            while has(i) {
                let b = origin[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(validating: out, as: UTF8.self)
                }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                guard has(i + 1) else { return nil }
                let e = origin[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard has(i + 1), origin[i] == UInt8(ascii: "\\"), origin[i + 1] == UInt8(ascii: "u") else { return nil }
                        i += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        return nil
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: UTF8.encode(u)!)
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard has(i + 3) else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = origin[i]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }

        /// `null`, consumed; false (nothing consumed) for anything else.
        mutating func null() -> Bool {
            skipWhitespace()
            guard has(i + 3), origin[i] == UInt8(ascii: "n"), origin[i + 1] == UInt8(ascii: "u"),
                  origin[i + 2] == UInt8(ascii: "l"), origin[i + 3] == UInt8(ascii: "l") else { return false }
            let after = i + 4
            if has(after) {
                switch origin[after] {
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): break
                default: return false
                }
            }
            i = after
            return true
        }

        /// An optional string: absent stays nil; `null` gives nil; `.none` when not readable.
        mutating func optionalString(_ slot: inout String??) -> Bool {
            guard slot == nil else { return false }
            if null() { slot = .some(nil); return true }
            guard let s = string() else { return false }
            slot = .some(s)
            return true
        }

        mutating func requiredString(_ slot: inout String?) -> Bool {
            guard slot == nil, let s = string() else { return false }
            slot = s
            return true
        }

        /// An object whose every key `field` knows; false on an unknown or unreadable field.
        mutating func object(_ field: (inout Scanner, Field) -> Bool) -> Bool {
            guard expect(UInt8(ascii: "{")) else { return false }
            if expect(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = fieldKey(), expect(UInt8(ascii: ":")), field(&self, key) else { return false }
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "}"))
        }

        /// The key of a field the reader knows, matched as bytes (no string is made); nil for any
        /// other key, or one with an escape or a control character (the reader then declines, as
        /// it did when the key was read as a string and not known).
        mutating func fieldKey() -> Field? {
            skipWhitespace()
            guard has(i), origin[i] == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            var j = start
            var lo: UInt64 = 0, hi: UInt64 = 0
            while has(j) {
                let b = origin[j]
                if b == UInt8(ascii: "\"") { break }
                let n = j - start
                guard n < 16, b != UInt8(ascii: "\\"), b >= 0x20 else { return nil }
                if n < 8 { lo |= UInt64(b) << (8 * n) } else { hi |= UInt64(b) << (8 * (n - 8)) }
                j += 1
            }
            guard j < limit, let field = Field.match(lo, hi) else { return nil }
            i = j + 1
            return field
        }

        mutating func array<T>(_ element: (inout Scanner) -> T?) -> [T]? {
            guard expect(UInt8(ascii: "[")) else { return nil }
            var out: [T] = []
            if expect(UInt8(ascii: "]")) { return out }
            repeat {
                guard passed(), let e = element(&self) else { return nil }
                out.append(e)
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "]")) ? out : nil
        }

        mutating func permit() -> Permit? {
            var kind: String?, number: String?, expires: String??
            guard object({ s, key in
                switch key {
                case .kind: s.requiredString(&kind)
                case .number: s.requiredString(&number)
                case .expires: s.optionalString(&expires)
                default: false
                }
            }), let kind, let k = PermitKind(rawValue: kind), let number else { return nil }
            return Permit(kind: k, number: number, expires: expires ?? nil)
        }

        mutating func product() -> Product? {
            var id: String?, producer: String?, name: String?, cluster: String?, category: String?, description: String?
            var price: Int??, capacity: Capacity??, permits: [Permit]?
            guard object({ s, key in
                switch key {
                case .id: return s.requiredString(&id)
                case .producer: return s.requiredString(&producer)
                case .name: return s.requiredString(&name)
                case .cluster: return s.requiredString(&cluster)
                case .category: return s.requiredString(&category)
                case .description: return s.requiredString(&description)
                case .price:
                    guard price == nil else { return false }
                    if s.null() { price = .some(nil); return true }
                    guard let v = s.plainInt() else { return false }
                    price = .some(v)
                    return true
                case .capacity:
                    guard capacity == nil else { return false }
                    if s.null() { capacity = .some(nil); return true }
                    var amount: Int?, unit: String?
                    guard s.object({ s, key in
                        switch key {
                        case .amount:
                            guard amount == nil, let v = s.plainInt() else { return false }
                            amount = v
                            return true
                        case .unit: return s.requiredString(&unit)
                        default: return false
                        }
                    }), let amount, let unit else { return false }
                    capacity = .some(Capacity(amount: amount, unit: unit))
                    return true
                case .permits:
                    guard permits == nil, let list = s.array({ $0.permit() }) else { return false }
                    permits = list
                    return true
                default: return false
                }
            }), let id, let producer, let name, let cluster, let c = Cluster(rawValue: cluster), let category,
                  let description, let permits else { return nil }
            return Product(id: ProductID(id), producer: ProducerID(producer), name: name, cluster: c, category: category, description: description,
                           price: price ?? nil, capacity: capacity ?? nil, permits: permits)
        }

        mutating func validation() -> Validation? {
            var status: String?, reason: String??, by: String??, at: String??
            guard object({ s, key in
                switch key {
                case .status: s.requiredString(&status)
                case .reason: s.optionalString(&reason)
                case .by: s.optionalString(&by)
                case .at: s.optionalString(&at)
                default: false
                }
            }), let status, let st = ValidationStatus(rawValue: status) else { return nil }
            return Validation(status: st, reason: reason ?? nil, by: (by ?? nil).map { CuratorID($0) }, at: at ?? nil)
        }

        mutating func producer() -> Producer? {
            var id: String?, name: String?, owner: String?, address: String?, kelurahan: String?, kecamatan: String?
            var phone: String??, nib: String??, registryKey: String??, sector: String??, businessType: String??, remark: String??
            var validation: Validation?
            guard object({ s, key in
                switch key {
                case .id: return s.requiredString(&id)
                case .name: return s.requiredString(&name)
                case .owner: return s.requiredString(&owner)
                case .address: return s.requiredString(&address)
                case .kelurahan: return s.requiredString(&kelurahan)
                case .kecamatan: return s.requiredString(&kecamatan)
                case .phone: return s.optionalString(&phone)
                case .nib: return s.optionalString(&nib)
                case .registryKey: return s.optionalString(&registryKey)
                case .sector: return s.optionalString(&sector)
                case .businessType: return s.optionalString(&businessType)
                case .remark: return s.optionalString(&remark)
                case .validation:
                    guard validation == nil, let v = s.validation() else { return false }
                    validation = v
                    return true
                default: return false
                }
            }), let id, let name, let owner, let address, let kelurahan, let kecamatan, let validation else { return nil }
            return Producer(id: ProducerID(id), name: name, owner: owner, address: address, kelurahan: kelurahan, kecamatan: kecamatan,
                            phone: phone ?? nil, nib: nib ?? nil, registryKey: registryKey ?? nil, sector: sector ?? nil,
                            businessType: businessType ?? nil, remark: remark ?? nil, validation: validation)
        }

        /// Read the value at `range` (found by `skipValue`) with `body`, which must take it whole.
        mutating func at<T>(_ range: Range<Int>?, _ body: (inout Scanner) -> T?) -> T?? {
            guard let range else { return .some(nil) }
            let saved = i
            defer { i = saved }
            i = range.lowerBound
            if null() { return i == range.upperBound ? .some(nil) : nil }
            guard let v = body(&self), i == range.upperBound else { return nil }
            return .some(v)
        }

        /// A change of the kinds an import and scoring make (score, validation, product,
        /// producer, a batch of them); nil for the others, which Foundation's decoder reads.
        mutating func change() -> Change? {
            var kind: String?, product: String?, curator: String?, criterion: String?, producer: String?, id: String?
            var from: Range<Int>?, to: Range<Int>?, changes: Range<Int>?
            func range(_ slot: inout Range<Int>?, _ s: inout Scanner) -> Bool {
                guard slot == nil, let r = s.skipValue() else { return false }
                slot = r
                return true
            }
            guard object({ s, key in
                switch key {
                case .kind: s.requiredString(&kind)
                case .product: s.requiredString(&product)
                case .curator: s.requiredString(&curator)
                case .criterion: s.requiredString(&criterion)
                case .producer: s.requiredString(&producer)
                case .id: s.requiredString(&id)
                case .from: range(&from, &s)
                case .to: range(&to, &s)
                case .changes: range(&changes, &s)
                default: false
                }
            }), let kind else { return nil }
            switch kind {
            case "score":
                guard let product, let curator, let criterion,
                      let f = at(from, { $0.plainInt() }), let t = at(to, { $0.plainInt() }) else { return nil }
                return .score(product: ProductID(product), curator: CuratorID(curator), criterion: CriterionID(criterion), from: f, to: t)
            case "validation":
                guard let producer, let f = at(from, { $0.validation() }), let f,
                      let t = at(to, { $0.validation() }), let t else { return nil }
                return .validation(producer: ProducerID(producer), from: f, to: t)
            case "product":
                guard let id, let f = at(from, { $0.product() }), let t = at(to, { $0.product() }) else { return nil }
                return .product(id: ProductID(id), from: f, to: t)
            case "producer":
                guard let id, let f = at(from, { $0.producer() }), let t = at(to, { $0.producer() }) else { return nil }
                return .producer(id: ProducerID(id), from: f, to: t)
            case "batch":
                guard let list = at(changes, { $0.array { $0.change() } }), let list else { return nil }
                return .batch(list)
            default:
                return nil
            }
        }

        mutating func event() -> Event? {
            var revision: Int?, at: String?, by: String?, change: Change?, undoOf: Int??
            guard object({ s, key in
                switch key {
                case .revision:
                    guard revision == nil, let v = s.plainInt() else { return false }
                    revision = v
                    return true
                case .at: return s.requiredString(&at)
                case .by: return s.requiredString(&by)
                case .change:
                    guard change == nil, let c = s.change() else { return false }
                    change = c
                    return true
                case .undoOf:
                    guard undoOf == nil else { return false }
                    if s.null() { undoOf = .some(nil); return true }
                    guard let v = s.plainInt() else { return false }
                    undoOf = .some(v)
                    return true
                default: return false
                }
            }), let revision, let at, let by, let change else { return nil }
            return Event(revision: revision, at: at, by: CuratorID(by), change: change, undoOf: undoOf ?? nil)
        }

        /// The events: each read here, or, when it is of a kind read elsewhere (a pin, the rubric),
        /// by Foundation's decoder from its own bytes.
        mutating func events(_ decoder: JSONDecoder) -> [Event]? {
            guard expect(UInt8(ascii: "[")) else { return nil }
            var out: [Event] = []
            if expect(UInt8(ascii: "]")) { return out }
            repeat {
                skipWhitespace()
                guard passed() else { return nil }
                let start = i
                // The event stays in memory until it is read: its change is read again from
                // where it was stepped over, or the whole event handed to Foundation's decoder.
                let outer = keep
                keep = min(keep, start)
                defer { keep = outer }
                if let e = event() {
                    out.append(e)
                } else {
                    i = start
                    guard let r = skipValue(), let e = try? decoder.decode(Event.self, from: copy(r)) else { return nil }
                    out.append(e)
                }
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "]")) ? out : nil
        }

        /// The scores as read, before the rubric is known: per product its curators and their
        /// points, a row per curator of `width` codes (schema 2: positions of the rubric; schema 1:
        /// positions of `layout`, the criterion keys met so far, in the order met).
        struct RawScores {
            var products: [(id: ProductID, curators: [CuratorID], points: [Int8], width: Int)] = []
            var layout: [CriterionID] = []
            /// Schema 2: the one length every sheet has (nil before the first sheet).
            var width: Int?
        }

        /// The rest of a schema 2 sheet after its `[`: its points appended to `points` (each
        /// `null` or a plain integer 0–127) through the `]`; how many, or nil for anything else
        /// (what `null()` and `plainInt()` between `expect`s would decline, declined here too).
        mutating func sheetRow(_ points: inout [Int8]) -> Int? {
            skipWhitespace()
            guard has(i) else { return nil }
            if origin[i] == UInt8(ascii: "]") { i += 1; return 0 }
            var n = 0
            while true {
                skipWhitespace()
                guard has(i) else { return nil }
                let b = origin[i]
                if b >= 0x30, b <= 0x39 {
                    var v = Int(b &- 0x30)
                    i += 1
                    var digits = 1
                    while has(i), origin[i] >= 0x30, origin[i] <= 0x39 {
                        // A leading zero, or more than 127: not read here.
                        guard b != 0x30, digits < 3 else { return nil }
                        v = v &* 10 &+ Int(origin[i] &- 0x30)
                        digits += 1
                        i += 1
                    }
                    guard v <= 127 else { return nil }
                    points.append(Int8(v))
                } else if b == UInt8(ascii: "n") {
                    guard null() else { return nil }
                    points.append(ProductSheets.notScored)
                } else {
                    return nil
                }
                n += 1
                skipWhitespace()
                guard has(i) else { return nil }
                if origin[i] == UInt8(ascii: ",") { i += 1; continue }
                if origin[i] == UInt8(ascii: "]") { i += 1; return n }
                return nil
            }
        }

        /// Schema 1 `{ "P-1" : { "K1" : { "kemasan" : 4, … }, … }, … }` or schema 2
        /// `{ "P-1" : { "K1" : [4, null, …], … }, … }`, every key once, every point 0–127.
        mutating func readScores(schema: Int) -> RawScores? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var raw = RawScores()
            if expect(UInt8(ascii: "}")) { return raw }
            // Most products are scored by the same curators in the same order: they share one
            // array of them (as they share the rubric's), instead of an array each.
            var curators: [CuratorID] = []
            var lastCurators: [CuratorID] = []
            // Their keys' bytes: a key that is the previous product's next is matched as bytes,
            // and its id taken from there (no string made, no strings compared).
            var lastKeys: [[UInt8]] = []
            var lastPoints = 0
            repeat {
                guard passed(), let product = plainString(), expect(UInt8(ascii: ":")), expect(UInt8(ascii: "{")) else { return nil }
                curators.removeAll(keepingCapacity: true)
                // Whether the curators so far are the previous product's first ones, in order:
                // then the next one, if it is the previous product's next, is not a repeat (the
                // previous product's were all different) and needs no search.
                var following = true
                var points: [Int8] = []
                points.reserveCapacity(lastPoints)
                var width = schema >= 2 ? (raw.width ?? 0) : raw.layout.count
                if !expect(UInt8(ascii: "}")) {
                    repeat {
                        let n = curators.count
                        let curator: CuratorID
                        if following, n < lastKeys.count, sameKey(lastKeys[n]) {
                            curator = lastCurators[n]
                        } else {
                            guard let name = plainString() else { return nil }
                            curator = CuratorID(name)
                        }
                        guard expect(UInt8(ascii: ":")) else { return nil }
                        if !(following && n < lastCurators.count && lastCurators[n] == curator) {
                            following = false
                            guard !curators.contains(curator) else { return nil }
                        }
                        curators.append(curator)
                        if schema >= 2 {
                            guard expect(UInt8(ascii: "[")), let n = sheetRow(&points) else { return nil }
                            // Every sheet as long as the first; the rubric's length is checked at the end.
                            if let w = raw.width { guard n == w else { return nil } } else { raw.width = n; width = n }
                        } else {
                            guard expect(UInt8(ascii: "{")) else { return nil }
                            let base = points.count
                            points.append(contentsOf: repeatElement(ProductSheets.notScored, count: width))
                            if !expect(UInt8(ascii: "}")) {
                                repeat {
                                    guard let key = plainString(), expect(UInt8(ascii: ":")), let v = plainInt(), v <= 127 else { return nil }
                                    let k = CriterionID(key)
                                    var at = raw.layout.firstIndex(of: k) ?? -1
                                    if at < 0 {
                                        raw.layout.append(k); at = raw.layout.count - 1
                                    }
                                    if at >= width {
                                        // A key this product has not had room for: widen its rows.
                                        var wider: [Int8] = []
                                        let w = raw.layout.count
                                        for r in 0..<curators.count {
                                            let row = points[(r * width)..<min(points.count, r * width + width)]
                                            wider.append(contentsOf: row)
                                            wider.append(contentsOf: repeatElement(ProductSheets.notScored, count: w - row.count))
                                        }
                                        points = wider; width = w
                                    }
                                    let flat = (curators.count - 1) * width + at
                                    guard points[flat] == ProductSheets.notScored else { return nil }
                                    points[flat] = Int8(v)
                                } while expect(UInt8(ascii: ","))
                                guard expect(UInt8(ascii: "}")) else { return nil }
                            }
                            _ = base
                        }
                    } while expect(UInt8(ascii: ","))
                    guard expect(UInt8(ascii: "}")) else { return nil }
                }
                // A product named twice is found when the scores are laid out.
                if !(following && curators.count == lastCurators.count) {
                    lastCurators = curators
                    lastKeys = curators.map { Array($0.rawValue.utf8) }
                }
                lastPoints = points.count
                raw.products.append((ProductID(product), lastCurators, points, width))
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            return raw
        }

        /// Whether the string at `i` (after any whitespace) is `key` exactly, a key read before
        /// (so without a quote, escape or control character): then it is passed, else nothing is.
        @inline(__always) mutating func sameKey(_ key: [UInt8]) -> Bool {
            skipWhitespace()
            let m = key.count
            guard has(i + m + 1), origin[i] == UInt8(ascii: "\""), origin[i + m + 1] == UInt8(ascii: "\"") else { return false }
            let equal = key.withUnsafeBufferPointer { k in m == 0 || memcmp(origin + i + 1, k.baseAddress!, m) == 0 }
            if equal { i += m + 2 }
            return equal
        }

        /// The scores laid out in the rubric's order; nil when a schema 2 sheet's length is not
        /// the rubric's (Foundation's decoder then gives the refusal).
        static func layOut(_ raw: RawScores, schema: Int, rubric: Rubric) -> ScoreMap? {
            var checked = false
            return layOut(raw, schema: schema, rubric: rubric, products: [], curators: [], checked: &checked)
        }

        /// The same, and `checked` true when the scores are as the store's validation wants them
        /// (schema 2): every scored product among `products` (found in their order, as the store
        /// writes both: no look-up), every curator among `curators`, every point on the rubric's
        /// scale. False says nothing: the validation then looks for itself.
        static func layOut(_ raw: RawScores, schema: Int, rubric: Rubric, products: [Product], curators: [Curator],
                           checked: inout Bool) -> ScoreMap? {
            let order = rubric.criteria.map(\.id)
            var out = ScoreMap()
            out.reserveCapacity(raw.products.count)
            if schema >= 2 {
                if let w = raw.width, w != order.count { return nil }
                let known = Set(curators.map(\.id))
                let lo = rubric.scale.lowerBound, hi = rubric.scale.upperBound
                var checking = true
                var next = 0
                var checkedCurators: [CuratorID] = []
                func same(_ a: [CuratorID], _ b: [CuratorID]) -> Bool {
                    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count } }
                }
                for j in raw.products.indices {
                    let id = raw.products[j].id
                    if checking {
                        while next < products.count, products[next].id != id { next += 1 }
                        if next == products.count { checking = false } else { next += 1 }
                    }
                    if checking, raw.products[j].curators.isEmpty || !same(raw.products[j].curators, checkedCurators) {
                        for c in raw.products[j].curators where !known.contains(c) { checking = false; break }
                        checkedCurators = raw.products[j].curators
                    }
                    if checking {
                        checking = raw.products[j].points.withUnsafeBufferPointer { b in
                            for code in b where code != ProductSheets.notScored {
                                let v = Int(code)
                                if v < lo || v > hi { return false }
                            }
                            return true
                        }
                    }
                    guard out.updateValue(ProductSheets(criteria: order, curators: raw.products[j].curators, points: raw.products[j].points),
                                          forKey: id) == nil else { return nil }
                }
                checked = checking
                return out
            }
            // Schema 1: from the order the keys were met to the rubric's, any other key after it.
            let final = order + raw.layout.filter { !order.contains($0) }
            let target = raw.layout.map { final.firstIndex(of: $0)! }
            let n = final.count
            for p in raw.products {
                var points = [Int8](repeating: ProductSheets.notScored, count: p.curators.count * n)
                for r in 0..<p.curators.count {
                    for j in 0..<p.width where p.points[r * p.width + j] != ProductSheets.notScored {
                        points[r * n + target[j]] = p.points[r * p.width + j]
                    }
                }
                guard out.updateValue(ProductSheets(criteria: final, curators: p.curators, points: points), forKey: p.id) == nil else { return nil }
            }
            return out
        }

        mutating func readRound() -> Round? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            // The fields read by Foundation's decoder, their bytes copied out as they are passed.
            var fields: [String: Data] = [:]
            var scores: RawScores?
            var revision: Int?
            var products: [Product]?, producers: [Producer]?, events: [Event]?
            let decoder = JSONDecoder()
            if !expect(UInt8(ascii: "}")) {
                repeat {
                    guard let key = plainString(), expect(UInt8(ascii: ":")) else { return nil }
                    guard fields[key] == nil, !(key == "scores" && scores != nil), !(key == "revision" && revision != nil) else { return nil }
                    switch key {
                    case "scores":
                        guard let s = readScores(schema: schema) else { return nil }
                        scores = s
                    case "products":
                        guard products == nil, let list = array({ $0.product() }) else { return nil }
                        products = list
                    case "producers":
                        guard producers == nil, let list = array({ $0.producer() }) else { return nil }
                        producers = list
                    case "events":
                        guard events == nil, let list = self.events(decoder) else { return nil }
                        events = list
                    case "revision":
                        guard let r = plainInt() else { return nil }
                        revision = r
                    default:
                        guard let r = skipValue() else { return nil }
                        fields[key] = copy(r)
                    }
                } while expect(UInt8(ascii: ","))
                guard expect(UInt8(ascii: "}")) else { return nil }
            }
            skipWhitespace()
            guard atEnd(), let revision else { return nil }

            func value<T: Decodable>(_ key: String, _ type: T.Type) -> T?? {
                guard let bytes = fields.removeValue(forKey: key) else { return .some(nil) }
                guard let v = try? decoder.decode(T.self, from: bytes) else { return nil }
                return .some(v)
            }
            guard let info = value("round", RoundInfo.self), let info,
                  let rubric = value("rubric", Rubric.self), let rubric,
                  let curators = value("curators", [Curator].self), let curators,
                  let producers, let products,
                  let pins = value("pins", [Cluster: [Pin]].self)
            else { return nil }
            // Fields Kurasi does not read (schemaVersion) must still be well-formed JSON.
            for (_, bytes) in fields {
                guard (try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])) != nil else { return nil }
            }
            guard let laidOut = Self.layOut(scores ?? RawScores(), schema: schema, rubric: rubric, products: products,
                                            curators: curators, checked: &scoresChecked) else { return nil }
            return Round(revision: revision, round: info, rubric: rubric, curators: curators, producers: producers,
                         products: products, scores: laidOut, pins: pins ?? [:], events: events ?? [])
        }
    }
}
