import KurasiCore

extension View {
    // The help: the keys of the screen underneath, then the keys of every screen, from the keymaps.

    /// Every symbol the screens draw, with what it means (the help's second page, `?` again).
    public static let symbols: [(String, T)] = [
        ("?", .symHidden), ("·", .symDot), ("_", .symUnscored), ("×", .symSetAside), ("–", .symNone),
        ("⚑", .symDisagree), ("★", .symPinned), ("○", .symTopFive), ("↑", .symOverride), ("⊘", .symIneligible),
        ("✓", .symEligible), ("≈", .symDuplicate), ("•", .symMarked), (">", .symSelected), ("▼", .symSort), ("☎", .symPhone),
        ("●", .symSheet), ("◆", .symScore), ("▲", .symMove), ("█", .symBar),
    ]

    static func help(_ s: State, _ c: inout Canvas) {
        if s.helpPage == 1 {
            titleBar(s, &c, left: tr(.helpSymbols, s.lang))
            var y = s.layout.body.y + 1
            for (symbol, meaning) in symbols where y < s.layout.body.bottom {
                c.put("  " + symbol.padded(to: 3) + " " + tr(meaning, s.lang), x: 0, y: y, limit: s.layout.width - 1)
                y += 1
            }
            c.put(" " + tr(.helpClose, s.lang), x: 0, y: s.layout.status, style: .dim)
            return
        }
        titleBar(s, &c, left: tr(.helpTitle, s.lang))
        var y = s.layout.body.y + 1
        func section(_ groups: [BindingGroup]) {
            for b in groups where y < s.layout.body.bottom {
                let keys = b.keys.map { $0.label(s.lang) }.joined(separator: " ")
                c.put("  " + keys.padded(to: 22) + " " + tr(b.help, s.lang), x: 0, y: y)
                y += 1
            }
        }
        section(Keymap.table(s.screen))
        y += 1
        if y < s.layout.body.bottom { c.put(" " + tr(.helpGlobal, s.lang), x: 0, y: y, style: .bold); y += 1 }
        section(Keymap.global)
        // Where the round is kept (a demo's fresh copy too), its end kept when the path is long.
        if let file = s.storeFile, y <= s.layout.hint {
            let label = tr(.helpStoreFile, s.lang, "")
            let room = max(8, s.layout.width - 2 - label.count)
            let shown = file.count > room ? "…" + String(file.suffix(room - 1)) : file
            c.put(" " + tr(.helpStoreFile, s.lang, shown), x: 0, y: s.layout.hint, limit: s.layout.width - 1, style: .dim)
        }
        c.put(" " + tr(.helpMore, s.lang), x: 0, y: s.layout.status, style: .dim)
    }
}
