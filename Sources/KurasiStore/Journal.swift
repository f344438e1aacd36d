import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// The journal beside the store (`<store>.journal`): one JSON line per event, appended and
/// fsynced before the edit is acknowledged. Each line carries a CRC-32 of its event's JSON, so a
/// flipped byte is found. The snapshot is compacted from it; it doubles as the audit trail.
///
/// Reading: lines at or below the snapshot's revision were compacted already and are skipped.
/// A damaged or incomplete *last* line is what a crash mid-append leaves: it is dropped with a
/// warning (and cut off before the next append). Damage on any earlier line is an error naming
/// the line: something other than a crash changed the file.
struct Journal {
    static let suffix = ".journal"

    struct Line: Codable {
        var checksum: String
        var event: Event
    }

    /// What reading found: the events, where the last good line ends, and a warning when a torn
    /// last line was dropped.
    struct Tail {
        var events: [Event] = []
        var goodLength: Int
        var lines: Int
        var warning: StoreWarning?
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func checksum(_ data: Data) -> String { "crc32:" + String(format: "%08x", CRC32.of(data)) }

    static func encode(_ event: Event) throws -> Data {
        let body = try encodeBody(event)
        var line = Data("{\"checksum\":\"\(checksum(body))\",\"event\":".utf8)
        line.reserveCapacity(line.count + body.count + 2)
        line.append(body)
        line.append(contentsOf: Array("}\n".utf8))
        return line
    }

    /// How many changes of a batch are encoded at a time (see `encodeBody`).
    static let batchChunk = 1_000

    /// An event's bytes as `encoder` writes them. A batch of many changes (a registry import adds
    /// a producer and a product per row) is encoded `batchChunk` changes at a time and spliced into
    /// the bytes of the event with an empty batch: the same bytes as encoding it whole (the
    /// checksum the reader recomputes is the same), without the encoder's tree of the whole event
    /// in memory at once.
    static func encodeBody(_ event: Event) throws -> Data {
        var body = Data()
        try encodeBody(event) { body.append($0) }
        return body
    }

    /// The same bytes handed to `put` a piece at a time (the event with an empty batch around
    /// its changes' chunks): a line written this way is never whole in memory.
    static func encodeBody(_ event: Event, into put: (Data) throws -> Void) throws {
        guard case let .batch(list) = event.change, list.count > batchChunk else { return try put(encoder.encode(event)) }
        var shell = event
        shell.change = .batch([])
        let head = try encoder.encode(shell)
        let marker = Data("\"changes\":[]".utf8)
        guard let at = head.range(of: marker), head.range(of: marker, in: at.upperBound..<head.endIndex) == nil else {
            return try put(encoder.encode(event))
        }
        let open = at.upperBound - 1  // the "]" of the empty list
        try put(head[head.startIndex..<open])
        for start in stride(from: 0, to: list.count, by: batchChunk) {
            let chunk = try encoder.encode(Array(list[start..<min(list.count, start + batchChunk)]))
            if start > 0 { try put(Data(",".utf8)) }
            try put(chunk[(chunk.startIndex + 1)..<(chunk.endIndex - 1)])  // without its [ ]
        }
        try put(head[open..<head.endIndex])
    }

    /// Write `event`'s line (with its newline) to `file` as `encode` makes it, its body a piece at
    /// a time (`encodeBody(_:into:)`): the line is never whole in memory. The checksum, which
    /// comes first, is written as zeros and put in place once the body is written.
    static func write(_ event: Event, to file: Store.TempFile) throws {
        let start = lseek(file.fd, 0, SEEK_CUR)
        let head = "{\"checksum\":\"crc32:"
        try Array((head + "00000000\",\"event\":").utf8).withUnsafeBytes { try file.write($0) }
        var crc: UInt32 = 0xFFFF_FFFF
        try encodeBody(event) { bytes in
            crc = CRC32.update(crc, bytes)
            try bytes.withUnsafeBytes { try file.write($0) }
        }
        try Array("}\n".utf8).withUnsafeBytes { try file.write($0) }
        let sum = Array(String(format: "%08x", crc ^ 0xFFFF_FFFF).utf8)
        guard start >= 0, pwrite(file.fd, sum, sum.count, start + off_t(head.utf8.count)) == sum.count else {
            throw StoreError(.writeFailed, file: "", .journalEncodeFailed(String(cString: strerror(errno))))
        }
    }

    /// Lines longer than this are read by the fast path first (see `parse`).
    static let largeLine = 64 << 10

    /// One line (without its newline): its event, or what is wrong with it.
    ///
    /// A long line (an import's, over `largeLine` bytes) is first read the fast way: when its
    /// bytes are laid out as `encode` writes them and the checksum is that of the event's bytes as
    /// they stand, the event is read by the store's one-pass reader (`StoreReader.event`) instead
    /// of Foundation's decoder and encoder (a 615 MB line took 119 s and 4.7 GB that way). When
    /// either declines, the line is read as every other line is, with the same outcome.
    static func parse(_ chunk: Data, decoder: JSONDecoder = JSONDecoder()) -> Result<Event, LineProblem> {
        if chunk.count > largeLine, let event = parseFast(chunk) { return .success(event) }
        guard let line = try? decoder.decode(Line.self, from: chunk) else {
            return .failure(LineProblem(.unreadable))
        }
        let body = (try? encodeBody(line.event)) ?? Data()
        guard checksum(body) == line.checksum else { return .failure(LineProblem(.checksum)) }
        return .success(line.event)
    }

    /// The event of a line laid out as `encode` writes it (`{"checksum":"crc32:XXXXXXXX","event":…}`)
    /// whose checksum is that of the event's bytes, read by the one-pass reader; nil otherwise.
    static func parseFast(_ chunk: Data) -> Event? {
        let head = Array("{\"checksum\":\"crc32:".utf8), mid = Array("\",\"event\":".utf8)
        let fixed = head.count + 8 + mid.count
        guard chunk.count > fixed + 1 else { return nil }
        return chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Event? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.prefix(head.count).elementsEqual(head),
                  bytes[(head.count + 8)..<fixed].elementsEqual(mid), bytes[bytes.count - 1] == UInt8(ascii: "}") else { return nil }
            var want: UInt32 = 0
            for b in bytes[head.count..<(head.count + 8)] {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): want = want << 4 | UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): want = want << 4 | UInt32(b - UInt8(ascii: "a") + 10)
                default: return nil
                }
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[fixed..<(raw.count - 1)])
            guard CRC32.update(0xFFFF_FFFF, body) ^ 0xFFFF_FFFF == want else { return nil }
            return StoreReader.event(body)
        }
    }

    struct LineProblem: Error, CustomStringConvertible {
        var fault: JournalFault
        init(_ f: JournalFault) { fault = f }
        var description: String { fault.text(.en) }
    }

    /// Parse journal bytes starting at `offset` (a line start), numbering lines from `firstLine`.
    static func read(_ data: Data, from offset: Int = 0, firstLine: Int = 1, file: String) throws(StoreError) -> Tail {
        var tail = Tail(goodLength: offset, lines: firstLine - 1)
        var start = offset
        // Offsets from the data's start; each line a slice of it (a long line is not copied).
        let data = data.startIndex == 0 ? data : Data(data)
        let count = data.count
        let decoder = JSONDecoder()
        while start < count {
            let newline = data.withUnsafeBytes { raw -> Int? in
                guard let p = memchr(raw.baseAddress! + start, 0x0A, count - start) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
            }
            let end = newline ?? count
            let lineNumber = tail.lines + 1
            let isLast = newline == nil || end + 1 >= count
            let chunk = data[start..<end]
            var problem: JournalFault?
            if newline == nil {
                problem = .incomplete
            } else {
                switch parse(chunk, decoder: decoder) {
                case .success(let event): tail.events.append(event)
                case .failure(let p): problem = p.fault
                }
            }
            if let problem {
                if isLast {
                    tail.warning = .tornLastLine(file: file, line: lineNumber, problem)
                    return tail
                }
                throw StoreError(.invalidContent, file: file, line: lineNumber, .journalDamaged(line: lineNumber, problem))
            }
            tail.lines = lineNumber
            start = end + 1
            tail.goodLength = start
        }
        return tail
    }

    /// Append lines and fsync; the directory is fsynced too when the file is new.
    static func append(_ events: [Event], to path: String, mode: mode_t, shownAs: String, store target: String) throws(StoreError) {
        var data = Data()
        do {
            // One event (an edit, an import) is its line as it is, not a copy of it.
            if events.count == 1 { data = try encode(events[0]) } else { for e in events { data.append(try encode(e)) } }
        } catch {
            throw StoreError(.writeFailed, file: shownAs, .journalEncodeFailed("\(error)"))
        }
        let existed = access(path, F_OK) == 0
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw writeError(shownAs, path, .openingJournal) }
        defer { close(fd) }
        if !existed { _ = fchmod(fd, mode) }
        var before = stat()
        fstat(fd, &before)
        let failed = WriteFaults.shouldFail(.journalWritten, target: target)
        if failed { errno = EIO }
        guard !failed, writeAll(fd, data), { CrashPoint.journalWritten.reached(); return true }(), fsync(fd) == 0 else {
            let e = errno
            // Take back a partial line so the journal ends where it did (or is not there at all).
            _ = ftruncate(fd, before.st_size)
            _ = fsync(fd)
            if !existed { unlink(path) }
            throw writeError(shownAs, path, .writingJournal, e)
        }
        if !existed { fsyncDirectory(of: path) }
    }

    static func writeError(_ shown: String, _ path: String, _ what: WriteStep, _ err: Int32 = errno) -> StoreError {
        StoreError(.writeFailed, file: shown,
                   .journalWriteFailed(what, reason: String(cString: strerror(err)), directory: Store.shownDirectory(of: path)))
    }
}

/// Write all of `data` to `fd`, retrying short writes and EINTR; false on an error (errno set).
func writeAll(_ fd: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { buf -> Bool in
        var done = 0
        while done < buf.count {
            let n = write(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0 { if errno == EINTR { continue }; return false }
            done += n
        }
        return true
    }
}

func fsyncDirectory(of path: String) {
    let dir = (path as NSString).deletingLastPathComponent
    let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 { _ = fsync(dfd); close(dfd) }
}

/// CRC-32 (IEEE 802.3), as zlib computes it. Written here because Foundation on Linux has no
/// checksum API and a dependency for twenty lines would cost more than it saves.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    static func of(_ data: Data) -> UInt32 {
        update(0xFFFF_FFFF, data) ^ 0xFFFF_FFFF
    }
    /// The running CRC (before its final inversion) after `data`.
    static func update(_ start: UInt32, _ data: Data) -> UInt32 {
        data.withUnsafeBytes { update(start, $0) }
    }
    static func update(_ start: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = start
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc
    }
}

/// Size, modification time and inode of a file: enough to notice another writer's append or rename.
public struct FileStamp: Equatable, Sendable {
    public var size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64
    public init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        size = Int64(st.st_size); seconds = st.st_mtim.tv_sec; nanoseconds = st.st_mtim.tv_nsec; inode = UInt64(st.st_ino)
    }
}
