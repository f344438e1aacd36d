import Foundation
import CNcursesw
import KurasiConsole
@testable import KurasiTerminal
import Testing

/// What wget_wch returns, turned into keys: without a terminal, as the function is pure.
@Suite struct KeysTests {
    func key(_ code: Int32, keyCode: Bool = false) -> Read? { Keys.key(code: code, isKeyCode: keyCode) }

    @Test func keyCodesAreNamedKeys() {
        let named: [(Int32, Key)] = [
            (kurasi_key_up(), .up), (kurasi_key_down(), .down), (kurasi_key_left(), .left), (kurasi_key_right(), .right),
            (kurasi_key_ppage(), .pageUp), (kurasi_key_npage(), .pageDown), (kurasi_key_home(), .home), (kurasi_key_end(), .end),
            (kurasi_key_btab(), .backTab), (kurasi_key_backspace(), .backspace), (kurasi_key_dc(), .delete),
            (kurasi_key_enter(), .enter), (kurasi_key_f(1), .function(1)), (kurasi_key_f(12), .function(12)),
        ]
        for (code, want) in named { #expect(key(code, keyCode: true) == .key(want), "key code \(code)") }
        #expect(key(kurasi_key_resize(), keyCode: true) == .resize)
        #expect(key(0o777, keyCode: true) == nil)  // a key code the console has no use for
    }

    @Test func controlCharactersAreKeysAndTheRestIsDropped() {
        #expect(key(127) == .key(.backspace) && key(8) == .key(.backspace))
        #expect(key(10) == .key(.enter) && key(13) == .key(.enter))
        #expect(key(9) == .key(.tab))
        #expect(key(27) == .key(.escape))
        #expect(key(12) == .key(.ctrl("l")))
        #expect(key(3) == .key(.ctrl("c")))
        #expect(key(1) == .key(.ctrl("a")))
        #expect(key(0) == nil)     // NUL
        #expect(key(28) == nil)    // other C0 controls
        #expect(key(0x9B) == nil)  // C1: CSI must never reach the screen as a character
    }

    @Test func charactersAreCharactersWhateverTheirWidth() {
        #expect(key(Int32(UInt8(ascii: "q"))) == .key(.char("q")))
        #expect(key(Int32(UInt8(ascii: "?"))) == .key(.char("?")))
        #expect(key(0xE9) == .key(.char("é")))
        #expect(key(0x8FA3) == .key(.char("辣")))
        #expect(key(0x1F336) == .key(.char("🌶")))
        #expect(key(0xD800) == nil)  // a lone surrogate is no character
    }
}

/// The terminal loop with a scripted keyboard: keys already queued are all applied before the
/// next frame is drawn (type-ahead drained), without any timing.
@Suite struct TypeAheadTests {
    final class Typist: TerminalProgram {
        var typed = "", timeouts = 0, handled: [TerminalInput] = []
        var isFinished = false
        var waitMilliseconds: Int32 { 250 }
        func handle(_ input: TerminalInput) {
            handled.append(input)
            switch input {
            case .key(.char("q")): isFinished = true
            case let .key(.char(ch)): typed.append(ch)
            case .timeout: timeouts += 1
            default: break
            }
        }
        func frame() -> Canvas {
            var c = Canvas(width: 20, height: 1)
            c.put(typed, x: 0, y: 0)
            return c
        }
        func takeRedrawRequest() -> Bool { false }
    }

    /// Batches of keys, each as if already queued when the loop reads; between batches the
    /// keyboard is quiet (a read finds nothing).
    struct Script {
        var batches: [[Terminal.Read]]
        var waits: [Int32] = []
        mutating func read(_ wait: Int32) -> Terminal.Read {
            waits.append(wait)
            guard !batches.isEmpty else { return .nothing }
            if batches[0].isEmpty { batches.removeFirst(); return .nothing }
            return batches[0].removeFirst()
        }
    }

    @Test func queuedKeysAreAllAppliedBeforeOneFrame() {
        let app = Typist()
        var script = Script(batches: [[.input(.key(.char("a"))), .ignored, .input(.key(.char("b"))), .input(.key(.char("c")))],
                                      [.input(.key(.char("d")))], [], [.input(.key(.char("q")))]])
        var frames: [String] = []
        let ending = Terminal.drive(app, read: { script.read($0) }, paint: { canvas, _ in frames.append(canvas.text(row: 0)) })
        #expect(ending == nil)
        // The first frame, one after "abc" (typed ahead), one after "d", one after a quiet wait.
        #expect(frames.map { $0.trimmingCharacters(in: .whitespaces) } == ["", "abc", "abcd", "abcd"])
        // The first read of each frame waits; the reads that drain the queue do not.
        #expect(script.waits == [250, 0, 0, 0, 0, 250, 0, 250, 250])
        #expect(app.timeouts == 1)
    }

    @Test func aSignalOrAHangUpEndsTheLoop() {
        let app = Typist()
        var reads: [Terminal.Read] = [.input(.key(.char("a"))), .ended(.signal(15))]
        let ending = Terminal.drive(app, read: { _ in reads.removeFirst() }, paint: { _, _ in })
        #expect(ending == .signal(15) && app.typed == "a")
    }
}
