import Foundation
import KurasiConsole
import KurasiCore
import KurasiTestSupport
import KurasiStore
import Testing

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The Madiun round, decoded once (not opened as a store: that would leave a lock file in fixtures/).
let madiun: Round = {
    let path = repoRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json").path
    return try! Store.decode(Data(contentsOf: URL(fileURLWithPath: path)), file: path)
}()

/// The console's State driven through `update`, with the effects it asks for recorded and, by
/// default, answered at once from a round held here (as the runtime answers from the store), so a
/// test reads as the keys typed. With `answering` off, commits wait in `unanswered`.
final class Driver {
    var state: State
    /// What the store holds.
    var round: Round
    /// Every effect asked for, in order.
    var effects: [Effect] = []
    var unanswered: [(Command, CuratorID)] = []
    var answering = true
    /// Answer the analysis screen's computation at once (off: it waits, "menghitung…").
    var analysing = true
    var unansweredAnalyses = 0
    /// Answer `Effect.rank` at once, with the rankings of the console's round (off: the rounds
    /// asked about wait in `unansweredRankings`, to be answered later, perhaps after newer edits).
    var ranking = true
    var unansweredRankings: [(Round, [Cluster])] = []
    var finished = false
    var redraws = 0
    var clock = "2020-10-15T09:00:00Z"

    init(lang: Language, curator: CuratorID?, width: Int, height: Int, round: Round, seat: Seat = .shared,
         deferringRankings: Bool = false, ranking: Bool = true) {
        self.round = round
        self.ranking = ranking
        state = State(round: round, lang: lang, curator: curator, seat: seat, deferringRankings: deferringRankings)
        send(.resize(width: width, height: height))
    }

    @discardableResult
    func send(_ msg: Msg) -> [Effect] {
        let out = update(&state, msg)
        effects += out
        for effect in out {
            switch effect {
            case .quit: finished = true
            case .redraw: redraws += 1
            case .refresh: send(.refreshed(round.revision != state.round.revision ? round : nil))
            case let .rank(revision, clusters):
                #expect(revision == state.round.revision)
                unansweredRankings.append((state.round, clusters))
                if ranking { answerRankings() }
            case .analyse:
                if analysing { analyseNow() } else { unansweredAnalyses += 1 }
            case let .commit(command, curator):
                if answering { answer(command, by: curator) } else { unanswered.append((command, curator)) }
            }
        }
        return out
    }

    /// What the store does with a commit: apply it to the latest round, answer with the result.
    func answer(_ command: Command, by curator: CuratorID) {
        do {
            let event = try round.perform(command, by: curator, at: clock)
            send(.committed(.saved(round, event)))
        } catch {
            send(.committed(.refused(error, latest: round)))
        }
    }

    /// What the runtime's worker answers to `Effect.analyse`: the analysis of the console's round.
    func analyseNow() {
        let r = state.round
        send(.analysed(revision: r.revision, r.analysisData(barWidth: 1)))
    }

    /// What the runtime's worker answers to `Effect.rank`: the rankings of the rounds asked about
    /// so far (which may be older than the console's by now); a request the answers bring waits.
    func answerRankings() {
        let held = unansweredRankings
        unansweredRankings = []
        for (r, clusters) in held {
            send(.ranked(revision: r.revision, Dictionary(uniqueKeysWithValues: clusters.map { ($0, r.ranking($0)) })))
        }
    }

    /// Answer the commits that waited.
    func answerAll() {
        while !unanswered.isEmpty {
            let (command, curator) = unanswered.removeFirst()
            answer(command, by: curator)
        }
    }

    @discardableResult
    func type(_ keys: Key...) -> [Effect] { keys.flatMap { send(.key($0)) } }
    @discardableResult
    func type(_ text: String) -> [Effect] { text.flatMap { send(.key(.char($0))) } }
    /// Type an id, as a curator does into the filter.
    @discardableResult
    func type(_ id: some KurasiID) -> [Effect] { type(id.rawValue) }
    var screen: Canvas { View.render(state) }
    var screenText: String { screen.lines.joined(separator: "\n") }
}

/// A console on an in-memory copy of the Madiun round.
func console(lang: Language = .id, curator: CuratorID? = "K2", width: Int = 80, height: Int = 24, round: Round = madiun,
             deferringRankings: Bool = false, ranking: Bool = true) -> Driver {
    Driver(lang: lang, curator: curator, width: width, height: height, round: round,
           deferringRankings: deferringRankings, ranking: ranking)
}

/// Compare a rendered canvas with `Tests/KurasiConsoleTests/Golden/NAME.txt` (the text; lines end
/// with `|` so trailing spaces show) and `NAME.style.txt` (the style layer: one letter a cell for
/// reverse video, bold, dim, underline, accent and warning, with a legend of the letters used).
/// With KURASI_UPDATE_GOLDEN=1 the files are (re)written instead.
func expectGolden(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try compareGolden(canvas.lines.joined(separator: "\n") + "\n", "\(name).txt", sourceLocation)
    try compareGolden(canvas.styleLayer, "\(name).style.txt", sourceLocation)
}

private func compareGolden(_ text: String, _ file: String, _ sourceLocation: SourceLocation) throws {
    let url = repoRoot.appendingPathComponent("Tests/KurasiConsoleTests/Golden/\(file)")
    if ProcessInfo.processInfo.environment["KURASI_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return
    }
    guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(file); run with KURASI_UPDATE_GOLDEN=1 and review it", sourceLocation: sourceLocation)
        return
    }
    if golden != text {
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("""
            screen differs from \(file) at line \(first + 1):
              golden: \(first < a.count ? String(a[first]) : "<none>")
              actual: \(first < b.count ? String(b[first]) : "<none>")
            (KURASI_UPDATE_GOLDEN=1 rewrites the golden files)
            """, sourceLocation: sourceLocation)
    }
}

extension Style {
    /// The style's letter in a golden style layer: a blank for plain cells; otherwise one letter
    /// per combination, fixed by the style's bits, so the same style is the same letter in every file.
    var goldenLetter: Character {
        let letters = Array(" ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return letters[Int(rawValue) % letters.count]
    }

    var goldenName: String {
        let names: [(Style, String)] = [(.bold, "bold"), (.reverse, "reverse"), (.underline, "underline"),
                                        (.dim, "dim"), (.accent, "accent"), (.warning, "warning")]
        return names.filter { contains($0.0) }.map(\.1).joined(separator: "+")
    }
}

extension Canvas {
    /// The golden style layer: the legend of the letters used, then one line a row, a letter a cell.
    var styleLayer: String {
        let used = Set(cells.map(\.style)).filter { !$0.isEmpty }.sorted { $0.rawValue < $1.rawValue }
        var out = used.map { "\($0.goldenLetter) = \($0.goldenName)" }
        out.append(String(repeating: "-", count: width))
        for y in 0..<height {
            out.append(String((0..<width).map { self[$0, y].style.goldenLetter }) + "|")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
