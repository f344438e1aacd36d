import Foundation
import Testing

/// Runs the real `kurasi` binary, built beside this test bundle.
struct CLI {
    static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner may sit inside an .xctest bundle directory.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("kurasi").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("kurasi").path
    }()

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ relative: String) -> String { repoRoot.appendingPathComponent("fixtures/" + relative).path }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let dir: String
    let store: String

    /// A fresh directory with, optionally, a copy of a fixture store as `kurasi.json`.
    init(copying fixtureStore: String? = nil) throws {
        dir = NSTemporaryDirectory() + "kurasi-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = dir + "/kurasi.json"
        if let fixtureStore { try FileManager.default.copyItem(atPath: CLI.fixture(fixtureStore), toPath: store) }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }

    /// Run `kurasi ARGS` in the test's directory with a fixed clock and English messages.
    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:], cwd: String? = nil, executable: String = CLI.binary) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? dir)
        var env = ["PATH": "/usr/bin:/bin", "HOME": dir, "LANG": "C.UTF-8", "KURASI_NOW": "2020-10-15T09:00:00Z"]
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let collected = Collected()
        let reader = Thread { collected.stdout = (try? out.fileHandleForReading.readToEnd()) ?? Data(); collected.done.signal() }
        reader.start()
        let e = (try? err.fileHandleForReading.readToEnd()) ?? Data()
        collected.done.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: collected.stdout, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// `run` that expects success and returns stdout.
    @discardableResult
    func ok(_ args: [String], env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(args, env: env)
        #expect(r.status == 0, "kurasi \(args.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    func storeBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: store)) }

    /// `kurasi rank --format json`, parsed.
    func rank() throws -> [String: Any] {
        let json = try ok(["rank", "--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }
}

private final class Collected: @unchecked Sendable {
    var stdout = Data()
    let done = DispatchSemaphore(value: 0)
}

extension CLI {
    /// Start `kurasi ARGS` without waiting, output discarded.
    func spawn(_ args: [String], env extra: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--store", store] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ["PATH": "/usr/bin:/bin", "HOME": dir, "LANG": "C.UTF-8", "KURASI_NOW": "2020-10-15T09:00:00Z"]
        for (k, v) in extra { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Start a shell script in the test's directory (KURASI_STORE set), output discarded.
    func spawnShell(_ script: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "LANG": "C.UTF-8", "KURASI_STORE": store,
                         "KURASI_NOW": "2020-10-15T09:00:00Z"]
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Run a shell command line (with KURASI_STORE set) and collect its output.
    func runShell(_ line: String) throws -> Result {
        try run(["-c", line], env: ["KURASI_STORE": store], executable: "/bin/sh")
    }
}
