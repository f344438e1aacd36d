import KurasiCore

public enum Screen: Hashable, Sendable {
    case list, detail, board, curators
}

/// What a key asks for. Keys map to actions through the keymaps below; the reducer knows only
/// actions.
public enum Action: Hashable, Sendable {
    case quit, help, nextCluster, previousCluster
    case up, down, pageUp, pageDown, top, bottom
    case filter, sort, open, back
    case score(Int), clear, previousProduct, nextProduct, nextUnscored
    case pin, board, curators, undo, redraw, finalize, reopen
}

/// One binding: the keys, the action, its line in the help and, when it matters on the screen,
/// its short label on the bottom hint line.
public struct Binding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: T
    public var hint: T?
    /// How the keys are written in the hint line, when not simply the first key.
    public var hintKeys: String?
}

/// Keymaps are data: one table per screen, then the shared table. The help overlay and the hint
/// line are generated from them, so a key cannot work without being documented.
public enum Keymap {
    static func b(_ keys: [Key], _ action: Action, _ help: T, hint: T? = nil, hintKeys: String? = nil) -> Binding {
        Binding(keys: keys, action: action, help: help, hint: hint, hintKeys: hintKeys)
    }

    public static let list: [Binding] = [
        b([.up, .down, .char("k"), .char("j")], .down, .hMove),
        b([.enter], .open, .hOpen, hint: .kOpen),
        b([.char("/")], .filter, .hFilter, hint: .kFilter),
        b([.tab], .nextCluster, .hNextCluster, hint: .kCluster),
        b([.backTab], .previousCluster, .hPrevCluster),
        b([.pageUp, .pageDown], .pageDown, .hPage),
        b([.char("g"), .char("G"), .home, .end], .top, .hTopBottom),
        b([.char("s")], .sort, .hSort),
        b([.char("n")], .nextUnscored, .hNextUnscored),
        b([.char("p")], .pin, .hPin, hint: .kPin),
        b([.char("b")], .board, .hBoard, hint: .kBoard),
        b([.escape], .back, .hClearFilter),
    ]

    public static let detail: [Binding] = [
        b([.up, .down, .char("k"), .char("j")], .down, .hCriterion, hint: .kCriterion, hintKeys: "↑↓"),
        b((1...5).map { .char(Character(String($0))) }, .score(1), .hScore, hint: .kScore, hintKeys: "1–5"),
        b([.char("0"), .backspace, .delete], .clear, .hClear, hint: .kClear, hintKeys: "0"),
        b([.left, .right], .nextProduct, .hPrevNext, hint: .kProduct, hintKeys: "←→"),
        b([.char("n")], .nextUnscored, .hNextUnscored, hint: .kNext),
        b([.char("p")], .pin, .hPin, hint: .kPin),
        b([.escape], .back, .hBack, hint: .kBack),
        b([.char("b")], .board, .hBoard),
    ]

    public static let board: [Binding] = [
        b([.char("f")], .finalize, .hFinalize, hint: .kFinalize),
        b([.char("r")], .reopen, .hReopen, hint: .kReopen),
        b([.escape, .char("b")], .back, .hBack, hint: .kBack),
    ]

    public static let curators: [Binding] = [
        b([.up, .down, .char("k"), .char("j")], .down, .hMove, hint: .kMove, hintKeys: "↑↓"),
        b([.enter], .open, .hChoose, hint: .kChoose),
        b([.escape], .back, .hBack, hint: .kBack),
    ]

    public static let global: [Binding] = [
        b([.char("c")], .curators, .hCurators),
        b([.char("u")], .undo, .hUndo),
        b([.ctrl("l")], .redraw, .hRedraw),
        b([.char("?")], .help, .hHelp, hint: .kHelp),
        b([.char("q"), .ctrl("c")], .quit, .hQuit, hint: .kQuit),
    ]

    public static func table(_ screen: Screen) -> [Binding] {
        switch screen {
        case .list: list
        case .detail: detail
        case .board: board
        case .curators: curators
        }
    }

    /// The action a key performs on a screen: the screen's table first, then the shared one.
    /// Keys that share a binding but mean different things are told apart here.
    public static func action(for key: Key, on screen: Screen) -> Action? {
        for binding in table(screen) + global where binding.keys.contains(key) {
            switch (binding.action, key) {
            case (.down, .up), (.down, .char("k")): return .up
            case (.pageDown, .pageUp): return .pageUp
            case (.top, .char("G")), (.top, .end): return .bottom
            case (.score, .char(let c)): return .score(Int(String(c)) ?? 0)
            case (.nextProduct, .left): return .previousProduct
            default: return binding.action
            }
        }
        return nil
    }

    /// The hint line of a screen: the bindings that matter there, then help and quit.
    public static func hints(_ screen: Screen, _ lang: Language) -> [String] {
        (table(screen) + global).compactMap { b in
            b.hint.map { "\(b.hintKeys ?? b.keys[0].label(lang)) \(tr($0, lang))" }
        }
    }
}
