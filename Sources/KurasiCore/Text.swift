/// Text from data (names typed into a registry, a store edited by hand) may carry control
/// characters, terminal escape sequences and bidirectional overrides. Drawn raw, `ESC ]2;…BEL`
/// retitles the terminal and U+202E reverses what follows. Everything shown passes through here.
extension String {
    /// The text with every control, escape and bidi-control character replaced by U+FFFD, and an
    /// escape sequence's introducer replaced so the rest of it shows as plain, harmless text.
    public var displaySafe: String {
        // Most text is printable ASCII: nothing to replace.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return self }
        // Nor is there in most other text: look before building a copy.
        guard unicodeScalars.contains(where: Self.isUnsafe) else { return self }
        var out = String.UnicodeScalarView()
        var changed = false
        for scalar in unicodeScalars {
            if Self.isUnsafe(scalar) { out.append("\u{FFFD}"); changed = true } else { out.append(scalar) }
        }
        return changed ? String(out) : self
    }

    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 (incl. ESC, BEL, tab, newline), DEL, C1 (incl. CSI)
        case 0x200E, 0x200F, 0x061C: true    // LRM, RLM, ALM
        case 0x202A...0x202E: true           // LRE, RLE, PDF, LRO, RLO
        case 0x2066...0x2069: true           // LRI, RLI, FSI, PDI
        default: false
        }
    }
}

extension String {
    /// Text from data made safe to interpolate into Markdown that may be rendered to HTML or
    /// shown with `cat`: control characters are removed (a line break becomes a space, so no value
    /// starts a heading), HTML's `& < >` become entities, and every character Markdown gives a
    /// meaning within a line is backslash-escaped. The minutes and the feedback sheets use it.
    public var markdownSafe: String {
        let s = self
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if String.isUnsafe(scalar) {
                // A line break or tab becomes a space; everything else is dropped.
                if scalar == "\n" || scalar == "\r" || scalar == "\t" { out.append(" ") }
                continue
            }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "!", "|", "~":
                out.append("\\"); out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text as HTML: `& < > " '` become entities; control characters and terminal escapes become
    /// U+FFFD first (as on every screen).
    public var htmlSafe: String {
        var out = ""
        for ch in displaySafe {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
