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

/// The JSON store on disk. Every edit is made under the store's lock against the latest state
/// (other terminals' edits included), appended to the journal and fsynced before the console
/// shows it; other terminals' edits are picked up by `refresh`.
public final class StoreSource: RoundSource {
    public let handle: StoreHandle
    private let clock: () -> String

    public init(store: Store, clock: @escaping () -> String = StoreSource.now) throws(StoreError) {
        handle = try StoreHandle(store: store)
        self.clock = clock
    }

    public var round: Round { handle.round }
    /// What loading found worth telling (a torn last journal line dropped).
    public var warnings: [String] { handle.warnings }

    public static func now() -> String {
        if let fixed = ProcessInfo.processInfo.environment["KURASI_NOW"], !fixed.isEmpty { return fixed }
        return ISO8601DateFormatter().string(from: Date())
    }

    public func commit(_ command: Command, by curator: String) -> Result<Event?, CommitError> {
        var refusal: Refusal?
        do {
            let event: Event? = try handle.commit { (latest: inout Round) throws -> Event? in
                do { return try latest.perform(command, by: curator, at: clock()) } catch let error as Refusal {
                    refusal = error
                    return nil
                }
            }
            if let refusal { return .failure(.refused(refusal)) }
            return .success(event)
        } catch let error as StoreError {
            return .failure(.store(error.description))
        } catch {
            return .failure(.store("\(error)"))
        }
    }

    public func refresh() -> Bool {
        // A store mid-replace or damaged by hand keeps the round we have; the next edit reports it.
        (try? handle.refresh()) ?? false
    }

    /// Compact the journal into the snapshot (on quit).
    public func close() { try? handle.compact() }
}
