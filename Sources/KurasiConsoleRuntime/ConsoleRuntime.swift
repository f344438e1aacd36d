import Foundation
import KurasiConsole
import KurasiCore
import KurasiStore
import KurasiTerminal

/// Runs the console on a store: feeds `update` the terminal's keys, sizes and ticks, and performs
/// the effects it returns. The store's work (a commit under the lock, a refresh) happens on a
/// worker thread, so an edit waiting for another terminal's lock shows "menyimpan…" while the
/// screen keeps answering; its answer comes back as a message. The clock (`KURASI_NOW` fixes it)
/// and the environment are read here, never in KurasiConsole.
public final class ConsoleRuntime: TerminalProgram {
    public private(set) var state: State
    public private(set) var isFinished = false
    private var redrawRequested = false
    private let worker: StoreWorker
    /// Written by the worker with every answer, so the terminal's loop draws it at once (nil when
    /// no pipe could be made: the loop then looks for answers at its ticks).
    public let waker: Waker? = Waker()

    /// How long a commit may take before the status line says "menyimpan…": a quick save shows
    /// no flicker; a slow one is visible.
    public var quietSave: TimeInterval = 0.1

    public init(store: Store, lang: Language, curator: CuratorID?, seat: Seat = .shared,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let handle = try StoreHandle(store: store)
        worker = StoreWorker(handle: handle, clock: Self.clock(environment), lang: lang, waker: waker)
        worker.pauseBeforeRanking = Self.pauseBeforeRanking(environment)
        state = Self.prepare(handle, lang: lang, curator: curator, seat: seat)
    }

    /// The console on a store it has yet to read: the first frame is the loading screen at once,
    /// and the round is read (and ranked) on the worker thread behind it, its progress arriving
    /// as `Msg.loadProgress`, then `Msg.loaded` or `Msg.loadFailed`. `open` reads the store
    /// (tests hold it to look at the loading screen); `describe` words a store error for the
    /// screen. A curator named but not in the round is a failure too (status 2, as before).
    public init(opening store: Store, lang: Language, curator: CuratorID?, seat: Seat = .shared,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                describe: @escaping @Sendable (StoreError) -> String = { $0.description },
                open: @escaping @Sendable (Store, @escaping LoadObserver) throws(StoreError) -> StoreHandle = { store, progress throws(StoreError) in
                    try StoreHandle(store: store, progress: progress)
                }) {
        worker = StoreWorker(handle: nil, clock: Self.clock(environment), lang: lang, waker: waker)
        worker.pauseBeforeRanking = Self.pauseBeforeRanking(environment)
        state = .loading(file: store.path, lang: lang)
        worker.submit(.open { [worker] () -> Msg in
            do throws(StoreError) {
                let handle = try open(store) { progress in
                    switch progress.phase {
                    case .snapshot: worker.report(.loadProgress(.snapshot(file: progress.file, done: progress.done, total: progress.total)))
                    case .journal: worker.report(.loadProgress(.journal(file: progress.file)))
                    }
                    return !worker.isAbandoned
                }
                worker.handle = handle
                worker.report(.loadProgress(.ranking))
                let prepared = Self.prepare(handle, lang: lang, curator: curator, seat: seat)
                if let curator, seat == .personal, prepared.seat != .personal {
                    let known = handle.round.curators.map(\.id).joined(separator: ", ")
                    worker.failureStatus = 2
                    return .loadFailed(tr(.unknownCurator, lang, curator, known.isEmpty ? "–" : known))
                }
                return .loaded(Opened(prepared))
            } catch {
                worker.failureStatus = 1
                return .loadFailed(describe(error))
            }
        })
    }

    /// The console's state on a freshly read store (rankings made: slow at province size, so on
    /// the worker thread when loading behind the first frame).
    static func prepare(_ handle: StoreHandle, lang: Language, curator: CuratorID?, seat: Seat) -> State {
        // Only the cluster the first screen shows is ranked before it: the other is made behind
        // it (`Effect.rank`), or on demand if a key needs it first.
        var state = State(round: handle.round, lang: lang, curator: curator, seat: seat, deferringRankings: true)
        state.storeFile = handle.store.path
        // What loading found worth telling (a torn last journal line dropped), once.
        if let warning = handle.warnings.first { state.message = Message(text: warning.text(lang), isWarning: true) }
        return state
    }

    /// Why the console ended without opening the round (shown on screen, and written to standard
    /// error once the terminal is back), with the exit status; nil when it opened.
    public var loadFailure: (text: String, status: Int32)? {
        guard let text = state.loading?.failure else { return nil }
        return (text, worker.failureStatus)
    }

    /// A named point for tests: with `$KURASI_TEST_PAUSE_BEFORE_RANKING` set to a path, the worker
    /// about to rank the cluster the console did not open on creates that file and waits until the
    /// test removes it, so a test sees a key wait for that ranking whatever the machine's speed.
    static func pauseBeforeRanking(_ environment: [String: String]) -> String? {
        environment["KURASI_TEST_PAUSE_BEFORE_RANKING"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The time edits are stamped with: `KURASI_NOW` when set (tests, demonstrations), else now.
    static func clock(_ environment: [String: String]) -> @Sendable () -> String {
        if let fixed = environment["KURASI_NOW"], !fixed.isEmpty { return { fixed } }
        return { ISO8601DateFormatter().string(from: Date()) }
    }

    /// Open the console on a terminal until it quits; returns the exit status (see `Terminal.run`).
    /// With `board`, it is the projector's: the board, nobody signed in, read-only. Otherwise the
    /// curator is `curator`, else `$KURASI_CURATOR`, and stays fixed (a curator's own terminal);
    /// without either it is chosen in the picker (one terminal the committee shares). An unknown
    /// curator is refused before the screen opens (status 2).
    public static func run(store: Store, lang: Language, curator: CuratorID?, board: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           describe: @escaping @Sendable (StoreError) -> String = { $0.description }) throws(StoreError) -> Int32 {
        let chosen = board ? nil : curator.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["KURASI_CURATOR"].flatMap { $0.isEmpty ? nil : CuratorID($0) }
        let seat: Seat = board ? .projector : chosen != nil ? .personal : .shared
        if Terminal.isInteractive {
            // Draw at once; read behind the loading screen.
            let runtime = ConsoleRuntime(opening: store, lang: lang, curator: chosen, seat: seat, environment: environment, describe: describe)
            let status = Terminal.run(runtime)
            runtime.close()
            if status == 0, let failure = runtime.loadFailure {
                let line = failure.text.hasPrefix("kurasi: ") ? failure.text : "kurasi: " + failure.text
                FileHandle.standardError.write(Data((line + "\n").utf8))
                return failure.status
            }
            return status
        }
        let runtime = try ConsoleRuntime(store: store, lang: lang, curator: chosen, seat: seat, environment: environment)
        if let chosen, runtime.state.seat != .personal {
            let known = runtime.state.round.curators.map(\.id).joined(separator: ", ")
            FileHandle.standardError.write(Data((tr(.unknownCurator, lang, chosen, known.isEmpty ? "–" : known) + "\n").utf8))
            runtime.close()
            return 2
        }
        let status = Terminal.run(runtime)
        runtime.close()
        return status
    }

    // MARK: Messages and effects

    public func send(_ msg: Msg) {
        perform(update(&state, msg))
    }

    func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .quit: isFinished = true
            case .redraw: redrawRequested = true
            case .refresh: worker.submit(.refresh)
            case let .rank(_, clusters):
                // The cluster the console did not open on, ranked behind the screen.
                worker.submit(.rank(state.round, clusters))
            case .analyse:
                // Seconds at province size: on the worker, so the screen keeps answering ("menghitung…").
                worker.submit(.analyse(state.round))
            case let .commit(command, curator):
                worker.submit(.commit(command, by: curator))
                // Most saves take milliseconds: wait that long, so the screen does not flash
                // "menyimpan…" on every key; a save waiting for a lock shows it.
                if worker.waitForAnswer(timeout: quietSave) { deliverAnswers() }
            }
        }
    }

    /// Hand the worker's answers to `update`, in the order they came.
    func deliverAnswers() {
        for answer in worker.takeAnswers() { send(answer) }
    }

    /// Wait (at most `timeout`) until the store has answered everything asked of it, delivering
    /// the answers (which may ask for more: keys typed meanwhile). False when it is still busy
    /// (another terminal holds the lock).
    @discardableResult
    public func settle(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let idle = worker.waitUntilIdle(timeout: max(0, deadline.timeIntervalSinceNow))
            deliverAnswers()
            if idle, state.pending == nil, !state.refreshing, state.analysisRequested == nil, state.rankingRequested == nil,
               state.awaitingRanking == nil { return true }
            if !idle || Date() >= deadline { return false }
        }
    }

    /// Finish the store's work and fold the journal into the snapshot for a quick next start.
    public func close() {
        if state.loading != nil {
            // Quit while loading (or after it failed): abandon the reading, which only reads and
            // stops at its next report; there is nothing to save, so nothing is written.
            worker.abandon()
            return
        }
        _ = worker.waitUntilIdle(timeout: .infinity)
        worker.stop()
        guard let handle = worker.handle else { return }
        // The screen is gone: let go of what only it needed (the rankings, the list's search
        // texts, the caches: about half the round's size again at 100,000 products) before the
        // fold, which writes the round the store's handle holds.
        state = State(round: Round(round: RoundInfo(title: "", date: "")), lang: state.lang)
        // At province size folding the journal takes seconds, after the screen is gone: say what
        // is happening (every edit is already saved), and say so if it fails (nothing is lost:
        // the journal stays as it is, and the next quit or `kurasi compact` folds it).
        let journal = (try? FileManager.default.attributesOfItem(atPath: handle.store.journalPath))?[.size] as? Int ?? 0
        if journal > 0 { say(tr(.quitFolding, state.lang, handle.store.path)) }
        do { _ = try handle.compact() } catch {
            say(tr(.quitFoldFailed, state.lang, (error as? StoreError)?.text(state.lang) ?? "\(error)"))
        }
    }

    /// Where `close` says what it does once the terminal is back: standard error (tests collect it).
    public var say: (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    // MARK: TerminalProgram

    public func handle(_ input: TerminalInput) {
        deliverAnswers()
        switch input {
        case let .key(key): send(.key(key))
        case let .resize(width, height): send(.resize(width: width, height: height))
        case .timeout: send(.tick)
        case .woken: break  // the worker's answers, delivered above
        }
    }

    public func frame() -> Canvas { View.render(state) }

    /// Tick four times a second: the worker's answers end the wait themselves (`waker`). Without
    /// a waker, look for the answer often while the store is working.
    public var waitMilliseconds: Int32 {
        guard waker == nil else { return Terminal.tickMilliseconds }
        return state.pending != nil || state.refreshing || state.analysisRequested != nil || state.rankingRequested != nil ? 20 : state.loading.map { $0.failure == nil ? 50 : Terminal.tickMilliseconds } ?? Terminal.tickMilliseconds
    }

    public func takeRedrawRequest() -> Bool {
        defer { redrawRequested = false }
        return redrawRequested
    }
}

/// One thread that does the store's work in the order asked, and keeps the answers until the main
/// loop takes them. The StoreHandle is used only on this thread until `stop`.
final class StoreWorker: @unchecked Sendable {
    enum Job {
        case commit(Command, by: CuratorID)
        case refresh
        /// The analysis screen's data of a round (the store is not touched).
        case analyse(Round)
        /// Rankings of a round's clusters (the store is not touched).
        case rank(Round, [Cluster])
        /// Read the store (sets `handle`), answering `.loaded` or `.loadFailed`.
        case open(@Sendable () -> Msg)
    }

    /// The open store: set before the worker starts, or by the `.open` job (read only by jobs
    /// after it, and by the main thread once `.loaded` has arrived).
    var handle: StoreHandle!
    /// The exit status of a failed open (1: the store; 2: an unknown curator).
    var failureStatus: Int32 = 1
    /// The file a ranking job creates and waits to see removed before it ranks (a test's named
    /// point, `KURASI_TEST_PAUSE_BEFORE_RANKING`); set before the first job.
    var pauseBeforeRanking: String?
    private var abandoned = false
    private let clock: @Sendable () -> String
    /// The language a failed save is reported in.
    private let lang: Language
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var answers: [Msg] = []
    private var busy = false
    private var stopping = false
    /// Written after every answer and report, so the terminal's loop takes it at once.
    private let waker: Waker?

    init(handle: StoreHandle?, clock: @escaping @Sendable () -> String, lang: Language = .en, waker: Waker? = nil) {
        self.handle = handle
        self.clock = clock
        self.lang = lang
        self.waker = waker
        let thread = Thread { [self] in self.loop() }
        thread.name = "kurasi store"
        thread.start()
    }

    func submit(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// A progress report from the open: replaces one not yet taken, so a slow main loop gets the
    /// latest, not a backlog.
    func report(_ msg: Msg) {
        condition.lock()
        if case .loadProgress? = answers.last { answers.removeLast() }
        answers.append(msg)
        condition.unlock()
        waker?.wake()
    }

    /// Stop an open under way at its next report, and the thread after it.
    func abandon() {
        condition.lock()
        abandoned = true
        stopping = true
        jobs = []
        condition.broadcast()
        condition.unlock()
    }

    var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    func takeAnswers() -> [Msg] {
        condition.lock()
        defer { answers = []; condition.unlock() }
        return answers
    }

    /// Wait until an answer is there (true) or `timeout` passed (false).
    func waitForAnswer(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while answers.isEmpty {
            if !condition.wait(until: deadline) { return !answers.isEmpty }
        }
        return true
    }

    /// Called with the lock held just before `waitUntilIdle` waits (tests let a job finish there).
    var beforeIdleWait: (() -> Void)?

    /// Wait until every job is done (true) or `timeout` passed (false; never with an infinite one).
    func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let deadline = timeout.isFinite ? Date(timeIntervalSinceNow: timeout) : nil
        condition.lock()
        defer { condition.unlock() }
        while busy || !jobs.isEmpty {
            beforeIdleWait?()
            if let deadline {
                if !condition.wait(until: deadline) { return !(busy || !jobs.isEmpty) }
            } else {
                // Not `wait(until: .distantFuture)`: on Linux that date overflows the nanoseconds
                // Foundation computes and traps, which killed the console quit while the other
                // cluster was still being ranked.
                condition.wait()
            }
        }
        return true
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        Terminal.leaveSignalsToTheMainThread()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty { condition.unlock(); return }
            let job = jobs.removeFirst()
            busy = true
            condition.unlock()
            let answer = perform(job)
            condition.lock()
            answers.append(answer)
            // Before the job counts as done, so that whoever waits for it finds the wake-up there.
            // A tick's refresh that found nothing new changes nothing on the screen: it is taken at
            // the next tick or key, not drawn four times a second for nothing.
            if !Self.changesNothing(answer) { waker?.wake() }
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    /// An answer the screen need not be woken for.
    static func changesNothing(_ answer: Msg) -> Bool {
        if case let .refreshed(round) = answer { return round == nil }
        return false
    }

    private func perform(_ job: Job) -> Msg {
        switch job {
        case let .analyse(round):
            return .analysed(revision: round.revision, round.analysisData(barWidth: 1))
        case let .rank(round, clusters):
            if let path = pauseBeforeRanking {
                FileManager.default.createFile(atPath: path, contents: Data())
                while FileManager.default.fileExists(atPath: path), !isAbandoned { usleep(10_000) }
            }
            return .ranked(revision: round.revision, Dictionary(uniqueKeysWithValues: clusters.map { ($0, round.ranking($0)) }))
        case let .open(read):
            return read()
        case .refresh:
            // A store mid-replace or damaged by hand keeps the round we have; the next edit reports it.
            // A round read anew goes to the screen even at the same revision: kept here alone, it
            // would be a second whole round beside the screen's.
            let reads = handle.snapshotReads
            let changed = (try? handle.refresh()) ?? false
            return .refreshed(changed || handle.snapshotReads != reads ? handle.round : nil)
        case let .commit(command, curator):
            let clock = self.clock
            do {
                // The edit is made under the lock against the latest round (other terminals' edits
                // included); a refusal leaves the store untouched.
                let outcome = try handle.commit { (latest: inout Round) -> Result<Event?, Refusal> in
                    do throws(Refusal) { return .success(try latest.perform(command, by: curator, at: clock())) } catch { return .failure(error) }
                }
                switch outcome {
                case let .success(event): return .committed(.saved(handle.round, event))
                case let .failure(refusal): return .committed(.refused(refusal, latest: handle.round))
                }
            } catch let error as StoreError {
                return .committed(.failed(error.text(lang)))
            } catch {
                return .committed(.failed("\(error)"))
            }
        }
    }
}
