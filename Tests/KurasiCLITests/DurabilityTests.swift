import Foundation
import KurasiCore
import KurasiStore
import Testing

/// Tests that try hard to lose the committee's work: SIGKILL at random moments, two writers at
/// once, writes that fail part-way. Each is bounded in count and time.
@Suite(.serialized) struct DurabilityTests {
    static let criteria: [CriterionID] = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"]

    /// Every named point of an edit and its compaction: the process is killed there (as `kill -9`
    /// or a crash would), and afterwards the store opens, passes `check`, holds every edit that
    /// reached the journal, takes the next edit, and the temp files the kill left are gone.
    /// (`carry-over-written` is reached only when another writer edits during the compaction:
    /// CompactionTests stops the compaction there.)
    @Test(arguments: CrashPoint.allCases.filter { $0 != .carryOverWritten })
    func aKillAtEveryNamedPointLosesNothingThatReachedTheJournal(_ point: CrashPoint) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        // Compact on every edit, so one edit passes every point.
        let env = ["KURASI_COMPACT_EVERY": "1"]
        // The bundled store is schema 1: its first compaction is the migration to schema 2, so
        // for the migration's own points the edit that is killed must be the first to compact.
        let migration = point == .v1BackupTempWritten || point == .v1BackupWritten
        let original = try cli.storeBytes()
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=1"], env: migration ? [:] : env)
        let start = Store(path: cli.store).loadOrFail().revision
        var crashEnv = env
        crashEnv["KURASI_CRASH_AT"] = point.rawValue
        let p = try cli.spawn(["score", "P-0003", "--curator", "K2", "kemasan=2"], env: crashEnv)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL,
                "the edit did not stop at \(point.rawValue)")
        let leftover = try FileManager.default.contentsOfDirectory(atPath: cli.dir).filter { $0.contains(".tmp-") }
        if migration {
            // The schema 1 snapshot is still in place; its copy is whole when it is there at all.
            #expect(try cli.storeBytes() == original)
            let kept = FileManager.default.contents(atPath: cli.store + ".v1.bak")
            #expect(point == .v1BackupWritten ? kept == original : kept == nil)
        }
        if point == .backupTempWritten || point == .snapshotTempWritten || point == .v1BackupTempWritten {
            #expect(!leftover.isEmpty, "a kill at \(point.rawValue) should leave its temp file for the next writer")
        }
        // Every point is after the journal write, so the edit survives, acknowledged or not.
        let check = try cli.run(["check"])
        #expect(check.status == 0, "after a kill at \(point.rawValue): \(check.stderr)")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == start + 1, "after a kill at \(point.rawValue)")
        #expect(round.sheet(product: "P-0003", curator: "K2") == ["kualitas": 1, "kemasan": 2])
        // The next writer goes on from there and clears the dead process's temp files.
        try cli.ok(["score", "P-0003", "--curator", "K2", "keunikan=3"], env: env)
        let after = Store(path: cli.store).loadOrFail()
        #expect(after.revision == start + 2)
        #expect(after.sheet(product: "P-0003", curator: "K2") == ["kualitas": 1, "kemasan": 2, "keunikan": 3])
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "temp files left after the next edit: \(names)")
        #expect(try cli.run(["check"]).status == 0)
        // Recover has nothing to do: the store reads fine.
        let recover = try cli.run(["recover", "--yes"])
        #expect(recover.status == 0 && recover.stdout.contains("nothing to recover"), "\(recover.stdout)\(recover.stderr)")
        // And with the snapshot cut in half, the backups and journal segments the kill and the
        // next edit left rebuild every edit.
        let snapshot = try cli.storeBytes()
        try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: cli.store))
        let rebuilt = try cli.run(["recover", "--yes"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(!rebuilt.stdout.contains("skipped"), "\(rebuilt.stdout)")
        let recovered = Store(path: cli.store).loadOrFail()
        #expect(recovered.revision == start + 2, "after a kill at \(point.rawValue): \(rebuilt.stdout)")
        #expect(recovered.sheet(product: "P-0003", curator: "K2") == ["kualitas": 1, "kemasan": 2, "keunikan": 3])
    }

    /// A write that fails at a named point (`KURASI_FAIL_AT`, as a broken disk would make it;
    /// root meets it too): a failed journal write refuses the edit and changes nothing; a failed
    /// compaction keeps the edit in the journal, says so, and leaves no temp file.
    @Test(arguments: [CrashPoint.journalWritten, .backupTempWritten, .snapshotTempWritten])
    func aWriteThatFailsAtANamedPointIsReportedAndLosesNothing(_ point: CrashPoint) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let env = ["KURASI_COMPACT_EVERY": "1"]
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=1"], env: env)
        let before = try FileManager.default.contentsOfDirectory(atPath: cli.dir).sorted()
        let snapshot = try cli.storeBytes()
        var failEnv = env
        failEnv["KURASI_FAIL_AT"] = point.rawValue
        let r = try cli.run(["score", "P-0003", "--curator", "K2", "kemasan=2"], env: failEnv)
        let sheet = Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")
        if point == .journalWritten {
            #expect(r.status == 1)
            #expect(r.stderr.contains("the edit was not saved") && r.stderr.contains("Input/output error"), "\(r.stderr)")
            // The store is ./kurasi.json: the directory to look at is named in full, not as "".
            let dir = URL(fileURLWithPath: cli.dir).resolvingSymlinksInPath().path
            #expect(r.stderr.contains("check free space and the permissions of \(dir).\n"), "\(r.stderr)")
            #expect(sheet == ["kualitas": 1])
        } else {
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("the edit is saved in the journal, but compacting the store failed"), "\(r.stderr)")
            #expect(sheet == ["kualitas": 1, "kemasan": 2])
        }
        #expect(try cli.storeBytes() == snapshot)
        let after = try FileManager.default.contentsOfDirectory(atPath: cli.dir).sorted()
        #expect(!after.contains { $0.contains(".tmp-") }, "\(after)")
        if point == .journalWritten { #expect(after == before) }
        #expect(try cli.run(["check"]).status == 0)
    }

    /// A few kills at unplanned moments, as a check on the named points. The window is measured
    /// from this machine's own edit time, so a slow or loaded machine gets a wider one; the test
    /// asserts only what must hold whatever the moment.
    @Test func sigkillAtRandomMomentsLosesAtMostTheEditInFlight() throws {
        let cli = try CLI.smallRound()  // edits quick enough for the kill delays below
        defer { cli.cleanUp() }
        var rng = SplitMix64(seed: 20201015)
        let env = ["KURASI_COMPACT_EVERY": "2"]
        // Measure an edit (with its compaction) here, now.
        let clock = ContinuousClock()
        let t0 = clock.now
        try cli.ok(["score", "P-0003", "--curator", "K2", "pasar=1"], env: env)
        try cli.ok(["score", "P-0003", "--curator", "K2", "pasar=2"], env: env)
        let edit = (clock.now - t0) / 2
        let windowMicros = UInt64(max(1_000, edit.components.seconds * 1_000_000 + edit.components.attoseconds / 1_000_000_000_000)) * 3 / 2
        var expected = Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2")
        var revision = Store(path: cli.store).loadOrFail().revision
        for trial in 0..<12 {
            let criterion = Self.criteria[trial % 6]
            let value = expected[criterion] == 5 ? 4 : 5
            let p = try cli.spawn(["score", "P-0003", "--curator", "K2", "\(criterion)=\(value)"], env: env)
            usleep(UInt32(rng.next() % windowMicros))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let ack = p.terminationReason == .exit && p.terminationStatus == 0
            let check = try cli.run(["check"])
            #expect(check.status == 0, "after trial \(trial): \(check.stderr)")
            let round = Store(path: cli.store).loadOrFail()
            if ack || round.revision == revision + 1 {
                revision += 1; expected[criterion] = value
            }
            #expect(round.revision == revision, "after trial \(trial)")
            #expect(round.sheet(product: "P-0003", curator: "K2") == expected, "after trial \(trial)")
        }
    }

    @Test func twoWritersAtOnceLoseNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Sri", "--chair"])
        try cli.ok(["curator", "add", "K2", "--name", "Agus", "--curator", "K1"])
        try cli.ok(["import", CLI.fixture("madiun-2020/registry.csv")])
        let start = Store(path: cli.store).loadOrFail()
        let products = start.products.map(\.id).sorted()
        #expect(products.count >= 40)
        // Each writer scores 40 cells nobody has touched: one edit per process, compacting
        // every 8 edits so compactions by one meet appends by the other.
        let edits = 40
        func script(_ curator: String, _ offset: Int) -> String {
            var lines = ["set -e", "export KURASI_COMPACT_EVERY=8"]
            for i in 0..<edits {
                let product = products[offset + i / 6], criterion = Self.criteria[i % 6]
                lines.append("'\(CLI.binary)' score \(product) --curator \(curator) \(criterion)=\(i % 5 + 1) >/dev/null")
            }
            return lines.joined(separator: "\n") + "\necho done\n"
        }
        let a = try cli.spawnShell(script("K1", 0)), b = try cli.spawnShell(script("K2", 20))
        a.waitUntilExit(); b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == start.revision + 2 * edits)
        let scored = round.events.filter { if case .score = $0.change { true } else { false } }
        #expect(scored.count == 2 * edits)
        for (curator, offset) in [("K1", 0), ("K2", 20)] as [(CuratorID, Int)] {
            for i in 0..<edits {
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

    /// Six edits of six different criteria: each applies whatever happens to the others.
    func sixIndependentEdits(_ cli: CLI) throws -> [String] {
        for (i, c) in Self.criteria.enumerated() { try cli.ok(["score", "P-0003", "--curator", "K2", "\(c)=\(i % 5 + 1)"]) }
        let text = try String(contentsOfFile: cli.store + ".journal", encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    func writeJournal(_ cli: CLI, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: cli.store + ".journal"))
    }

    @Test func recoverSkipsOnlyTheDamagedLineAndKeepsItsTextBesideTheStore() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let start = Store(path: cli.store).loadOrFail().revision
        var lines = try sixIndependentEdits(cli)
        #expect(lines.count == 6)
        // One flipped byte in line 3 of 6 (the score 3 becomes 4; the checksum no longer matches).
        #expect(lines[2].contains("\"to\":3"))
        lines[2] = lines[2].replacingOccurrences(of: "\"to\":3", with: "\"to\":4")
        try writeJournal(cli, lines)
        #expect(try cli.run(["rank"]).status == 1)
        let r = try cli.run(["recover", "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("replay 5 edits"), "\(r.stdout)")
        #expect(r.stdout.contains("skipped kurasi.json.journal:3: damaged: its checksum does not match its content"), "\(r.stdout)")
        // Lines 4-6 are back; only line 3's edit is missing.
        let round = Store(path: cli.store).loadOrFail()
        var expected: Sheet = [:]
        for (i, c) in Self.criteria.enumerated() where i != 2 { expected[c] = i % 5 + 1 }
        #expect(round.sheet(product: "P-0003", curator: "K2") == expected)
        #expect(round.revision == start + 6)
        // The text of the skipped line is kept beside the store, byte for byte.
        let skipped = cli.store + ".skipped-2020-10-15T090000Z.jsonl"
        #expect(try String(contentsOfFile: skipped, encoding: .utf8) == lines[2] + "\n")
        #expect(r.stdout.contains("kept in kurasi.json.skipped-2020-10-15T090000Z.jsonl"))
        #expect(try cli.run(["check"]).status == 0)
        try cli.ok(["score", "P-0003", "--curator", "K2", "keunikan=5"])
        #expect(Store(path: cli.store).loadOrFail().revision == start + 7)
    }

    @Test func recoverReplaysSwappedLinesInRevisionOrder() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let start = Store(path: cli.store).loadOrFail().revision
        var lines = try sixIndependentEdits(cli)
        lines.swapAt(2, 3)
        try writeJournal(cli, lines)
        let r = try cli.run(["recover", "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("replay 6 edits") && !r.stdout.contains("skipped"), "\(r.stdout)")
        let round = Store(path: cli.store).loadOrFail()
        #expect(round.revision == start + 6)
        #expect(round.sheet(product: "P-0003", curator: "K2").count == 6)
        #expect(round.events.suffix(6).map(\.revision) == Array(start + 1...start + 6))
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.dir)
        #expect(!names.contains { $0.contains(".skipped-") })
    }

    @Test func aLaterLineThatDependsOnADamagedOneIsSkippedWithItsReason() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=1"])
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=2"])  // from 1
        try cli.ok(["score", "P-0003", "--curator", "K2", "kemasan=3"])
        var lines = try String(contentsOfFile: cli.store + ".journal", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = String(lines[0].dropLast(5))  // cut short: not JSON any more, and not the last line
        try writeJournal(cli, lines)
        let r = try cli.run(["recover", "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("journal:1: damaged: it is not a readable journal entry"), "\(r.stdout)")
        #expect(r.stdout.contains("journal:2: revision") && r.stdout.contains("no longer applies"), "\(r.stdout)")
        #expect(r.stdout.contains("replay 1 edits"), "\(r.stdout)")
        #expect(Store(path: cli.store).loadOrFail().sheet(product: "P-0003", curator: "K2") == ["kemasan": 3])
        let skipped = try String(contentsOfFile: cli.store + ".skipped-2020-10-15T090000Z.jsonl", encoding: .utf8)
        #expect(skipped == lines[0] + "\n" + lines[1] + "\n")
    }

    /// When the newest line is the one skipped, the store still goes on after its revision, so
    /// a later recovery cannot mistake the skipped line for a new edit.
    @Test func afterRecoveryNewEditsNeverReuseASkippedLinesRevision() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let start = Store(path: cli.store).loadOrFail().revision
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=1"])
        try cli.ok(["score", "P-0003", "--curator", "K2", "kemasan=2"])
        try cli.ok(["score", "P-0003", "--curator", "K2", "kualitas=2"])  // from 1: skipped below
        var lines = try String(contentsOfFile: cli.store + ".journal", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = String(lines[0].dropLast(5))
        try writeJournal(cli, lines)
        let r = try cli.run(["recover", "--yes"])
        #expect(r.status == 0 && r.stdout.contains("replay 1 edits"), "\(r.stdout)\(r.stderr)")
        #expect(Store(path: cli.store).loadOrFail().revision == start + 3)
        let next = try cli.ok(["score", "P-0003", "--curator", "K2", "keunikan=4"])
        #expect(next.hasPrefix("rev \(start + 4):"), "\(next)")
        #expect(try cli.run(["check"]).status == 0)
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
