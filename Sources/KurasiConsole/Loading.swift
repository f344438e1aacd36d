import KurasiCore

/// The console while its round is read behind the first frame: what is being read and how far
/// it has come, or why the store could not be opened.
public struct Loading: Hashable, Sendable {
    /// The store as the user named it.
    public var file: String
    public var step: LoadStep
    /// The store's error (file, line, what to do), in the user's language, when reading failed.
    public var failure: String?
    public init(file: String, step: LoadStep? = nil, failure: String? = nil) {
        self.file = file
        self.step = step ?? .snapshot(file: file, done: 0, total: 0)
        self.failure = failure
    }
}

/// How far the loading has come: what the runtime reports from the store's reader.
public enum LoadStep: Hashable, Sendable {
    /// `done` of `total` bytes of the snapshot read.
    case snapshot(file: String, done: Int, total: Int)
    case journal(file: String)
    /// Everything read; the products are being ranked.
    case ranking

    /// How much of the bar is filled, 0...1: the snapshot is most of the work.
    public var fraction: Double {
        switch self {
        case let .snapshot(_, done, total): total > 0 ? 0.9 * Double(min(done, total)) / Double(total) : 0
        case .journal: 0.9
        case .ranking: 0.95
        }
    }
}

/// The loaded round, prepared off the main thread (rankings and search index made) by
/// `State(round:…)`, for `Msg.loaded`.
public struct Opened: Hashable, Sendable {
    public let state: State
    public init(_ state: State) { self.state = state }
    public static func == (a: Opened, b: Opened) -> Bool {
        a.state.round == b.state.round && a.state.curator == b.state.curator && a.state.message == b.state.message
    }
    public func hash(into h: inout Hasher) { h.combine(state.round.revision); h.combine(state.curator) }
}

extension State {
    /// The first frame's state: nothing read yet, `file` being opened. The round is an empty
    /// stand-in until `Msg.loaded` brings the real one.
    public static func loading(file: String, lang: Language) -> State {
        var s = State(round: Round(round: RoundInfo(title: "", date: "")), lang: lang)
        s.loading = Loading(file: file)
        return s
    }

    /// `update` while loading: progress moves the bar; q quits at once (the load is abandoned);
    /// other keys wait for the round (as they wait for a slow commit), and are dropped once the
    /// load has failed. The loaded round replaces the stand-in, keeping the terminal's size, then
    /// the keys typed meanwhile are handled in order.
    mutating func updateLoading(_ msg: Msg) -> [Effect] {
        switch msg {
        case let .resize(width, height):
            layout = Layout(width: width, height: height)
            return []
        case let .loadProgress(step):
            if loading?.failure == nil { loading?.step = step }
            return []
        case let .loadFailed(text):
            loading?.failure = text
            queued = []
            return []
        case let .loaded(opened):
            let keys = queued, layout = self.layout
            self = opened.state
            self.layout = layout
            keepCursorVisible()
            queued = keys
            return handleQueued()
        case let .key(key):
            if Keymap.quits(key) { return [.quit] }
            if loading?.failure == nil { enqueue(key) }
            return []
        case .tick, .committed, .refreshed, .analysed, .ranked:
            return []
        }
    }
}

extension View {
    /// The loading screen: the title, what is being read with a bar, and the keys; or the store's
    /// error, wrapped to the width, and how to leave.
    static func loading(_ s: State, _ loading: Loading, _ c: inout Canvas) {
        let l = s.layout
        c.clear(row: 0, style: .reverse)
        c.put((" " + tr(.appName, s.lang) + " · " + tr(.loadTitle, s.lang, loading.file)).clipped(to: l.width), x: 0, y: 0, style: [.reverse, .bold])
        let inner = max(1, l.width - 4)
        if let failure = loading.failure {
            var lines = [tr(.loadFailed, s.lang)] + failure.wrapped(to: inner)
            lines = Array(lines.prefix(max(1, l.height - 4)))
            for (i, line) in lines.enumerated() {
                c.put("  " + line, x: 0, y: 2 + i, style: i == 0 ? .bold : .warning)
            }
            c.put(" " + tr(.loadFailedHint, s.lang), x: 0, y: l.height - 1, style: .dim)
            return
        }
        let what: String
        switch loading.step {
        case let .snapshot(file, _, 0):
            what = tr(.loadTitle, s.lang, file) + "…"  // not yet begun (waiting for another terminal's lock, say)
        case let .snapshot(file, done, total):
            what = tr(.loadSnapshot, s.lang, file, megabytes(done, s.lang), megabytes(total, s.lang))
        case let .journal(file): what = tr(.loadJournal, s.lang, file)
        case .ranking: what = tr(.loadRanking, s.lang)
        }
        let middle = max(2, l.height / 2 - 1)
        c.put("  " + what.clipped(to: inner), x: 0, y: middle)
        let barWidth = max(1, inner - 6)
        let filled = min(barWidth, Int((loading.step.fraction * Double(barWidth)).rounded(.down)))
        let percent = Int((loading.step.fraction * 100).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        c.put("  " + bar + " " + String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%", x: 0, y: middle + 1)
        c.put(" " + tr(.loadHint, s.lang).clipped(to: max(0, l.width - 2)), x: 0, y: l.height - 1, style: .dim)
    }

    /// Bytes as megabytes to one decimal, in the language's decimal mark ("120,4").
    static func megabytes(_ bytes: Int, _ lang: Language) -> String {
        Format.score(Double(bytes) / 1_000_000, lang)
    }
}
