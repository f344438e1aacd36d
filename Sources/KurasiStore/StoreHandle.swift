import Foundation
import KurasiCore
#if canImport(Glibc)
import Glibc
#endif

/// An open store: the round as of the snapshot plus the journal, kept current by reading only
/// what other writers appended since. An edit takes the lock, catches up with the journal,
/// applies the change to the latest round, appends one line and fsyncs it: its cost does not
/// grow with the size of the store. `compact()` rewrites the snapshot (on quit, `kurasi compact`).
public final class StoreHandle {
    public let store: Store
    public private(set) var round: Round
    /// Warnings from reading (a torn last journal line), for the user to see once.
    public private(set) var warnings: [StoreWarning] = []
    /// Journal lines after which an edit also compacts the snapshot: never, unless set (tests
    /// set it, or `KURASI_COMPACT_EVERY`). No edit waits for a compaction: the snapshot is
    /// rewritten when the console quits and by `kurasi compact`.
    public var compactEvery: Int
    /// An edit of more changes than this (a registry import of more than a few thousand rows)
    /// is saved as a new snapshot, under the lock, instead of one journal line that every later
    /// open would read (a million-row import made a 615 MB line). `KURASI_SNAPSHOT_ABOVE` sets
    /// it (the tests set it low).
    public var snapshotAbove: Int
    /// The default of `snapshotAbove`: 10,000 changes, a journal line of about 3 MB.
    public static let largeEdit = 10_000
    /// Hears how far a snapshot being written has come (a large edit saved as a snapshot, a
    /// compaction): units written of the total (see `Store.units`).
    public var saving: ((_ done: Int, _ total: Int) -> Void)?

    private var snapshotStamp: FileStamp?
    /// The revision of the snapshot on disk (the journal holds what came after it).
    private var snapshotRevision = 0
    private var journalOffset = 0
    private var journalLines = 0
    /// Length of the journal up to its last good line; shorter than the file after a torn write.
    private var journalGood = 0

    /// The products this handle holds when it holds only part of the round (an edit of one
    /// product, read through the store's index); nil when it holds the whole round.
    private var focus: Set<ProductID>?
    /// Whether the handle holds only the part of the round one edit needs.
    public var isPartial: Bool { focus != nil }

    /// Open the store. With `editing`, an edit of that one product is all that will be asked
    /// (`kurasi score`): when the store's index is current, only what such an edit needs is read
    /// (see `StoreIndex`), and otherwise the whole round is read and the index written for next
    /// time. The edit's rules and refusals are the same either way.
    /// `progress` is told how far the reading has come (the snapshot's bytes, then the journal),
    /// and may abandon it (see `LoadObserver`).
    public init(store: Store, editing product: ProductID? = nil, progress: LoadObserver? = nil) throws(StoreError) {
        self.store = store
        compactEvery = Int(ProcessInfo.processInfo.environment["KURASI_COMPACT_EVERY"] ?? "") ?? .max
        snapshotAbove = Int(ProcessInfo.processInfo.environment["KURASI_SNAPSHOT_ABOVE"] ?? "") ?? Self.largeEdit
        // Read snapshot and journal under a shared lock: a writer compacting between the two
        // reads would otherwise pair a snapshot with the wrong journal.
        // Only a file that is a store gets a lock file beside it: pointed at /dev/null or a CSV,
        // reading says what the file is and leaves nothing behind.
        try store.checkIsFile()
        let hasLock = access(store.targetPath + ".lock", F_OK) == 0
        let lock = hasLock || store.looksLikeStore ? try StoreLock(storePath: store.targetPath, shownAs: store.path, shared: true) : nil
        defer { lock?.release() }
        if let product, let (part, tail) = try Self.openPart(store, product) {
            round = part.round
            focus = part.products
            snapshotRevision = part.round.revision
            snapshotStamp = part.stamp
            try take(tail)
            return
        }
        let stamp = FileStamp(store.targetPath)
        if product != nil {
            // An edit without a current index: the snapshot read as the load reads it, a piece at
            // a time, the index made from the same pieces and written once the snapshot has been
            // read and validated whole.
            let (read, index) = try store.loadSnapshot(progress: progress, indexing: true)
            round = read
            StoreIndex.write(for: store, built: index, stamp: stamp, revision: round.revision)
        } else {
            round = try store.loadSnapshot(progress: progress)
        }
        snapshotReads += 1
        snapshotRevision = round.revision
        snapshotStamp = stamp
        if let progress, !progress(LoadProgress(phase: .journal, file: store.path + Journal.suffix, done: 0, total: 0)) { throw .abandoned(store.path) }
        try readJournal(fromStart: true)
    }

    /// The part of the round an edit of `product` needs, with the journal it must take, or nil
    /// when the index cannot be used.
    private static func openPart(_ store: Store, _ product: ProductID) throws(StoreError)
        -> ((round: Round, products: Set<ProductID>, stamp: FileStamp), Journal.Tail)? {
        // The journal first: pins it records name products the part must hold.
        let data = try readJournalData(store.journalPath, from: 0) ?? Data()
        let tail = try Journal.read(data, from: 0, firstLine: 1, file: store.journalPath)
        var wanted: Set<ProductID> = [product]
        for event in tail.events {
            if case let .pin(_, _, from, to) = event.change { wanted.formUnion([from?.product, to?.product].compactMap { $0 }) }
        }
        guard let (round, products, stamp) = StoreIndex.partialRound(store, products: wanted) else { return nil }
        return ((round, products, stamp), tail)
    }

    var journalPath: String { store.journalPath }

    /// How many times this handle has read the whole snapshot (its opening, then each reload):
    /// a round read again at the same revision is still a new round, which the console takes
    /// (rather than keep two); tests see that a compaction is followed without a read.
    public private(set) var snapshotReads = 0

    /// Re-read everything: the snapshot was replaced by something this handle cannot follow
    /// (see `followCompaction`).
    private func reload() throws(StoreError) {
        focus = nil
        // The old round is let go of before the new one is read, so that the handle does not
        // hold two (a console holds its own reference until the new round reaches it). Should
        // the reading fail, no snapshot is known: the next catch-up reads it again.
        snapshotStamp = nil
        round = Round(round: RoundInfo(title: "", date: ""))
        snapshotReads += 1
        round = try store.loadSnapshot()
        snapshotRevision = round.revision
        snapshotStamp = FileStamp(store.targetPath)
        try readJournal(fromStart: true)
    }

    private func readJournal(fromStart: Bool) throws(StoreError) {
        if fromStart { journalOffset = 0; journalLines = 0; journalGood = 0 }
        guard let data = try Self.readJournalData(journalPath, from: journalOffset) else { return }
        try take(Journal.read(data, from: 0, firstLine: journalLines + 1, file: journalPath))
    }

    private static func readJournalData(_ journalPath: String, from offset: Int) throws(StoreError) -> Data? {
        guard let fh = FileHandle(forReadingAtPath: journalPath) else { return nil }
        defer { try? fh.close() }
        do {
            try fh.seek(toOffset: UInt64(offset))
            return try fh.readToEnd() ?? Data()
        } catch {
            throw StoreError(.unreadable, file: journalPath, .journalUnreadable(reason: error.localizedDescription))
        }
    }

    /// Apply the journal lines read from `journalOffset` on.
    private func take(_ tail: Journal.Tail) throws(StoreError) {
        for (i, event) in tail.events.enumerated() where event.revision > round.revision {
            guard event.revision == round.revision + 1 else {
                throw StoreError(.invalidContent, file: journalPath, line: journalLines + i + 1,
                                 .journalRevisionGap(line: journalLines + i + 1, revision: event.revision, storeRevision: round.revision))
            }
            if let focus {
                // A part of the round takes only what concerns it; anything else needs the whole.
                let producers = Set(round.producers.map(\.id))
                switch StoreIndex.take(event.change, products: focus, producers: { producers.contains($0) }) {
                case .skip: round.passOver(event); continue
                case .whole: try reload(); return
                case .apply: break
                }
            }
            do { try round.apply(event) } catch {
                throw StoreError(.invalidContent, file: journalPath, line: journalLines + i + 1, .journalDoesNotApply(line: journalLines + i + 1, error))
            }
        }
        if let w = tail.warning, !warnings.contains(w) { warnings.append(w) }
        journalLines = tail.lines
        journalGood = journalOffset + tail.goodLength
        // Keep reading from the last good line: a torn line may yet be completed by its writer.
        journalOffset = journalGood
    }

    /// Catch up with other writers without taking the lock. True when the round changed.
    @discardableResult
    public func refresh() throws(StoreError) -> Bool {
        let before = round.revision
        let lock = try StoreLock(storePath: store.targetPath, shownAs: store.path, shared: true)
        defer { lock.release() }
        try catchUp()
        return round.revision != before
    }

    private func catchUp() throws(StoreError) {
        let stamp = FileStamp(store.targetPath)
        let journalSize = FileStamp(journalPath)?.size ?? 0
        if stamp != snapshotStamp, try followCompaction(to: stamp) {
            return
        } else if stamp != snapshotStamp || journalSize < Int64(journalOffset) {
            try reload()
        } else if journalSize > Int64(journalOffset) {
            try readJournal(fromStart: false)
        }
    }

    /// The snapshot was replaced: when another process compacted it (once or more) from the
    /// snapshot this handle read, the new snapshot is this handle's round at the revision it
    /// names (or a few edits further, which the compaction's journal segments hold), and reading
    /// it again is not needed. At 100,000 products that read held a second whole round beside
    /// the one the console shows, and a refresh kept it (2.6× the file in a long session).
    ///
    /// What is asked before the new snapshot is taken as the handle's base, all of it read under
    /// the shared lock that `refresh` and `commit` hold: the index a compaction writes beside its
    /// snapshot names that file (size, time, inode) and its revision, a later one than this
    /// handle's snapshot; the backup a compaction makes of the snapshot it replaces
    /// (`<store>.r<revision>.bak`) has the size of the one this handle read;
    /// the journal segments (`<journal>.r<revision>`, from this handle's snapshot revision on, one
    /// per compaction) lead from it to the new snapshot's revision, each event the one this round
    /// applied with that revision or the next one to apply; and the new journal goes on from the
    /// new snapshot's revision, agreeing with this round where they overlap. Otherwise (a backup
    /// restored by hand, a recovery, a segment rotated away), false: the caller reads it all.
    private func followCompaction(to stamp: FileStamp?) throws(StoreError) -> Bool {
        guard focus == nil, let stamp, let old = snapshotStamp,
              FileStamp(store.targetPath + ".r\(snapshotRevision).bak")?.size == old.size,
              let revision = Self.headerRevision(store.targetPath), revision > snapshotRevision,
              // The index a compaction installs with its snapshot names this very file and revision.
              let index = StoreIndex.Reader(store: store), index.header.stamp == stamp, index.header.revision == revision
        else { return false }
        // The new journal first (none when the compaction carried nothing over): if it does not
        // go on from the new snapshot, nothing is changed.
        let data: Data
        do { data = try Self.readJournalData(journalPath, from: 0) ?? Data() } catch { return false }
        guard let tail = try? Journal.read(data, from: 0, firstLine: 1, file: journalPath),
              tail.events.first.map({ $0.revision == revision + 1 }) ?? true else { return false }
        var segments: [[Event]] = []
        var at = snapshotRevision
        while at < revision {
            let path = segmentPath(at)
            guard let bytes = try? Self.readJournalData(path, from: 0),
                  let segment = try? Journal.read(bytes, from: 0, firstLine: 1, file: path),
                  segment.warning == nil, let last = segment.events.last, last.revision <= revision,
                  segment.events.enumerated().allSatisfy({ $0.element.revision == at + 1 + $0.offset }) else { return false }
            segments.append(segment.events)
            at = last.revision
        }
        guard at == revision else { return false }
        // Every event both hold must be the same event; those this round has not seen yet are
        // applied in order (one that does not apply: the whole round is read after all).
        let known = segments.joined().filter { $0.revision <= round.revision } + tail.events.filter { $0.revision <= round.revision }
        guard agrees(known) else { return false }
        var next = round
        for event in segments.joined() where event.revision > next.revision {
            guard event.revision == next.revision + 1, (try? next.apply(event)) != nil else { return false }
        }
        if revision < next.revision, tail.events.last.map({ $0.revision < next.revision }) ?? true { return false }
        round = next
        snapshotStamp = stamp
        snapshotRevision = revision
        journalOffset = 0; journalLines = 0; journalGood = 0
        try take(tail)
        return true
    }

    /// Whether each of `events` is this round's event of the same revision.
    private func agrees(_ events: [Event]) -> Bool {
        let all = round.events
        for event in events {
            let k = all.count - 1 - (round.revision - event.revision)
            guard all.indices.contains(k), all[k] == event else { return false }
        }
        return true
    }

    /// The revision a snapshot names in its first line (`{ "schemaVersion" : N, "revision" : R,`,
    /// as Kurasi writes it); nil when it does not start that way.
    static func headerRevision(_ path: String) -> Int? {
        guard let fh = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? fh.close() }
        guard let head = try? fh.read(upToCount: 128),
              let text = String(data: head, encoding: .utf8) ?? String(data: head.prefix(96), encoding: .utf8),
              let r = text.range(of: #"^\{\s*"schemaVersion"\s*:\s*\d{1,6}\s*,\s*"revision"\s*:\s*\d{1,18}\s*,"#, options: .regularExpression),
              let value = text[r].split(separator: ":").last?.filter(\.isNumber)
        else { return nil }
        return Int(value)
    }

    /// Apply an edit under the lock against the latest state; append its events durably.
    public func commit<T>(_ body: (inout Round) throws -> T) throws -> T {
        var due = false
        let result = try commitLocked(body, compactionDue: &due)
        if due {
            // The edit is durable in the journal already, and its lock released; a compaction
            // that fails (a full disk) leaves the old snapshot and the journal as they were, and
            // is tried again later.
            do { try compactInTwoHolds(upgrading: false) } catch {
                let w = StoreWarning.compactionFailed(error)
                if !warnings.contains(w) { warnings.append(w) }
            }
            CrashPoint.compacted.reached()
        }
        return result
    }

    private func commitLocked<T>(_ body: (inout Round) throws -> T, compactionDue: inout Bool) throws -> T {
        let lock = try StoreLock(storePath: store.targetPath, shownAs: store.path)
        defer { lock.release() }
        try catchUp()
        store.removeStaleTemps()
        // A torn line left by a crash is cut off before anything is appended after it.
        if let size = FileStamp(journalPath)?.size, size > Int64(journalGood) {
            guard truncate(journalPath, off_t(journalGood)) == 0 else {
                throw Journal.writeError(store.path, journalPath, .cuttingTornLine)
            }
            journalOffset = journalGood
        }
        // The change is made in place (copying a large round would cost more than the edit);
        // if it cannot be made durable, the round is read back from disk, which is the truth.
        let before = round.revision
        let result: T
        do { result = try body(&round) } catch {
            if round.revision != before { try reload() }
            throw error
        }
        let new = round.events.reversed().prefix { $0.revision > before }.reversed()
        if focus == nil, new.reduce(0, { $0 + $1.change.size }) > snapshotAbove {
            try saveAsSnapshot(Array(new))
            return result
        }
        if !new.isEmpty {
            do { try Journal.append(Array(new), to: journalPath, mode: store.fileMode, shownAs: store.path, store: store.targetPath) } catch {
                try reload()
                throw error
            }
            CrashPoint.journalSynced.reached()
            journalLines += new.count
            journalGood = Int(FileStamp(journalPath)?.size ?? 0)
            journalOffset = journalGood
            compactionDue = journalLines >= compactEvery
        }
        return result
    }

    /// A large edit, already applied to the round, saved as a new snapshot (under the lock the
    /// caller holds) through the compaction's steps: the previous snapshot kept as its backup,
    /// with the journal up to the edit as its segment; the new snapshot, its index; the journal
    /// emptied. Nothing is in the journal for the edit: the snapshot holds it (its event among
    /// the round's events, for the history). If it fails part way, the store on disk is the
    /// truth: when the new snapshot made it into place the edit is saved, otherwise it is not
    /// and the error says why.
    private func saveAsSnapshot(_ edit: [Event]) throws(StoreError) {
        let revision = round.revision
        do throws(StoreError) {
            let noted = try note(lines: journalLines)
            let staged = try stage(noted, including: edit)
            var done = false
            defer { if !done { for path in staged.paths { unlink(path) } } }
            guard try finish(noted, staged) else {
                throw StoreError(.writeFailed, file: store.path, .undecodable("the store was replaced while it was locked"))
            }
            done = true
        } catch {
            snapshotStamp = nil
            try reload()
            if round.revision >= revision { return }
            throw error
        }
    }

    /// Rewrite the snapshot from the round and start a new journal (when the console quits, and
    /// `kurasi compact`). The previous snapshot is kept as a backup with the journal segment
    /// that leads from it to the new one, the last ten of each. Returns how many journal lines
    /// were folded in (0: there was nothing to do). With `upgrading`, a schema 1 snapshot is
    /// written anew in schema 2 (its copy kept as `<store>.v1.bak`) even with an empty journal
    /// (`kurasi compact`; the console writes nothing when nothing was edited).
    ///
    /// The lock is held only for two short moments, never through the rewrite, so an edit from
    /// another terminal meanwhile takes its usual milliseconds:
    /// 1. Under the lock: catch up, and note the revision, the snapshot on disk and where the
    ///    journal ends.
    /// 2. Without it: the backup of the old snapshot, and the new snapshot (the round at the
    ///    noted revision), its journal segment (the journal up to the noted end) and its index,
    ///    each in a temp file, fsynced. Nothing in place changes but the backup (a whole file).
    /// 3. Under the lock again: when the snapshot or the journal was replaced meanwhile (another
    ///    process compacted or recovered), the temp files are dropped and it starts over (the
    ///    third try runs under the lock throughout). Otherwise the journal lines appended
    ///    meanwhile, each checked against the round when it was written, are carried over byte
    ///    for byte into the new journal; then the segment, the snapshot and the new journal are
    ///    renamed into place in that order, each state on the way one that loads whole.
    @discardableResult
    public func compact(upgrading: Bool = false) throws -> Int {
        guard let folded = try compactInTwoHolds(upgrading: upgrading) else { return 0 }
        CrashPoint.compacted.reached()
        return folded
    }

    /// What a compaction did: the snapshot's revision, the journal lines folded into it, the
    /// lines other terminals wrote meanwhile that stay in the journal after it, and whether a
    /// torn last line was dropped.
    public struct Compaction: Equatable, Sendable {
        public var revision: Int
        public var folded: Int
        public var carried: Int
        public var droppedTornLine: Bool
    }

    /// The last compaction this handle made (nil: none yet).
    public private(set) var lastCompaction: Compaction?

    /// Called between the two lock holds of a compaction, with no lock held (tests use it to
    /// edit, or compact, from another handle there).
    var betweenLockHolds: (() throws -> Void)?

    /// Called once a compaction's backup of the old snapshot is in place (tests use it to replace
    /// that file, as another writer might).
    var afterBackup: (() -> Void)?

    /// What the first lock hold noted.
    private struct Noted {
        var revision: Int
        var snapshotRevision: Int
        var snapshotStamp: FileStamp?
        /// The snapshot as it was (open, so that a rename over it later does not matter).
        var snapshot: FileHandle
        /// The journal as it was, when there was one, and the end of its last good line.
        var journal: FileHandle?
        var journalInode: UInt64?
        var journalEnd: Int
        var lines: Int
    }

    /// The temp files of a compaction, not yet in place.
    private struct Staged {
        var snapshot: String
        var segment: String?
        var index: String?
        var paths: [String] { [snapshot] + [segment, index].compactMap { $0 } }
    }

    /// The lines folded in, or nil when there was nothing to do.
    @discardableResult
    private func compactInTwoHolds(upgrading: Bool) throws(StoreError) -> Int? {
        for attempt in 1...3 {
            let first = try StoreLock(storePath: store.targetPath, shownAs: store.path)
            var held = true
            defer { if held { first.release() } }
            try catchUp()
            // A snapshot is only ever written from the whole round.
            if focus != nil { try reload() }
            store.removeStaleTemps()
            let lines = journalLines
            let upgrade = upgrading && (store.schemaOnDisk ?? Store.schemaVersion) < Store.schemaVersion
            guard lines > 0 || upgrade else { return nil }
            let noted = try note(lines: lines)
            // Twice another process compacted in between: this time under the lock throughout.
            let throughout = attempt == 3
            if !throughout { first.release(); held = false }

            let staged = try stage(noted)
            var done = false
            defer { if !done { for path in staged.paths { unlink(path) } } }
            if !throughout {
                CrashPoint.compactionStaged.reached()
                if let hook = betweenLockHolds {
                    do { try hook() } catch { throw error as? StoreError ?? StoreError(.writeFailed, file: store.path, .undecodable("\(error)")) }
                }
            }

            let second = throughout ? nil : try StoreLock(storePath: store.targetPath, shownAs: store.path)
            defer { second?.release() }
            if try finish(noted, staged) {
                done = true
                return lines
            }
        }
        return nil
    }

    private func note(lines: Int) throws(StoreError) -> Noted {
        guard let snapshot = FileHandle(forReadingAtPath: store.targetPath) else {
            throw StoreError(.unreadable, file: store.path, .backupUnreadable(reason: String(cString: strerror(errno))))
        }
        let journal = FileHandle(forReadingAtPath: journalPath)
        var st = stat()
        let inode = journal.flatMap { fstat($0.fileDescriptor, &st) == 0 ? UInt64(st.st_ino) : nil }
        return Noted(revision: round.revision, snapshotRevision: snapshotRevision, snapshotStamp: snapshotStamp,
                     snapshot: snapshot, journal: journal, journalInode: inode, journalEnd: journal == nil ? 0 : journalGood, lines: lines)
    }

    /// The second step: the backup in place, the rest in temp files. On failure nothing is left
    /// but the backup, a whole copy of the old snapshot. Nothing large is whole in memory: the
    /// backups and the journal segment are copied a few MB at a time, and the new snapshot is
    /// written (and its index made) as it is encoded, through a buffer of `buffer` bytes.
    ///
    /// `edit`: the events of a large edit saved as this snapshot (`saveAsSnapshot`), written at
    /// the end of the segment, so that the backup and its segment still lead to the new snapshot
    /// (`kurasi recover` replays them when the snapshot is damaged); no open reads them otherwise.
    private func stage(_ noted: Noted, including edit: [Event] = [], buffer: Int = Store.writeBuffer) throws(StoreError) -> Staged {
        let target = store.targetPath
        defer { try? noted.snapshot.close(); try? noted.journal?.close() }
        let old = noted.snapshot.fileDescriptor
        let backup = target + ".r\(noted.snapshotRevision).bak"
        let copied = try Store.durableCopy(old, to: backup, shownAs: store.path,
                                           points: (.backupTempWritten, .backupRenamed), faultsFor: target)
        afterBackup?()
        // The first schema 2 write over a schema 1 snapshot keeps it (never overwritten): the
        // backup just made under a second name, one file on disk (a copy of its own where the
        // file system has no hard links). Rotating the backup away later removes only its name.
        var head = [UInt8](repeating: 0, count: 96)
        let n = pread(old, &head, head.count, 0)
        if let version = Store.headerVersion(Data(head.prefix(max(0, n)))), version < 2,
           !FileManager.default.fileExists(atPath: store.v1BackupPath) {
            try Store.durableLink(backup, expected: copied, to: store.v1BackupPath, orCopy: old, shownAs: store.path,
                                  points: (.v1BackupTempWritten, .v1BackupWritten), faultsFor: target)
        }
        let (snapshot, index) = try Store.writeSnapshotTemp(round, for: target, shownAs: store.path, faultsFor: target, buffer: buffer,
                                                            progress: saving)
        var staged = Staged(snapshot: snapshot)
        var ok = false
        defer { if !ok { for path in staged.paths { unlink(path) } } }
        if noted.journal != nil || !edit.isEmpty {
            // The lines up to the noted end: appends after it never change them.
            let journalPath = journalPath
            staged.segment = try Store.writeTemp(for: segmentPath(noted.snapshotRevision), shownAs: store.path,
                                                 mode: store.fileMode, faultsFor: target) { file in
                if let journal = noted.journal {
                    let copied = try Store.copy(journal.fileDescriptor, length: noted.journalEnd, to: file, shownAs: store.path) {
                        StoreError(.unreadable, file: journalPath, .journalUnreadable(reason: $0))
                    }
                    guard copied == noted.journalEnd else {
                        throw StoreError(.unreadable, file: journalPath, .journalUnreadable(reason: String(cString: strerror(EIO))))
                    }
                }
                for event in edit { try Journal.write(event, to: file) }
            }
        }
        staged.index = StoreIndex.stage(for: store, built: index, stamp: FileStamp(snapshot), revision: noted.revision)
        ok = true
        return staged
    }

    private func segmentPath(_ revision: Int) -> String { store.targetPath + Journal.suffix + ".r\(revision)" }

    /// The third step, under the lock: false when the snapshot or journal was replaced since the
    /// first (the caller drops the temp files and starts over).
    private func finish(_ noted: Noted, _ staged: Staged) throws(StoreError) -> Bool {
        let target = store.targetPath
        guard FileStamp(target) == noted.snapshotStamp else { return false }
        let journalStamp = FileStamp(journalPath)
        if let inode = noted.journalInode {
            guard let j = journalStamp, j.inode == inode, j.size >= Int64(noted.journalEnd) else { return false }
        }
        // What other writers appended meanwhile, as it is (a torn last line included: the next
        // edit cuts it, as it would have in the old journal).
        let carried = journalStamp == nil ? Data() : try Self.readJournalData(journalPath, from: noted.journalEnd) ?? Data()
        let tail = try Journal.read(carried, firstLine: noted.lines + 1, file: journalPath)
        for (i, event) in tail.events.enumerated() where event.revision != noted.revision + 1 + i {
            let line = noted.lines + i + 1
            throw StoreError(.invalidContent, file: journalPath, line: line,
                             .journalRevisionGap(line: line, revision: event.revision, storeRevision: noted.revision + i))
        }
        // A torn last line (a writer killed mid-append; none is writing now, the lock is held) is
        // not carried over: it was never acknowledged, and the next edit would cut it off anyway
        // (README, "Your data is safe"). It is dropped with the warning that names it, as a load
        // drops it; every intact line is carried over byte for byte.
        let kept = carried.prefix(tail.goodLength)
        if let w = tail.warning, !warnings.contains(w) { warnings.append(w) }
        var newJournal: String?
        defer { if let newJournal { unlink(newJournal) } }
        if !kept.isEmpty {
            newJournal = try Store.writeTemp(Data(kept), for: journalPath, shownAs: store.path, mode: store.fileMode,
                                             written: .carryOverWritten, faultsFor: target)
        }
        if let segment = staged.segment {
            guard rename(segment, segmentPath(noted.snapshotRevision)) == 0 else {
                throw Journal.writeError(store.path, journalPath, .startingJournal)
            }
            CrashPoint.segmentRenamed.reached()
        }
        // From here the snapshot is the new one: the handle reads it afresh if anything fails.
        snapshotStamp = nil
        try Store.install(staged.snapshot, at: target, shownAs: store.path, renamed: .snapshotRenamed)
        if let journal = newJournal {
            guard rename(journal, journalPath) == 0 else { throw Journal.writeError(store.path, journalPath, .startingJournal) }
            newJournal = nil
            fsyncDirectory(of: journalPath)
            CrashPoint.journalRotated.reached()
        } else if journalStamp != nil {
            guard unlink(journalPath) == 0 else { throw Journal.writeError(store.path, journalPath, .startingJournal) }
            fsyncDirectory(of: journalPath)
            CrashPoint.journalRotated.reached()
        }
        store.rotateBackups()
        StoreIndex.install(staged.index, for: store)
        snapshotRevision = noted.revision
        snapshotStamp = FileStamp(target)
        lastCompaction = Compaction(revision: noted.revision, folded: noted.lines, carried: tail.events.count,
                                    droppedTornLine: tail.warning != nil)
        // The handle's round is still the one at the noted revision: take the lines carried over.
        try readJournal(fromStart: true)
        return true
    }
}

extension Change {
    /// How many changes this is: a batch's, counted through, or one.
    var size: Int {
        if case let .batch(list) = self { return list.reduce(0) { $0 + $1.size } }
        return 1
    }
}
