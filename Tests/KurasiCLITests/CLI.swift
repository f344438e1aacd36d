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

    /// A fresh directory with, optionally, a copy of a fixture store as `kurasi.json`. Every test
    /// that makes one removes it with `defer { cli.cleanUp() }` on the next line; a helper that
    /// makes one and goes on working in it removes it itself when it fails (`building`).
    init(copying fixtureStore: String? = nil) throws {
        dir = NSTemporaryDirectory() + "kurasi-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = dir + "/kurasi.json"
        if let fixtureStore {
            do { try FileManager.default.copyItem(atPath: CLI.fixture(fixtureStore), toPath: store) } catch {
                cleanUp()
                throw error
            }
        }
    }

    /// A directory made by `make`, removed again when `make` fails: for helpers that return a
    /// prepared store, whose caller's `defer` is not yet in place while they work.
    static func building(_ fixtureStore: String? = nil, _ make: (CLI) throws -> Void) throws -> CLI {
        let cli = try CLI(copying: fixtureStore)
        do { try make(cli) } catch {
            cli.cleanUp()
            throw error
        }
        return cli
    }

    /// Remove the test's directory (and the lock file a store named by the directory's own path
    /// leaves beside it). First wait until no process works in it any more: a console whose tmux
    /// server was killed saves and folds its journal on the way out, and sshd's sessions end after
    /// the daemon, each writing into the directory; removed under them, the directory came back
    /// with their files in it. A process still there after a minute is killed (it is the test's).
    func cleanUp() {
        CLI.waitForProcesses(using: dir)
        // A file created while the tree is being removed fails the last rmdir: go again.
        for _ in 0..<5 where FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.removeItem(atPath: dir)
        }
        unlink(dir + ".lock")
    }

    /// The processes (other than this one) working in `dir`: their working directory is in it, or
    /// their command line names it (`--store DIR/kurasi.json`, tmux's socket, sshd's config).
    static func processes(using dir: String) -> [pid_t] {
        let me = getpid()
        var found: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != me else { continue }
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) ?? ""
            let handle = FileHandle(forReadingAtPath: "/proc/\(entry)/cmdline")
            let cmdline = (try? handle?.readToEnd()) ?? nil
            try? handle?.close()
            if cwd == dir || cwd.hasPrefix(dir + "/") || String(decoding: cmdline ?? Data(), as: UTF8.self).contains(dir) {
                found.append(pid)
            }
        }
        return found
    }

    /// Wait until no process works in `dir` (a process that has ended but not been reaped has no
    /// working directory or command line, and does not count); after `timeout`, kill those left.
    static func waitForProcesses(using dir: String, timeout: TimeInterval = 60) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let left = processes(using: dir)
            if left.isEmpty { return }
            if Date() >= deadline {
                for pid in left { kill(pid, SIGKILL) }
                let reaped = Date(timeIntervalSinceNow: 10)
                while !processes(using: dir).isEmpty, Date() < reaped { usleep(20_000) }
                return
            }
            usleep(20_000)
        }
    }

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
