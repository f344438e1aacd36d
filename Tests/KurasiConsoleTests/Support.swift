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

/// A console on an in-memory copy of the Madiun round.
func console(lang: Language = .id, curator: String? = "K2", width: Int = 80, height: Int = 24, round: Round = madiun) -> (ConsoleApp, MemorySource) {
    let source = MemorySource(round)
    let app = ConsoleApp(source: source, lang: lang, curator: curator)
    app.handle(.resize(width: width, height: height))
    return (app, source)
}

extension ConsoleApp {
    func type(_ keys: Key...) { for k in keys { handle(k) } }
    func type(_ text: String) { for ch in text { handle(.char(ch)) } }
    var screenText: String { View.render(state).lines.joined(separator: "\n") }
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
