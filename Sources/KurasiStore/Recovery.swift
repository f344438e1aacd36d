import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilding a store that cannot be read: the newest snapshot or backup that still reads, plus
/// every journal line after it that still reads and applies, in order.
public struct Recovery {
    public var base: String
    public var baseRevision: Int
    public var replayed: Int
    public var round: Round
    /// What could not be used, in words (damaged files, lines after a damaged one).
    public var notes: [String]

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
            throw StoreError(.invalidContent, file: store.path,
                             "neither the store nor any backup beside it can be read, so there is nothing to recover from.")
        }
        var round = start
        var replayed = 0
        let journals = store.journalSegments().map(\.path) + [store.journalPath]
        outer: for path in journals {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { continue }
            let tail: Journal.Tail
            do { tail = try Journal.read(data, from: 0, firstLine: 1, file: path) } catch {
                // Use the lines before the damage, then stop: later edits may depend on the lost one.
                let good = Self.readablePrefix(data, file: path)
                for e in good where e.revision == round.revision + 1 {
                    guard (try? round.apply(e)) != nil else { break }
                    replayed += 1
                }
                notes.append("\(error.description); edits after that line were not recovered")
                break outer
            }
            if let w = tail.warning { notes.append(w) }
            for e in tail.events where e.revision > round.revision {
                guard e.revision == round.revision + 1 else {
                    notes.append("\(path): revision \(e.revision) follows \(round.revision); later edits were not recovered")
                    break outer
                }
                do { try round.apply(e) } catch {
                    notes.append("\(path): the edit of revision \(e.revision) does not apply (\(error.text(.en))); later edits were not recovered")
                    break outer
                }
                replayed += 1
            }
        }
        return Recovery(base: base, baseRevision: start.revision, replayed: replayed, round: round, notes: notes)
    }

    /// The events of the lines before the first damaged one.
    static func readablePrefix(_ data: Data, file: String) -> [Event] {
        var events: [Event] = []
        var offset = 0
        let bytes = [UInt8](data)
        while let nl = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) {
            guard let tail = try? Journal.read(Data(bytes[offset...nl]), from: 0, firstLine: 1, file: file),
                  tail.warning == nil, let e = tail.events.first else { break }
            events.append(e)
            offset = nl + 1
        }
        return events
    }

    /// Carry out the plan: the damaged store and journal are moved aside (never deleted), the
    /// recovered round becomes the store, with an empty journal.
    public func apply(to store: Store, stamp: String) throws {
        let lock = try StoreLock(storePath: store.targetPath, shownAs: store.path)
        defer { lock.release() }
        let aside = store.targetPath + ".damaged-" + stamp
        if FileManager.default.fileExists(atPath: store.targetPath) {
            guard link(store.targetPath, aside) == 0 || (try? FileManager.default.copyItem(atPath: store.targetPath, toPath: aside)) != nil else {
                throw StoreError(.writeFailed, file: store.path, "could not keep the damaged store as \(aside); nothing was changed.")
            }
        }
        if FileManager.default.fileExists(atPath: store.journalPath) {
            guard rename(store.journalPath, aside + Journal.suffix) == 0 else {
                throw StoreError(.writeFailed, file: store.path, "could not move the journal aside; nothing was changed.")
            }
        }
        try store.save(round)
        fsyncDirectory(of: store.targetPath)
    }
}
