import KurasiCore

/// The console: a State, the source its edits go to, and the reducer that turns keys into new
/// states. The curses backend feeds it keys and draws what `render` returns.
public final class ConsoleApp {
    public private(set) var state: State
    let source: any RoundSource

    public init(source: any RoundSource, lang: Language, curator: String?) {
        self.source = source
        state = State(round: source.round, lang: lang, curator: curator)
    }

    public var isFinished: Bool { state.finished }

    /// Whether the backend should clear the terminal before the next draw (Ctrl-L); reading it resets it.
    public func takeRedrawRequest() -> Bool {
        defer { state.redrawRequested = false }
        return state.redrawRequested
    }

    public func render(width: Int, height: Int) -> Canvas {
        if width != state.width || height != state.height { handle(.resize(width: width, height: height)) }
        return View.render(state)
    }

    /// Pick up other terminals' edits.
    public func tick() {
        if source.refresh() {
            state.setRound(source.round)
            state.message = Message(text: tr(.updatedElsewhere, state.lang, source.round.revision), isWarning: false)
        }
    }

    public func handle(_ key: Key) {
        if case let .resize(w, h) = key {
            state.width = max(1, w); state.height = max(1, h)
            keepCursorVisible()
            return
        }
        if state.showHelp { state.showHelp = false; return }
        if state.prompt != nil { handlePrompt(key); return }
        if state.editingFilter { handleFilter(key); return }
        guard let action = Keymap.action(for: key, on: state.screen) else { return }
        perform(action)
    }

    // MARK: Text input

    func handleFilter(_ key: Key) {
        switch key {
        case .enter: state.editingFilter = false
        case .escape: state.editingFilter = false; state.filter = ""; state.refilter()
        case .backspace, .delete: if !state.filter.isEmpty { state.filter.removeLast(); state.refilter() }
        case let .char(c): state.filter.append(c); state.refilter(); state.cursor[state.cluster] = 0
        case .up, .down, .pageUp, .pageDown:
            state.editingFilter = false
            handle(key)
        default: break
        }
        keepCursorVisible()
    }

    func handlePrompt(_ key: Key) {
        guard var prompt = state.prompt else { return }
        switch key {
        case .escape:
            state.prompt = nil
            state.message = Message(text: tr(.cancelled, state.lang), isWarning: false)
        case .backspace, .delete:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
            state.prompt = prompt
        case let .char(c):
            prompt.text.append(c); state.prompt = prompt
        case .enter:
            state.prompt = nil
            switch prompt.purpose {
            case let .pinReason(product): commit(.pin(product: product, slot: nil, reason: prompt.text))
            case .reopenReason: commit(.reopen(reason: prompt.text))
            }
        default: break
        }
    }

    // MARK: Actions

    func perform(_ action: Action) {
        switch action {
        case .quit: state.finished = true
        case .help: state.showHelp = true
        case .redraw:
            state.redrawRequested = true
            state.message = Message(text: tr(.redrawn, state.lang), isWarning: false)
        case .curators:
            if state.screen != .curators { state.returnScreen = state.screen }
            state.pickerCursor = state.round.curators.firstIndex { $0.id == state.curator } ?? 0
            state.screen = .curators
        case .board:
            if state.screen != .board { state.returnScreen = state.screen == .curators ? .list : state.screen }
            state.screen = .board
        case .undo: commit(.undo)
        case .finalize: commit(.finalize)
        case .reopen:
            guard state.round.isFinal else { return refuse(.notFinal) }
            guard state.activeCurator?.role == .chair else { return refuse(.chairOnly(curator: state.curator ?? "–")) }
            state.prompt = Prompt(purpose: .reopenReason)
        case .back:
            switch state.screen {
            case .detail: state.screen = .list
            case .board: state.screen = state.returnScreen == .board ? .list : state.returnScreen
            case .curators: if state.curator != nil { state.screen = state.returnScreen == .curators ? .list : state.returnScreen }
            case .list:
                if !state.filter.isEmpty { state.filter = ""; state.refilter(); keepCursorVisible() }
            }
        default:
            switch state.screen {
            case .list: listAction(action)
            case .detail: detailAction(action)
            case .curators: pickerAction(action)
            case .board: break
            }
        }
    }

    func listAction(_ action: Action) {
        let count = state.visibleRows.count
        let page = max(1, state.listHeight - 1)
        switch action {
        case .up: move(to: state.selectedIndex - 1)
        case .down: move(to: state.selectedIndex + 1)
        case .pageUp: move(to: state.selectedIndex - page)
        case .pageDown: move(to: state.selectedIndex + page)
        case .top: move(to: 0)
        case .bottom: move(to: count - 1)
        case .nextCluster, .previousCluster:
            state.cluster = state.cluster == .mamin ? .nonMamin : .mamin
        case .filter: state.editingFilter = true
        case .sort:
            let all = Sort.allCases
            state.sort = all[(all.firstIndex(of: state.sort)! + 1) % all.count]
            state.refilter()
        case .open:
            guard let row = state.selected else { return }
            openDetail(row.product.id)
        case .nextUnscored: nextUnscored(open: false)
        case .pin:
            guard let row = state.selected else { return }
            togglePin(row.product.id)
        default: break
        }
        keepCursorVisible()
    }

    func detailAction(_ action: Action) {
        guard let product = state.detail?.product else { state.screen = .list; return }
        let criteria = state.round.rubric.criteria
        switch action {
        case .up: state.criterion = max(0, state.criterion - 1)
        case .down: state.criterion = min(criteria.count - 1, state.criterion + 1)
        case let .score(n):
            guard let curator = requireCurator() else { return }
            _ = curator
            let criterion = criteria[state.criterion].id
            // Move on when the score stands, also when it was already that value.
            if commit(.score(product: product.id, points: [criterion: n])) != .failed {
                if state.criterion < criteria.count - 1 { state.criterion += 1 }
            }
        case .clear:
            guard requireCurator() != nil else { return }
            commit(.score(product: product.id, points: [criteria[state.criterion].id: nil]))
        case .previousProduct, .nextProduct:
            guard let rows = state.rows[product.cluster] else { return }
            guard let i = rows.firstIndex(where: { $0.product.id == product.id }) else { return }
            let j = action == .nextProduct ? min(rows.count - 1, i + 1) : max(0, i - 1)
            openDetail(rows[j].product.id)
        case .nextUnscored: nextUnscored(open: true)
        case .pin: togglePin(product.id)
        default: break
        }
    }

    func pickerAction(_ action: Action) {
        let count = state.round.curators.count
        switch action {
        case .up: state.pickerCursor = max(0, state.pickerCursor - 1)
        case .down: state.pickerCursor = min(count - 1, state.pickerCursor + 1)
        case .open:
            guard state.round.curators.indices.contains(state.pickerCursor) else { return }
            let c = state.round.curators[state.pickerCursor]
            state.curator = c.id
            state.screen = state.returnScreen == .curators ? .list : state.returnScreen
            state.message = Message(text: tr(.activeCurator, state.lang, "\(c.name) (\(c.id))"), isWarning: false)
        default: break
        }
    }

    // MARK: Helpers

    func move(to index: Int) {
        let count = state.visibleRows.count
        state.cursor[state.cluster] = max(0, min(count - 1, index))
    }

    func keepCursorVisible() {
        for cluster in Cluster.allCases {
            let count = state.rows[cluster]?.count ?? 0
            let h = state.listHeight
            let c = max(0, min(state.cursor[cluster] ?? 0, count - 1))
            var top = state.top[cluster] ?? 0
            if c < top { top = c }
            if c >= top + h { top = c - h + 1 }
            top = max(0, min(top, max(0, count - h)))
            state.top[cluster] = top
            state.cursor[cluster] = c
        }
    }

    func openDetail(_ id: String) {
        state.detailProduct = id
        if let p = state.round.product(id) {
            state.cluster = p.cluster
            if let i = state.visibleRows.firstIndex(where: { $0.product.id == id }) { state.cursor[p.cluster] = i }
        }
        state.criterion = firstOpenCriterion(id)
        state.screen = .detail
        keepCursorVisible()
    }

    /// The first criterion the active curator has not scored on this product (else the first).
    func firstOpenCriterion(_ product: String) -> Int {
        guard let c = state.curator else { return 0 }
        let sheet = state.round.sheet(product: product, curator: c)
        return state.round.rubric.criteria.firstIndex { sheet[$0.id] == nil } ?? 0
    }

    func nextUnscored(open: Bool) {
        guard let curator = requireCurator() else { return }
        let rows = state.visibleRows
        guard !rows.isEmpty else { return }
        let start = open ? (rows.firstIndex { $0.product.id == state.detailProduct } ?? state.selectedIndex) : state.selectedIndex
        for step in 1...rows.count {
            let r = rows[(start + step) % rows.count]
            if curator.isRecused(from: r.product.producer) { continue }
            if !state.round.isComplete(state.round.sheet(product: r.product.id, curator: curator.id)) {
                if open { openDetail(r.product.id) } else { move(to: (start + step) % rows.count); keepCursorVisible() }
                return
            }
        }
        state.message = Message(text: tr(.nothingUnscored, state.lang), isWarning: false)
    }

    func togglePin(_ product: String) {
        guard requireCurator() != nil else { return }
        if state.round.pin(of: product) != nil { commit(.unpin(product: product)); return }
        // Ask for a reason only when the rules would ask for one, and only then.
        if case .failure(.reasonRequired)? = plan(.pin(product: product, slot: nil, reason: nil)) {
            state.prompt = Prompt(purpose: .pinReason(product: product))
            return
        }
        commit(.pin(product: product, slot: nil, reason: nil))
    }

    func plan(_ command: Command) -> Result<Void, Refusal>? {
        guard let c = state.curator else { return nil }
        do { _ = try state.round.plan(command, by: c, at: ""); return .success(()) } catch { return .failure(error) }
    }

    func requireCurator() -> Curator? {
        if let c = state.activeCurator { return c }
        state.message = Message(text: tr(.chooseCuratorFirst, state.lang), isWarning: true)
        return nil
    }

    func refuse(_ refusal: Refusal) {
        state.message = Message(text: refusal.text(state.lang), isWarning: true)
    }

    enum Outcome { case changed, unchanged, failed }

    /// Send a command to the source; show what happened.
    @discardableResult
    func commit(_ command: Command) -> Outcome {
        guard let curator = requireCurator() else { return .failed }
        switch source.commit(command, by: curator.id) {
        case let .success(event):
            state.saveFailed = false
            state.setRound(source.round)
            keepCursorVisible()
            if let event { state.message = Message(text: event.summary(state.lang), isWarning: false) }
            return event == nil ? .unchanged : .changed
        case let .failure(.refused(refusal)):
            state.setRound(source.round)  // the refusal may come from a newer round than ours
            refuse(refusal)
            return .failed
        case let .failure(.store(text)):
            state.saveFailed = true
            state.message = Message(text: tr(.storeError, state.lang, text), isWarning: true)
            return .failed
        }
    }

    /// Show a message on the status line (e.g. a warning from opening the store).
    public func notify(_ text: String, warning: Bool) {
        state.message = Message(text: text, isWarning: warning)
    }
}
