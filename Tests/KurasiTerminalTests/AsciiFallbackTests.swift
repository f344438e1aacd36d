import KurasiConsole
@testable import KurasiTerminal
import Testing

/// In a locale that is not UTF-8 (LANG=C) every symbol the screens draw becomes an ASCII stand-in,
/// never the '?' that means a hidden score ("? eligible" for "✓ eligible", "? sheet ? score").
@Suite struct AsciiFallbackTests {
    func ascii(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII ? $0 : Painter.asciiFallback($0) }))
    }

    @Test func everySymbolOfTheHelpHasAStandIn() {
        for (symbol, _) in View.symbols where symbol != "?" {
            let shown = ascii(symbol)
            let ascii = shown.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(symbol) becomes \(shown)")
            #expect(shown != "?", "\(symbol) becomes ?")
        }
    }

    @Test func theLinesACommitteeSeesReadInASCII() {
        #expect(ascii("✓ eligible") == "+ eligible")
        #expect(ascii("· ☎ 0812-4059-7293") == ". T 0812-4059-7293")
        // The detail's sheets on the 0–100 line and its legend.
        #expect(ascii("0 ├──●─2◆●──┤ 100  ● sheet  ◆ score") == "0 |--o-2@o--| 100  o sheet  @ score")
        // The loading screen's bar, a histogram, the cursor of a form or prompt.
        #expect(ascii("███░░░") == "###...")
        #expect(ascii("▁▂▃▄▅▆▇█") == "__==####")
        #expect(ascii("ikon kota▏") == "ikon kota|")
        #expect(ascii("≈U-0102 ○ × ✗") == "=U-0102 o x x")
    }
}
