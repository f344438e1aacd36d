import Foundation
import KurasiCore
import KurasiStore
import Testing

/// Tests that try hard to lose the committee's work: SIGKILL at random moments, two writers at
/// once, writes that fail part-way. Each is bounded in count and time.
@Suite(.serialized) struct DurabilityTests {
    static let criteria = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"]

    @Test func sigkillAtRandomMomentsLosesAtMostTheEditInFlight() throws {
        let cli = try CLI.smallRound()  // edits quick enough for the kill delays below
        defer { cli.cleanUp() }
        var rng = SplitMix(seed: 20201015)
        // Compact often so kills also land during compaction.
        let env = ["KURASI_COMPACT_EVERY": "4"]
        var expected = Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")
        var revision = Store(path: cli.store).loadOrFail().revision
        var kills = 0, acked = 0, trial = -1
        while kills < 55 && trial < 300 {
            trial += 1
            let criterion = Self.criteria[trial % 6]
            let value = (trial / 6) % 5 + 1
            if expected[criterion] == value { continue }  // would change nothing
            let p = try cli.spawn(["score", "P-0003", "--curator", "K2", "\(criterion)=\(value)"], env: env)
            usleep(UInt32(rng.next() % 45_000))
            let killed = kill(p.processIdentifier, SIGKILL) == 0
            p.waitUntilExit()
            let ack = p.terminationReason == .exit && p.terminationStatus == 0
            if ack { acked += 1 } else if killed { kills += 1 }
            // The store loads, passes check, and holds exactly the acknowledged edits (and
            // perhaps the one in flight, if it reached the disk before the kill).
            let check = try cli.run(["check"])
            #expect(check.status == 0, "after trial \(trial): \(check.stderr)")
            let round = Store(path: cli.store).loadOrFail()
            if ack {
                revision += 1; expected[criterion] = value
            } else if round.revision == revision + 1 {
                revision += 1; expected[criterion] = value  // durable, just not acknowledged
            }
            #expect(round.revision == revision, "after trial \(trial)")
            #expect(round.sheet(product: "P-0003", curator: "K2") == expected, "after trial \(trial)")
        }
        #expect(kills >= 50, "only \(kills) kills landed; the edits are too fast for the delays")
        #expect(acked > 0)
    }

    @Test func twoWritersAtOnceLoseNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Sri", "--chair"])
        try cli.ok(["curator", "add", "K2", "--name", "Agus"])
        try cli.ok(["import", CLI.fixture("madiun-2020/registry.csv")])
        let start = Store(path: cli.store).loadOrFail()
        let products = start.products.map(\.id).sorted()
        #expect(products.count >= 200)
        // Each writer scores 500 cells nobody has touched: one edit per process.
        func script(_ curator: String, _ offset: Int) -> String {
            var lines = ["set -e"]
            for i in 0..<500 {
                let product = products[offset + i / 6], criterion = Self.criteria[i % 6]
                lines.append("'\(CLI.binary)' score \(product) --curator \(curator) \(criterion)=\(i % 5 + 1) >/dev/null")
            }
            return lines.joined(separator: "\n") + "\necho done\n"
        }
        let a = try cli.spawnShell(script("K1", 0)), b = try cli.spawnShell(script("K2", 100))
        a.waitUntilExit(); b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == start.revision + 1000)
        let scored = round.events.filter { if case .score = $0.change { true } else { false } }
        #expect(scored.count == 1000)
        for (curator, offset) in [("K1", 0), ("K2", 100)] {
            for i in 0..<500 {
                let value = round.sheet(product: products[offset + i / 6], curator: curator)[Self.criteria[i % 6]]
                #expect(value == i % 5 + 1)
            }
        }
        #expect(try cli.run(["check"]).status == 0)
    }

    @Test func aFileSizeLimitFailsTheEditAndKeepsEverythingElse() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for v in [1, 2, 3] { try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=\(v)"]) }
        let snapshot = try cli.storeBytes()
        let journal = try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))
        #expect(journal.count > 512)
        // 512 bytes: the journal is past the limit, so the append fails with EFBIG.
        let r = try cli.runShell("ulimit -f 1; '\(CLI.binary)' score P-0003 --curator K2 kualitas=4")
        #expect(r.status == 1)
        #expect(r.stderr.contains("the edit was not saved") && r.stderr.contains("File too large"), "\(r.stderr)")
        #expect(try cli.storeBytes() == snapshot)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal")) == journal)
        // A compaction that cannot write the new snapshot keeps the old one; the edit itself is
        // saved in the journal and says so.
        let c = try cli.runShell("ulimit -f 100; KURASI_COMPACT_EVERY=1 '\(CLI.binary)' score P-0003 --curator K2 kualitas=5")
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stderr.contains("compacting the store failed"))
        #expect(try cli.storeBytes() == snapshot)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "a temporary file was left: \(names)")
        #expect(Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")["kualitas"] == 5)
    }

    @Test func aTornJournalLineIsDroppedWithAWarningAndADamagedOneIsRefused() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        for v in [1, 2, 3] { try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=\(v)"]) }
        let path = cli.store + ".journal"
        let journal = try Data(contentsOf: URL(fileURLWithPath: path))
        // Torn: the last line cut short.
        try journal.dropLast(30).write(to: URL(fileURLWithPath: path))
        let torn = try cli.run(["rank", "--format", "json"])
        #expect(torn.status == 0)
        #expect(torn.stderr.contains("warning") && torn.stderr.contains("journal:3"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == journal.dropLast(30))
        // Damaged mid-file: a byte flipped in line 1.
        var bytes = [UInt8](journal)
        bytes[40] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = try cli.run(["check"])
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains("journal line 1 is damaged"))
        let edit = try cli.run(["score", "P-0003", "--curator", "K2", "kualitas=5"])
        #expect(edit.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
        // recover keeps what is readable, sets the damage aside, and the store opens again.
        let recovered = try cli.run(["recover", "--yes"])
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(try cli.run(["check"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(names.contains { $0.hasPrefix("kurasi.json.damaged-") && $0.hasSuffix(".journal") })
    }

    @Test func recoverAsksFirstAndRestoresFromTheNewestGoodBackup() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let env = ["KURASI_COMPACT_EVERY": "3"]
        for i in 0..<8 { try cli.ok(["score", "P-0003", "--curator", "K2", "\(Self.criteria[i % 6])=\(i % 5 + 1)"], env: env) }
        let before = Store(path: cli.store).loadOrFail()
        // The snapshot is cut in half.
        let snapshot = try cli.storeBytes()
        try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: cli.store))
        let damaged = try cli.storeBytes()
        let ask = try cli.run(["recover"])  // stdin is /dev/null: no answer is no
        #expect(ask.status == 1 && ask.stdout.contains("Nothing was changed."))
        #expect(ask.stdout.contains("start from") && ask.stdout.contains(".bak"))
        #expect(try cli.storeBytes() == damaged)
        try cli.ok(["recover", "--yes"])
        let after = Store(path: cli.store).loadOrFail()
        #expect(after.revision == before.revision)
        #expect(after.scores == before.scores)
    }
}

extension Store {
    func loadOrFail(sourceLocation: SourceLocation = #_sourceLocation) -> Round {
        do { return try load() } catch {
            Issue.record("the store does not load: \(error)", sourceLocation: sourceLocation)
            return Round(round: RoundInfo(title: "", date: ""))
        }
    }
}

/// A seeded generator, so the kill moments are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
