import Foundation

/// The repository's root, where the bundled fixtures are.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh copy of the bundled Madiun round's store in its own temporary directory (named with
/// `tag`), so a test may write to it: the directory and the store file's path.
public func copyOfMadiunStore(_ tag: String) throws -> (dir: String, path: String) {
    let dir = NSTemporaryDirectory() + "kurasi-\(tag)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/kurasi.json"
    try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json").path, toPath: path)
    return (dir, path)
}
