import Foundation
import KurasiCore
import KurasiStore
import Testing

/// Curators on their own laptops: OpenSSH's sshd on loopback, one key per curator whose
/// `authorized_keys` line forces `kurasi --store … --curator K`, as README "Curators on their own
/// laptops" sets it up. Two curators and a projector share one store; a key is its curator.
@Suite(.serialized, .enabled(if: (SSHD.isInstalled && Tmux.isInstalled) || ProcessInfo.processInfo.environment["CI"] == "true",
                             "needs openssh-server and tmux (apt-get install -y openssh-server openssh-client tmux)"))
struct SSHTests {
    @Test func curatorsScoreFromTheirOwnTerminalsAndAKeyIsItsCurator() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let sshd = try SSHD(dir: cli.dir, store: cli.store, sessions: ["k2": ["--curator", "K2"], "k4": ["--curator", "K4"], "projector": ["--board"]])
        defer { sshd.stop() }

        // The secretary (K2) and a curator (K4) on their laptops, the projector on the wall.
        let k2 = try Tmux.ssh(cli, sshd, key: "k2")
        defer { k2.kill() }
        try k2.waitFor("Curator: Agus Prasetyo, S.E. (K2)", timeout: 30)
        let k4 = try Tmux.ssh(cli, sshd, key: "k4")
        defer { k4.kill() }
        try k4.waitFor("Curator: Ir. Dwi Cahyono (K4)", timeout: 30)
        let wall = try Tmux.ssh(cli, sshd, key: "projector")
        defer { wall.kill() }
        // The projector's key opens the board, with nobody signed in and no scores while blind.
        try wall.waitFor("SHORTLIST BOARD", timeout: 30)
        try wall.waitFor("appear once deliberation opens")

        // K2 scores a product nobody has scored; K4 and the projector see its count change.
        let round = try Store(path: cli.store).load()
        let product = try #require(round.products.first { p in
            p.cluster == .mamin && round.scores[p.id, default: [:]].isEmpty && round.isEligible(p)
        }).id
        for t in [k2, k4] {
            t.keys("/"); t.type(product.rawValue); t.keys("Enter")
            try t.waitFor("\(product) ")
        }
        k2.keys("Enter")
        try k2.waitFor("Criterion (weight)")
        k2.keys(["5", "5", "5", "5", "5", "5"])
        try k2.waitFor(" · n 1 · ")
        try k4.waitUntil("K4's list shows K2's sheet", timeout: 20) { rows(of: product.rawValue, in: $0).contains { $0.contains(" 1/5") } }

        // The secretary pins it; the projected board shows the pin.
        k2.keys("Escape")
        try k2.waitFor("[ MAMIN")
        k2.keys("p")
        try k2.waitUntil("the pin is saved or asks for a reason") { $0.contains("★1") || $0.contains("outside the top five") }
        if try k2.capture().contains("outside the top five") { k2.type("dipilih rapat"); k2.keys("Enter") }
        try k2.waitFor("★1")
        try wall.waitUntil("the board shows the pin", timeout: 20) { $0.contains(product.rawValue) }
        // The projector changes nothing.
        wall.keys("f")
        try wall.waitFor("view only")

        // A key is its curator: the console refuses to switch curator.
        k4.keys("c")
        try k4.waitFor("fixed")
        #expect(try k4.capture().contains("Curator: Ir. Dwi Cahyono (K4)"))

        // Nor does a key run anything else: the forced command runs instead of what was asked.
        let other = sshd.run(key: "k4", command: ["kurasi", "--curator", "K1", "finalize"])
        #expect(!other.contains("rev "), "\(other)")
        let passwd = sshd.run(key: "k4", command: ["cat", "/etc/passwd"])
        #expect(!passwd.contains("root:x:0:0"), "\(passwd)")
        let after = try Store(path: cli.store).load()
        #expect(after.round.status.state != .final)
        #expect(after.sheet(product: product, curator: "K2").count == 6)
        #expect(after.pin(of: product)?.1.by == "K2")
    }

    func rows(of product: String, in screen: String) -> [String] {
        screen.split(separator: "\n").map(String.init).filter { $0.contains(" \(product) ") }
    }
}

/// An sshd of the test's own on a free loopback port, with a host key and one client key per
/// session; each key's `authorized_keys` line forces kurasi on the test's store with that
/// session's arguments, `restrict,pty` (no forwarding, no other command, a terminal).
final class SSHD {
    static let binary = "/usr/sbin/sshd"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh") }

    let dir: String
    private(set) var port: Int32 = 0

    init(dir: String, store: String, sessions: [String: [String]]) throws {
        self.dir = dir + "/ssh"
        try FileManager.default.createDirectory(atPath: self.dir, withIntermediateDirectories: true)
        // sshd's privilege separation directory (Debian creates it when the service starts).
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try keygen(self.dir + "/host")
        var authorized = ""
        for (key, args) in sessions.sorted(by: { $0.key < $1.key }) {
            try keygen(self.dir + "/" + key)
            let pub = try String(contentsOfFile: self.dir + "/\(key).pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            // The language of the session goes in the forced command (sshd passes no LANG here).
            let command = (["LANG=C.UTF-8", CLI.binary, "--store", store] + args).joined(separator: " ")
            authorized += "command=\"\(command)\",restrict,pty \(pub)\n"
        }
        try authorized.write(toFile: self.dir + "/authorized_keys", atomically: true, encoding: .utf8)
        // A port the kernel just handed out; if another process takes it first, sshd fails to
        // bind and the next one is tried.
        for _ in 0..<5 {
            port = Self.freePort()
            let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(self.dir)/host
            AuthorizedKeysFile \(self.dir)/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PidFile \(self.dir)/sshd.pid
            """
            try config.write(toFile: self.dir + "/sshd_config", atomically: true, encoding: .utf8)
            // sshd closes every descriptor it inherits, which Foundation's Process takes for the
            // child's exit (and then blocks waiting for it, holding up every other Process of the
            // test). So sshd runs as a daemon: it binds its port, forks and the first process
            // exits (255 when the port is taken); stop() ends the daemon by its pid file.
            let pidFile = self.dir + "/sshd.pid"
            try? FileManager.default.removeItem(atPath: pidFile)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary)
            p.arguments = ["-f", self.dir + "/sshd_config"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus == 0, Self.waitForListener(port: port) { return }
            killSSHD()
        }
        throw Tmux.Timeout(description: "sshd did not start on a loopback port")
    }

    /// `ssh` arguments for a session's key.
    func client(key: String) -> [String] {
        ["/usr/bin/ssh", "-i", dir + "/" + key, "-p", String(port), "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
         "root@127.0.0.1"]
    }

    /// Run a command over ssh without a terminal and return what came back.
    func run(key: String, command: [String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        p.arguments = Array(client(key: key).dropFirst()) + command
        let out = Pipe()
        p.standardOutput = out; p.standardError = out
        p.standardInput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "" }
        let data = (try? out.fileHandleForReading.readToEnd()) ?? Data()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func stop() { killSSHD() }

    /// End the sshd daemon by its pid file (written before it accepts connections).
    private func killSSHD() {
        let text = (try? String(contentsOfFile: dir + "/sshd.pid", encoding: .utf8)) ?? ""
        if let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 { kill(pid, SIGTERM) }
    }

    private func keygen(_ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        p.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", path]
        p.standardOutput = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Tmux.Timeout(description: "ssh-keygen failed for \(path)") }
    }

    static func freePort() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int32(UInt16(bigEndian: addr.sin_port))
    }

    /// True once something accepts connections on the port, false if nothing listens within 30 s.
    static func waitForListener(port: Int32) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
            close(fd)
            if ok { return true }
            usleep(50_000)
        }
        return false
    }
}

extension Tmux {
    /// An 80×24 pane connected over ssh with a session's key (the forced command runs there).
    static func ssh(_ cli: CLI, _ sshd: SSHD, key: String) throws -> Tmux {
        let tmux = Tmux(home: cli.dir)
        let command = (sshd.client(key: key).prefix(1) + ["-tt"] + sshd.client(key: key).dropFirst()).map(shellQuote).joined(separator: " ")
        let r = tmux.run(["start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                          "new-session", "-d", "-s", "kurasi", "-x", "80", "-y", "24", "-c", cli.dir, command,
                          ";", "set-option", "-g", "window-size", "manual"])
        guard r.status == 0 else { throw Timeout(description: "tmux new-session failed: \(r.output)") }
        return tmux
    }
}
