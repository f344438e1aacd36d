import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named points in the write path, for tests that must not depend on luck.
///
/// - `KURASI_CRASH_AT=<point>` makes the process kill itself with SIGKILL at that point, as a
///   power cut or `kill -9` would, so a test can visit every point and check what survives.
/// - `KURASI_STOP_AT=<point>` makes the process stop itself (SIGSTOP) at that point, until it
///   is sent SIGCONT: a test can act while a compaction is between its two lock holds.
/// - `KURASI_FAIL_AT=<point>` makes the write at that point fail with EIO, as a full or broken
///   disk would; in-process tests use `WriteFaults.fail(_:at:)` for one store's files instead.
///
/// Neither variable is meant for users; unset, each check is one comparison.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// The journal line is written but not yet fsynced.
    case journalWritten = "journal-written"
    /// The journal line is fsynced; the edit is not yet acknowledged.
    case journalSynced = "journal-synced"
    /// Compaction: the backup's temp file is written and fsynced, not yet renamed.
    case backupTempWritten = "backup-temp-written"
    /// Compaction: the backup is renamed into place.
    case backupRenamed = "backup-renamed"
    /// The first schema 2 write over a schema 1 snapshot: the copy `<store>.v1.bak` is written
    /// to its temp file and fsynced (in a compaction: the backup just made, linked under the temp
    /// name), not yet renamed.
    case v1BackupTempWritten = "v1-backup-temp-written"
    /// The copy `<store>.v1.bak` is in place; the schema 2 snapshot is not yet written.
    case v1BackupWritten = "v1-backup-written"
    /// Compaction: the new snapshot's temp file is written and fsynced, not yet renamed.
    case snapshotTempWritten = "snapshot-temp-written"
    /// Compaction: everything it writes with no lock held is in temp files (the new snapshot,
    /// its journal segment and its index) and the backup is in place; the lock is not yet taken
    /// again. Edits made from here on are carried over into the new journal.
    case compactionStaged = "compaction-staged"
    /// Compaction, the lock held again: the journal lines appended while the snapshot was being
    /// written are copied to the new journal's temp file (fsynced), nothing renamed yet. Only
    /// reached when there are such lines.
    case carryOverWritten = "carry-over-written"
    /// Compaction: the journal segment (the lines the new snapshot holds) is in place beside the
    /// backup; the snapshot is not yet replaced.
    case segmentRenamed = "segment-renamed"
    /// Compaction: the new snapshot is renamed into place, its directory not yet fsynced.
    case snapshotRenamed = "snapshot-renamed"
    /// Compaction: the journal is replaced by the lines carried over (or removed when there are
    /// none), old backups not yet rotated.
    case journalRotated = "journal-rotated"
    /// Compaction: the new snapshot's index (derived, `<store>.index`) is written to its temp
    /// file, not yet renamed.
    case indexTempWritten = "index-temp-written"
    /// Compaction done; the edit (or `kurasi compact`) is not yet acknowledged.
    case compacted = "compacted"

    static let crashAt: String? = ProcessInfo.processInfo.environment["KURASI_CRASH_AT"]
    static let stopAt: String? = ProcessInfo.processInfo.environment["KURASI_STOP_AT"]
    static let failAt: String? = ProcessInfo.processInfo.environment["KURASI_FAIL_AT"]

    /// Stop or kill the process here when asked to (stop first: a test may stop a process at
    /// one point and have it killed at a later one).
    func reached() {
        if let at = Self.stopAt, at == rawValue { raise(SIGSTOP) }
        if let at = Self.crashAt, at == rawValue { raise(SIGKILL) }
    }
}

/// Writes that fail on purpose, for the "not saved, keep running" paths (which root, who may
/// write anywhere, cannot reach with a read-only file).
public enum WriteFaults {
    nonisolated(unsafe) private static var failing: [String: Set<String>] = [:]
    private static let lock = NSLock()

    /// Make the writes at `points` to the files of the store at `storePath` fail with EIO
    /// (in this process), until `clear(_:)`.
    public static func fail(_ storePath: String, at points: Set<CrashPoint>) {
        let key = Store(path: storePath).targetPath
        lock.lock(); defer { lock.unlock() }
        failing[key] = Set(points.map(\.rawValue))
    }

    public static func clear(_ storePath: String) {
        let key = Store(path: storePath).targetPath
        lock.lock(); defer { lock.unlock() }
        failing[key] = nil
        refusingLinks.remove(key)
    }

    nonisolated(unsafe) private static var refusingLinks: Set<String> = []

    /// Make the hard links among the files of the store at `storePath` fail (in this process), as
    /// a file system without them would, until `clear(_:)`: what is linked elsewhere is copied.
    public static func refuseLinks(_ storePath: String) {
        let key = Store(path: storePath).targetPath
        lock.lock(); defer { lock.unlock() }
        refusingLinks.insert(key)
    }

    static func linksRefused(target: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return refusingLinks.contains(target)
    }

    /// Whether the write at `point` for the store whose real file is `target` should fail.
    static func shouldFail(_ point: CrashPoint, target: String) -> Bool {
        if CrashPoint.failAt == point.rawValue { return true }
        lock.lock(); defer { lock.unlock() }
        return failing[target]?.contains(point.rawValue) == true
    }
}
