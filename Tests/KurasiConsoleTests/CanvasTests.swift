import KurasiConsole
import KurasiCore
import Testing

@Suite struct CanvasTests {
    @Test func widthsPerGrapheme() {
        #expect(Character("a").columns == 1)
        #expect(Character("é").columns == 1)           // precomposed
        #expect(Character("e\u{301}").columns == 1)    // e + combining acute: one grapheme
        #expect(Character("辣").columns == 2)
        #expect(Character("🌶️").columns == 2)          // with VS16
        #expect(Character("👍🏽").columns == 2)          // with a skin-tone modifier
        #expect(Character("👨‍👩‍👧").columns == 2)         // a ZWJ family is one glyph
        #expect("Café 辣".columns == 7)
    }

    @Test func clippingNeverSplitsAWideGlyph() {
        var c = Canvas(width: 6, height: 1)
        // Six columns cannot hold "ab辣辣辣" (8): it ends in "…", and no glyph is split.
        #expect(c.put("ab辣辣辣", x: 0, y: 0) == 5)
        #expect(c.text(row: 0) == "ab辣… ")
        var d = Canvas(width: 7, height: 1)
        #expect(d.put("ab辣辣辣", x: 0, y: 0, limit: 6) == 5)
        #expect(d.lines == ["ab辣…  |"])
        var e = Canvas(width: 6, height: 1)
        #expect(e.put("ab辣辣", x: 0, y: 0) == 6)  // fits exactly: no ellipsis
        #expect(e.text(row: 0) == "ab辣辣")
        #expect("Sambal 辣辣".clipped(to: 9) == "Sambal …")
        #expect("Sambal 辣辣".clipped(to: 10) == "Sambal 辣…")
        #expect("Sambal Pecel Bu Tini".wrapped(to: 12) == ["Sambal Pecel", "Bu Tini"])
    }

    @Test func overwritingHalfAWideGlyphBlanksTheOtherHalf() {
        var c = Canvas(width: 4, height: 1)
        c.put("辣辣", x: 0, y: 0)
        c.put("x", x: 1, y: 0)
        #expect(c.text(row: 0) == " x辣")
        c.put("y", x: 2, y: 0)
        #expect(c.text(row: 0) == " xy ")
    }

    @Test func controlsAndEscapesAreReplacedBeforeDrawing() {
        var c = Canvas(width: 20, height: 1)
        c.put("a\u{1B}[2Jb\u{07}\u{202E}c\u{9B}d", x: 0, y: 0)
        #expect(c.text(row: 0).hasPrefix("a\u{FFFD}[2Jb\u{FFFD}\u{FFFD}c\u{FFFD}d"))
    }

    @Test func goldenLinesShowTrailingSpaces() {
        var c = Canvas(width: 4, height: 2)
        c.put("ab", x: 0, y: 0)
        #expect(c.lines == ["ab  |", "    |"])
    }
}

@Suite struct StringsTests {
    @Test func everyStringExistsInBothLanguages() {
        for key in T.allCases {
            let id = tr(key, .id), en = tr(key, .en)
            #expect(id != key.rawValue && !id.isEmpty, "\(key) has no Indonesian text")
            #expect(en != key.rawValue && !en.isEmpty, "\(key) has no English text")
        }
    }

    @Test func everyBindingHasHelpInBothLanguages() {
        for screen in [Screen.list, .detail, .board, .curators, .producers] {
            for b in Keymap.table(screen) + Keymap.global {
                #expect(!tr(b.help, .id).isEmpty && !tr(b.help, .en).isEmpty)
            }
        }
    }

    @Test func theKeysOfTheContractAreBound() {
        let list: [(Key, Action)] = [
            (.char("q"), .quit), (.char("?"), .help), (.tab, .nextCluster), (.backTab, .previousCluster),
            (.up, .up), (.down, .down), (.char("j"), .down), (.char("k"), .up), (.pageUp, .pageUp), (.pageDown, .pageDown),
            (.char("g"), .top), (.char("G"), .bottom), (.char("/"), .filter), (.char("s"), .sort), (.enter, .open),
            (.char("n"), .nextUnscored), (.char("p"), .pin), (.char("b"), .board), (.char("c"), .curators),
            (.char("u"), .undo), (.ctrl("l"), .redraw),
        ]
        for (key, action) in list { #expect(Keymap.action(for: key, on: .list) == action, "\(key) on the list") }
        let detail: [(Key, Action)] = [
            (.up, .up), (.down, .down), (.char("1"), .score(1)), (.char("5"), .score(5)), (.char("0"), .clear),
            (.backspace, .clear), (.left, .previousProduct), (.right, .nextProduct), (.escape, .back),
            (.char("n"), .nextUnscored), (.char("p"), .pin), (.char("b"), .board),
        ]
        for (key, action) in detail { #expect(Keymap.action(for: key, on: .detail) == action, "\(key) in the detail") }
        #expect(Keymap.action(for: .char("f"), on: .board) == .finalize)
        #expect(Keymap.action(for: .char("r"), on: .board) == .reopen)
        #expect(Keymap.action(for: .char("v"), on: .list) == .producers)
        let producers: [(Key, Action)] = [
            (.char("a"), .validate), (.char("x"), .reject), (.char("z"), .makePending), (.char(" "), .mark),
            (.char("n"), .nextPending), (.tab, .nextCluster), (.backTab, .previousCluster), (.escape, .back),
        ]
        for (key, action) in producers { #expect(Keymap.action(for: key, on: .producers) == action, "\(key) on the producers") }
    }

    /// One binding per action and screen: no key means two things on one screen.
    @Test func noKeyIsBoundTwiceOnAScreen() {
        for screen in [Screen.list, .detail, .board, .curators, .producers] {
            let keys = (Keymap.table(screen) + Keymap.global).flatMap { $0.bindings.flatMap(\.keys) }
            #expect(Set(keys).count == keys.count, "\(screen)")
        }
    }
}
