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

/// One cell as the backend and the tests read it.
public struct Cell: Hashable, Sendable {
    /// One grapheme, or "" for the right half of a wide glyph.
    public var text: String
    public var style: Style
    public init(text: String, style: Style) { self.text = text; self.style = style }
    public static let blank = Cell(text: " ", style: [])
    public var isContinuation: Bool { text.isEmpty }
}

/// The grid is stored packed, one UInt32 a cell, so that drawing a frame allocates nothing per
/// cell: the low 24 bits hold the glyph (a Unicode scalar, the continuation mark, or the index of
/// a grapheme of several scalars kept in `clusters`), the high 8 bits the style. Two canvases are
/// equal when every cell has the same scalars, in the same order, and the same style.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var grid: [UInt32]
    /// Graphemes of more than one scalar (e + combining acute, a flag, an emoji with VS16 or a
    /// ZWJ sequence), in the order they were drawn; a cell refers to one by index.
    private var clusters: [String] = []

    static let glyphMask: UInt32 = 0x00FF_FFFF
    static let continuation: UInt32 = 0x11_0000
    static let clusterBase: UInt32 = 0x12_0000
    static let space: UInt32 = 0x20
    static let ellipsis: UInt32 = 0x2026

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        grid = Array(repeating: Self.space, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell { cell(grid[y * width + x]) }

    /// Every cell, row by row.
    public var cells: [Cell] { grid.map(cell) }

    private func cell(_ code: UInt32) -> Cell {
        Cell(text: text(of: code), style: Style(rawValue: UInt8(code >> 24)))
    }

    private func text(of code: UInt32) -> String {
        let glyph = code & Self.glyphMask
        if glyph == Self.continuation { return "" }
        if glyph >= Self.clusterBase { return clusters[Int(glyph - Self.clusterBase)] }
        return String(Character(Unicode.Scalar(glyph)!))
    }

    /// Write `text` at (x, y), clipped to `limit` columns (default: to the right edge), made
    /// display-safe first. Returns the number of columns written. A wide glyph that would not
    /// fit whole is left out.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, style: Style = []) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        let styleBits = UInt32(style.rawValue) << 24
        // Printable ASCII, most of what is drawn: a column a byte, each byte its own grapheme.
        if let written = putASCII(text, x: x, y: y, room: end - x, styleBits: styleBits) { return written }
        // Text of scalars that are each a grapheme of their own (Latin, punctuation, the marks and
        // box drawing the screens use): measured and drawn scalar by scalar.
        if let written = putSimple(text, x: x, y: y, room: end - x, styleBits: styleBits) { return written }
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
                let row = y * width
                clearHalf(at: col, row: row)
                if w == 2 { clearHalf(at: col + 1, row: row) }
                grid[row + col] = glyph(of: ch) | styleBits
                if w == 2 { grid[row + col + 1] = Self.continuation | styleBits }
            }
            col += w
        }
        return col - x
    }

    /// `put` for printable ASCII; nil when the text is anything else.
    private mutating func putASCII(_ text: String, x: Int, y: Int, room: Int, styleBits: UInt32) -> Int? {
        let utf8 = text.utf8
        let done: Int?? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            for b in bytes where b < 0x20 || b >= 0x7F { return nil }
            let cut = bytes.count > room
            let take = cut ? max(0, room - 1) : bytes.count
            let row = y * width
            var col = x
            for b in bytes[..<take] {
                if col >= 0 { clearHalf(at: col, row: row); grid[row + col] = UInt32(b) | styleBits }
                col += 1
            }
            if cut, room > 0 {
                if col >= 0 { clearHalf(at: col, row: row); grid[row + col] = Self.ellipsis | styleBits }
                col += 1
            }
            return col - x
        }
        return done ?? nil
    }

    /// `put` for text whose every scalar `isOwnGrapheme`; nil for anything else. Every scalar is
    /// then a character by itself, so this draws what the walk over characters draws: the text
    /// whole when it fits, else what fits in one column less and "…".
    private mutating func putSimple(_ text: String, x: Int, y: Int, room: Int, styleBits: UInt32) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            guard scalar.isOwnGrapheme else { return nil }
            total += scalar.ownColumns
        }
        let cut = total > room
        if cut && room <= 0 { return 0 }
        let row = y * width
        var col = x, used = 0
        for scalar in text.unicodeScalars {
            let w = scalar.ownColumns
            if cut && used + w > room - 1 { break }
            used += w
            if w == 0 { continue }
            if col >= 0 {
                clearHalf(at: col, row: row)
                if w == 2 { clearHalf(at: col + 1, row: row) }
                grid[row + col] = scalar.value | styleBits
                if w == 2 { grid[row + col + 1] = Self.continuation | styleBits }
            }
            col += w
        }
        if cut {
            if col >= 0 { clearHalf(at: col, row: row); grid[row + col] = Self.ellipsis | styleBits }
            col += 1
        }
        return col - x
    }

    /// Whether `put` draws this scalar on its own, and in how many columns (for the tests).
    public static func isOwnGrapheme(_ s: Unicode.Scalar) -> Bool { s.isOwnGrapheme }
    public static func ownColumns(_ s: Unicode.Scalar) -> Int { s.ownColumns }

    /// A grapheme's code: its scalar when it has one, else its place in `clusters`.
    private mutating func glyph(of ch: Character) -> UInt32 {
        let scalars = ch.unicodeScalars
        if let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex { return first.value }
        clusters.append(String(ch))
        return Self.clusterBase + UInt32(clusters.count - 1)
    }

    /// Before overwriting a cell, blank the other half of a wide glyph it belongs to.
    @inline(__always)
    private mutating func clearHalf(at x: Int, row: Int) {
        let i = row + x
        let here = grid[i] & Self.glyphMask
        if here == Self.continuation {
            if x > 0 { grid[i - 1] = (grid[i - 1] & ~Self.glyphMask) | Self.space }
        } else if x + 1 < width, grid[i + 1] & Self.glyphMask == Self.continuation {
            grid[i + 1] = (grid[i + 1] & ~Self.glyphMask) | Self.space
        }
    }

    /// Give every cell of a row (or of columns x..<x+count) a style, keeping the text.
    public mutating func style(row y: Int, from x: Int = 0, count: Int? = nil, _ style: Style) {
        guard y >= 0, y < height else { return }
        let end = min(width, x + (count ?? width))
        let bits = UInt32(style.rawValue) << 24
        for c in max(0, x)..<max(max(0, x), end) { grid[y * width + c] = (grid[y * width + c] & Self.glyphMask) | bits }
    }

    /// Fill a row with blanks in a style.
    public mutating func clear(row y: Int, style: Style = []) {
        guard y >= 0, y < height else { return }
        let blank = Self.space | UInt32(style.rawValue) << 24
        for c in 0..<width { grid[y * width + c] = blank }
    }

    /// A row's text, wide glyphs once.
    public func text(row y: Int) -> String {
        var s = String.UnicodeScalarView()
        for c in 0..<width {
            let glyph = grid[y * width + c] & Self.glyphMask
            if glyph == Self.continuation { continue }
            if glyph >= Self.clusterBase { s.append(contentsOf: clusters[Int(glyph - Self.clusterBase)].unicodeScalars) }
            else { s.append(Unicode.Scalar(glyph)!) }
        }
        return String(s)
    }

    /// Every row's text, each ended with `|` so trailing spaces show (the golden-file form).
    public var lines: [String] { (0..<height).map { text(row: $0) + "|" } }

    /// The cell at a grid position as the terminal draws it: its scalars (none for the right half
    /// of a wide glyph; the first is the spacing character, any others combine with it) and style.
    /// Reads the packed cell without making a String.
    public func withScalars(x: Int, y: Int, _ body: (_ scalars: UnsafeBufferPointer<UInt32>, _ style: Style) -> Void) {
        // Not generic: the backend calls it for every cell, from another module.
        let code = grid[y * width + x], glyph = code & Self.glyphMask, style = Style(rawValue: UInt8(code >> 24))
        if glyph == Self.continuation { return body(UnsafeBufferPointer(start: nil, count: 0), style) }
        if glyph >= Self.clusterBase {
            let values = clusters[Int(glyph - Self.clusterBase)].unicodeScalars.map(\.value)
            return values.withUnsafeBufferPointer { body($0, style) }
        }
        var one = glyph
        withUnsafePointer(to: &one) { body(UnsafeBufferPointer(start: $0, count: 1), style) }
    }

    /// Whether row `y` of both canvases shows the same (same size of canvas assumed).
    public func rowEquals(_ other: Canvas, row y: Int) -> Bool {
        guard width == other.width, y >= 0, y < height, y < other.height else { return false }
        for c in 0..<width where !same(grid[y * width + c], other, other.grid[y * width + c]) { return false }
        return true
    }

    private func same(_ a: UInt32, _ other: Canvas, _ b: UInt32) -> Bool {
        if a == b, a & Self.glyphMask < Self.clusterBase { return true }
        let ga = a & Self.glyphMask, gb = b & Self.glyphMask
        guard ga >= Self.clusterBase, gb >= Self.clusterBase, a >> 24 == b >> 24 else { return false }
        return clusters[Int(ga - Self.clusterBase)].unicodeScalars.elementsEqual(other.clusters[Int(gb - Self.clusterBase)].unicodeScalars)
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        guard a.width == b.width, a.height == b.height else { return false }
        if a.grid == b.grid, a.clusters.count == b.clusters.count,
           zip(a.clusters, b.clusters).allSatisfy({ $0.unicodeScalars.elementsEqual($1.unicodeScalars) }) {
            return true
        }
        for i in a.grid.indices where !a.same(a.grid[i], b, b.grid[i]) { return false }
        return true
    }

    public func hash(into h: inout Hasher) {
        h.combine(width); h.combine(height)
        for code in grid {
            let glyph = code & Self.glyphMask
            if glyph >= Self.clusterBase {
                h.combine(code >> 24)
                for s in clusters[Int(glyph - Self.clusterBase)].unicodeScalars { h.combine(s.value) }
                h.combine(Self.clusterBase)
            } else {
                h.combine(code)
            }
        }
    }
}

extension String {
    /// Columns the text takes on a terminal.
    public var columns: Int {
        // Printable ASCII takes a column a byte.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        // So does text of scalars that are each a character of their own: no grapheme breaking.
        var total = 0
        for scalar in unicodeScalars {
            guard scalar.isOwnGrapheme else { return displaySafe.reduce(0) { $0 + $1.columns } }
            total += scalar.ownColumns
        }
        return total
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
        var lines: [String] = [], line = "", used = 0
        for word in displaySafe.split(separator: " ") {
            let w = String(word), wordColumns = w.columns
            if line.isEmpty { line = w; used = wordColumns; continue }
            // The line's width grows by the space and the word, measured once; where a scalar
            // beside the space could join a grapheme with it, the joined line is measured.
            let plain = (line.unicodeScalars.last?.value ?? 0) < 0x300 && (w.unicodeScalars.first?.value ?? 0) < 0x300
            let joined = plain ? used + 1 + wordColumns : (line + " " + w).columns
            if joined <= width { line += " " + w; used = joined } else {
                lines.append(line.clipped(to: width)); line = w; used = wordColumns
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
