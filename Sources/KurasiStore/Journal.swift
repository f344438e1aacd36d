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
        guard case let .batch(list) = event.change, list.count > batchChunk else { return try encoder.encode(event) }
        var shell = event
        shell.change = .batch([])
        let head = try encoder.encode(shell)
        let marker = Data("\"changes\":[]".utf8)
        guard let at = head.range(of: marker), head.range(of: marker, in: at.upperBound..<head.endIndex) == nil else {
            return try encoder.encode(event)
        }
        let open = at.upperBound - 1  // the "]" of the empty list
        var body = Data(head[head.startIndex..<open])
        for start in stride(from: 0, to: list.count, by: batchChunk) {
            let chunk = try encoder.encode(Array(list[start..<min(list.count, start + batchChunk)]))
            if start > 0 { body.append(UInt8(ascii: ",")) }
            body.append(chunk[(chunk.startIndex + 1)..<(chunk.endIndex - 1)])  // without its [ ]
        }
        body.append(head[open..<head.endIndex])
        return body
    }

    /// One line (without its newline): its event, or what is wrong with it.
    static func parse(_ chunk: Data, decoder: JSONDecoder = JSONDecoder()) -> Result<Event, LineProblem> {
        guard let line = try? decoder.decode(Line.self, from: chunk) else {
            return .failure(LineProblem(.unreadable))
        }
        let body = (try? encodeBody(line.event)) ?? Data()
        guard checksum(body) == line.checksum else { return .failure(LineProblem(.checksum)) }
        return .success(line.event)
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
        let bytes = [UInt8](data)
        let decoder = JSONDecoder()
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? bytes.count
            let lineNumber = tail.lines + 1
            let isLast = newline == nil || end + 1 >= bytes.count
            let chunk = Data(bytes[start..<end])
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
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
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
