import Foundation
import KurasiCore
import KurasiStore

/// Where the console's round lives and where its edits go.
public protocol RoundSource: AnyObject {
    /// The latest round this source knows.
    var round: Round { get }
    /// Apply a command as the curator and save it; the round afterwards reflects it.
    func commit(_ command: Command, by curator: String) -> Result<Event?, CommitError>
    /// Pick up changes made elsewhere (another terminal); true when the round changed.
    func refresh() -> Bool
}

public enum CommitError: Error, Equatable, Sendable {
    /// A rule said no; nothing changed.
    case refused(Refusal)
    /// The store could not be written; nothing changed on disk.
    case store(String)
}

/// A round held in memory: for tests, and for a console with nowhere to save.
public final class MemorySource: RoundSource {
    public private(set) var round: Round
    public var clock: () -> String
    public init(_ round: Round, clock: @escaping () -> String = { "2020-10-15T09:00:00Z" }) {
        self.round = round; self.clock = clock
    }
    public func commit(_ command: Command, by curator: String) -> Result<Event?, CommitError> {
        do { return .success(try round.perform(command, by: curator, at: clock())) } catch {
            return .failure(.refused(error))
        }
    }
    public func refresh() -> Bool { false }
    /// Stand in for another terminal's edit.
    public func replace(_ round: Round) { self.round = round }
}

/// The JSON store on disk. Every edit is made under the store's lock against the latest file,
/// so edits from other terminals are never overwritten, and saved before the console shows it.
public final class StoreSource: RoundSource {
    public let store: Store
    public private(set) var round: Round
    private var stamp: FileStamp?
    private let clock: () -> String

    public init(store: Store, clock: @escaping () -> String = StoreSource.now) throws(StoreError) {
        self.store = store
        self.clock = clock
        round = try store.load()
        stamp = FileStamp(store.path)
    }

    public static func now() -> String {
        if let fixed = ProcessInfo.processInfo.environment["KURASI_NOW"], !fixed.isEmpty { return fixed }
        return ISO8601DateFormatter().string(from: Date())
    }

    public func commit(_ command: Command, by curator: String) -> Result<Event?, CommitError> {
        var refusal: Refusal?
        var after: Round?
        do {
            let event: Event? = try store.update { (latest: inout Round) throws -> Event? in
                defer { after = latest }
                do { return try latest.perform(command, by: curator, at: clock()) } catch let error as Refusal {
                    refusal = error
                    return nil
                }
            }
            if let after { round = after }
            stamp = FileStamp(store.path)
            if let refusal { return .failure(.refused(refusal)) }
            return .success(event)
        } catch let error as StoreError {
            return .failure(.store(error.description))
        } catch {
            return .failure(.store("\(error)"))
        }
    }

    public func refresh() -> Bool {
        let now = FileStamp(store.path)
        guard now != stamp else { return false }
        guard let fresh = try? store.load() else { return false }  // mid-replace or damaged: keep what we have
        stamp = now
        let changed = fresh.revision != round.revision
        round = fresh
        return changed
    }
}

/// Size and modification time of a file: enough to notice another writer's rename.
struct FileStamp: Equatable {
    var size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64
    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        size = Int64(st.st_size); seconds = st.st_mtim.tv_sec; nanoseconds = st.st_mtim.tv_nsec; inode = UInt64(st.st_ino)
    }
}
