import Foundation

/// How far the reading of a store has come: what the console's loading screen shows while the
/// round loads behind it.
public struct LoadProgress: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// The snapshot (`kurasi.json`): `done` of `total` bytes read.
        case snapshot
        /// The journal of edits since the snapshot (`kurasi.json.journal`).
        case journal
    }
    public var phase: Phase
    /// The file being read, as the user named it.
    public var file: String
    public var done: Int
    public var total: Int
    public init(phase: Phase, file: String, done: Int, total: Int) {
        self.phase = phase; self.file = file; self.done = done; self.total = total
    }
}

/// Told how far a store's reading has come, every few megabytes (not per value: it costs
/// nothing measurable). Answering false abandons the reading: it stops at the next report and
/// the open throws `StoreError.abandoned`; nothing is ever written by reading.
public typealias LoadObserver = (LoadProgress) -> Bool

extension StoreError {
    /// The reading was abandoned by its observer (the console quit while loading).
    static func abandoned(_ file: String) -> StoreError {
        StoreError(.unreadable, file: file, .abandoned)
    }
}
