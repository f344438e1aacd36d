import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named points in the write path, for tests that must not depend on luck.
///
/// - `KURASI_CRASH_AT=<point>` makes the process kill itself with SIGKILL at that point, as a
///   power cut or `kill -9` would, so a test can visit every point and check what survives.
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
    /// to its temp file and fsynced, not yet renamed.
    case v1BackupTempWritten = "v1-backup-temp-written"
    /// The copy `<store>.v1.bak` is in place; the schema 2 snapshot is not yet written.
    case v1BackupWritten = "v1-backup-written"
    /// Compaction: the new snapshot's temp file is written and fsynced, not yet renamed.
    case snapshotTempWritten = "snapshot-temp-written"
    /// Compaction: the new snapshot is renamed into place, its directory not yet fsynced.
    case snapshotRenamed = "snapshot-renamed"
    /// Compaction: the journal is renamed to its segment, old backups not yet rotated.
    case journalRotated = "journal-rotated"
    /// Compaction: the new snapshot's index (derived, `<store>.index`) is written to its temp
    /// file, not yet renamed.
    case indexTempWritten = "index-temp-written"
    /// Compaction done; the edit (or `kurasi compact`) is not yet acknowledged.
    case compacted = "compacted"

    static let crashAt: String? = ProcessInfo.processInfo.environment["KURASI_CRASH_AT"]
    static let failAt: String? = ProcessInfo.processInfo.environment["KURASI_FAIL_AT"]

    /// Stop the process here when asked to.
    func reached() {
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
    }

    /// Whether the write at `point` for the store whose real file is `target` should fail.
    static func shouldFail(_ point: CrashPoint, target: String) -> Bool {
        if CrashPoint.failAt == point.rawValue { return true }
        lock.lock(); defer { lock.unlock() }
        return failing[target]?.contains(point.rawValue) == true
    }
}
