import Foundation
import KurasiCore
import KurasiStore
import Testing

/// The console end to end: the real `kurasi` binary in a private tmux server, driven with
/// `send-keys` and read back with `capture-pane`. Every wait is bounded and polls the screen; none
/// is a fixed sleep.
// Skipped only on a developer machine without tmux; under CI=true a missing tmux fails loudly.
@Suite(.serialized, .enabled(if: Tmux.isInstalled || ProcessInfo.processInfo.environment["CI"] == "true",
                             "tmux is not installed (apt-get install -y tmux; CI installs it through .ci/run)"))
struct ConsoleE2ETests {
    // MARK: The committee's session

    @Test func aSessionScoresPinsAndSurvivesAResize() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let original = try Store(path: cli.store).load()
        let tmux = try Tmux.console(cli, ["--store", cli.store])
        defer { tmux.kill() }

        // No curator given: the picker comes first.
        try tmux.waitFor("Choose the active curator")
        tmux.keys("Down", "Enter")  // K1 -> K2
        try tmux.waitFor("Curator: Agus Prasetyo, S.E. (K2)")

        // Filter as you type to a product nobody has scored yet, then open it.
        let product = try #require(original.products.first { p in
            p.cluster == .mamin && original.scores[p.id, default: [:]].isEmpty
                && original.ranking(.mamin).first { $0.product.id == p.id }?.eligible == true
        }).id
        tmux.keys("/")
        tmux.type(product.rawValue)
        try tmux.waitUntil("the filtered list shows only \(product)") { screen in
            screen.contains("filter: \(product)") && productRows(screen) == [product.rawValue]
        }
        tmux.keys("Enter", "Enter")
        try tmux.waitFor("Criterion (weight)")
        try tmux.waitFor("\(product) ")

        // Score it as K2: one key per criterion, the cursor moves on by itself.
        let criteria = original.rubric.criteria.map(\.id)
        let k2 = [4, 5, 3, 4, 4, 3], k4 = [3, 4, 4, 5, 3, 4]
        tmux.keys(k2.map(String.init))
        try tmux.waitFor(" · n 1 · ")  // the sheet is complete: its aggregate shows

        // Switch to K4 (the picker starts on the active curator) and score it again from the top.
        tmux.keys("c")
        try tmux.waitFor("Choose the active curator")
        tmux.keys("Down", "Down", "Enter")
        try tmux.waitFor("Curator: Ir. Dwi Cahyono (K4)")
        try tmux.waitFor("Criterion (weight)")
        tmux.keys(Array(repeating: "Up", count: criteria.count))
        try tmux.waitUntil("the first criterion is selected") { screen in
            rows(screen, containing: " > ").first?.contains(original.rubric.criteria[0].name.en) == true
        }
        tmux.keys(k4.map(String.init))
        try tmux.waitFor(" · n 2 · ")
        tmux.keys("Escape")
        try tmux.waitFor("[ MAMIN")
        tmux.keys("Escape")  // clears the filter
        try tmux.waitUntil("the filter is cleared") { !$0.contains("filter: ") }

        // The chair records the pins: switch to K1 (the picker starts on K4, three rows below K1).
        tmux.keys("c")
        try tmux.waitFor("Choose the active curator")
        tmux.keys("Up", "Up", "Up", "Enter")
        try tmux.waitFor("Curator: Dra. Hj. Sri Rahayu Ningsih, M.M. (K1)")

        // Pin five per cluster: four from the computed top five, one from outside it with a reason.
        let scored = try Store(path: cli.store).load()
        var plan: [Cluster: [String]] = [:]
        var reasons: [String: String] = [:]
        for cluster in Cluster.allCases {
            let (inside, outside) = pinPlan(scored, cluster)
            try #require(inside.count + outside.count == 5 && !outside.isEmpty, "the fixture cannot make this plan")
            plan[cluster] = inside + outside
            for id in outside { reasons[id] = "Ikon oleh-oleh \(cluster.rawValue) Madiun (\(id))" }
        }
        for cluster in Cluster.allCases {
            if cluster == .nonMamin {
                tmux.keys("Tab")
                try tmux.waitFor("[ NON-MAMIN")
            }
            for (i, id) in plan[cluster]!.enumerated() {
                tmux.keys("/")
                tmux.type(id)
                tmux.keys("Enter")
                try tmux.waitUntil("\(id) is the only row") { screen in
                    screen.contains("filter: \(id)") && productRows(screen) == [id]
                }
                tmux.keys("p")
                if let reason = reasons[id] {
                    try tmux.waitFor("Why pin \(id) outside the top five")
                    tmux.type(reason)
                    tmux.keys("Enter")
                }
                try tmux.waitUntil("\(id) is pinned in slot \(i + 1)") { screen in
                    rows(screen, containing: id).contains { $0.contains("★\(i + 1)") }
                }
                tmux.keys("Escape")
                try tmux.waitUntil("the filter is cleared") { !$0.contains("filter: ") }
            }
        }

        // The board, for the projector. A capture may catch a frame half drawn (tmux shows what
        // the terminal has received so far): wait for all of it, every pin with its producer's
        // line under it, the note and the hint and status lines at the bottom.
        tmux.keys("b")
        let pinned = try Store(path: cli.store).load()
        let wholeBoard: [String] = ["SHORTLIST BOARD", " MAMIN  5/5", "NON-MAMIN  5/5", "appear once deliberation opens",
                                  "d deliberate", "f finalise", "q quit", "Saved · rev \(pinned.revision)"]
            + Cluster.allCases.flatMap { cluster in
                plan[cluster]!.enumerated().flatMap { i, id -> [String] in
                    let product = pinned.product(ProductID(id))
                    let producer = product.flatMap { pinned.producer($0.producer) }?.name ?? "?"
                    return ["★\(i + 1) \(id) ", "   " + String(producer.prefix(20))]
                }
            }
        let board = try tmux.waitUntil("the whole board: \(wholeBoard)") { screen in wholeBoard.allSatisfy(screen.contains) }
        // Scoring is still blind: the pins, no scores, and the chair's keys on the hint line.
        #expect(board.contains("appear once deliberation opens"))
        #expect(board.contains("d deliberate") && board.contains("f finalise"))

        // Too small: one line says so. Back to 80×24: exactly the same screen as before (waited
        // for whole, as above: the frame after the resize may be caught half drawn too).
        tmux.resize(40, 10)
        let small = try tmux.waitFor("Terminal too small")
        #expect(!small.contains("SHORTLIST BOARD"))
        tmux.resize(80, 24)
        let restored = try? tmux.waitUntil("the board as it was before the resize") { $0 == board }
        #expect(restored == board, "after the resize:\n\(tmux.capture())\nbefore:\n\(board)")

        tmux.keys("q")
        try tmux.waitForExit(0)

        // What the binary reports is exactly what was keyed in.
        let rank = try cli.rank()
        let clusters = try #require(rank["clusters"] as? [String: [String: Any]])
        for cluster in Cluster.allCases {
            let c = try #require(clusters[cluster.rawValue])
            #expect(c["pins"] as? [String] == plan[cluster], "\(cluster)")
            let ranking = try #require(c["ranking"] as? [[String: Any]])
            let pinned = ranking.compactMap { e -> (Int, String)? in
                guard let slot = e["pinned"] as? Int, let id = e["product"] as? String else { return nil }
                return (slot, id)
            }.sorted { $0.0 < $1.0 }.map(\.1)
            #expect(pinned == plan[cluster])
        }
        let entry = try #require((clusters["mamin"]?["ranking"] as? [[String: Any]])?.first { $0["product"] as? String == product.rawValue })
        let final = try Store(path: cli.store).load()
        let sheetK2 = Sheet(Dictionary(uniqueKeysWithValues: zip(criteria, k2)))
        let sheetK4 = Sheet(Dictionary(uniqueKeysWithValues: zip(criteria, k4)))
        #expect(final.sheet(product: product, curator: "K2") == sheetK2)
        #expect(final.sheet(product: product, curator: "K4") == sheetK4)
        #expect(final.scores[product]?.count == 2)
        let expected = (final.weightedScore(sheetK2, cluster: .mamin)! + final.weightedScore(sheetK4, cluster: .mamin)!) / 2
        #expect(entry["curators"] as? Int == 2)
        #expect(abs((entry["score"] as? Double ?? -1) - expected) < 0.01, "\(entry)")
        // Nothing else was scored, and only the outside pins carry a reason.
        var others = final.scores
        others[product] = nil
        #expect(others == original.scores)
        for cluster in Cluster.allCases {
            for pin in final.pins(in: cluster) {
                #expect(pin.reason == reasons[pin.product.rawValue], "\(pin)")
            }
        }
    }

    /// Up to four products of the computed top five (distinct producers: one pin per producer is
    /// the rule), then ranked products outside it, from other producers, to make five.
    func pinPlan(_ round: Round, _ cluster: Cluster) -> (inside: [String], outside: [String]) {
        // Inside: four of the five the rules allow (one pin per producer); outside: the best
        // ranked product beyond them whose producer has no pin yet.
        let top = round.topFive(cluster)
        let inside = Array(top.prefix(4))
        var producers = Set(inside.compactMap { round.product($0)?.producer })
        var outside: [ProductID] = []
        for r in round.ranking(cluster) where r.rank != nil && r.eligible && !top.contains(r.product.id) {
            if outside.isEmpty, producers.insert(r.product.producer).inserted { outside.append(r.product.id) }
        }
        return (inside.map(\.rawValue), outside.map(\.rawValue))
    }

    // MARK: A slow store

    /// Another terminal holds the store's lock: the edit waits for it and says "saving…", the
    /// screen keeps answering (a resize), and the keys typed meanwhile follow once it is saved.
    @Test func aSaveWaitingForAnotherTerminalKeepsTheScreenAnswering() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let original = try Store(path: cli.store).load()
        let product = try #require(original.products.first { p in
            p.cluster == .mamin && original.scores[p.id, default: [:]].isEmpty
                && original.ranking(.mamin).first { $0.product.id == p.id }?.eligible == true
        }).id
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"])
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Agus Prasetyo, S.E. (K2)")
        tmux.keys("/")
        tmux.type(product.rawValue)
        try tmux.waitUntil("the filtered list shows only \(product)") { productRows($0) == [product.rawValue] }
        tmux.keys("Enter", "Enter")
        try tmux.waitFor("Criterion (weight)")

        let lock = open(cli.store + ".lock", O_RDWR | O_CREAT, 0o600)
        try #require(lock >= 0 && flock(lock, LOCK_EX) == 0)
        var held = true
        defer { if held { flock(lock, LOCK_UN); close(lock) } }
        tmux.keys("4")
        try tmux.waitFor(" saving… · rev \(original.revision)")
        tmux.keys("5")  // waits for the first
        tmux.resize(40, 10)
        try tmux.waitFor("Terminal too small")
        tmux.resize(80, 24)
        try tmux.waitFor(" saving… · rev \(original.revision)")
        flock(lock, LOCK_UN); close(lock); held = false
        try tmux.waitFor(" Saved · rev \(original.revision + 2)")
        tmux.keys("q")
        try tmux.waitForExit(0)
        let round = try Store(path: cli.store).load()
        #expect(round.sheet(product: product, curator: "K2") == ["kualitas": 4, "kemasan": 5])
    }

    /// The first frame comes before the store is read: while another terminal holds the lock
    /// (as a compaction does), the loading screen is up, a key typed then waits for the round,
    /// and the round follows once the lock is let go.
    @Test func theLoadingScreenComesFirstAndKeysWaitForTheRound() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let lock = open(cli.store + ".lock", O_RDWR | O_CREAT, 0o600)
        try #require(lock >= 0 && flock(lock, LOCK_EX) == 0)
        var held = true
        defer { if held { flock(lock, LOCK_UN); close(lock) } }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"])
        defer { tmux.kill() }
        try tmux.waitFor(" Kurasi · Opening /")
        try tmux.waitFor("q quit · other keys wait until the round is open")
        tmux.keys("b")
        flock(lock, LOCK_UN); close(lock); held = false
        try tmux.waitFor("SHORTLIST BOARD")
        tmux.keys("q")
        try tmux.waitForExit(0)
    }

    /// q on the loading screen quits at once, without waiting for the reading (still held by the
    /// lock), and writes nothing.
    @Test func qOnTheLoadingScreenQuitsAtOnceAndWritesNothing() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let lock = open(cli.store + ".lock", O_RDWR | O_CREAT, 0o600)
        try #require(lock >= 0 && flock(lock, LOCK_EX) == 0)
        defer { flock(lock, LOCK_UN); close(lock) }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"], lang: "id_ID.UTF-8")
        defer { tmux.kill() }
        try tmux.waitFor(" Kurasi · Membuka /")
        tmux.keys("q")
        try tmux.waitForExit(0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: cli.store + ".journal"))
    }

    /// A store that cannot be read: its error (file, line, what to do) on the screen until q, then
    /// on standard error as before, status 1.
    @Test func aDamagedStoreShowsItsErrorOnTheScreen() throws {
        let cli = try CLI(copying: "bad/truncated.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"])
        defer { tmux.kill() }
        tmux.resize(200, 60)
        let screen = try tmux.waitFor("The store cannot be opened:")
        #expect(screen.contains("`kurasi check`"))
        tmux.keys("q")
        let after = try tmux.waitForExit(1)
        #expect(after.contains("kurasi: /"))
    }

    // MARK: Producers

    @Test func producersAreValidatedFromTheConsole() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init", "--date", "2020-10-15"])
        try cli.ok(["curator", "add", "K1", "--name", "Sri", "--chair"])
        try cli.ok(["import", CLI.fixture("madiun-2020/registry.csv")])
        let start = try Store(path: cli.store).load()
        let pending = start.producers.filter { $0.validation.status == .pending }.map(\.id)
        try #require(pending.count >= 3)
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"])
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Sri (K1)")
        tmux.keys("v")
        try tmux.waitFor("PRODUCERS · ")
        try tmux.waitFor("  valid 0  ")
        tmux.keys("Space", "Space")
        try tmux.waitFor("2 marked")
        tmux.keys("a")
        try tmux.waitFor("  valid 2  ")
        tmux.keys("g", "x")
        try tmux.waitFor("Why reject \(pending[2])")
        tmux.type("1")
        tmux.keys("Enter")
        try tmux.waitFor("  rejected 1  ")
        tmux.keys("q")
        try tmux.waitForExit(0)
        let end = try Store(path: cli.store).load()
        #expect(end.producer(pending[0])?.validation.status == .valid)
        #expect(end.producer(pending[1])?.validation.status == .valid)
        #expect(end.producer(pending[2])?.validation.status == .rejected)
        #expect(end.producer(pending[2])?.validation.reason == "tidak ditemukan di alamat")
        #expect(end.revision == start.revision + 2)  // the two marked ones are one edit
    }

    /// A mamin product of a validated producer whose only want is a P-IRT or BPOM MD permit.
    func wantsOnlyAPermit(_ round: Round) throws -> Product {
        try #require(round.products.first { p in
            guard p.cluster == .mamin, round.producer(p.producer)?.validation.status == .valid else { return false }
            if case .missingPermit? = round.ineligibility(p).first { return round.ineligibility(p).count == 1 }
            return false
        })
    }

    @Test func aPermitAddedInTheFormMakesTheProductEligible() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let start = try Store(path: cli.store).load()
        let product = try wantsOnlyAPermit(start)
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"])
        defer { tmux.kill() }
        try tmux.waitFor("(K1)")
        tmux.keys("/"); tmux.type(product.id.rawValue); tmux.keys("Enter")
        try tmux.waitUntil("\(product.id) is listed as wanting a permit") { screen in
            screen.split(separator: "\n").contains { $0.contains(" \(product.id) ") && $0.contains("⊘") }
        }
        tmux.keys("Enter")
        try tmux.waitFor("Criterion (weight)")
        tmux.keys("+")
        try tmux.waitFor("New permit of \(product.id)")
        tmux.keys("Right")  // NIB → P-IRT
        tmux.keys("Tab"); tmux.type("206357701012325"); tmux.keys("Tab"); tmux.type("2026-12-31")
        tmux.keys("Enter")
        try tmux.waitUntil("the form is closed and saved") { !$0.contains("New permit of") && $0.contains("Saved") }
        tmux.keys("Escape")
        try tmux.waitUntil("\(product.id) is eligible in the list") { screen in
            screen.split(separator: "\n").contains { $0.contains(" \(product.id) ") && !$0.contains("⊘") }
        }
        let end = try Store(path: cli.store).load()
        #expect(end.product(product.id)?.permits.contains { $0.kind == .pirt && $0.number == "206357701012325" } == true)
        #expect(end.isEligible(end.product(product.id)!))
        #expect(end.revision == start.revision + 1)
    }

    @Test func escInAHalfFilledFormSavesNothing() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let before = try cli.storeBytes()
        let product = try wantsOnlyAPermit(try Store(path: cli.store).load())
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"])
        defer { tmux.kill() }
        try tmux.waitFor("(K1)")
        tmux.keys("/"); tmux.type(product.id.rawValue); tmux.keys("Enter", "Enter")
        try tmux.waitFor("Criterion (weight)")
        tmux.keys("+")
        try tmux.waitFor("New permit of \(product.id)")
        tmux.keys("Right", "Tab"); tmux.type("2063577010")  // half a P-IRT number
        tmux.keys("Escape")
        try tmux.waitUntil("the form is gone") { !$0.contains("New permit of") }
        // The product form from the producers screen, half filled, then Esc.
        tmux.keys("Escape", "Escape", "v")
        try tmux.waitFor("PRODUCERS")
        tmux.keys("+")
        try tmux.waitUntil("the product form is open") { $0.contains("New product") }
        tmux.type("Sambal Setengah Jadi")
        tmux.keys("Escape")
        try tmux.waitUntil("the product form is gone") { !$0.contains("New product") }
        tmux.keys("q")
        try tmux.waitForExit(0)
        #expect(try cli.storeBytes() == before, "Esc saved something")
        let journal = (try? Data(contentsOf: URL(fileURLWithPath: cli.store + ".journal"))) ?? Data()
        #expect(journal.isEmpty, "Esc wrote to the journal")
    }

    // MARK: Language

    @Test func indonesianLocaleSpeaksBahasaIndonesia() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        // id_ID.UTF-8 need not be installed: the text must still come out whole.
        let tmux = try Tmux.console(cli, ["--store", cli.store], lang: "id_ID.UTF-8")
        defer { tmux.kill() }
        try tmux.waitFor("Pilih kurator aktif")
        tmux.keys("Enter")
        try tmux.waitFor("Kurator: Dra. Hj. Sri Rahayu Ningsih")
        let screen = try tmux.waitFor("urut: belum dinilai dulu")  // blind: not yet scored by me first
        #expect(screen.contains("[ MAMIN"))
        #expect(screen.contains("? bantuan") && screen.contains("q keluar"))
        tmux.keys("?")
        try tmux.waitFor("Bantuan")
        tmux.keys("Escape")
        try tmux.waitUntil("the help is closed") { !$0.contains("Bantuan") }
        tmux.keys("q")
        try tmux.waitForExit(0)
    }

    @Test func demoOpensTheConsoleOnATerminal() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let copy = cli.dir + "/demo.json"
        let tmux = try Tmux.console(cli, ["demo", "--store", copy, "--curator", "K5"])
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Retno Wulandari, S.Sn. (K5)")
        tmux.keys("q")
        // Where the copy lives is still on screen after the console closes.
        #expect(try tmux.waitForExit(0).contains("A copy of the Madiun 2020 round is at \(copy)"))
        #expect(try cli.run(["check", "--store", copy]).status == 0)
    }

    // MARK: Colour

    @Test(arguments: [false, true])
    func colourUnlessNoColor(_ noColor: Bool) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"], env: noColor ? ["NO_COLOR=1"] : [])
        defer { tmux.kill() }
        try tmux.waitFor("[ MAMIN")
        let styled = tmux.run(["capture-pane", "-p", "-e", "-t", tmux.pane]).output
        // A foreground colour 30–37 (39 is the terminal's own default, which is always fine).
        let coloured = styled.contains(#/\e\[(?:[0-9;]*;)?3[0-7]m/#)
        #expect(coloured == !noColor, "\(styled.replacingOccurrences(of: "\u{1B}", with: "^["))")
        #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "reverse video stays without colours")
        // Never a background colour: the terminal keeps its own.
        #expect(!styled.contains(#/\e\[(?:[0-9;]*;)?4[0-7]m/#))
        tmux.keys("q")
        try tmux.waitForExit(0)
    }

    // MARK: Leaving the terminal usable

    @Test func ctrlCRestoresTheTerminal() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"])
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Agus Prasetyo, S.E. (K2)")
        tmux.keys("C-c")
        let after = try tmux.waitForExit(130)  // SIGINT, re-raised after endwin
        try expectRestored(after, screen: tmux.capture())
    }

    /// TERM and HUP end the console cleanly; SEGV and ABRT stand for a crash, whose handler restores
    /// the terminal before the crash takes its course (Swift's backtracer is off here: on a terminal
    /// it would wait for a key).
    @Test(arguments: [("TERM", 143), ("HUP", 129), ("SEGV", 139), ("ABRT", 134)])
    func killRestoresTheTerminal(_ signal: String, _ status: Int) throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"], env: ["SWIFT_BACKTRACE=enable=no"],
                                    before: "trap : INT; ulimit -c 0;")
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Agus Prasetyo, S.E. (K2)")
        let pid = try #require(tmux.consolePID())
        let kill = Process()
        kill.executableURL = URL(fileURLWithPath: "/bin/kill")
        kill.arguments = ["-\(signal)", String(pid)]
        try kill.run(); kill.waitUntilExit()
        let after = try tmux.waitForExit(status)
        try expectRestored(after, screen: tmux.capture())
    }

    /// The pane shows the shell again (not the console), and the terminal is back in cooked mode
    /// with echo: the wrapper runs `stty -a` after kurasi ends.
    func expectRestored(_ output: String, screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!screen.contains("Curator:") && !screen.contains("[ MAMIN"), "the console is still on screen:\n\(screen)",
                sourceLocation: sourceLocation)
        #expect(output.contains(" icanon") && !output.contains("-icanon"), "\(output)", sourceLocation: sourceLocation)
        #expect(output.contains(" echo ") && !output.contains("-echo "), "\(output)", sourceLocation: sourceLocation)
    }

    @Test func hangupOfTheTerminalEndsTheConsoleEvenWhenSIGHUPIsIgnored() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        // nohup-style: SIGHUP ignored, so only the dead terminal can tell the console to stop.
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K2"], before: "trap '' HUP;")
        defer { tmux.kill() }
        try tmux.waitFor("Curator: Agus Prasetyo, S.E. (K2)")
        let pid = try #require(tmux.consolePID())
        tmux.run(["kill-pane", "-t", tmux.pane])
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
        #expect(kill(pid, 0) != 0, "kurasi \(pid) still runs after its terminal went away")
    }

    // MARK: Data that tries to talk to the terminal

    @Test func escapesInNamesDoNotReachTheTerminal() throws {
        let cli = try CLI(copying: "bad/escapes.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"])
        defer { tmux.kill() }
        let title = tmux.display("#{pane_title}")
        try tmux.waitFor("Curator: Dra. Hj. Sri Rahayu Ningsih")
        try tmux.waitFor("P-0004")
        // Every name on screen: the list, each product's detail, the other cluster, the board.
        for _ in 0..<3 {
            tmux.keys("Enter")
            try tmux.waitFor("Criterion (weight)")
            tmux.keys("Escape")
            try tmux.waitFor("[ MAMIN")
            tmux.keys("Down")
        }
        tmux.keys("Tab")
        try tmux.waitFor("[ NON-MAMIN")
        tmux.keys("Enter")
        try tmux.waitFor("Criterion (weight)")
        tmux.keys("b")
        let board = try tmux.waitFor("SHORTLIST BOARD")
        #expect(!board.contains("\u{1B}") && !board.contains("\u{07}"))
        #expect(tmux.display("#{pane_title}") == title)
        #expect(!tmux.display("#{pane_title}").contains("pwned"))
        tmux.keys("q")
        try tmux.waitForExit(0)
        #expect(!tmux.display("#{pane_title}").contains("pwned"))
    }

    /// At start-up the other cluster is ranked behind the first screen; the worker is held at a
    /// named point before it ranks, so Tab certainly comes first: the status line says the key
    /// waits, the key typed after it waits too, and the other cluster shows once it is ranked.
    @Test func tabBeforeTheOtherClusterIsRankedSaysSoAndTakesEffectWhenItIs() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let pause = cli.dir + "/ranking-paused"
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"], env: ["KURASI_TEST_PAUSE_BEFORE_RANKING=\(pause)"])
        defer { tmux.kill() }
        try tmux.waitFor("[ MAMIN")
        tmux.keys("Tab", "Down")
        let waiting = try tmux.waitFor("ranking non-mamin…")
        #expect(waiting.contains("[ MAMIN"))
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: pause), Date() < deadline { usleep(20_000) }
        try FileManager.default.removeItem(atPath: pause)
        let ranked = try tmux.waitFor("[ NON-MAMIN")
        #expect(!ranked.contains("ranking non-mamin…"))
        tmux.keys("q")
        try tmux.waitForExit(0)
    }

    // MARK: Painting

    /// The backend draws again only the rows that changed since the last frame. After moving
    /// through the list, into a detail and back, across clusters and into a filter, the screen
    /// must be cell for cell (text and attributes) what a whole repaint draws: a resize repaints
    /// everything, and the screen after resizing back must come to equal the one drawn row by row.
    @Test func rowsDrawnOneByOneEqualAWholeRepaint() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let tmux = try Tmux.console(cli, ["--store", cli.store, "--curator", "K1"])
        defer { tmux.kill() }
        try tmux.waitFor("[ MAMIN")
        tmux.resize(200, 60)
        try tmux.waitUntil("the list at 200 columns") { $0.split(separator: "\n").first.map { $0.count >= 199 } ?? false }
        tmux.keys("Down", "Down", "Down", "Enter")
        try tmux.waitFor("Criterion (weight)")
        tmux.keys("Down", "Escape")
        try tmux.waitFor("[ MAMIN")
        tmux.keys("Down", "PageDown", "Up", "Tab", "Down", "Down", "BTab", "Up", "/")
        tmux.type("a")
        try tmux.waitFor("filter: a▏")
        tmux.keys("Enter")
        var screen = try tmux.waitUntil("the filter kept") { !$0.contains("filter: a▏") && $0.contains("filter: a") }
        // One row at a time: the rows left keep their text and lose the reverse video.
        for _ in 0..<2 {
            let before = screen
            tmux.keys("Down")
            screen = try tmux.waitUntil("the cursor one row down") { $0 != before }
        }
        func styled() -> [[Styled]] { cells(tmux.run(["capture-pane", "-p", "-e", "-t", tmux.pane]).output) }
        let plain = tmux.capture(), drawn = styled()
        tmux.resize(201, 60)
        try tmux.waitUntil("the whole screen drawn at 201 columns") { $0 != plain }
        tmux.resize(200, 60)
        try tmux.waitUntil("the whole repaint at 200 columns to equal the screen drawn row by row") { $0 == plain }
        // The attributes arrive with the text; poll in case the last of them is still on its way.
        // (tmux writes its escapes differently for a row cleared and a row never written, so the
        // captures are compared cell by cell, not byte by byte.)
        let deadline = Date().addingTimeInterval(10)
        var repainted = styled()
        while repainted != drawn, Date() < deadline { usleep(50_000); repainted = styled() }
        let row = Array(zip(repainted, drawn)).firstIndex { $0 != $1 } ?? (repainted.count == drawn.count ? nil : min(repainted.count, drawn.count))
        #expect(row == nil, "row \(row ?? 0) differs from the whole repaint:\n\(plain)")
        tmux.keys("q")
        try tmux.waitForExit(0)
    }

    // MARK: Without a terminal

    @Test func withoutATerminalTheConsoleNamesTheCommands() throws {
        let cli = try CLI(copying: "madiun-2020/kurasi.json")
        defer { cli.cleanUp() }
        let before = try cli.storeBytes()
        let r = try cli.run(["--store", cli.store])  // stdin is /dev/null, stdout a pipe
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        for command in ["kurasi status", "kurasi rank", "kurasi score", "kurasi --help"] {
            #expect(r.stderr.contains(command), "\(r.stderr)")
        }
        #expect(try cli.storeBytes() == before)
        // `status` is still the summary, and `demo` still works in a script.
        #expect(try cli.ok(["status"]).contains("MAMIN"))
        let demo = try cli.run(["demo", "--store", cli.dir + "/demo.json"])
        #expect(demo.status == 0 && demo.stdout.contains("demo.json"))
    }
}

/// The product ids on the rows of a captured list.
/// A character on a captured screen with the SGR attributes it is drawn in.
struct Styled: Equatable {
    var character: Character
    var sgr: [Int]
}

/// The cells of `capture-pane -p -e` output, row by row: each character with the SGR parameters
/// in force (the state carries over from row to row, as tmux writes it). Trailing blanks that show
/// nothing (no reverse video, underline or background) are dropped.
func cells(_ capture: String) -> [[Styled]] {
    var rows: [[Styled]] = [], row: [Styled] = [], state: [Int] = []
    var chars = capture.makeIterator()
    while let ch = chars.next() {
        if ch == "\u{1B}" {
            guard chars.next() == "[" else { continue }
            var text = ""
            while let c = chars.next(), c != "m" { text.append(c) }
            for n in text.split(separator: ";", omittingEmptySubsequences: false).map({ Int($0) ?? 0 }) {
                if n == 0 { state = [] } else if n == 39 { state.removeAll { (30...37).contains($0) || (90...97).contains($0) } }
                else if n == 49 { state.removeAll { (40...47).contains($0) } }
                else if !state.contains(n) { state.append(n); state.sort() }
            }
        } else if ch == "\n" {
            while let last = row.last, last.character == " ", !last.sgr.contains(where: { $0 == 4 || $0 == 7 || (40...47).contains($0) }) {
                row.removeLast()
            }
            rows.append(row); row = []
        } else {
            row.append(Styled(character: ch, sgr: state))
        }
    }
    return rows
}

func productRows(_ screen: String) -> [String] {
    screen.split(separator: "\n").compactMap { $0.firstMatch(of: #/^ +(?:\d+|–|·) (P-\d{4})\s/#).map { String($0.1) } }
}

/// The rows of a captured screen that contain `text`.
func rows(_ screen: String, containing text: String) -> [Substring] {
    screen.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains(text) }
}

/// A private tmux server with one pane, for one test.
final class Tmux {
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var isInstalled: Bool { path != nil }

    /// The server's socket, in the test's own directory so that it goes with it: a private server
    /// per test (tmux -S, the -L kurasi-<uuid> idea with a path that is cleaned up).
    let socket: String
    let environment: [String: String]
    let pane = "kurasi:0.0"

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    init(home: String) {
        socket = home + "/tmux-" + String(UUID().uuidString.prefix(8))
        // A clean environment: the server (and so the pane) inherits nothing from the test
        // runner: no TMUX, no LC_ALL, no KURASI_CURATOR.
        environment = ["PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "SHELL": "/bin/sh", "TERM": "xterm-256color"]
    }

    /// `kurasi ARGS` in an 80×24 pane, under a shell that reports how it ended (`EXITED n`) and
    /// the terminal modes it left behind (`stty -a`). The pane stays after the shell ends.
    static func console(_ cli: CLI, _ args: [String], lang: String = "C.UTF-8", env extra: [String] = [],
                        before: String = "trap : INT;") throws -> Tmux {
        let tmux = Tmux(home: cli.dir)
        let command = ([CLI.binary] + args).map(shellQuote).joined(separator: " ")
        let script = "\(before) \(command); echo EXITED $?; stty -a"
        let env = ["LANG=\(lang)", "KURASI_NOW=2020-10-15T09:00:00Z", "HOME=\(cli.dir)"] + extra
        var newSession = ["new-session", "-d", "-s", "kurasi", "-x", "80", "-y", "24", "-c", cli.dir]
        for e in env { newSession += ["-e", e] }
        newSession += [script]  // run by default-shell -c, so the pane's pid is this shell, kurasi its child
        // Keep the pane when the shell ends (set in the invocation that starts the server, before
        // the session); let resize-window set the size (tmux 3.3 refuses window-size before it).
        let r = tmux.run(["start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";"] + newSession
                         + [";", "set-option", "-g", "window-size", "manual"])
        guard r.status == 0 else { throw Timeout(description: "tmux new-session failed: \(r.output)") }
        return tmux
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Run one tmux command and return its exit status and output.
    ///
    /// Spawned by hand rather than with Foundation's Process: a child inherits the signal mask of
    /// the thread that starts it, and the test runner's threads block most signals. The server this
    /// may start, and so the shell and kurasi in its pane, would inherit that mask, and neither
    /// Ctrl-C nor kill would reach them. Output goes to a file: the server keeps a pipe open forever.
    @discardableResult
    func run(_ args: [String]) -> (status: Int32, output: String) {
        let out = environment["HOME"]! + "/tmux-\(UUID().uuidString).out"
        defer { unlink(out) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([Tmux.path!, "-S", socket, "-f", "/dev/null"] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, Tmux.path!, &actions, &attr, argv, envp) == 0 else { return (-1, "cannot run tmux") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xFF, output)
    }

    /// Keys by tmux name: Enter, Escape, Tab, BTab, Up, Down, PageDown, C-l, or a single character.
    func keys(_ names: String...) { keys(names) }
    func keys(_ names: [String]) { run(["send-keys", "-t", pane] + names) }
    /// Literal text, typed as is.
    func type(_ text: String) { run(["send-keys", "-t", pane, "-l", text]) }
    /// The visible screen; with `history`, the lines scrolled off above it too, and lines the
    /// terminal wrapped joined again (a shell's output, not a console screen).
    func capture(history: Bool = false) -> String {
        run(["capture-pane", "-p", "-t", pane] + (history ? ["-J", "-S", "-"] : [])).output
    }
    func display(_ format: String) -> String {
        run(["display-message", "-p", "-t", pane, format]).output.trimmingCharacters(in: .newlines)
    }
    func resize(_ width: Int, _ height: Int) {
        run(["resize-window", "-t", "kurasi", "-x", String(width), "-y", String(height)])
    }

    /// Poll the screen every 50 ms until `done` holds; throws (with the last screen) after `timeout`.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !done(screen) {
            guard Date() < deadline else {
                throw Timeout(description: "waited \(Int(timeout)) s for \(what); the screen:\n\(screen)")
            }
            usleep(50_000)
            screen = capture()
        }
        return screen
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Wait until kurasi has ended with `status` and the wrapper shell has finished (tmux marks the
    /// pane dead). Returns everything the pane printed, history included: tmux 3.3 may scroll the
    /// first line after the alternate screen ends into the history.
    @discardableResult
    func waitForExit(_ status: Int, timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var all = capture(history: true)
        while !(all.contains("EXITED \(status)\n") && display("#{pane_dead}") == "1") {
            guard Date() < deadline else {
                throw Timeout(description: "waited \(Int(timeout)) s for kurasi to exit with \(status); the pane:\n\(all)")
            }
            usleep(50_000)
            all = capture(history: true)
        }
        return capture(history: true)  // all of it, now that the shell has ended
    }

    /// The kurasi process: the child of the pane's shell.
    func consolePID() -> pid_t? {
        guard let shell = pid_t(display("#{pane_pid}")) else { return nil }
        let proc = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in proc {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // pid (comm) state ppid ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == shell { return pid }
        }
        return nil
    }

    func kill() {
        run(["kill-server"])
        unlink(socket)
    }
}
