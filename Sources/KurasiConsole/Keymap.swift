import KurasiCore

public enum Screen: Hashable, Sendable {
    case list, detail, board, curators, producers, producer, analysis, pairwise
}

/// What a key asks for. Keys map to actions through the keymaps below; the update knows only
/// actions.
public enum Action: Hashable, Sendable {
    case quit, help, nextCluster, previousCluster
    case up, down, pageUp, pageDown, top, bottom
    case filter, sort, open, back
    case score(Int), clear, previousProduct, nextProduct, nextUnscored
    case pin, board, curators, undo, redraw, finalize, reopen
    case producers, validate, reject, makePending, mark, nextPending
    case newProduct, newPermit, newCurator, editProduct
    case deliberate, declareConflict
    case analysis, pairwise, preferA, preferB, preferSame

    /// Actions that change the round (refused on the projector, which only shows it).
    public var edits: Bool {
        switch self {
        case .score, .clear, .pin, .undo, .finalize, .reopen, .deliberate, .validate, .reject, .makePending,
             .newProduct, .newPermit, .newCurator, .editProduct, .declareConflict,
             .preferA, .preferB, .preferSame: true
        default: false
        }
    }
}

/// One action and the keys that ask for it.
public struct Binding: Hashable, Sendable {
    public var keys: [Key]
    public var action: Action
}

/// Bindings that share one line in the help (↑ and ↓, the five scores) and, when they matter on
/// the screen, one short label on the bottom hint line.
public struct BindingGroup: Sendable {
    public var bindings: [Binding]
    public var help: T
    public var hint: T?
    /// How the keys are written on the hint line, when not simply the first key.
    public var hintKeys: String?

    /// Every key of the group, in the order the help lists them: each binding's first key, then
    /// each one's second (↑ ↓ k j; g G Home End).
    public var keys: [Key] {
        let longest = bindings.map(\.keys.count).max() ?? 0
        return (0..<longest).flatMap { i in bindings.compactMap { $0.keys.indices.contains(i) ? $0.keys[i] : nil } }
    }
}

/// Keymaps are data: one table per screen, then the shared table, one binding per action. The
/// help and the hint line are made from them, so a key cannot work without being documented.
public enum Keymap {
    static func group(_ help: T, hint: T? = nil, hintKeys: String? = nil, _ bindings: [(Action, [Key])]) -> BindingGroup {
        BindingGroup(bindings: bindings.map { Binding(keys: $0.1, action: $0.0) }, help: help, hint: hint, hintKeys: hintKeys)
    }

    public static let list: [BindingGroup] = [
        group(.hMove, [(.up, [.up, .char("k")]), (.down, [.down, .char("j")])]),
        group(.hOpen, hint: .kOpen, [(.open, [.enter])]),
        group(.hFilter, hint: .kFilter, [(.filter, [.char("/")])]),
        group(.hClusters, hint: .kCluster, [(.nextCluster, [.tab]), (.previousCluster, [.backTab])]),
        group(.hPage, [(.pageUp, [.pageUp]), (.pageDown, [.pageDown])]),
        group(.hTopBottom, [(.top, [.char("g"), .home]), (.bottom, [.char("G"), .end])]),
        group(.hSort, [(.sort, [.char("s")])]),
        group(.hNextUnscored, [(.nextUnscored, [.char("n")])]),
        group(.hPin, hint: .kPin, [(.pin, [.char("p")])]),
        group(.hBoard, hint: .kBoard, [(.board, [.char("b")])]),
        group(.hProducers, [(.producers, [.char("v")])]),
        group(.hClearFilter, [(.back, [.escape])]),
        group(.hAnalysis, [(.analysis, [.char("a")]), (.pairwise, [.char("w")])]),
    ]

    public static let detail: [BindingGroup] = [
        group(.hCriterion, hint: .kCriterion, hintKeys: "↑↓", [(.up, [.up, .char("k")]), (.down, [.down, .char("j")])]),
        group(.hScore, hint: .kScore, hintKeys: "1–5", (1...5).map { (.score($0), [.char(Character(String($0)))]) }),
        group(.hClear, hint: .kClear, hintKeys: "0", [(.clear, [.char("0"), .backspace, .delete])]),
        group(.hPrevNext, hint: .kProduct, hintKeys: "←→", [(.previousProduct, [.left]), (.nextProduct, [.right])]),
        group(.hNextUnscored, hint: .kNext, [(.nextUnscored, [.char("n")])]),
        group(.hPin, hint: .kPin, [(.pin, [.char("p")])]),
        group(.hBack, hint: .kBack, [(.back, [.escape])]),
        group(.hBoard, [(.board, [.char("b")])]),
        group(.hNewPermit, [(.newPermit, [.char("+")])]),
        group(.hEditProduct, [(.editProduct, [.char("e")])]),
        group(.hConflict, [(.declareConflict, [.char("!")])]),
    ]

    public static let board: [BindingGroup] = [
        group(.hDeliberate, hint: .kDeliberate, [(.deliberate, [.char("d")])]),
        group(.hFinalize, hint: .kFinalize, [(.finalize, [.char("f")])]),
        group(.hReopen, hint: .kReopen, [(.reopen, [.char("r")])]),
        group(.hBack, hint: .kBack, [(.back, [.escape, .char("b")])]),
    ]

    public static let curators: [BindingGroup] = [
        group(.hMove, hint: .kMove, hintKeys: "↑↓", [(.up, [.up, .char("k")]), (.down, [.down, .char("j")])]),
        group(.hTopBottom, [(.top, [.char("g"), .home]), (.bottom, [.char("G"), .end])]),
        group(.hChoose, hint: .kChoose, [(.open, [.enter])]),
        group(.hNewCurator, hint: .kNew, [(.newCurator, [.char("+")])]),
        group(.hBack, hint: .kBack, [(.back, [.escape])]),
    ]

    public static let producers: [BindingGroup] = [
        group(.hMove, [(.up, [.up, .char("k")]), (.down, [.down, .char("j")])]),
        group(.hPage, [(.pageUp, [.pageUp]), (.pageDown, [.pageDown])]),
        group(.hTopBottom, [(.top, [.char("g"), .home]), (.bottom, [.char("G"), .end])]),
        group(.hStatusTab, [(.nextCluster, [.tab]), (.previousCluster, [.backTab])]),
        group(.hFilterProducers, [(.filter, [.char("/")])]),
        group(.hValidate, hint: .kValidate, [(.validate, [.char("a")])]),
        group(.hReject, hint: .kReject, [(.reject, [.char("x")])]),
        group(.hMakePending, hint: .kMakePending, [(.makePending, [.char("z")])]),
        group(.hMark, hint: .kMark, [(.mark, [.char(" ")])]),
        group(.hOpenProducer, [(.open, [.enter])]),
        group(.hNextPending, hint: .kNextPending, [(.nextPending, [.char("n")])]),
        group(.hNewProduct, [(.newProduct, [.char("+")])]),
        group(.hBack, [(.back, [.escape])]),
    ]

    public static let producer: [BindingGroup] = [
        group(.hValidate, hint: .kValidate, [(.validate, [.char("a")])]),
        group(.hReject, hint: .kReject, [(.reject, [.char("x")])]),
        group(.hMakePending, hint: .kMakePending, [(.makePending, [.char("z")])]),
        group(.hNewProduct, hint: .kNew, [(.newProduct, [.char("+")])]),
        group(.hConflict, [(.declareConflict, [.char("!")])]),
        group(.hBack, hint: .kBack, [(.back, [.escape])]),
    ]

    public static let analysis: [BindingGroup] = [
        group(.hScroll, hint: .kScroll, hintKeys: "↑↓", [(.up, [.up, .char("k")]), (.down, [.down, .char("j")])]),
        group(.hPage, [(.pageUp, [.pageUp]), (.pageDown, [.pageDown])]),
        group(.hTopBottom, [(.top, [.char("g"), .home]), (.bottom, [.char("G"), .end])]),
        group(.hClusters, hint: .kCluster, [(.nextCluster, [.tab]), (.previousCluster, [.backTab])]),
        group(.hBack, hint: .kBack, [(.back, [.escape, .char("a")])]),
    ]

    public static let pairwise: [BindingGroup] = [
        group(.hPreferA, hint: .kPreferA, hintKeys: "1 ←", [(.preferA, [.char("1"), .left])]),
        group(.hPreferB, hint: .kPreferB, hintKeys: "2 →", [(.preferB, [.char("2"), .right])]),
        group(.hPreferSame, hint: .kPreferSame, hintKeys: "=", [(.preferSame, [.char("="), .char("0")])]),
        group(.hClusters, hint: .kCluster, [(.nextCluster, [.tab]), (.previousCluster, [.backTab])]),
        group(.hBack, hint: .kBack, [(.back, [.escape, .char("w")])]),
    ]

    public static let global: [BindingGroup] = [
        group(.hCurators, [(.curators, [.char("c")])]),
        group(.hUndo, [(.undo, [.char("u")])]),
        group(.hRedraw, [(.redraw, [.ctrl("l")])]),
        group(.hHelp, hint: .kHelp, [(.help, [.char("?")])]),
        group(.hQuit, hint: .kQuit, [(.quit, [.char("q"), .ctrl("c")])]),
    ]

    public static func table(_ screen: Screen) -> [BindingGroup] {
        switch screen {
        case .list: list
        case .detail: detail
        case .board: board
        case .curators: curators
        case .producers: producers
        case .producer: producer
        case .analysis: analysis
        case .pairwise: pairwise
        }
    }

    /// Whether `key` quits wherever it is typed (the global bindings' quit keys).
    static func quits(_ key: Key) -> Bool {
        global.contains { $0.bindings.contains { $0.action == .quit && $0.keys.contains(key) } }
    }

    /// The action a key performs on a screen: the screen's table first, then the shared one.
    public static func action(for key: Key, on screen: Screen) -> Action? {
        for group in table(screen) + global {
            for binding in group.bindings where binding.keys.contains(key) { return binding.action }
        }
        return nil
    }

    /// The hint line of a screen: the groups that matter there and do something now (`enabled`
    /// says which actions do, in the round's phase and for the active curator's role), then help
    /// and quit.
    public static func hints(_ screen: Screen, _ lang: Language, enabled: (Action) -> Bool = { _ in true }) -> [String] {
        (table(screen) + global).compactMap { g in
            guard g.bindings.contains(where: { enabled($0.action) }) else { return nil }
            return g.hint.map { "\(g.hintKeys ?? g.keys[0].label(lang)) \(tr($0, lang))" }
        }
    }
}
