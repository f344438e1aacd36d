/// The console draws into a Canvas: a grid of cells, one per terminal column. A wide glyph (CJK,
/// most emoji) takes its cell and marks the next one as its continuation; nothing is ever drawn
/// over half of it. The curses backend copies a Canvas to the screen; tests compare its text.

public struct Style: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Style(rawValue: 1)
    public static let reverse = Style(rawValue: 2)
    public static let underline = Style(rawValue: 4)
    public static let dim = Style(rawValue: 8)
    /// Drawn in the accent colour when the terminal has colours and NO_COLOR is unset; plain otherwise.
    public static let accent = Style(rawValue: 16)
    /// Warnings and refusals: the warning colour, or bold without colours.
    public static let warning = Style(rawValue: 32)
}

public struct Cell: Hashable, Sendable {
    /// One grapheme, or "" for the right half of a wide glyph.
    public var text: String
    public var style: Style
    public static let blank = Cell(text: " ", style: [])
    public var isContinuation: Bool { text.isEmpty }
}

public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    /// Write `text` at (x, y), clipped to `limit` columns (default: to the right edge), made
    /// display-safe first. Returns the number of columns written. A wide glyph that would not
    /// fit whole is left out.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, style: Style = []) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        // Text that does not fit ends in "…" rather than being cut silently.
        let safe = text.displaySafe
        // No character takes more columns than it has UTF-8 bytes: text of no more bytes than
        // there are columns fits without measuring it.
        let shown = safe.utf8.count > end - x && safe.columns > end - x ? safe.clipped(to: end - x) : safe
        var col = x
        for ch in shown {
            let w = ch.columns
            if w == 0 { continue }
            if col + w > end { break }
            if col >= 0 {
                clearHalf(at: col, y: y)
                if w == 2 { clearHalf(at: col + 1, y: y) }
                cells[y * width + col] = Cell(text: String(ch), style: style)
                if w == 2 { cells[y * width + col + 1] = Cell(text: "", style: style) }
            }
            col += w
        }
        return col - x
    }

    /// Before overwriting a cell, blank the other half of a wide glyph it belongs to.
    private mutating func clearHalf(at x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(text: " ", style: cells[i - 1].style) }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(text: " ", style: cells[i + 1].style)
        }
    }

    /// Give every cell of a row (or of columns x..<x+count) a style, keeping the text.
    public mutating func style(row y: Int, from x: Int = 0, count: Int? = nil, _ style: Style) {
        guard y >= 0, y < height else { return }
        let end = min(width, x + (count ?? width))
        for c in max(0, x)..<max(max(0, x), end) { cells[y * width + c].style = style }
    }

    /// Fill a row with blanks in a style.
    public mutating func clear(row y: Int, style: Style = []) {
        guard y >= 0, y < height else { return }
        for c in 0..<width { cells[y * width + c] = Cell(text: " ", style: style) }
    }

    /// A row's text, wide glyphs once.
    public func text(row y: Int) -> String {
        var s = ""
        for c in 0..<width { s += cells[y * width + c].text }
        return s
    }

    /// Every row's text, each ended with `|` so trailing spaces show (the golden-file form).
    public var lines: [String] { (0..<height).map { text(row: $0) + "|" } }
}

extension String {
    /// Columns the text takes on a terminal.
    public var columns: Int {
        // Printable ASCII takes a column a byte.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return displaySafe.reduce(0) { $0 + $1.columns }
    }

    /// The longest prefix that fits in `width` columns, with `…` when cut.
    public func clipped(to width: Int) -> String {
        let safe = displaySafe
        if safe.utf8.count <= width || safe.columns <= width { return safe }
        guard width > 0 else { return "" }
        var out = "", used = 0
        for ch in safe {
            let w = ch.columns
            if used + w > width - 1 { break }
            out.append(ch); used += w
        }
        return out + "…"
    }

    /// Words wrapped into lines of at most `width` columns (a word longer than a line is clipped).
    public func wrapped(to width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in displaySafe.split(separator: " ") {
            let w = String(word)
            if line.isEmpty { line = w } else if (line + " " + w).columns <= width { line += " " + w } else {
                lines.append(line.clipped(to: width)); line = w
            }
        }
        if !line.isEmpty { lines.append(line.clipped(to: width)) }
        return lines
    }

    /// Pad with spaces (or clip) to exactly `width` columns; `right` aligns to the right.
    public func padded(to width: Int, right: Bool = false) -> String {
        let s = clipped(to: width)
        let used = s.columns
        if used >= width { return s }
        let pad = String(repeating: " ", count: width - used)
        return right ? pad + s : s + pad
    }
}
