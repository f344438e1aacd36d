import Foundation

/// A problem with the store file. Every message names the file, says where and what, and what
/// to do; the store on disk is never written after one of these.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case missing, unreadable, syntax, notAStore, newerSchema, olderSchema, invalidContent, locked, writeFailed
    }
    public var kind: Kind
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.kind = kind; self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): \(message)"
    }
}
