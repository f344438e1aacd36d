import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// A derived index beside the store (`<store>.index`): where in the snapshot each product, its
/// sheets and each producer are written, and where the small sections (round, rubric, curators,
/// pins) are. With it, an edit that concerns one product (`kurasi score`) reads a few kilobytes of
/// the snapshot instead of the whole round.
///
/// It is never a source of truth. Its header names the snapshot it was made from (size,
/// modification time, inode, revision); any other snapshot makes it stale, and a stale, missing
/// or unreadable index is simply not used: the edit reads the whole store, as it always did, and
/// writes a fresh index. It is only ever made from a snapshot that a whole read has just
/// decoded and validated, or that Kurasi has just written, and only when the snapshot is laid
/// out the way Kurasi writes it (pretty-printed with sorted keys); a hand-edited layout gets no
/// index. Deleting it loses nothing.
///
/// Layout: a 256-byte header line, then one 83-byte line per product and producer, sorted by id,
/// found by binary search with `pread`:
/// `<id padded to 32> <kind p|u> <offset 12> <length 10> <offset 12> <length 10>` (a product's
/// second span is its entry in `scores`, zero when it has none).
enum StoreIndex {
    static let suffix = ".index"
    static let headerSize = 256
    static let recordSize = 83
    static let idWidth = 32
    /// The index's first word and the snapshot's schema ("kurasi-index s2"): an index made from
    /// a snapshot of another schema is stale (its spans hold sheets written otherwise).
    static let magic = "kurasi-index"
    static func magic(schema: Int) -> String { "\(magic) s\(schema)" }

    struct Span: Equatable { var offset: Int; var length: Int }

    /// What the snapshot holds where, as read from the index file.
    struct Header: Equatable {
        var schema: Int
        var stamp: FileStamp
        var revision: Int
        var count: Int
        var round: Span, rubric: Span, curators: Span, pins: Span
    }

    static func path(_ store: Store) -> String { store.targetPath + suffix }

    // MARK: Building

    /// The index of snapshot bytes in Kurasi's own layout, or nil when they are laid out
    /// otherwise (or an id could not be kept in a fixed-width record).
    static func build(_ data: Data, stamp: FileStamp, revision: Int) -> Data? {
        let builder = Builder()
        data.withUnsafeBytes { builder.feed($0) }
        return builder.finish(stamp: stamp, revision: revision)
    }

    private struct Record { var id: [UInt8]; var kind: UInt8; var a: Span; var b: Span }

    /// The index made as the snapshot's bytes go by, in pieces of any size (a compaction feeds it
    /// what it writes, so the snapshot is never whole in memory): the same index, line by line,
    /// as from the whole bytes.
    final class Builder {
        private var sections: [String: Span] = [:]
        private var products: [[UInt8]: Span] = [:], producers: [([UInt8], Span)] = [], scores: [[UInt8]: Span] = [:]
        private var section: String?, sectionStart = 0
        private var elementStart = -1, elementID: [UInt8]?
        private var entry: ([UInt8], Int)?
        /// The layout is not Kurasi's: no index.
        private var failed = false
        /// The start of a line that the next piece ends.
        private var carry: [UInt8] = []
        /// Where in the snapshot the next piece starts: the bytes fed so far.
        private(set) var offset = 0
        /// The first bytes, for the schema.
        private var head: [UInt8] = []

        init() {}

        /// The next piece of the snapshot's bytes.
        func feed(_ bytes: UnsafeRawBufferPointer) {
            if head.count < 96 { head.append(contentsOf: bytes.prefix(96 - head.count)) }
            defer { offset += bytes.count }
            guard !failed, let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let n = bytes.count
            var s = 0
            while s < n {
                guard let found = memchr(p + s, Int32(UInt8(ascii: "\n")), n - s) else {
                    carry.append(contentsOf: UnsafeBufferPointer(start: p + s, count: n - s))
                    return
                }
                let e = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - p
                if carry.isEmpty {
                    take(p + s, e - s, at: offset + s)
                } else {
                    // The line began in an earlier piece (so s is 0 here).
                    let start = offset - carry.count
                    carry.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
                    carry.withUnsafeBufferPointer { take($0.baseAddress!, $0.count, at: start) }
                    carry.removeAll(keepingCapacity: true)
                }
                if failed { return }
                s = e + 1
            }
        }

        /// The index, once every byte is fed; nil when the layout is not Kurasi's.
        func finish(stamp: FileStamp, revision: Int) -> Data? {
            if !carry.isEmpty, !failed {
                let start = offset - carry.count
                carry.withUnsafeBufferPointer { take($0.baseAddress!, $0.count, at: start) }
                carry = []
            }
            guard !failed, section == nil, let schema = Store.headerVersion(Data(head)) else { return nil }
            return StoreIndex.records(sections: sections, products: products, producers: producers, scores: scores,
                                      stamp: stamp, revision: revision, schema: schema)
        }

        /// One line (without its newline) of `n` bytes at `p`, which starts at `base` in the snapshot.
        private func take(_ p: UnsafePointer<UInt8>, _ n: Int, at base: Int) {
            let space = UInt8(ascii: " "), quote = UInt8(ascii: "\"")
            func fail() { failed = true }
            // Count leading spaces of the line at `s`.
            func indent(_ s: Int, _ e: Int) -> Int { var i = s; while i < e, p[i] == space { i += 1 }; return i - s }
            func line(_ s: Int, equals text: StaticString, _ e: Int) -> Bool {
                let t = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
                var end = e
                if end > s, p[end - 1] == UInt8(ascii: ",") { end -= 1 }
                guard end - s == t.count else { return false }
                for k in 0..<t.count where p[s + k] != t[k] { return false }
                return true
            }
            // `"key" : ` at `s` (after the indentation): the key's bytes and where the value starts.
            func key(_ s: Int, _ e: Int) -> ([UInt8], Int)? {
                guard s < e, p[s] == quote else { return nil }
                var i = s + 1
                while i < e, p[i] != quote { if p[i] == UInt8(ascii: "\\") { return nil }; i += 1 }
                guard i + 4 <= e, p[i + 1] == space, p[i + 2] == UInt8(ascii: ":"), p[i + 3] == space else { return nil }
                return (Array(UnsafeBufferPointer(start: p + s + 1, count: i - s - 1)), i + 4)
            }
            func valueEnd(_ e: Int) -> Int { e > 0 && p[e - 1] == UInt8(ascii: ",") ? e - 1 : e }

            let s = 0, e = n
            let ind = indent(s, e)
            if ind == 2 {
                if let name = section {
                    // The closing bracket of a multi-line section.
                    guard line(s + 2, equals: "}", e) || line(s + 2, equals: "]", e) else { return fail() }
                    sections[name] = Span(offset: sectionStart, length: base + valueEnd(e) - sectionStart)
                    section = nil
                } else {
                    guard let (k, v) = key(s + 2, e), let name = String(bytes: k, encoding: .utf8) else { return fail() }
                    let last = p[e - 1] == UInt8(ascii: ",") ? p[e - 2] : p[e - 1]
                    if last == UInt8(ascii: "{") || last == UInt8(ascii: "[") {
                        section = name; sectionStart = base + v
                    } else {
                        sections[name] = Span(offset: base + v, length: valueEnd(e) - v)
                    }
                }
            } else if let name = section, name == "products" || name == "producers" {
                if ind == 4 {
                    if line(s + 4, equals: "{", e) {
                        elementStart = base + s + 4; elementID = nil
                    } else if line(s + 4, equals: "}", e) {
                        guard elementStart >= 0, let id = elementID else { return fail() }
                        let span = Span(offset: elementStart, length: base + valueEnd(e) - elementStart)
                        if name == "products" {
                            guard products.updateValue(span, forKey: id) == nil else { return fail() }
                        } else {
                            producers.append((id, span))
                        }
                        elementStart = -1
                    } else if !line(s + 4, equals: "", e) {
                        return fail()
                    }
                } else if ind == 6, let (k, v) = key(s + 6, e), k == Array("id".utf8) {
                    // `"id" : "P-0012",`
                    var end = valueEnd(e)
                    guard end - v >= 2, p[v] == quote, p[end - 1] == quote else { return fail() }
                    end -= 1
                    let id = Array(UnsafeBufferPointer(start: p + v + 1, count: end - v - 1))
                    guard !id.contains(UInt8(ascii: "\\")) else { return fail() }
                    elementID = id
                }
            } else if section == "scores" {
                if ind == 4 {
                    if let (k, v) = key(s + 4, e) {
                        if p[valueEnd(e) - 1] == UInt8(ascii: "{") {
                            entry = (k, base + v)
                        } else {
                            scores[k] = Span(offset: base + v, length: valueEnd(e) - v)
                        }
                    } else if line(s + 4, equals: "}", e) {
                        guard let (k, v) = entry else { return fail() }
                        scores[k] = Span(offset: v, length: base + valueEnd(e) - v)
                        entry = nil
                    } else if !line(s + 4, equals: "", e) {
                        return fail()
                    }
                }
            } else if section == nil, ind != 0 || !(line(s, equals: "{", e) || line(s, equals: "}", e) || s == e) {
                return fail()
            }
        }
    }

    /// The index file's bytes from what the lines said.
    private static func records(sections: [String: Span], products: [[UInt8]: Span], producers: [([UInt8], Span)],
                                scores: [[UInt8]: Span], stamp: FileStamp, revision: Int, schema: Int) -> Data? {
        let space = UInt8(ascii: " "), quote = UInt8(ascii: "\""), nl = UInt8(ascii: "\n")
        guard let round = sections["round"], let rubric = sections["rubric"],
              let curators = sections["curators"], let pins = sections["pins"],
              sections["products"] != nil, sections["producers"] != nil else { return nil }

        var records: [Record] = []
        records.reserveCapacity(products.count + producers.count)
        for (id, span) in products {
            records.append(Record(id: id, kind: UInt8(ascii: "p"), a: span, b: scores[id] ?? Span(offset: 0, length: 0)))
        }
        for (id, span) in producers { records.append(Record(id: id, kind: UInt8(ascii: "u"), a: span, b: Span(offset: 0, length: 0))) }
        for r in records where r.id.isEmpty || r.id.count > idWidth || r.id.contains(where: { $0 <= space || $0 == quote }) { return nil }
        records.sort { $0.id != $1.id ? $0.id.lexicographicallyPrecedes($1.id) : $0.kind < $1.kind }
        for i in records.indices.dropFirst() where records[i].id == records[i - 1].id && records[i].kind == records[i - 1].kind { return nil }

        var out = Data(capacity: headerSize + records.count * recordSize)
        var header = "\(magic(schema: schema)) \(stamp.size) \(stamp.seconds) \(stamp.nanoseconds) \(stamp.inode) \(revision) \(records.count)"
        for span in [round, rubric, curators, pins] { header += " \(span.offset) \(span.length)" }
        guard header.utf8.count < headerSize else { return nil }
        out.append(contentsOf: Array((header + String(repeating: " ", count: headerSize - 1 - header.utf8.count) + "\n").utf8))
        func digits(_ v: Int, _ width: Int) -> [UInt8] {
            let s = Array(String(v).utf8)
            return [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - s.count)) + s
        }
        for r in records {
            var bytes = r.id + [UInt8](repeating: space, count: idWidth - r.id.count)
            bytes.append(space); bytes.append(r.kind)
            for (v, w) in [(r.a.offset, 12), (r.a.length, 10), (r.b.offset, 12), (r.b.length, 10)] {
                bytes.append(space); bytes += digits(v, w)
            }
            bytes.append(nl)
            guard bytes.count == recordSize else { return nil }
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// Write the index a builder made from the snapshot whose stamp is `stamp` beside the store
    /// (the first edit of a store without a current index, once the snapshot is read and
    /// validated). It is derived, so a failure to write it is not an error: the next edit reads
    /// the whole store. Without an index to have, any index there is removed.
    static func write(for store: Store, built builder: Builder?, stamp: FileStamp?, revision: Int) {
        install(builder.flatMap { stage(for: store, built: $0, stamp: stamp, revision: revision) }, for: store)
    }

    /// The index a builder made as the snapshot's bytes went by, written to a temp file beside
    /// the store, not yet in place: a compaction makes it with no lock held, for the snapshot it
    /// has not yet put in place. Nil when there is no index to have (the layout is not Kurasi's,
    /// or the builder was fed other than the `stamp`'s size) or it could not be written.
    static func stage(for store: Store, built builder: Builder, stamp: FileStamp?, revision: Int) -> String? {
        guard let stamp, Int64(builder.offset) == stamp.size else { return nil }
        return stage(for: store, index: builder.finish(stamp: stamp, revision: revision))
    }

    private static func stage(for store: Store, index: Data?) -> String? {
        guard let index else { return nil }
        let tmp = Store.tempPath(for: path(store))
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, store.fileMode)
        guard fd >= 0 else { return nil }
        _ = fchmod(fd, store.fileMode)
        let ok = writeAll(fd, index)
        close(fd)
        guard ok else { unlink(tmp); return nil }
        CrashPoint.indexTempWritten.reached()
        return tmp
    }

    /// Put a staged index in place, or remove the index when there is none (a stale one would
    /// only be ignored, but it would be read and compared on every edit).
    static func install(_ tmp: String?, for store: Store) {
        guard let tmp else { unlink(path(store)); return }
        if rename(tmp, path(store)) != 0 { unlink(tmp); unlink(path(store)) }
    }

    // MARK: Reading

    /// An open index whose header matches the snapshot on disk, or nil.
    final class Reader {
        let header: Header
        private let fd: Int32
        private let snapshot: Int32

        init?(store: Store) {
            let target = store.targetPath
            guard let stamp = FileStamp(target) else { return nil }
            fd = open(StoreIndex.path(store), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            snapshot = open(target, O_RDONLY | O_CLOEXEC)
            guard snapshot >= 0 else { close(fd); return nil }
            var buf = [UInt8](repeating: 0, count: headerSize)
            guard pread(fd, &buf, headerSize, 0) == headerSize,
                  let text = String(bytes: buf, encoding: .utf8) else { close(fd); close(snapshot); return nil }
            let f = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { String($0) }
            guard f.count == 16, f[0] == magic, f[1].hasPrefix("s"), let schema = Int(f[1].dropFirst()),
                  (1...Store.schemaVersion).contains(schema) else { close(fd); close(snapshot); return nil }
            let v = f.dropFirst(2).map { Int($0) }
            guard v.allSatisfy({ $0 != nil }) else { close(fd); close(snapshot); return nil }
            let n = v.map { $0! }
            guard Int64(n[0]) == stamp.size, n[1] == stamp.seconds, n[2] == stamp.nanoseconds, UInt64(n[3]) == stamp.inode
            else { close(fd); close(snapshot); return nil }
            var st = stat()
            guard fstat(fd, &st) == 0, Int(st.st_size) == headerSize + n[5] * recordSize else { close(fd); close(snapshot); return nil }
            header = Header(schema: schema, stamp: stamp, revision: n[4], count: n[5],
                            round: Span(offset: n[6], length: n[7]), rubric: Span(offset: n[8], length: n[9]),
                            curators: Span(offset: n[10], length: n[11]), pins: Span(offset: n[12], length: n[13]))
        }

        deinit { close(fd); close(snapshot) }

        /// The spans of the record for `id` of `kind` ("p" or "u").
        func find(_ id: String, kind: UInt8) -> (Span, Span)? {
            let key = Array(id.utf8)
            guard !key.isEmpty, key.count <= idWidth else { return nil }
            let padded = key + [UInt8](repeating: UInt8(ascii: " "), count: idWidth - key.count)
            var lo = 0, hi = header.count - 1
            var rec = [UInt8](repeating: 0, count: recordSize)
            while lo <= hi {
                let mid = (lo + hi) / 2
                guard pread(fd, &rec, recordSize, off_t(headerSize + mid * recordSize)) == recordSize else { return nil }
                var order = 0
                for k in 0...idWidth {
                    let a = k < idWidth ? rec[k] : rec[idWidth + 1], b = k < idWidth ? padded[k] : kind
                    if a != b { order = a < b ? -1 : 1; break }
                }
                if order == 0 {
                    let fields = rec[(idWidth + 3)...].split(separator: UInt8(ascii: " ")).map { Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
                    guard fields.count == 4, let a = fields[0], let b = fields[1], let c = fields[2], let d = fields[3] else { return nil }
                    return (Span(offset: a, length: b), Span(offset: c, length: d))
                }
                if order < 0 { lo = mid + 1 } else { hi = mid - 1 }
            }
            return nil
        }

        /// The snapshot's bytes in `span`.
        func bytes(_ span: Span) -> Data? {
            guard span.length > 0 else { return nil }
            var buf = Data(count: span.length)
            let n = buf.withUnsafeMutableBytes { pread(snapshot, $0.baseAddress, span.length, off_t(span.offset)) }
            return n == span.length ? buf : nil
        }

        func decode<T: Decodable>(_ type: T.Type, _ span: Span) -> T? {
            guard let data = bytes(span) else { return nil }
            return try? JSONDecoder().decode(T.self, from: data)
        }
    }

    /// The part of the round an edit of these products needs: the round's settings and status,
    /// the rubric, the curators, the pins, and the products (with their producers and sheets)
    /// named here or pinned. A product the snapshot does not hold is left out (an edit of it is
    /// refused as unknown, unless the journal adds it, which needs the whole round). Nil when the
    /// index is stale, missing or does not match the snapshot: the caller reads the whole store.
    static func partialRound(_ store: Store, products wanted: Set<ProductID>) -> (Round, Set<ProductID>, FileStamp)? {
        guard let index = Reader(store: store),
              let info = index.decode(RoundInfo.self, index.header.round),
              let rubric = index.decode(Rubric.self, index.header.rubric),
              let curators = index.decode([Curator].self, index.header.curators),
              let pins = index.decode([Cluster: [Pin]].self, index.header.pins) else { return nil }
        let all = wanted.union(pins.values.flatMap { $0.map(\.product) })
        var products: [Product] = [], producers: [Producer] = [], scores = ScoreMap()
        let order = rubric.criteria.map(\.id)
        var producerIDs = Set<ProducerID>()
        for id in all.sorted() {
            guard let (a, b) = index.find(id.rawValue, kind: UInt8(ascii: "p")) else { continue }
            guard let product = index.decode(Product.self, a), product.id == id else { return nil }
            products.append(product)
            if b.length > 0 {
                if index.header.schema >= 2 {
                    // Schema 2: arrays in the rubric's order; any other length, and the whole read decides.
                    guard let rows = index.decode([CuratorID: [Int?]].self, b),
                          rows.values.allSatisfy({ $0.count == order.count }) else { return nil }
                    var sheets = ProductSheets(layout: order)
                    for (c, points) in rows.sorted(by: { $0.key < $1.key }) { sheets[c] = Sheet(criteria: order, points: points) }
                    scores[id] = sheets
                } else {
                    guard let sheets = index.decode(ProductSheets.self, b) else { return nil }
                    scores[id] = sheets
                }
            }
            if producerIDs.insert(product.producer).inserted {
                guard let (span, _) = index.find(product.producer.rawValue, kind: UInt8(ascii: "u")),
                      let producer = index.decode(Producer.self, span), producer.id == product.producer else { return nil }
                producers.append(producer)
            }
        }
        let round = Round(revision: index.header.revision, round: info, rubric: rubric, curators: curators,
                          producers: producers, products: products, scores: scores, pins: pins)
        return (round, all, index.header.stamp)
    }

    /// How a handle that holds part of the round takes a journal event.
    enum Take { case apply, skip, whole }

    /// Score, validation, pin, status, settings, rubric and curator changes are applied when they
    /// concern what the part holds and skipped when they concern only other products or
    /// producers; anything else (products or producers added or changed, imports, fairness
    /// records) needs the whole round.
    static func take(_ change: Change, products: Set<ProductID>, producers: (ProducerID) -> Bool) -> Take {
        switch change {
        case let .score(p, _, _, _, _): return products.contains(p) ? .apply : .skip
        case let .validation(p, _, _): return producers(p) ? .apply : .skip
        case let .pin(_, _, from, to):
            return [from?.product, to?.product].allSatisfy { $0 == nil || products.contains($0!) } ? .apply : .whole
        case .status, .settings, .rubric, .curator: return .apply
        case let .batch(list):
            let each = list.map { take($0, products: products, producers: producers) }
            if each.contains(.whole) { return .whole }
            if each.allSatisfy({ $0 == .skip }) { return .skip }
            return each.allSatisfy({ $0 == .apply }) ? .apply : .whole
        case .product, .producer, .fairness: return .whole
        }
    }
}
