import Foundation
import KurasiConsole
import KurasiCore
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
    var unanswered: [(Command, String)] = []
    var answering = true
    var finished = false
    var redraws = 0
    var clock = "2020-10-15T09:00:00Z"

    init(lang: Language, curator: String?, width: Int, height: Int, round: Round) {
        self.round = round
        state = State(round: round, lang: lang, curator: curator)
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
            case let .commit(command, curator):
                if answering { answer(command, by: curator) } else { unanswered.append((command, curator)) }
            }
        }
        return out
    }

    /// What the store does with a commit: apply it to the latest round, answer with the result.
    func answer(_ command: Command, by curator: String) {
        do {
            let event = try round.perform(command, by: curator, at: clock)
            send(.committed(.saved(round, event)))
        } catch {
            send(.committed(.refused(error, latest: round)))
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
    var screen: Canvas { View.render(state) }
    var screenText: String { screen.lines.joined(separator: "\n") }
}

/// A console on an in-memory copy of the Madiun round.
func console(lang: Language = .id, curator: String? = "K2", width: Int = 80, height: Int = 24, round: Round = madiun) -> Driver {
    Driver(lang: lang, curator: curator, width: width, height: height, round: round)
}

/// Compare a rendered canvas with `Tests/KurasiConsoleTests/Golden/NAME.txt`. Lines end with `|`
/// so trailing spaces show. With KURASI_UPDATE_GOLDEN=1 the file is (re)written instead.
func expectGolden(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = repoRoot.appendingPathComponent("Tests/KurasiConsoleTests/Golden/\(name).txt")
    let text = canvas.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["KURASI_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return
    }
    guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(name).txt; run with KURASI_UPDATE_GOLDEN=1 and review it", sourceLocation: sourceLocation)
        return
    }
    if golden != text {
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("""
            screen differs from \(name).txt at row \(first):
              golden: \(first < a.count ? String(a[first]) : "<none>")
              actual: \(first < b.count ? String(b[first]) : "<none>")
            (KURASI_UPDATE_GOLDEN=1 rewrites the golden files)
            """, sourceLocation: sourceLocation)
    }
}
