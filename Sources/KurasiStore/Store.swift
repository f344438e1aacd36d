import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// The JSON store: one pretty-printed document with sorted keys, `schemaVersion` and `revision`
/// first, saved by a durable replace and guarded by a lock file.
///
/// Saving is done by hand rather than with `Data.write(options: .atomic)`: on Linux that neither
/// fsyncs the file and its directory nor keeps the file's mode, and it replaces a symlink with a
/// regular file. Here: temp file in the target's directory (0600, or the old file's mode), write,
/// fsync, rename over the target, fsync the directory. On any failure the old file is untouched.
public struct Store: Sendable {
    /// 2: each sheet an array of points in the rubric's criterion order (`null` where not
    /// scored), one sheet per line. 1 (still read): each sheet an object by criterion id.
    public static let schemaVersion = 2

    /// The path as given (may be a symlink).
    public let path: String

    public init(path: String) { self.path = path }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The file that is really written: the end of the symlink chain when `path` is a link
    /// (l2 → l1 → real gives real), so that every link is kept, the real file updated, and the
    /// lock and journal are the same whichever link a writer came through.
    public var targetPath: String { Self.resolveLinks(path) }

    /// Follow symlinks until a path that is not one (at most 40, as the kernel does).
    static func resolveLinks(_ start: String) -> String {
        var current = start
        for _ in 0..<40 {
            guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            if dest.hasPrefix("/") {
                current = dest
            } else {
                let dir = (current as NSString).deletingLastPathComponent
                current = dir.isEmpty ? dest : ((dir as NSString).appendingPathComponent(dest) as NSString).standardizingPath
            }
        }
        return current
    }

    // MARK: Loading

    public var journalPath: String { targetPath + Journal.suffix }

    /// The round: the snapshot plus every edit in the journal.
    public func load() throws(StoreError) -> Round {
        try StoreHandle(store: self).round
    }

    /// The snapshot alone, without the journal, read from the file a piece at a time (see
    /// `StoreReader.ByteWindow`): the file is never whole in memory while the round is built.
    /// Whatever the one-pass reader declines (a damaged or hand-edited file, a newer schema) is
    /// read again whole and decided by `decode` as before, with the same refusals.
    /// `progress` is told of the bytes read (from 0 of the file's size), and may abandon.
    /// The file is read with read(2), not mapped: a file cut short by another program while it
    /// is read ends the reading early (and is then refused as cut short), it cannot crash.
    func loadSnapshot(progress: LoadObserver? = nil, window: Int = Self.readWindow) throws(StoreError) -> Round {
        try loadSnapshot(progress: progress, window: window, indexing: false).round
    }

    /// The same, and with `indexing` the store's index made from the same reading (see
    /// `StoreIndex`): each piece of the file, as it is read, is fed to a `StoreIndex.Builder`,
    /// so the file is read once and never whole in memory (`kurasi score` on a store whose index
    /// is missing or stale). When the one-pass reader declines and the file is read again whole,
    /// the builder is fed those whole bytes instead. The builder is returned only with the round,
    /// so only for a snapshot that was read and validated whole; its `finish` says nil when the
    /// file is not laid out the way Kurasi writes it.
    func loadSnapshot(progress: LoadObserver? = nil, window: Int = Self.readWindow,
                      indexing: Bool) throws(StoreError) -> (round: Round, index: StoreIndex.Builder?) {
        guard exists else { throw StoreError(.missing, file: path, .noStore) }
        try checkIsFile()
        var index = indexing ? StoreIndex.Builder() : nil
        // The whole file, when the one-pass reader declines (or the file cannot be opened).
        func whole() throws(StoreError) -> Data {
            let data = try readSnapshot()
            if indexing {
                index = StoreIndex.Builder()
                data.withUnsafeBytes { index?.feed($0) }
            }
            return data
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        // Not openable: the whole-file read says why, in the words it always has.
        guard fd >= 0 else { return (try Self.decode(whole(), file: path, oneReader: true, progress: progress), index) }
        defer { close(fd) }
        var st = stat()
        let total = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        if let progress, !progress(LoadProgress(phase: .snapshot, file: path, done: 0, total: total)) { throw .abandoned(path) }
        let builder = index
        let bytes = StoreReader.ByteWindow.reading(fd, capacity: window, total: total, seen: builder.map { b in { b.feed($0) } })
        let round = try Self.decode(bytes, file: path, progress: progress, whole: whole)
        return (round, index)
    }

    /// The piece of the file in memory at a time while the snapshot is read: 4 MB.
    static let readWindow = 4 << 20

    /// The round from `bytes` read piece by piece, or, when the one-pass reader declines (or the
    /// header is not the one Kurasi writes), `decode` of the whole document `whole` gives.
    static func decode(_ bytes: StoreReader.ByteWindow, file: String, progress: LoadObserver?,
                       whole: () throws(StoreError) -> Data) throws(StoreError) -> Round {
        // The header's first 96 bytes (a read may bring fewer).
        _ = bytes.fill(keeping: 0)
        while bytes.count < 96, bytes.fill(keeping: 0) {}
        let head = Data(bytes: bytes.buffer.baseAddress!, count: min(bytes.count, 96))
        if let version = headerVersion(head), (1...schemaVersion).contains(version) {
            let (round, abandoned, scoresChecked) = StoreReader.readChecking(bytes, file: file, progress: progress, schema: version)
            if abandoned { throw StoreError.abandoned(file) }
            if let round {
                try validate(round, file: file, scoresChecked: scoresChecked)
                return round
            }
        }
        return try decode(whole(), file: file, oneReader: true, progress: progress)
    }

    /// The snapshot's bytes.
    func readSnapshot() throws(StoreError) -> Data {
        guard exists else {
            throw StoreError(.missing, file: path, .noStore)
        }
        try checkIsFile()
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StoreError(.unreadable, file: path, .unreadable(reason: Self.reason(error)))
        }
        return data
    }

    /// Refuse, in a sentence, a path that is not a regular file: a directory, a device such as
    /// /dev/null, a FIFO or a socket. Checked before anything opens it (opening a FIFO blocks).
    public func checkIsFile() throws(StoreError) {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        let what: StoreProblem
        switch st.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: what = .isDirectory(example: (path as NSString).appendingPathComponent("kurasi.json"))
        case S_IFCHR, S_IFBLK: what = .isDevice
        case S_IFIFO: what = .isFIFO
        case S_IFSOCK: what = .isSocket
        default: what = .notRegularFile
        }
        throw StoreError(.notAStore, file: path, what)
    }

    /// Whether the file starts the way Kurasi writes a store (`{ "schemaVersion" : N,`). Only
    /// such a file gets a lock file beside it when it is read.
    var looksLikeStore: Bool {
        var st = stat()
        guard stat(targetPath, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        return Self.headerVersion(Self.prefix(of: targetPath)) != nil
    }

    /// The first bytes of a regular file (empty when it cannot be read).
    static func prefix(of path: String, count: Int = 96) -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: count)
        let n = read(fd, &buf, count)
        return n > 0 ? Data(buf.prefix(n)) : Data()
    }

    /// The mode new files of this store get: the store's own (0600 for a new store).
    var fileMode: mode_t {
        var st = stat()
        return stat(targetPath, &st) == 0 ? st.st_mode & 0o7777 : 0o600
    }

    /// Decode a store document: the header first, so a newer schema is refused before anything
    /// else is read; then the round, with errors pointing at the line or field.
    public static func decode(_ data: Data, file: String) throws(StoreError) -> Round {
        try decode(data, file: file, oneReader: true)
    }

    /// `oneReader: false` reads with Foundation's decoder alone: the reference the one-pass
    /// reader is tested against.
    static func decode(_ data: Data, file: String, oneReader: Bool, progress: LoadObserver? = nil) throws(StoreError) -> Round {
        struct Header: Decodable { var schemaVersion: Int? }
        let header: Header
        do {
            // Kurasi writes the version at the top; read it there rather than parse the file twice.
            header = try headerVersion(data).map { Header(schemaVersion: $0) } ?? JSONDecoder().decode(Header.self, from: data)
        } catch {
            let (line, column) = syntaxPosition(data)
            if line == nil, String(data: data, encoding: .utf8) == nil {
                throw StoreError(.syntax, file: file, .notUTF8)
            }
            if line == nil {
                throw StoreError(.notAStore, file: file, .jsonNotStore)
            }
            throw StoreError(.syntax, file: file, line: line, column: column, .badJSON)
        }
        guard let version = header.schemaVersion else {
            throw StoreError(.notAStore, file: file, .noSchemaVersion)
        }
        if version > schemaVersion {
            throw StoreError(.newerSchema, file: file, .newerSchema(found: version, reads: schemaVersion))
        }
        if version < 1 {
            throw StoreError(.olderSchema, file: file, .impossibleSchema(found: version, reads: schemaVersion))
        }
        do {
            // The one-pass reader, or Foundation's decoder wherever it declines (every refusal).
            var read: Round?
            if oneReader {
                let (round, abandoned) = StoreReader.read(data, file: file, progress: progress, schema: version)
                if abandoned { throw StoreError.abandoned(file) }
                read = round
            }
            let decoder = JSONDecoder()
            decoder.userInfo[.kurasiSchemaVersion] = version
            let round = try read ?? decoder.decode(Round.self, from: data)
            try validate(round, file: file)
            return round
        } catch let error as StoreError {
            throw error
        } catch let e as SheetLengthMismatch {
            throw StoreError(.invalidContent, file: file, .scoresSheetLength(product: "\(e.product)", curator: "\(e.curator)",
                                                                             points: e.points, criteria: e.criteria.map(\.rawValue)))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            // Not JSON at all (cut short, damaged): say where.
            let (line, column) = syntaxPosition(data)
            throw StoreError(.syntax, file: file, line: line, column: column, .badJSON)
        } catch let error as DecodingError {
            throw StoreError(.invalidContent, file: file, .badField(describe(error)))
        } catch {
            throw StoreError(.invalidContent, file: file, .undecodable("\(error)"))
        }
    }

    /// The `schemaVersion` of a document that starts the way Kurasi writes it
    /// (`{ "schemaVersion" : N,`), from its first bytes; nil when it starts otherwise.
    static func headerVersion(_ data: Data) -> Int? {
        let prefix = data.prefix(96)
        guard let text = String(data: prefix, encoding: .utf8) ?? String(data: prefix.dropLast(3), encoding: .utf8),
              let r = text.range(of: #"^\{\s*"schemaVersion"\s*:\s*(\d{1,6})\s*,"#, options: .regularExpression)
        else { return nil }
        return Int(text[r].filter(\.isNumber))
    }

    /// Checks that decoding alone does not make: ids unique, references resolve.
    /// `scoresChecked`: the one-pass reader has already found every scored product among the
    /// products, every curator known and every point on the scale (the scores' pass is skipped).
    static func validate(_ round: Round, file: String, scoresChecked: Bool = false) throws(StoreError) {
        func fail(_ m: StoreProblem) -> StoreError { StoreError(.invalidContent, file: file, m) }
        // By position, reading only the ids (iterating would copy every product and producer).
        let producers = round.producers, products = round.products
        // The round's own indexes by id say at once whether anything is wrong: an id repeated
        // (an index shorter than its list), a producer's id that is a product's, a product whose
        // producer is unknown. Only then is the first fault looked for, in the order it always was.
        var clean = round.idsUnique
        if clean {
            for k in producers.indices where round.productPosition(ProductID(producers[k].id.rawValue)) != nil { clean = false; break }
        }
        if clean {
            // A producer's products mostly follow each other: its id is looked up once for them.
            var seenProducer: ProducerID?
            for k in products.indices {
                let producer = products[k].producer
                guard producer == seenProducer || round.producerPosition(producer) != nil else { clean = false; break }
                seenProducer = producer
            }
        }
        if !clean {
            // Every id once, producers' and products' alike; each says whether it is a product's.
            var ids: [String: Bool] = [:]
            ids.reserveCapacity(round.producers.count + round.products.count)
            for k in producers.indices where ids.updateValue(false, forKey: producers[k].id.rawValue) != nil {
                throw fail(.duplicateProducer("\(producers[k].id)"))
            }
            var seenProducer: ProducerID?
            for k in products.indices {
                let id = products[k].id, producer = products[k].producer
                guard ids.updateValue(true, forKey: id.rawValue) == nil else { throw fail(.duplicateProduct("\(id)")) }
                guard producer == seenProducer || ids[producer.rawValue] == false else { throw fail(.productUnknownProducer(product: "\(id)", producer: "\(producer)")) }
                seenProducer = producer
            }
        }
        let curators = Set(round.curators.map(\.id))
        let criteria = Set(round.rubric.criteria.map(\.id))
        let scale = round.rubric.scale
        // One fast pass says whether anything is wrong; only then is the first fault looked for
        // in id order, so that the message names the same entry on every run.
        func fault(_ p: ProductID, _ sheets: ProductSheets) -> StoreProblem? {
            guard round.product(p) != nil else { return .scoresUnknownProduct("\(p)") }
            for c in sheets.keys.sorted() {
                let sheet = sheets[c]!
                guard curators.contains(c) else { return .scoresUnknownCurator(product: "\(p)", curator: "\(c)") }
                for k in sheet.keys.sorted() {
                    guard criteria.contains(k) else { return .scoresUnknownCriterion(product: "\(p)", curator: "\(c)", criterion: "\(k)") }
                    let v = sheet[k]!
                    guard scale.contains(v) else { return .scoresOffScale(product: "\(p)", curator: "\(c)", criterion: "\(k)", value: v, min: round.rubric.scaleMin, max: round.rubric.scaleMax) }
                }
            }
            return nil
        }
        clean = true
        // Every product's sheets are laid out by the rubric's criteria, then any other criterion
        // they hold: a point is known and on the scale by its position and value alone.
        let known = round.criterionOrder.count
        // Arrays shared by many products (the rubric's ids; the same curators in the same order,
        // as the reader shares them) are checked once each.
        func same<T>(_ a: [T], _ b: [T]) -> Bool {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count } }
        }
        var checkedCurators: [CuratorID] = []
        scan: for (p, sheets) in scoresChecked ? [:] : round.scores {
            guard round.productPosition(p) != nil else { clean = false; break }
            if sheets.curators.isEmpty || !same(sheets.curators, checkedCurators) {
                for c in sheets.curators where !curators.contains(c) { clean = false; break scan }
                checkedCurators = sheets.curators
            }
            guard same(sheets.criteria, round.criterionOrder) || sheets.criteria.starts(with: round.criterionOrder),
                  sheets.allPoints(within: scale, known: known) else { clean = false; break }
        }
        if !clean {
            for p in round.scores.keys.sorted() {
                if let m = fault(p, round.scores[p]!) { throw fail(m) }
            }
        }
        for (cluster, pins) in round.pins {
            for pin in pins {
                guard let product = round.product(pin.product) else { throw fail(.pinUnknownProduct(cluster: cluster.rawValue, slot: pin.slot, product: "\(pin.product)")) }
                guard product.cluster == cluster else { throw fail(.pinWrongCluster(cluster: cluster.rawValue, slot: pin.slot, product: "\(pin.product)", productCluster: product.cluster.rawValue)) }
                guard (1...Round.pinSlots).contains(pin.slot) else { throw fail(.pinSlotOutOfRange(cluster: cluster.rawValue, slot: pin.slot, slots: Round.pinSlots)) }
            }
        }
    }

    /// Line and column (1-based) of the first JSON syntax error, or nil when the data parses.
    static func syntaxPosition(_ data: Data) -> (Int?, Int?) {
        do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]); return (nil, nil) } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            // Foundation says "... around character N." (a byte offset); without one, the end.
            var offset = data.count
            if let r = text.range(of: #"character (\d+)"#, options: .regularExpression),
               let n = Int(text[r].dropFirst("character ".count)) { offset = min(n, data.count) }
            var line = 1, column = 1
            for byte in data.prefix(offset) {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return (line, column)
        }
    }

    static func describe(_ error: DecodingError) -> FieldFault {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .replacingOccurrences(of: ".[", with: "[").trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let .keyNotFound(key, ctx):
            let at = path(ctx.codingPath)
            return .missing(key: key.stringValue, at: at)
        case let .typeMismatch(type, ctx):
            return .wrongType(path: path(ctx.codingPath), expected: "\(type)")
        case let .valueNotFound(type, ctx):
            return .null(path: path(ctx.codingPath), expected: "\(type)")
        case let .dataCorrupted(ctx):
            return .unknownValue(path: path(ctx.codingPath), detail: ctx.debugDescription)
        @unknown default:
            return .other("\(error)")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? CocoaError, let u = e.userInfo[NSUnderlyingErrorKey] as? NSError,
           let code = POSIXErrorCode(rawValue: Int32(u.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return (error as NSError).localizedDescription
    }

    // MARK: Saving

    /// The document's bytes: `schemaVersion` and `revision` first, the rest with sorted keys,
    /// `scores` (the last of them) written here, one sheet per line (see `writeScores`). Made by
    /// `write(_:to:)`, the same bytes a snapshot file gets.
    public static func encode(_ round: Round) throws -> Data {
        var out = Data()
        let sink = SnapshotSink(capacity: writeBuffer) { out.append(contentsOf: $0) }
        try write(round, to: sink)
        try sink.flush()
        return out
    }

    /// The size of the piece of the snapshot held in memory while it is written: 4 MB.
    static let writeBuffer = 4 << 20
    /// How many products (producers, events) are encoded at a time.
    static let encodeBatch = 512

    /// Write the document to `sink` a piece at a time: the top-level values one by one, the long
    /// arrays (events, producers, products) some hundred elements at a time, the scores a
    /// product at a time. The bytes are those Foundation's encoder gives for the whole document
    /// (pretty-printed, sorted keys; `encodeInOnePiece` is the reference): each piece is encoded
    /// on its own and indented to its depth. Only newlines between tokens are raw in that output
    /// (a string's newline is written `\n`), and blank lines (an empty array or object) stay blank.
    ///
    /// An event whose batch holds more than `changes` changes (a registry import adds a producer
    /// and a product per row) is written alone, its changes `changes` at a time spliced into the
    /// bytes of the event with an empty batch (as the journal does, see `Journal.encodeBody`):
    /// the same bytes, without the encoder's tree of a million-row import in memory at once.
    /// `progress` hears, after each piece, how many of `units(round)` are written.
    static func write(_ round: Round, to sink: SnapshotSink, batch: Int = encodeBatch, changes: Int = Journal.batchChunk,
                      progress: ((Int) -> Void)? = nil) throws {
        var done = 0
        func advance(_ n: Int) { done += n; progress?(done) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.kurasiScoresApart] = true
        try sink.append("{\n  \"schemaVersion\" : \(schemaVersion),\n  \"revision\" : \(round.revision),\n")
        func value<T: Encodable>(_ key: String, _ v: T) throws {
            try sink.append("  \"\(key)\" : ")
            try sink.append(indented(try encoder.encode(v), first: false))
        }
        func array<T: Encodable>(_ key: String, _ items: [T]) throws {
            guard !items.isEmpty else { return try value(key, items) }
            try sink.append("  \"\(key)\" : [\n")
            var start = items.startIndex
            while start < items.endIndex {
                let end = min(items.endIndex, start + max(1, batch))
                // `[\n  a,\n  b\n]`: the elements without the brackets, two spaces deeper.
                let data = try encoder.encode(Array(items[start..<end]))
                guard data.count > 4, data.prefix(2) == Data("[\n".utf8), data.suffix(2) == Data("\n]".utf8) else {
                    throw EncodingError.invalidValue(key, .init(codingPath: [], debugDescription: "unexpected array shape"))
                }
                if start > items.startIndex { try sink.append(",\n") }
                try sink.append(indented(data.dropFirst(2).dropLast(2), first: true))
                advance(end - start)
                start = end
            }
            try sink.append("\n  ]")
        }
        /// The events: runs of ordinary ones `batch` at a time, each large batch alone.
        func events(_ items: [Event]) throws {
            guard !items.isEmpty else { return try value("events", items) }
            try sink.append("  \"events\" : [\n")
            var start = items.startIndex
            while start < items.endIndex {
                if start > items.startIndex { try sink.append(",\n") }
                if case let .batch(list) = items[start].change, list.count > max(1, changes) {
                    try largeBatch(items[start], list)
                    start += 1
                    continue
                }
                var end = start
                while end < min(items.endIndex, start + max(1, batch)) {
                    if case let .batch(list) = items[end].change, list.count > max(1, changes) { break }
                    end += 1
                }
                let data = try encoder.encode(Array(items[start..<end]))
                guard data.count > 4, data.prefix(2) == Data("[\n".utf8), data.suffix(2) == Data("\n]".utf8) else {
                    throw EncodingError.invalidValue("events", .init(codingPath: [], debugDescription: "unexpected array shape"))
                }
                try sink.append(indented(data.dropFirst(2).dropLast(2), first: true))
                advance(end - start)
                start = end
            }
            try sink.append("\n  ]")
        }
        /// One event of a large batch, as an element of the events array: the event with an empty
        /// batch encoded, and its changes encoded `changes` at a time into the empty list's place,
        /// indented to its depth.
        func largeBatch(_ event: Event, _ list: [Change]) throws {
            var shell = event
            shell.change = .batch([])
            let data = try encoder.encode([shell])
            let marker = Data("\"changes\" : [".utf8)
            guard data.count > 4, data.prefix(2) == Data("[\n".utf8), data.suffix(2) == Data("\n]".utf8),
                  let at = data.range(of: marker), data.range(of: marker, in: at.upperBound..<data.endIndex) == nil,
                  let close = data[at.upperBound...].firstIndex(where: { $0 != 0x0A && $0 != 0x20 }), data[close] == UInt8(ascii: "]"),
                  let lineStart = data[at.upperBound..<close].lastIndex(of: 0x0A) else {
                throw EncodingError.invalidValue("events", .init(codingPath: [], debugDescription: "unexpected batch shape"))
            }
            // The element's own lines: `  {` … `  }` (the array's brackets dropped).
            let body = data.startIndex + 2..<data.endIndex - 2
            let depth = close - lineStart - 1  // the closing bracket's indentation
            try sink.append(indented(data[body.lowerBound..<at.upperBound], first: true))
            for from in stride(from: 0, to: list.count, by: max(1, changes)) {
                let part = try encoder.encode(Array(list[from..<min(list.count, from + max(1, changes))]))
                guard part.count > 4, part.prefix(2) == Data("[\n".utf8), part.suffix(2) == Data("\n]".utf8) else {
                    throw EncodingError.invalidValue("events", .init(codingPath: [], debugDescription: "unexpected array shape"))
                }
                var piece: [UInt8] = Array((from == 0 ? "\n" : ",\n").utf8)
                piece.append(contentsOf: indented(part.dropFirst(2).dropLast(2), first: true, by: depth))
                try sink.append(indented(Data(piece), first: false))
                advance(min(list.count, from + max(1, changes)) - from)
            }
            try sink.append(indented(data[lineStart..<body.upperBound], first: false))
        }
        // The keys of Round's encoding, in sorted order; `scores` last, written apart.
        try value("curators", round.curators); try sink.append(",\n")
        try events(round.events); try sink.append(",\n")
        try value("pins", round.pins); try sink.append(",\n")
        try array("producers", round.producers); try sink.append(",\n")
        try array("products", round.products); try sink.append(",\n")
        try value("round", round.round); try sink.append(",\n")
        try value("rubric", round.rubric)
        try writeScores(round, to: sink)
        try sink.append("\n}\n")
        advance(1)
    }

    /// What `write`'s progress counts to: an event each (a large batch: its changes), a producer
    /// and a product each, and one for the rest.
    static func units(_ round: Round, changes: Int = Journal.batchChunk) -> Int {
        var n = round.producers.count + round.products.count + 1
        for e in round.events {
            if case let .batch(list) = e.change, list.count > max(1, changes) { n += list.count } else { n += 1 }
        }
        return n
    }

    /// `json` two spaces deeper: after each newline (but not on a blank line), and before the
    /// first line when `first`.
    static func indented(_ json: Data, first: Bool, by spaces: Int = 2) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 8 * (spaces / 2))
        if first { out.append(contentsOf: repeatElement(0x20, count: spaces)) }
        json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let n = raw.count
            for i in 0..<n {
                let b = raw[i]
                out.append(b)
                if b == 0x0A, i + 1 < n, raw[i + 1] != 0x0A { out.append(contentsOf: repeatElement(0x20, count: spaces)) }
            }
        }
        return out
    }

    /// The whole document built in memory at once, as Kurasi wrote it before snapshots were
    /// written in pieces: the reference `write(_:to:)` is tested against, byte for byte.
    static func encodeInOnePiece(_ round: Round) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.kurasiScoresApart] = true
        var body = try encoder.encode(round)
        // body is "{\n  ...\n}"; put the header right after the opening brace, and `scores`,
        // the last key in sorted order, before the closing one.
        let header = "{\n  \"schemaVersion\" : \(schemaVersion),\n  \"revision\" : \(round.revision),\n"
        body.removeFirst(2)
        guard body.count >= 2, body.suffix(2) == Data("\n}".utf8) else { throw EncodingError.invalidValue(round, .init(codingPath: [], debugDescription: "unexpected document shape")) }
        body.removeLast(2)
        var out = Data(header.utf8)
        out.append(body)
        var scores: [UInt8] = []
        let sink = SnapshotSink(capacity: .max) { scores.append(contentsOf: $0) }
        try writeScores(round, to: sink)
        try sink.flush()
        out.append(contentsOf: scores)
        out.append(contentsOf: Array("\n}\n".utf8))
        return out
    }

    /// The document as schema 1 wrote it (each sheet an object by criterion id): what a store
    /// from before schema 2 holds, for the tests of the migration and of the way back.
    static func encodeV1(_ round: Round) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var body = try encoder.encode(round)
        body.removeFirst(2)
        var out = Data("{\n  \"schemaVersion\" : 1,\n  \"revision\" : \(round.revision),\n".utf8)
        out.append(body)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// `,\n  "scores" : { … }` of schema 2: products and curators in id order, each sheet on
    /// its own line as an array in the rubric's criterion order, `null` where not scored:
    /// `      "K2" : [4, 3, null, 4, 3, 4]`.
    /// Written to `sink` a product at a time.
    static func writeScores(_ round: Round, to sink: SnapshotSink) throws {
        let order = round.criterionOrder
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        out.append(contentsOf: Array(",\n  \"scores\" : ".utf8))
        guard !round.scores.isEmpty else { out.append(contentsOf: Array("{}".utf8)); return try sink.append(out) }
        out.append(contentsOf: Array("{\n".utf8))
        var firstProduct = true
        for p in round.scores.keys.sorted() {
            if out.count >= 2048 { try sink.append(out); out.removeAll(keepingCapacity: true) }
            let sheets = round.scores[p]!
            if !firstProduct { out.append(contentsOf: Array(",\n".utf8)) }
            firstProduct = false
            out.append(contentsOf: Array("    ".utf8)); writeString(p.rawValue, into: &out)
            guard !sheets.isEmpty else { out.append(contentsOf: Array(" : {}".utf8)); continue }
            out.append(contentsOf: Array(" : {\n".utf8))
            let byPosition = sheets.criteria.starts(with: order)
            let rows = sheets.curators.enumerated().sorted { $0.element < $1.element }
            for (n, (row, curator)) in rows.enumerated() {
                out.append(contentsOf: Array("      ".utf8)); writeString(curator.rawValue, into: &out)
                out.append(contentsOf: Array(" : [".utf8))
                let points = byPosition ? nil : sheets[curator]?.points(in: order).points
                for i in order.indices {
                    if i > 0 { out.append(contentsOf: Array(", ".utf8)) }
                    if let v = byPosition ? sheets.point(row: row, column: i) : points?[i] ?? nil {
                        writeInt(v, into: &out)
                    } else {
                        out.append(contentsOf: Array("null".utf8))
                    }
                }
                out.append(UInt8(ascii: "]"))
                if n < rows.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            out.append(contentsOf: Array("    }".utf8))
        }
        out.append(contentsOf: Array("\n  }".utf8))
        try sink.append(out)
    }

    /// A JSON string: as it is when it needs no escape (every id Kurasi makes), else as
    /// Foundation's encoder writes it.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out.append(UInt8(ascii: "\"")); out.append(contentsOf: s.utf8); out.append(UInt8(ascii: "\""))
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        out.append(contentsOf: (try? encoder.encode(s)) ?? Data("\"\"".utf8))
    }

    static func writeInt(_ v: Int, into out: inout [UInt8]) {
        if (0...9).contains(v) { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        out.append(contentsOf: String(v).utf8)
    }

    /// Durably replace the store with `round`. The first write of a schema 2 snapshot over a
    /// schema 1 one keeps the old file as `<store>.v1.bak` first (durably; never overwritten).
    /// The snapshot is written a piece at a time (see `write(_:to:)`): it is never whole in memory.
    public func save(_ round: Round) throws(StoreError) {
        _ = try saveIndexed(round)
    }

    /// `save`, with the index of what was written (made as it was written).
    func saveIndexed(_ round: Round, buffer: Int = Self.writeBuffer) throws(StoreError) -> StoreIndex.Builder {
        try keepV1Snapshot()
        let (tmp, index) = try Self.writeSnapshotTemp(round, for: targetPath, shownAs: path, faultsFor: targetPath, buffer: buffer)
        try Self.install(tmp, at: targetPath, shownAs: path, renamed: .snapshotRenamed)
        return index
    }

    /// The first half of a durable replace of the snapshot: `round` written to a temp file beside
    /// `target` through a buffer of `buffer` bytes, fsynced, with the index of the bytes written.
    /// A write that fails part way (a full disk) removes the temp file: the old snapshot is as it was.
    static func writeSnapshotTemp(_ round: Round, for target: String, shownAs shown: String, faultsFor store: String,
                                  buffer: Int = writeBuffer,
                                  progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(StoreError) -> (String, StoreIndex.Builder) {
        let index = StoreIndex.Builder()
        let total = progress == nil ? 0 : units(round)
        let tmp = try writeTemp(for: target, shownAs: shown, written: .snapshotTempWritten, faultsFor: store) { file in
            let sink = SnapshotSink(capacity: buffer) { bytes throws in
                try file.write(bytes)
                index.feed(bytes)
            }
            try write(round, to: sink, progress: progress.map { report in { report($0, total) } })
            try sink.flush()
        }
        return (tmp, index)
    }

    /// The `schemaVersion` the snapshot on disk starts with (nil: no store Kurasi wrote there).
    public var schemaOnDisk: Int? { Self.headerVersion(Self.prefix(of: targetPath)) }

    /// Where a schema 1 snapshot is kept when the store is first written in schema 2.
    public var v1BackupPath: String { targetPath + ".v1.bak" }

    /// Copy a schema 1 snapshot to `<store>.v1.bak` before it is replaced, unless one is there.
    func keepV1Snapshot() throws(StoreError) {
        guard let version = Self.headerVersion(Self.prefix(of: targetPath)), version < 2,
              !FileManager.default.fileExists(atPath: v1BackupPath) else { return }
        try Self.durableCopy(of: targetPath, to: v1BackupPath, shownAs: path,
                             points: (.v1BackupTempWritten, .v1BackupWritten), faultsFor: targetPath)
    }

    static func durableWrite(_ data: Data, to target: String, shownAs shown: String,
                             points: (written: CrashPoint, renamed: CrashPoint)? = nil, faultsFor store: String? = nil) throws(StoreError) {
        let tmp = try writeTemp(data, for: target, shownAs: shown, written: points?.written, faultsFor: store)
        try install(tmp, at: target, shownAs: shown, renamed: points?.renamed)
    }

    /// Durably copy the file at `source` (a path, opened here) to `target`, a piece at a time.
    static func durableCopy(of source: String, to target: String, shownAs shown: String,
                            points: (written: CrashPoint, renamed: CrashPoint), faultsFor store: String) throws(StoreError) {
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError(.unreadable, file: shown, .backupUnreadable(reason: String(cString: strerror(errno))))
        }
        defer { close(fd) }
        try durableCopy(fd, to: target, shownAs: shown, points: points, faultsFor: store)
    }

    /// Durably copy the open file `fd` (from its start, whatever its offset) to `target`.
    /// Returns which file the copy is (its device and inode), for `durableLink`.
    @discardableResult
    static func durableCopy(_ fd: Int32, to target: String, shownAs shown: String,
                            points: (written: CrashPoint, renamed: CrashPoint), faultsFor store: String) throws(StoreError) -> FileID? {
        let tmp = try writeTemp(for: target, shownAs: shown, written: points.written, faultsFor: store) { file in
            _ = try copy(fd, length: nil, to: file, shownAs: shown)
        }
        let id = FileID(tmp)
        try install(tmp, at: target, shownAs: shown, renamed: points.renamed)
        return id
    }

    /// A file on disk, whatever its names: its device and inode.
    struct FileID: Equatable {
        var device: UInt64, inode: UInt64
        init?(_ path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            device = UInt64(st.st_dev); inode = UInt64(st.st_ino)
        }
    }

    /// Make `target` durably a second name of the file at `source` (a hard link: one file on
    /// disk), when `source` is still the file `expected` (a copy just made, fsynced, that nothing
    /// writes to again: every file Kurasi keeps is replaced by rename, never rewritten). The link
    /// is made under a temp name and renamed into place (the points are reached as a copy's
    /// would be), then the directory is fsynced. When `source` is another file by now, or the file
    /// system refuses the link (EXDEV, EPERM, EMLINK, …), `target` is a durable copy of `fd`.
    static func durableLink(_ source: String, expected: FileID?, to target: String, orCopy fd: Int32, shownAs shown: String,
                            points: (written: CrashPoint, renamed: CrashPoint), faultsFor store: String) throws(StoreError) {
        // A write fault injected at the copy's point fails the copy (below), as it always did.
        if let expected, !WriteFaults.shouldFail(points.written, target: store), !WriteFaults.linksRefused(target: store) {
            let tmp = tempPath(for: target)
            if link(source, tmp) == 0 {
                if FileID(tmp) == expected {
                    points.written.reached()
                    try install(tmp, at: target, shownAs: shown, renamed: points.renamed)
                    return
                }
                unlink(tmp)
            }
        }
        try durableCopy(fd, to: target, shownAs: shown, points: points, faultsFor: store)
    }

    /// Copy `fd` from its start (`length` bytes, or to its end) to `file` through a buffer of a
    /// few MB; the bytes copied. A read error is the backup's: the old file could not be read.
    @discardableResult
    static func copy(_ fd: Int32, length: Int?, to file: TempFile, shownAs shown: String, buffer: Int = writeBuffer,
                     unreadable: ((String) -> StoreError)? = nil) throws(StoreError) -> Int {
        let size = max(1, min(buffer, length ?? buffer))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { chunk.deallocate() }
        var done = 0
        while length.map({ done < $0 }) ?? true {
            let want = min(size, length.map { $0 - done } ?? size)
            let n = pread(fd, chunk.baseAddress, want, off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw unreadable?(reason) ?? StoreError(.unreadable, file: shown, .backupUnreadable(reason: reason))
            }
            if n == 0 { break }
            try file.write(UnsafeRawBufferPointer(start: chunk.baseAddress, count: n))
            done += n
        }
        return done
    }

    /// A name for a temp file of `target` in its directory: `.<name>.tmp-<pid>.<n>`, unique in
    /// this process (two compactions of one store in one process never share one), and named
    /// after the process so that `removeStaleTemps` knows whose it is.
    static func tempPath(for target: String) -> String {
        let dir = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        tempCounter.lock(); defer { tempCounter.unlock() }
        tempCount += 1
        return (dir.isEmpty ? "" : dir + "/") + ".\(base).tmp-\(getpid()).\(tempCount)"
    }
    private static let tempCounter = NSLock()
    nonisolated(unsafe) private static var tempCount = 0

    /// The first half of a durable replace: `data` in a temp file beside `target` (the target's
    /// mode, or `mode`, or 0600), written and fsynced. Returns the temp file's path; on failure
    /// nothing is left behind.
    static func writeTemp(_ data: Data, for target: String, shownAs shown: String, mode wanted: mode_t? = nil,
                          written point: CrashPoint? = nil, faultsFor store: String? = nil) throws(StoreError) -> String {
        try writeTemp(for: target, shownAs: shown, mode: wanted, written: point, faultsFor: store) { file in
            try data.withUnsafeBytes { try file.write($0) }
        }
    }

    /// A temp file being written: each `write` goes to the disk at once (retrying short writes).
    /// A write fault injected at its point (`WriteFaults`, `KURASI_FAIL_AT`) fails the second
    /// write, part way through the file, as a disk that fills up would (or, when everything went
    /// in one write, the file's end).
    final class TempFile {
        let fd: Int32
        fileprivate let fault: Bool
        fileprivate let fail: (WriteStep, Int32) -> StoreError
        fileprivate var writes = 0
        fileprivate init(fd: Int32, fault: Bool, fail: @escaping (WriteStep, Int32) -> StoreError) {
            self.fd = fd; self.fault = fault; self.fail = fail
        }
        func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
            guard !bytes.isEmpty else { return }
            writes += 1
            if fault, writes >= 2 { throw fail(.writing, EIO) }
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 { if errno == EINTR { continue }; throw fail(.writing, errno) }
                done += n
            }
        }
    }

    /// The directory a file is written in, as a message names it ("check free space and
    /// permissions of DIR."): absolute, so that a store given as `kurasi.json` names its directory
    /// instead of "." (which read as "of ..") or nothing at all.
    static func shownDirectory(of path: String) -> String {
        var dir = (path as NSString).deletingLastPathComponent
        if !dir.hasPrefix("/") {
            let cwd = FileManager.default.currentDirectoryPath
            dir = dir.isEmpty || dir == "." ? cwd : (cwd as NSString).appendingPathComponent(dir)
        }
        return dir
    }

    /// The first half of a durable replace, the bytes written by `body` (to the temp file, as it
    /// makes them). Returns the temp file's path; on failure nothing is left behind.
    static func writeTemp(for target: String, shownAs shown: String, mode wanted: mode_t? = nil,
                          written point: CrashPoint? = nil, faultsFor store: String? = nil,
                          _ body: (TempFile) throws -> Void) throws(StoreError) -> String {
        let dir = shownDirectory(of: target)
        func fail(_ what: WriteStep, _ err: Int32 = errno) -> StoreError {
            StoreError(.writeFailed, file: shown, .saveFailed(what, reason: String(cString: strerror(err)), directory: dir))
        }
        var mode: mode_t = wanted ?? 0o600
        var st = stat()
        if wanted == nil, stat(target, &st) == 0 { mode = st.st_mode & 0o7777 }
        let tmp = tempPath(for: target)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail(.creating(tmp)) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        // open() applies the umask; set the mode exactly.
        guard fchmod(fd, mode) == 0 else { let e = errno; close(fd); throw fail(.settingMode, e) }
        let fault = point.map { WriteFaults.shouldFail($0, target: store ?? target) } ?? false
        let file = TempFile(fd: fd, fault: fault, fail: { fail($0, $1) })
        do {
            try body(file)
            if fault { throw fail(.writing, EIO) }
        } catch let error as StoreError {
            close(fd); throw error
        } catch {
            close(fd); throw StoreError(.writeFailed, file: shown, .encodeFailed("\(error)"))
        }
        guard fsync(fd) == 0 else { let e = errno; close(fd); throw fail(.fsync, e) }
        guard close(fd) == 0 else { throw fail(.closing) }
        ok = true
        point?.reached()
        return tmp
    }

    /// The second half: rename the temp file over `target` and fsync the directory. On failure
    /// the temp file is removed and `target` is as it was.
    static func install(_ tmp: String, at target: String, shownAs shown: String, renamed point: CrashPoint? = nil) throws(StoreError) {
        let dir = shownDirectory(of: target)
        guard rename(tmp, target) == 0 else {
            let e = errno
            unlink(tmp)
            throw StoreError(.writeFailed, file: shown, .saveFailed(.renaming, reason: String(cString: strerror(e)), directory: dir))
        }
        point?.reached()
        fsyncDirectory(of: target)
    }

    // MARK: Locked update

    /// Take the store's lock, catch up with the journal, let `body` change the round, and append
    /// what it changed to the journal. Another writer waits for the lock rather than overwriting.
    public func update<T>(_ body: (inout Round) throws -> T) throws -> T {
        try StoreHandle(store: self).commit(body)
    }

    /// Create a new store; refuses to replace an existing file or to adopt a stray journal.
    public func create(_ round: Round) throws(StoreError) {
        try checkIsFile()
        if exists || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            throw StoreError(.writeFailed, file: path, .alreadyExists)
        }
        if FileManager.default.fileExists(atPath: journalPath) {
            throw StoreError(.writeFailed, file: path, .orphanJournal(journal: journalPath))
        }
        let lock = try StoreLock(storePath: path, shownAs: path)
        defer { lock.release() }
        try save(round)
    }

    // MARK: Backups

    /// Backups beside the store, newest first: (revision, path).
    public func backups() -> [(revision: Int, path: String)] {
        let dir = (targetPath as NSString).deletingLastPathComponent
        let base = (targetPath as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(base + ".r"), name.hasSuffix(".bak"),
                  let rev = Int(name.dropFirst(base.count + 2).dropLast(4)) else { return nil }
            return (rev, dir.isEmpty ? name : dir + "/" + name)
        }.sorted { $0.0 > $1.0 }
    }

    /// Journal segments kept with the backups: (revision it starts after, path), oldest first.
    public func journalSegments() -> [(revision: Int, path: String)] {
        let dir = (targetPath as NSString).deletingLastPathComponent
        let base = (targetPath as NSString).lastPathComponent + Journal.suffix + ".r"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(base), let rev = Int(name.dropFirst(base.count)) else { return nil }
            return (rev, dir.isEmpty ? name : dir + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Read a journal (or a kept segment of one) through, throwing on damage before its last line.
    public static func checkJournal(_ data: Data, file: String) throws(StoreError) {
        _ = try Journal.read(data, file: file)
    }

    /// Remove the temp files (`.<store>.tmp-PID.N`, `.<store>.rN.bak.tmp-PID.N`, …) that a
    /// process killed mid-compaction left behind; only those of processes that no longer run.
    /// Called by a writer under the exclusive lock; a compaction that is writing its temp files
    /// without the lock is a live process, whose files stay.
    func removeStaleTemps() {
        let target = targetPath
        let dir = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return }
        for name in names where name.hasPrefix("." + base + ".") {
            // `.tmp-<pid>` or `.tmp-<pid>.<n>`.
            guard let r = name.range(of: ".tmp-", options: .backwards),
                  let pid = pid_t(name[r.upperBound...].prefix { $0 != "." }), pid > 0 else { continue }
            let middle = name[name.index(name.startIndex, offsetBy: base.count + 1)..<r.lowerBound]
            // The snapshot's own temp file, a backup's (".rN.bak", ".v1.bak"), the index's, or a
            // compaction's new journal (".journal") and journal segment (".journal.rN").
            guard middle.isEmpty || middle == StoreIndex.suffix || middle == ".v1.bak" || middle == Journal.suffix
                    || middle.range(of: #"^\.r\d+\.bak$"#, options: .regularExpression) != nil
                    || middle.range(of: #"^\.journal\.r\d+$"#, options: .regularExpression) != nil else { continue }
            if pid == getpid() { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running
            unlink(dir.isEmpty ? name : dir + "/" + name)
        }
    }

    /// How many backups are kept whatever their size, how many at most, and the bytes all of
    /// them may take: `budget` times the snapshot's size, or `floor` bytes when that is more
    /// (see `rotateBackups`).
    public static let backupsKept = (always: 3, most: 10, budget: 2, floor: Int64(64 << 20))

    /// Keep the newest backups and the journal segments that lead on from them: the newest three
    /// whatever their size, and older ones, up to ten in all, while all the kept backups and their
    /// segments together take no more than twice the snapshot's size (or 64 MB, for a small
    /// store: ten backups of a 3 MB round are kept). Once one is not kept, no older one is (a
    /// backup is only of use with every segment after it). A file with two names (the
    /// migration's `.v1.bak` is the first schema 2 compaction's backup) is counted once; the
    /// `.v1.bak` name itself is never removed.
    func rotateBackups(always: Int = backupsKept.always, most: Int = backupsKept.most, budget: Int = backupsKept.budget,
                       floor: Int64 = backupsKept.floor) {
        let all = backups()
        let segments = Dictionary(journalSegments().map { ($0.revision, $0.path) }, uniquingKeysWith: { a, _ in a })
        func size(_ path: String?) -> (Int64, UInt64)? {
            var st = stat()
            guard let path, stat(path, &st) == 0 else { return nil }
            return (Int64(st.st_size), UInt64(st.st_ino))
        }
        let allowed = max(floor, (size(targetPath)?.0 ?? 0) * Int64(max(0, budget)))
        var total: Int64 = 0
        var seen: Set<UInt64> = []
        var keep = 0
        for backup in all.prefix(max(always, most)) {
            for (bytes, inode) in [size(backup.path), size(segments[backup.revision])].compactMap({ $0 }) where seen.insert(inode).inserted {
                total += bytes
            }
            guard keep < always || total <= allowed else { break }
            keep += 1
        }
        for old in all.dropFirst(keep) { unlink(old.path) }
        guard let oldestKept = all.prefix(keep).last?.revision else { return }
        for segment in journalSegments() where segment.revision < oldestKept { unlink(segment.path) }
    }
}

/// An exclusive flock on `<store>.lock`, a separate file so that the store itself can be
/// replaced by rename while the lock is held.
final class StoreLock {
    private var fd: Int32
    /// An exclusive lock for writers; `shared` for readers, who must not see a snapshot and a
    /// journal from two sides of a compaction.
    init(storePath: String, shownAs: String, shared: Bool = false) throws(StoreError) {
        let lockPath = storePath + ".lock"
        fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0, shared {
            // A reader in a directory it may not write to: nobody can be writing there either.
            fd = open(lockPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 { return }
        }
        guard fd >= 0 else {
            throw StoreError(.locked, file: shownAs, .lockUnopenable(lockFile: lockPath, reason: String(cString: strerror(errno))))
        }
        while flock(fd, shared ? LOCK_SH : LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let e = errno; close(fd)
            throw StoreError(.locked, file: shownAs, .lockFailed(reason: String(cString: strerror(e))))
        }
    }
    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN); close(fd); fd = -1
    }
    deinit { release() }
}

/// Where a snapshot's bytes go as they are made: kept in a buffer of `capacity` bytes and handed
/// on (to a temp file, to the index, or to a `Data` in memory) whenever it is full, and at
/// `flush`. Each piece handed on is at most `capacity` bytes.
final class SnapshotSink {
    let capacity: Int
    private var buffer: [UInt8] = []
    private let handOn: (UnsafeRawBufferPointer) throws -> Void
    /// The bytes handed on so far.
    private(set) var handedOn = 0

    init(capacity: Int, _ handOn: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.capacity = max(1, capacity)
        self.handOn = handOn
        buffer.reserveCapacity(min(self.capacity, 1 << 22))
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            let n = min(capacity - buffer.count, rest.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest.prefix(n)))
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(n))
            if buffer.count >= capacity { try flush() }
        }
    }

    func append(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try append($0) } }
    func append(_ data: Data) throws { try data.withUnsafeBytes { try append($0) } }
    func append(_ text: String) throws { try append(Array(text.utf8)) }

    /// Hand on what the buffer holds.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try handOn($0) }
        handedOn += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
