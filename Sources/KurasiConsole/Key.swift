/// A key as the console understands it, independent of curses.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab
    /// Ctrl plus a letter, lowercase: `.ctrl("l")`.
    case ctrl(Character)
    case function(Int)

    /// How the key is written in the help and the hint line.
    public func label(_ lang: KurasiCore.Language) -> String {
        switch self {
        case let .char(c): c == " " ? tr(.keySpace, lang) : String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case let .ctrl(c): "Ctrl-" + String(c).uppercased()
        case let .function(n): "F\(n)"
        }
    }
}

import KurasiCore
