import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kurasi import REGISTRY.csv` draws a bar that follows the rows on standard error when it is a
/// terminal (a pseudo-terminal here), and nothing of it when standard error is a pipe or a file.
@Suite struct ImportProgressTests {
    /// Run `kurasi ARGS` with standard error on a new pseudo-terminal; what the terminal received.
    func runWithTerminalStderr(_ cli: CLI, _ args: [String]) throws -> (status: Int32, stdout: String, terminal: String) {
        let master = PTY.openpt(O_RDWR | O_NOCTTY)
        #expect(master >= 0)
        #expect(PTY.grantpt(master) == 0 && PTY.unlockpt(master) == 0)
        guard let name = PTY.ptsname(master) else { throw CocoaError(.fileNoSuchFile) }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        #expect(slave >= 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--store", cli.store] + args
        p.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": cli.dir, "LANG": "C.UTF-8", "KURASI_NOW": "2020-10-15T09:00:00Z"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        close(slave)  // the child holds its own copy; the master reads until it is gone
        // Read the terminal on a thread of its own so that the child never waits on a full buffer.
        let received = Received()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                received.bytes.append(contentsOf: buffer[0..<n])
            }
            received.done.signal()
        }
        reader.start()
        let stdout = (try? out.fileHandleForReading.readToEnd()) ?? Data()
        p.waitUntilExit()
        received.done.wait()
        close(master)
        return (p.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: received.bytes, as: UTF8.self))
    }

    @Test func aTerminalSeesTheBarFollowTheRowsThenCleared() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Ketua", "--chair"])
        let r = try runWithTerminalStderr(cli, ["import", CLI.fixture("madiun-2020/registry.csv")])
        #expect(r.status == 0, "\(r.terminal)")
        #expect(r.stdout.contains("0 unreadable rows"))
        // The bar from its first row to the last, each drawing over the one before.
        let draws = r.terminal.components(separatedBy: "\r\u{1B}[K").filter { $0.contains("[") && $0.contains("%") }
        #expect(draws.count >= 10, "\(r.terminal.debugDescription)")
        #expect(draws.first?.contains("Reading ") == true)
        #expect(draws.first?.contains("[------------------------------] 0% · 0") == true)
        #expect(draws.last?.contains("[##############################] 100% · 2,000") == true, "\(draws.suffix(2).debugDescription)")
        let percents = draws.compactMap { d in d.split(separator: "]").last?.split(separator: "%").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        #expect(percents == percents.sorted() && percents.count == draws.count)
        // Nothing is left on the terminal's line at the end.
        #expect(r.terminal.hasSuffix("\r\u{1B}[K"))
    }

    @Test func aPipeSeesNoBar() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Ketua", "--chair"])
        let r = try cli.run(["import", CLI.fixture("madiun-2020/registry.csv")])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("\u{1B}[K") && !r.stderr.contains("%") && !r.stderr.contains("#"))
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("0 unreadable rows"))
    }
}

/// The C library's pseudo-terminal calls, found by name (the Swift overlay of the C library does
/// not declare them without _XOPEN_SOURCE).
private enum PTY {
    static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, name) else { fatalError("no \(name) in the C library") }
        return unsafeBitCast(sym, to: type)
    }
    static let openpt = symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = symbol("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}

private final class Received: @unchecked Sendable {
    var bytes: [UInt8] = []
    let done = DispatchSemaphore(value: 0)
}
