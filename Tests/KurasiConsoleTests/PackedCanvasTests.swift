import KurasiConsole
import KurasiCore
import Testing

/// The Canvas keeps its cells packed (a scalar and a style a cell, graphemes of several scalars
/// aside). These tests hold it to the grid of one String a cell it replaced: the same operations
/// give the same text and styles, cell by cell, for every kind of text a name may hold.
@Suite struct PackedCanvasTests {
    @Test func asciiIsClippedAsBefore() {
        var c = Canvas(width: 10, height: 1)
        #expect(c.put("Sambal Pecel", x: 0, y: 0) == 10)
        #expect(c.text(row: 0) == "Sambal Pe…")
        var d = Canvas(width: 10, height: 1)
        #expect(d.put("abc", x: 2, y: 0, limit: 0) == 0)
        #expect(d.put("abc", x: 2, y: 0, limit: 1) == 1)
        #expect(d.put("xyz", x: -2, y: 0) == 3)  // starts left of the edge: only "z" shows
        #expect(d.text(row: 0) == "z …       ")
        #expect(d.put("", x: 0, y: 0) == 0)
    }

    @Test func multiScalarGraphemesKeepEveryScalar() {
        var c = Canvas(width: 12, height: 1)
        let text = "e\u{301}🇮🇩👨‍👩‍👧🌶️x"
        #expect(c.put(text, x: 0, y: 0) == 8)
        #expect(c.text(row: 0).unicodeScalars.elementsEqual((text + "    ").unicodeScalars))
        #expect(c[0, 0] == Cell(text: "e\u{301}", style: []))
        #expect(c[1, 0].text.unicodeScalars.elementsEqual("🇮🇩".unicodeScalars))
        #expect(c[2, 0].isContinuation)
        #expect(c.cells.count == 12)
        // A zero-width character takes no cell.
        var z = Canvas(width: 4, height: 1)
        #expect(z.put("a\u{200B}b", x: 0, y: 0) == 2)
        #expect(z.text(row: 0) == "ab  ")
    }

    @Test func equalityIsCellByCell() {
        // The same picture drawn in a different order is the same canvas.
        var a = Canvas(width: 8, height: 2), b = Canvas(width: 8, height: 2)
        a.put("e\u{301}", x: 0, y: 0); a.put("🌶️", x: 0, y: 1)
        b.put("🌶️", x: 0, y: 1); b.put("e\u{301}", x: 0, y: 0)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.rowEquals(b, row: 0) && a.rowEquals(b, row: 1))
        // A cluster overwritten leaves nothing behind.
        var c = a
        c.put("辣", x: 0, y: 1); c.put("🌶️", x: 0, y: 1)
        #expect(c == a)
        // A precomposed é and e + combining acute look alike but are different text for the terminal.
        var d = Canvas(width: 8, height: 2)
        d.put("\u{E9}", x: 0, y: 0); d.put("🌶️", x: 0, y: 1)
        #expect(d != a)
        #expect(!d.rowEquals(a, row: 0) && d.rowEquals(a, row: 1))
        var e = a
        e.style(row: 1, .bold)
        #expect(e != a && !e.rowEquals(a, row: 1))
    }

    @Test func theBackendReadsEveryScalarOfACell() {
        var c = Canvas(width: 6, height: 1)
        c.put("a辣e\u{301}", x: 0, y: 0, style: .bold)
        func scalars(_ x: Int) -> ([UInt32], Style) {
            var seen: ([UInt32], Style) = ([], [])
            c.withScalars(x: x, y: 0) { seen = (Array($0), $1) }
            return seen
        }
        #expect(scalars(0) == ([0x61], .bold))
        #expect(scalars(1) == ([0x8FA3], .bold))
        #expect(scalars(2) == ([], .bold))
        #expect(scalars(3) == ([0x65, 0x301], .bold))
        #expect(scalars(4) == ([0x20], []))
    }

    /// Random operations on both grids, with text from every class of character a name may hold:
    /// printable ASCII, Latin with diacritics (precomposed and combining), CJK, emoji with and
    /// without presentation selectors, ZWJ sequences, flags, zero-width and control characters.
    @Test func sameCellsAsAGridOfStrings() {
        let pieces = ["a", "Z", " ", "~", "Bu Tini", "é", "e\u{301}", "ñ", "辣", "酱", "🌶️", "🌶", "👍🏽", "👨‍👩‍👧",
                      "🇮🇩", "\u{200B}", "\u{301}", "\u{1B}[2J", "\u{07}", "\u{202E}", "·", "│", "★", "…", "ｱ", "한",
                      "⊘ not valid", "⌚", "\u{AD}", "™", "\u{2066}", "\u{20DD}", "☎\u{FE0F}", "Café ", "─"]
        var random = SplitMix64(seed: 12)
        for round in 0..<300 {
            let width = Int.random(in: 1...14, using: &random), height = Int.random(in: 1...3, using: &random)
            var packed = Canvas(width: width, height: height)
            var strings = StringGrid(width: width, height: height)
            for _ in 0..<12 {
                let y = Int.random(in: -1...height, using: &random)
                switch Int.random(in: 0..<10, using: &random) {
                case 0:
                    let style = Style(rawValue: UInt8.random(in: 0..<64, using: &random))
                    let x = Int.random(in: -2...width, using: &random), count = Int.random(in: 0...width, using: &random)
                    packed.style(row: y, from: x, count: count, style); strings.style(row: y, from: x, count: count, style)
                case 1:
                    let style = Style(rawValue: UInt8.random(in: 0..<64, using: &random))
                    packed.clear(row: y, style: style); strings.clear(row: y, style: style)
                default:
                    var text = ""
                    for _ in 0..<Int.random(in: 0...6, using: &random) { text += pieces.randomElement(using: &random)! }
                    if Bool.random(using: &random) { text = String(repeating: "ab", count: Int.random(in: 0...9, using: &random)) }
                    let x = Int.random(in: -3...width, using: &random)
                    let limit: Int? = Bool.random(using: &random) ? Int.random(in: -1...width, using: &random) : nil
                    let style = Style(rawValue: UInt8.random(in: 0..<64, using: &random))
                    let a = packed.put(text, x: x, y: y, limit: limit, style: style)
                    let b = strings.put(text, x: x, y: y, limit: limit, style: style)
                    #expect(a == b, "round \(round): put \(text.debugDescription) at \(x),\(y) limit \(String(describing: limit))")
                    #expect(text.columns == text.displaySafe.reduce(0) { $0 + $1.columns }, "\(text.debugDescription)")
                }
            }
            for y in 0..<height {
                #expect(packed.text(row: y).unicodeScalars.elementsEqual(strings.text(row: y).unicodeScalars), "round \(round) row \(y)")
                for x in 0..<width {
                    let cell = packed[x, y], other = strings.cells[y * width + x]
                    #expect(cell.text.unicodeScalars.elementsEqual(other.text.unicodeScalars) && cell.style == other.style,
                            "round \(round) cell \(x),\(y)")
                }
            }
        }
    }

    /// The scalars drawn one by one are each a character of their own next to any other of them,
    /// and take the columns they take as a character.
    @Test func scalarsDrawnOneByOne() {
        var own: [Unicode.Scalar] = []
        for v in UInt32(0)..<0x3_0000 {
            guard let s = Unicode.Scalar(v) else { continue }
            let text = String(Character(s))
            if Canvas.isOwnGrapheme(s) {
                own.append(s)
                #expect(Canvas.ownColumns(s) == Character(s).columns, "U+\(String(v, radix: 16))")
                #expect(text.displaySafe == text, "U+\(String(v, radix: 16))")
            }
        }
        #expect(own.count > 3_500)
        var random = SplitMix64(seed: 3)
        for _ in 0..<50_000 {
            let a = own.randomElement(using: &random)!, b = own.randomElement(using: &random)!
            var text = String.UnicodeScalarView()
            text.append(a); text.append(b)
            #expect(String(text).count == 2, "U+\(String(a.value, radix: 16)) U+\(String(b.value, radix: 16))")
        }
    }

    @Test func wrappingMeasuresEachWordOnce() {
        // The old way measured the whole line again for every word; the same lines come out.
        func reference(_ text: String, _ width: Int) -> [String] {
            var lines: [String] = [], line = ""
            for word in text.displaySafe.split(separator: " ") {
                let w = String(word)
                if line.isEmpty { line = w } else if (line + " " + w).columns <= width { line += " " + w } else {
                    lines.append(line.clipped(to: width)); line = w
                }
            }
            if !line.isEmpty { lines.append(line.clipped(to: width)) }
            return lines
        }
        let words = ["Sambal", "Pecel", "辣辣", "🌶️", "e\u{301}", "\u{301}x", "\u{FE0F}", "👨‍👩‍👧", "\u{600}", "Bu", "Tini", "a\u{1B}b",
                     "kerupuk-udang-sidoarjo-asli"]
        var random = SplitMix64(seed: 7)
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...9, using: &random) {
                text += words.randomElement(using: &random)! + String(repeating: " ", count: Int.random(in: 1...2, using: &random))
            }
            let width = Int.random(in: 1...20, using: &random)
            let ours = text.wrapped(to: width), theirs = reference(text, width)
            #expect(ours.count == theirs.count && zip(ours, theirs).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) },
                    "\(text.debugDescription) to \(width)")
        }
    }
}

/// The grid the Canvas used to be, one String a cell, kept as the reference.
struct StringGrid {
    let width: Int, height: Int
    var cells: [Cell]

    init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, style: Style = []) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        let safe = text.displaySafe
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

    private mutating func clearHalf(at x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(text: " ", style: cells[i - 1].style) }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(text: " ", style: cells[i + 1].style)
        }
    }

    mutating func style(row y: Int, from x: Int = 0, count: Int? = nil, _ style: Style) {
        guard y >= 0, y < height else { return }
        let end = min(width, x + (count ?? width))
        for c in max(0, x)..<max(max(0, x), end) { cells[y * width + c].style = style }
    }

    mutating func clear(row y: Int, style: Style = []) {
        guard y >= 0, y < height else { return }
        for c in 0..<width { cells[y * width + c] = Cell(text: " ", style: style) }
    }

    func text(row y: Int) -> String {
        var s = ""
        for c in 0..<width { s += cells[y * width + c].text }
        return s
    }
}
