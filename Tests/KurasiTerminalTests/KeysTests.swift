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
