import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilding a store that cannot be read: the newest snapshot or backup that still reads, plus
/// every journal line after it that still reads and applies, in revision order.
///
/// One damaged line costs that line only: every later line is still replayed when what it
/// changes is as it expects (`apply` checks each change's `from`). What is skipped is listed
/// with the reason, and the text of each skipped line is kept beside the store.
public struct Recovery {
    public var base: String
    public var baseRevision: Int
    public var replayed: Int
    public var round: Round
    /// What could not be used, in words (damaged files, skipped lines and why).
    public var notes: [String]
    /// The journal lines that were not replayed, as they were on disk.
    public var skipped: [Skipped]

    public struct Skipped: Sendable {
        /// `file:line`.
        public var place: String
        public var reason: String
        public var text: Data
    }

    /// Work out what recovery would do; changes nothing.
    public static func plan(_ store: Store) throws(StoreError) -> Recovery {
        var notes: [String] = []
        var candidates: [(String, Round)] = []
        if let data = try? Data(contentsOf: URL(fileURLWithPath: store.targetPath)) {
            do { candidates.append((store.path, try Store.decode(data, file: store.path))) } catch {
                notes.append("the store itself is damaged: \(error.description)")
            }
        }
        for backup in store.backups() {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: backup.path)) else { continue }
            do { candidates.append((backup.path, try Store.decode(data, file: backup.path))) } catch {
                notes.append("backup \(backup.path) is damaged too")
            }
        }
        guard let (base, start) = candidates.max(by: { $0.1.revision < $1.1.revision }) else {
            throw StoreError(.invalidContent, file: store.path, .nothingToRecover)
        }
        // Every line of every journal, damaged or not.
        struct Line { var event: Event?; var place: String; var text: Data; var problem: String? }
        var lines: [Line] = []
        let journals = store.journalSegments().map(\.path) + [store.journalPath]
        for path in journals {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { continue }
            let bytes = [UInt8](data)
            var offset = 0, number = 0
            while offset < bytes.count {
                number += 1
                let nl = bytes[offset...].firstIndex(of: UInt8(ascii: "\n"))
                let end = nl ?? bytes.count
                let text = Data(bytes[offset..<end])
                offset = end + 1
                if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                let place = "\(path):\(number)"
                if nl == nil {
                    lines.append(Line(event: nil, place: place, text: text, problem: "it is incomplete (no line end): the edit in flight when Kurasi stopped"))
                    continue
                }
                switch Journal.parse(text) {
                case .success(let event): lines.append(Line(event: event, place: place, text: text))
                case .failure(let problem): lines.append(Line(event: nil, place: place, text: text, problem: problem.description))
                }
            }
        }
        var skipped: [Skipped] = []
        for line in lines where line.problem != nil {
            skipped.append(Skipped(place: line.place, reason: "damaged: \(line.problem!)", text: line.text))
        }
        // Intact lines in revision order (a segment left by a crash mid-compaction may repeat
        // lines of the journal after it; the first copy of a revision wins).
        let intact = lines.filter { $0.event != nil }.enumerated()
            .sorted { ($0.element.event!.revision, $0.offset) < ($1.element.event!.revision, $1.offset) }.map(\.element)
        var round = start
        var replayed = 0
        var seen: [Int: Data] = [:]
        for line in intact {
            let e = line.event!
            if let first = seen[e.revision] {
                if first != line.text {
                    skipped.append(Skipped(place: line.place, reason: "another line already holds revision \(e.revision)", text: line.text))
                }
                continue
            }
            seen[e.revision] = line.text
            guard e.revision > round.revision else { continue }  // in the snapshot already
            do {
                try round.apply(e)
                replayed += 1
            } catch {
                skipped.append(Skipped(place: line.place,
                                       reason: "revision \(e.revision) no longer applies (\(error.text(.en)))", text: line.text))
            }
        }
        // New edits must not reuse the revision of a line that was skipped: a later recovery
        // would take the old line for the new one.
        if let highest = intact.last?.event?.revision, highest > round.revision {
            round = Round(revision: highest, round: round.round, rubric: round.rubric, curators: round.curators,
                          producers: round.producers, products: round.products, scores: round.scores,
                          pins: round.pins, events: round.events)
        }
        for s in skipped { notes.append("skipped \(s.place): \(s.reason)") }
        return Recovery(base: base, baseRevision: start.revision, replayed: replayed, round: round, notes: notes, skipped: skipped)
    }

    /// Where `apply` keeps the text of the skipped lines.
    public static func skippedPath(_ store: Store, stamp: String) -> String {
        store.targetPath + ".skipped-" + stamp + ".jsonl"
    }

    /// Carry out the plan: the damaged store and journal are moved aside (never deleted), the
    /// recovered round becomes the store, with an empty journal.
    public func apply(to store: Store, stamp: String) throws {
        let lock = try StoreLock(storePath: store.targetPath, shownAs: store.path)
        defer { lock.release() }
        let aside = store.targetPath + ".damaged-" + stamp
        if FileManager.default.fileExists(atPath: store.targetPath) {
            guard link(store.targetPath, aside) == 0 || (try? FileManager.default.copyItem(atPath: store.targetPath, toPath: aside)) != nil else {
                throw StoreError(.writeFailed, file: store.path, .keepAsideFailed(aside: aside))
            }
        }
        if !skipped.isEmpty {
            var text = Data()
            for s in skipped { text.append(s.text); text.append(UInt8(ascii: "\n")) }
            try Store.durableWrite(text, to: Self.skippedPath(store, stamp: stamp), shownAs: store.path)
        }
        if FileManager.default.fileExists(atPath: store.journalPath) {
            guard rename(store.journalPath, aside + Journal.suffix) == 0 else {
                throw StoreError(.writeFailed, file: store.path, .moveJournalFailed)
            }
        }
        try store.save(round)
        fsyncDirectory(of: store.targetPath)
    }
}
