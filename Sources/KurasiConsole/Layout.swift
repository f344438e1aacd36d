/// A rectangle of the screen, in cells.
public struct Rect: Hashable, Sendable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    /// The first row below the rectangle.
    public var bottom: Int { y + height }
    public var right: Int { x + width }
}

/// Where everything goes on a screen of one size, computed once when the size changes; the view
/// draws into these places and the update pages by them.
///
///     row 0            title bar
///     row 1            tabs, sort and filter (list) / the screen's first line
///     row 2            the list's column header
///     rows 3…          the list's rows                      │ side pane (≥ 120 columns)
///     height-5         ─── divider (< 120 columns)          │
///     height-4, -3     strip: the selected product          │
///     height-2         hint line (or a prompt, or the first half of a long refusal)
///     height-1         status line
public struct Layout: Hashable, Sendable {
    public static let minWidth = 60, minHeight = 16
    /// From this width on, the selected product's detail sits beside the list.
    public static let sidePaneFrom = 120

    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = max(1, width); self.height = max(1, height)
    }

    public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }

    public var title: Int { 0 }
    public var hint: Int { height - 2 }
    public var status: Int { height - 1 }
    /// Everything between the title bar and the hint line: where a screen draws.
    public var body: Rect { Rect(x: 0, y: 1, width: width, height: height - 3) }

    // MARK: The product list

    public var hasSidePane: Bool { width >= Self.sidePaneFrom }
    /// Columns of the side pane: a third of the width, between 44 and 72 columns.
    public var sidePaneWidth: Int { hasSidePane ? min(72, max(44, width / 3)) : 0 }
    /// Columns of the list: the whole width, or what the side pane leaves; the list's columns
    /// grow with it.
    public var listWidth: Int { hasSidePane ? width - sidePaneWidth - 3 : width }
    public var tabs: Int { 1 }
    public var columnHeader: Int { 2 }
    /// The list's rows: below the column header, above the strip or the footer.
    public var rows: Rect {
        Rect(x: 0, y: 3, width: listWidth, height: max(1, height - 3 - 2 - (hasSidePane ? 0 : 3)))
    }
    /// Rows one page key moves by: a page, keeping one row of the last one in view.
    public var page: Int { max(1, rows.height - 1) }
    /// The divider above the strip (narrow terminals).
    public var stripDivider: Int? { hasSidePane ? nil : height - 5 }
    /// The two lines about the selected product under the list (narrow terminals).
    public var strip: Rect? { hasSidePane ? nil : Rect(x: 0, y: height - 4, width: width, height: 2) }
    /// The column of the line between the list and the side pane (wide terminals).
    public var sideDivider: Int? { hasSidePane ? listWidth : nil }
    /// The selected product's detail beside the list (wide terminals).
    public var side: Rect? {
        hasSidePane ? Rect(x: listWidth + 2, y: 1, width: width - listWidth - 3, height: height - 3) : nil
    }
}
