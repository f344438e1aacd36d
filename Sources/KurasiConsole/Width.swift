/// Display width of a grapheme in terminal columns: 2 for East Asian wide and fullwidth
/// characters and for emoji shown as emoji, 0 for what takes no column, 1 otherwise.
///
/// Written here because Swift exposes no East Asian Width property and the C library's
/// wcwidth depends on the process locale (and is -1 for everything before setlocale); the
/// console is rendered and tested without a terminal, so it measures text itself. The ranges are
/// Unicode's East Asian Width W and F blocks, grouped.
extension Character {
    public var columns: Int {
        if let ascii = asciiValue { return ascii >= 0x20 && ascii != 0x7F ? 1 : 0 }
        guard let first = unicodeScalars.first else { return 0 }
        if unicodeScalars.contains("\u{FE0F}") { return 2 }  // emoji presentation selector
        return first.ownColumns
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }
}

extension Unicode.Scalar {
    /// Whether this scalar is a grapheme by itself next to any other such scalar, and safe to draw
    /// as it is: printable ASCII, Latin-1 and the other blocks below the combining marks, and
    /// U+2010–U+2BFF (punctuation, symbols, arrows, box drawing, shapes) without the combining
    /// marks for symbols and the bidirectional controls. No rule of grapheme breaking joins two of
    /// these (none is a combining mark, a joiner, a prepended mark, a regional indicator or Hangul).
    var isOwnGrapheme: Bool {
        switch value {
        case 0x20..<0x7F, 0xA0..<0x300: true
        case 0x2010..<0x20D0: !String.isUnsafe(self)
        case 0x2100..<0x2C00: !String.isUnsafe(self)
        default: false
        }
    }

    /// The columns of this scalar as a character of its own, and of a character it begins (but
    /// for a character holding the emoji presentation selector: 2).
    var ownColumns: Int {
        let v = value
        if v < 0x80 { return v >= 0x20 && v != 0x7F ? 1 : 0 }
        if v == 0xFE0F { return 2 }
        if v < 0xA0 { return 0 }
        let category = properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark || category == .format || v == 0x200B { return 0 }
        if properties.isEmojiPresentation { return 2 }
        return Character.isWide(v) ? 2 : 1
    }
}
