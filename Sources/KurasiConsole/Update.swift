import KurasiCore

/// The console's one way of changing: a message in, the new state and the effects it asks for
/// out. Pure: no store, no clock, no terminal; the runtime performs the effects and answers with
/// messages.
public func update(_ state: inout State, _ msg: Msg) -> [Effect] {
    var effects = state.loading != nil ? state.updateLoading(msg) : receive(&state, msg)
    // The screen never shows a cluster whose ranking is missing: made now if a key got there
    // first; the missing ones are asked for behind the screen.
    if state.loading == nil {
        state.rankNeeded()
        effects += state.requestRankings()
    }
    // The list's rows on screen have their coverage counted here, once, not in every frame.
    if state.loading == nil, state.screen == .list { state.countCoverage(rows: state.layout.rows.height) }
    // The producers' list is made when its screen is first on view (and after the round changed
    // while it was away), however the screen was reached (its key, or Esc back from the board).
    if state.loading == nil, state.showsProducers, !state.producerList.isCurrent {
        state.prepareProducers()
        state.keepCursorVisible()
    }
    // The analysis on screen follows the round: once an edit (here or elsewhere) changes it, it is
    // computed again, one computation at a time.
    // (Keys typed while the round was loading may have opened it.)
    return state.loading == nil && state.screen == .analysis ? effects + state.requestAnalysis() : effects
}

func receive(_ state: inout State, _ msg: Msg) -> [Effect] {
    switch msg {
    case let .resize(width, height):
        state.layout = Layout(width: width, height: height)
        state.keepCursorVisible()
        return []
    case .tick:
        // One refresh at a time, and none while a commit is under way (it brings the latest round).
        guard state.pending == nil, !state.refreshing else { return [] }
        state.refreshing = true
        return [.refresh]
    case let .refreshed(round):
        state.refreshing = false
        guard let round else { return [] }
        if round.revision == state.round.revision {
            // The store read anew at the same revision (put back or recovered by hand): show the
            // round read, and let go of the one before (two whole rounds at province size).
            if !round.sharesProducts(with: state.round) {
                state.setRound(round, events: nil)
                state.keepCursorVisible()
            }
            return []
        }
        let since = round.revision > state.round.revision
            ? Array(round.events.reversed().prefix { $0.revision > state.round.revision }.reversed()) : nil
        state.setRound(round, events: since)
        state.keepCursorVisible()
        state.message = Message(text: tr(.updatedElsewhere, state.lang, round.revision), isWarning: false)
        return []
    case let .committed(answer):
        // Keys typed while the store was busy, in order, until one of them commits again.
        return state.committed(answer) + state.handleQueued()
    case let .key(key):
        if state.awaitingRanking != nil { return state.keyWhileRanking(key) }
        if state.pending != nil {
            state.enqueue(key)
            return []
        }
        return state.handle(key)
    case let .ranked(revision, made):
        state.ranked(revision: revision, made)
        // The keys that waited for it go on, in order (the first waits again if what it needs
        // is still missing: a ranking made for an older round is dropped and asked for again).
        guard state.awaitingRanking != nil else { return [] }
        state.awaitingRanking = nil
        return state.handleQueued()
    case let .analysed(revision, data):
        state.analysisRequested = nil
        state.analysis = data
        state.analysisRevision = revision
        state.analysisScroll = min(state.analysisScroll, state.analysisMaxScroll)
        return []
    case .loadProgress, .loaded, .loadFailed:
        return []  // only while loading (above)
    }
}

extension State {
    /// Ask for the analysis of the current round unless it is there or being computed.
    mutating func requestAnalysis() -> [Effect] {
        guard analysisRequested == nil, analysisRevision != round.revision else { return [] }
        analysisRequested = round.revision
        return [.analyse(revision: round.revision)]
    }
}

extension State {
    /// How many keys may wait for a slow store; more are dropped (a key held down, a cat on the keyboard).
    static let queueLimit = 256

    mutating func committed(_ answer: Committed) -> [Effect] {
        let pending = self.pending
        self.pending = nil
        switch answer {
        case let .saved(round, event):
            saveFailed = false
            setRound(round, events: event.map { [$0] } ?? [])
            if let event { message = Message(text: event.summary(lang), isWarning: false) }
            // Move on when the score stands, also when it was already that value.
            if pending?.advance == true, criterion < round.rubric.criteria.count - 1 { criterion += 1 }
            if pending?.clearsMarks == true { producerList.marked = [] }
            if pending?.closesForm == true { form = nil }
            if let first = pending?.signsIn, round.curator(first) != nil { curator = first }
            if screen == .pairwise { findPair() }
        case let .refused(refusal, latest):
            setRound(latest, events: nil)
            refuse(refusal)
            if screen == .pairwise { findPair() }
            if case let .invalidField(problem) = refusal { focusField(problem.field) }
        case let .failed(text):
            saveFailed = true
            message = Message(text: tr(.storeError, lang, text), isWarning: true)
        }
        keepCursorVisible()
        return []
    }

    mutating func handle(_ key: Key) -> [Effect] {
        // Nothing acts unseen: while the terminal is too small to show the screen, only quitting works.
        if layout.isTooSmall {
            return Keymap.quits(key) ? [.quit] : []
        }
        if showHelp {
            // `?` again turns to the symbols; any other key closes the help.
            if helpPage == 0, Keymap.action(for: key, on: screen) == .help { helpPage = 1 } else { showHelp = false; helpPage = 0 }
            return []
        }
        // The key before may have turned to a cluster not ranked yet (keys typed while the store
        // was busy are handled one after another in one update): ranked here when nothing ranks
        // behind the screen (it never is missing then).
        rankNeeded()
        // A key that needs a cluster still being ranked behind the screen waits for it, first in
        // the queue, and the screen says so; it is done once, when `Msg.ranked` brings it.
        if ranksBehind {
            let missing = clustersMissing(after: key)
            if !missing.isEmpty {
                awaitingRanking = missing
                queued.insert(key, at: 0)
                return []
            }
        }
        if form != nil { return handleForm(key) }
        if prompt != nil { return handlePrompt(key) }
        if screen == .producers, producerList.editingFilter {
            switch Self.editFilter(key, &producerList.filter, &producerList.editingFilter) {
            case .changed?: producerList.refilter(round); producerList.move(to: 0); keepCursorVisible(); return []
            case .kept?: return []
            case nil: break
            }
        }
        if screen == .list, list.editingFilter, let effects = handleFilter(key) { return effects }
        guard let action = Keymap.action(for: key, on: screen) else { return [] }
        return perform(action)
    }

    // MARK: Text input

    enum FilterEdit { case changed, kept }

    /// A key while a filter is being typed, the same on every screen that filters: Enter keeps
    /// it, Esc clears it, Backspace takes a character off, a character narrows, a movement key
    /// stops typing and goes to the screen (nil).
    static func editFilter(_ key: Key, _ text: inout String, _ editing: inout Bool) -> FilterEdit? {
        switch key {
        case .enter: editing = false; return .kept
        case .escape: editing = false; text = ""; return .changed
        case .backspace, .delete:
            guard !text.isEmpty else { return .kept }
            text.removeLast(); return .changed
        case let .char(c): text.append(c); return .changed
        case .up, .down, .pageUp, .pageDown: editing = false; return nil
        default: return .kept
        }
    }

    /// A key while the product list's filter is being typed; nil when the key is for the list.
    mutating func handleFilter(_ key: Key) -> [Effect]? {
        let narrowing: Bool = if case .char = key { true } else { false }
        switch Self.editFilter(key, &list.filter, &list.editingFilter) {
        case .changed?: refilter(); if narrowing { list.move(to: 0) }
        case .kept?: break
        case nil: return nil
        }
        keepCursorVisible()
        return []
    }

    mutating func handlePrompt(_ key: Key) -> [Effect] {
        guard var prompt else { return [] }
        if case let .confirm(command) = prompt.purpose {
            switch key {
            case .enter, .char("y"), .char("Y"):
                self.prompt = nil
                return commit(command)
            case .escape, .char("n"), .char("N"):
                self.prompt = nil
                message = Message(text: tr(.cancelled, lang), isWarning: false)
            default: break
            }
            return []
        }
        switch key {
        case .escape:
            self.prompt = nil
            message = Message(text: tr(.cancelled, lang), isWarning: false)
        case .backspace, .delete:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
            self.prompt = prompt
        case let .char(c):
            prompt.text.append(c); self.prompt = prompt
        case .enter:
            self.prompt = nil
            switch prompt.purpose {
            case let .pinReason(product): return commit(.pin(product: product, slot: nil, reason: prompt.text))
            case .reopenReason: return commit(.reopen(reason: prompt.text))
            case let .rejectReason(producers): return validate(producers, .rejected, reason: Self.rejectionReason(prompt.text))
            case let .confirm(command): return commit(command)
            }
        default: break
        }
        return []
    }

    mutating func handleForm(_ key: Key) -> [Effect] {
        guard var f = form else { return [] }
        let last = f.fields.count - 1
        switch key {
        case .escape:
            form = nil
            message = Message(text: tr(.cancelled, lang), isWarning: false)
            return []
        case .up, .backTab: f.focus = max(0, f.focus - 1)
        case .down, .tab: f.focus = min(last, f.focus + 1)
        case .left, .right:
            if f.fields[f.focus].isChoice {
                let n = f.fields[f.focus].choices.count
                f.fields[f.focus].chosen = (f.fields[f.focus].chosen + (key == .right ? 1 : n - 1)) % n
            }
        case .backspace, .delete:
            if !f.fields[f.focus].isChoice, !f.fields[f.focus].text.isEmpty { f.fields[f.focus].text.removeLast() }
        case let .char(c):
            if f.fields[f.focus].isChoice {
                if c == " " { f.fields[f.focus].chosen = (f.fields[f.focus].chosen + 1) % f.fields[f.focus].choices.count }
            } else {
                f.fields[f.focus].text.append(c)
            }
        case .enter where f.focus < last: f.focus += 1
        case .enter, .ctrl("s"):
            form = f
            return submitForm(f)
        default: break
        }
        form = f
        return []
    }

    mutating func submitForm(_ f: Form) -> [Effect] {
        switch f.command() {
        case let .success(command):
            // A new round has nobody to sign in as: its first curator adds themselves (the
            // domain lets the first curators of a round be added without a chair).
            if case let .addCurator(first) = command, activeCurator == nil, round.curators.isEmpty, seat == .shared {
                pending = PendingCommit(command: command, advance: false, closesForm: true, signsIn: first.id)
                return [.commit(command, by: first.id)]
            }
            let effects = commit(command)
            pending?.closesForm = true
            return effects
        case let .failure(problem):
            message = Message(text: problem.text(lang), isWarning: true)
            focusField(problem.field)
            return []
        }
    }

    /// Put the form's cursor on the field a problem names.
    mutating func focusField(_ name: String) {
        if let i = form?.fields.firstIndex(where: { $0.name == name }) { form?.focus = i }
    }

    // MARK: Actions

    /// Whether an action does something now, on this terminal, in the round's phase and for the
    /// active curator's role (the hint line shows only those).
    public func enables(_ action: Action) -> Bool {
        if seat == .projector, action.edits || action == .curators { return false }
        let chair = activeCurator?.role == .chair
        switch action {
        case .curators: return seat == .shared
        case .deliberate: return chair && round.phase == .open
        // Finalising asks for 5 + 5 pins: until then `f` only says so (the help still lists it).
        case .finalize: return chair && !round.isFinal
            && Cluster.allCases.allSatisfy { round.pins(in: $0).count == Round.pinSlots }
        case .reopen: return chair && round.isFinal
        // Pins are recorded by the chair or the secretary: a curator's `p` only says so (the help
        // still lists it). With nobody chosen yet, `p` asks for a curator first.
        case .pin: return activeCurator.map { $0.role.recordsPins } ?? true
        default: return true
        }
    }

    /// Ask on the screen before a command that changes the round's phase, once the rules allow
    /// it (a refusal is said at once, without asking first).
    mutating func confirm(_ command: Command) {
        guard let curator = requireCurator() else { return }
        // A dry run on a copy: every rule the store will apply, the chair's included.
        var trial = round
        do { _ = try trial.perform(command, by: curator.id, at: "") } catch {
            refuse(error); return
        }
        prompt = Prompt(purpose: .confirm(command))
    }

    mutating func perform(_ action: Action) -> [Effect] {
        if seat == .projector, action.edits || action == .curators {
            message = Message(text: tr(.readOnly, lang), isWarning: true)
            return []
        }
        switch action {
        case .quit: return [.quit]
        case .help: showHelp = true; helpPage = 0
        case .redraw:
            message = Message(text: tr(.redrawn, lang), isWarning: false)
            return [.redraw]
        case .curators:
            if seat == .personal {
                message = Message(text: tr(.curatorFixed, lang, activeCurator.map { "\($0.name) (\($0.id))" } ?? "–"), isWarning: false)
                return []
            }
            if screen != .curators { returnScreen = screen }
            pickerCursor = round.curators.firstIndex { $0.id == curator } ?? 0
            screen = .curators
        case .producers:
            screen = .producers
            prepareProducers()
            keepCursorVisible()
        case .newProduct:
            if screen == .producers, let p = producerList.selected(in: round) { form = .product(of: p.id) }
            if screen == .producer, let id = producerDetail { form = .product(of: id) }
        case .newPermit:
            if screen == .detail, let p = detail?.product { form = .permit(of: p.id) }
        case .editProduct:
            if screen == .detail, let p = detail?.product { form = .edit(p) }
        case .newCurator:
            let n = round.curators.compactMap { $0.id.rawValue.hasPrefix("K") ? Int($0.id.rawValue.dropFirst()) : nil }.max() ?? 0
            form = .curator(next: CuratorID("K\(n + 1)"))
        case .board:
            if screen != .board { returnScreen = screen == .curators ? .list : screen }
            screen = .board
        case .analysis:
            screen = .analysis
            analysisScroll = 0
            return requestAnalysis()
        case .pairwise:
            guard requireCurator() != nil else { return [] }
            screen = .pairwise
            findPair()
        case .preferA, .preferB, .preferSame:
            guard screen == .pairwise, let pair, pair.count == 2 else { return [] }
            let prefer: Comparison.Preference = action == .preferA ? .a : action == .preferB ? .b : .same
            return commit(.fairness(.compare(pair[0], pair[1], prefer: prefer)))
        case .undo: return commit(.undo)
        case .finalize: confirm(.finalize)
        case .deliberate: confirm(.openDeliberation)
        case .declareConflict:
            let producer: ProducerID? = switch screen {
            case .detail: detail?.product.producer
            case .producer: producerDetail
            case .producers: producerList.selected(in: round)?.id
            default: nil
            }
            if let producer, let me = requireCurator() { form = .conflict(curator: me.id, producer: producer) }
        case .reopen:
            guard round.isFinal else { refuse(.notFinal); return [] }
            guard activeCurator?.role == .chair else { refuse(.chairOnly(curator: curator ?? "–")); return [] }
            prompt = Prompt(purpose: .reopenReason)
        case .back:
            switch screen {
            case .detail: screen = .list
            case .board:
                // The projector stays on the board unless asked to show the list.
                screen = returnScreen == .board ? .list : returnScreen
            case .curators: if curator != nil { screen = returnScreen == .curators ? .list : returnScreen }
            case .list:
                if !list.filter.isEmpty { list.filter = ""; refilter(); keepCursorVisible() }
            case .producers:
                // Esc first lets go of the marks, then clears the filter, then leaves.
                if !producerList.marked.isEmpty { producerList.marked = [] }
                else if !producerList.filter.isEmpty { producerList.filter = ""; producerList.refilter(round); keepCursorVisible() }
                else { screen = .list }
            case .producer: screen = .producers
            case .analysis, .pairwise: screen = .list
            }
        default:
            switch screen {
            case .list: return listAction(action)
            case .detail: return detailAction(action)
            case .curators: pickerAction(action)
            case .producers: return producersAction(action)
            case .producer: return producerAction(action)
            case .analysis: analysisAction(action)
            case .pairwise:
                if action == .nextCluster || action == .previousCluster {
                    list.cluster = list.cluster == .mamin ? .nonMamin : .mamin
                    findPair()
                }
            case .board: break
            }
        }
        return []
    }

    mutating func listAction(_ action: Action) -> [Effect] {
        var effects: [Effect] = []
        let page = layout.page
        switch action {
        case .up: list.move(to: selectedIndex - 1)
        case .down: list.move(to: selectedIndex + 1)
        case .pageUp: list.move(to: selectedIndex - page)
        case .pageDown: list.move(to: selectedIndex + page)
        case .top: list.move(to: 0)
        case .bottom: list.move(to: visibleRows.count - 1)
        case .nextCluster, .previousCluster:
            list.cluster = list.cluster == .mamin ? .nonMamin : .mamin
        case .filter: list.editingFilter = true
        case .sort:
            let all = Sort.allCases
            list.sort = all[(all.firstIndex(of: list.sort)! + 1) % all.count]
            refilter()
        case .open:
            if let row = selected { openDetail(row.product.id) }
        case .nextUnscored: nextUnscored(open: false)
        case .pin:
            if let row = selected { effects = togglePin(row.product.id) }
        default: break
        }
        keepCursorVisible()
        return effects
    }

    mutating func detailAction(_ action: Action) -> [Effect] {
        guard let product = detail?.product else { screen = .list; return [] }
        let criteria = round.rubric.criteria
        switch action {
        case .up: criterion = max(0, criterion - 1)
        case .down: criterion = min(criteria.count - 1, criterion + 1)
        case let .score(n):
            return commit(.score(product: product.id, points: [criteria[criterion].id: n]), advance: true)
        case .clear:
            return commit(.score(product: product.id, points: [criteria[criterion].id: nil]))
        case .previousProduct, .nextProduct:
            guard let rows = rows[product.cluster] else { return [] }
            guard let i = rows.firstIndex(where: { $0.product.id == product.id }) else { return [] }
            let j = action == .nextProduct ? min(rows.count - 1, i + 1) : max(0, i - 1)
            openDetail(rows[j].product.id)
        case .nextUnscored: nextUnscored(open: true)
        case .pin: return togglePin(product.id)
        default: break
        }
        return []
    }

    mutating func producersAction(_ action: Action) -> [Effect] {
        var effects: [Effect] = []
        let page = layout.page, cursor = producerList.cursor
        switch action {
        case .filter: producerList.editingFilter = true
        case .up: producerList.move(to: cursor - 1)
        case .down: producerList.move(to: cursor + 1)
        case .pageUp: producerList.move(to: cursor - page)
        case .pageDown: producerList.move(to: cursor + page)
        case .top: producerList.move(to: 0)
        case .bottom: producerList.move(to: producerList.rows.count - 1)
        case .nextCluster, .previousCluster:
            let all = ProducerTab.allCases
            let i = all.firstIndex(of: producerList.tab)! + (action == .nextCluster ? 1 : all.count - 1)
            producerList.tab = all[i % all.count]
            producerList.refilter(round)
            producerList.move(to: 0)
        case .mark:
            if let p = producerList.selected(in: round) {
                if producerList.marked.remove(p.id) == nil { producerList.marked.insert(p.id) }
                producerList.move(to: cursor + 1)
            }
        case .nextPending:
            let rows = producerList.rows
            let next = rows.indices.dropFirst(cursor + 1).first { round.producers[rows[$0]].validation.status == .pending }
            if let next { producerList.move(to: next) } else { message = Message(text: tr(.nothingPending, lang), isWarning: false) }
        case .open:
            if let p = producerList.selected(in: round) { producerDetail = p.id; screen = .producer }
        case .validate: effects = validate(producerList.targets(in: round), .valid)
        case .makePending: effects = validate(producerList.targets(in: round), .pending)
        case .reject:
            let targets = producerList.targets(in: round)
            if !targets.isEmpty, requireCurator() != nil { prompt = Prompt(purpose: .rejectReason(producers: targets)) }
        default: break
        }
        keepCursorVisible()
        return effects
    }

    /// The analysis screen scrolls; Tab shows the other cluster's chances and ranks.
    mutating func analysisAction(_ action: Action) {
        let page = max(1, layout.body.height - 2)
        switch action {
        case .up: analysisScroll -= 1
        case .down: analysisScroll += 1
        case .pageUp: analysisScroll -= page
        case .pageDown: analysisScroll += page
        case .top: analysisScroll = 0
        case .bottom: analysisScroll = .max
        case .nextCluster, .previousCluster:
            list.cluster = list.cluster == .mamin ? .nonMamin : .mamin
        default: break
        }
        analysisScroll = max(0, min(analysisScroll, analysisMaxScroll))
    }

    /// The next pair at the cut line of the list's cluster for the active curator to compare
    /// (KurasiCore's choice: the least compared, then the closest in strength).
    mutating func findPair() {
        // On the console's own ranking of the cluster (kept current edit by edit): no ranking here.
        guard let me = curator, let next = round.nextPair(list.cluster, for: me, ranked: rankings[list.cluster] ?? round.ranking(list.cluster))
        else { pair = nil; return }
        pair = [next.0, next.1]
    }

    /// The producer screen: the keys decide about this one producer, whatever is marked.
    mutating func producerAction(_ action: Action) -> [Effect] {
        guard let id = producerDetail, round.producer(id) != nil else { screen = .producers; return [] }
        switch action {
        case .validate: return validate([id], .valid)
        case .makePending: return validate([id], .pending)
        case .reject:
            if requireCurator() != nil { prompt = Prompt(purpose: .rejectReason(producers: [id])) }
        default: break
        }
        return []
    }

    /// Validate, reject or return producers to pending: one producer, or the marked ones as one event.
    mutating func validate(_ producers: [ProducerID], _ status: ValidationStatus, reason: String? = nil) -> [Effect] {
        guard !producers.isEmpty else { return [] }
        let command: Command = producers.count == 1
            ? .validate(producer: producers[0], status: status, reason: reason)
            : .validateMany(producers.map { ValidationDecision(producer: $0, status: status, reason: reason) })
        let effects = commit(command)
        pending?.clearsMarks = screen == .producers && (producers.count > 1 || !producerList.marked.isEmpty)
        return effects
    }

    /// A rejection reason as typed in the prompt: 1, 2 or 3 for the standard ones, else the text
    /// ("duplikat dari U-0102" and the standard texts are recognised).
    static func rejectionReason(_ text: String) -> String {
        switch String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) {
        case "1": RejectionReason.notFound.stored
        case "2": RejectionReason.closed.stored
        case "3": RejectionReason.notProducer.stored
        case "": ""
        default: RejectionReason.parse(text).stored
        }
    }

    mutating func pickerAction(_ action: Action) {
        let count = round.curators.count
        switch action {
        case .up: pickerCursor = max(0, pickerCursor - 1)
        case .down: pickerCursor = min(count - 1, pickerCursor + 1)
        case .top: pickerCursor = 0
        case .bottom: pickerCursor = max(0, count - 1)
        case .open:
            guard round.curators.indices.contains(pickerCursor) else { return }
            let c = round.curators[pickerCursor]
            let changed = curator != c.id
            curator = c.id
            // While scoring is blind the list's order depends on who looks ("not yet scored by me"
            // first, then the products they may see by rank): made again for the new curator.
            if changed { refilter() }
            screen = returnScreen == .curators ? .list : returnScreen
            // The title bar names the active curator; the status line does not repeat it.
            message = nil
        default: break
        }
    }

    // MARK: Helpers

    mutating func keepCursorVisible() {
        list.keepCursorVisible(rows: layout.rows.height)
        producerList.keepCursorVisible(rows: layout.rows.height)
    }

    mutating func openDetail(_ id: ProductID) {
        detailProduct = id
        if let p = round.product(id) { list.select(id, in: p.cluster) }
        criterion = firstOpenCriterion(id)
        screen = .detail
        keepCursorVisible()
    }

    /// The first criterion the active curator has not scored on this product (else the first).
    func firstOpenCriterion(_ product: ProductID) -> Int {
        guard let c = curator else { return 0 }
        let sheet = round.sheet(product: product, curator: c)
        return round.rubric.criteria.firstIndex { sheet[$0.id] == nil } ?? 0
    }

    mutating func nextUnscored(open: Bool) {
        guard let curator = requireCurator() else { return }
        let rows = visibleRows
        guard !rows.isEmpty else { return }
        let start = open ? (rows.firstIndex { $0.product.id == detailProduct } ?? selectedIndex) : selectedIndex
        for step in 1...rows.count {
            let r = rows[(start + step) % rows.count]
            if curator.isRecused(from: r.product.producer) { continue }
            if !round.isComplete(round.sheet(product: r.product.id, curator: curator.id)) {
                if open { openDetail(r.product.id) } else { list.move(to: (start + step) % rows.count); keepCursorVisible() }
                return
            }
        }
        message = Message(text: tr(.nothingUnscored, lang), isWarning: false)
    }

    mutating func togglePin(_ product: ProductID) -> [Effect] {
        guard let curator = requireCurator() else { return [] }
        if round.pin(of: product) != nil { return commit(.unpin(product: product)) }
        // Ask for a reason only when the rules would ask for one, and only then: read from the
        // console's own ranking of the product's cluster (kept up to date with the round; the
        // list or the detail the key came from shows it), not by ranking the cluster again here
        // on the screen's thread.
        let ranking = round.product(product).flatMap { rankings[$0.cluster] }
        do { _ = try round.plan(.pin(product: product, slot: nil, reason: nil), by: curator.id, at: "", ranking: ranking) } catch {
            if case .reasonRequired = error {
                prompt = Prompt(purpose: .pinReason(product: product))
                return []
            }
        }
        return commit(.pin(product: product, slot: nil, reason: nil))
    }

    mutating func requireCurator() -> Curator? {
        if let c = activeCurator { return c }
        message = Message(text: tr(seat == .projector ? .readOnly : .chooseCuratorFirst, lang), isWarning: true)
        return nil
    }

    mutating func refuse(_ refusal: Refusal) {
        // What to do, in the console's terms: a key, never a command-line flag.
        message = Message(text: refusal.text(lang, naming: { tr($0.onConsole, lang) }), isWarning: true)
    }

    /// Ask the store to apply a command as the active curator; the answer comes as `.committed`.
    mutating func commit(_ command: Command, advance: Bool = false) -> [Effect] {
        guard let curator = requireCurator() else { return [] }
        pending = PendingCommit(command: command, advance: advance)
        return [.commit(command, by: curator.id)]
    }
}

extension State {
    /// Queue a key for after the pending commit, within the limit.
    mutating func enqueue(_ key: Key) {
        if queued.count < Self.queueLimit { queued.append(key) }
    }

    /// Handle the keys that waited, in order, until one of them commits or waits for a ranking.
    mutating func handleQueued() -> [Effect] {
        var effects: [Effect] = []
        while pending == nil, awaitingRanking == nil, !queued.isEmpty { effects += handle(queued.removeFirst()) }
        return effects
    }

    /// A key while an earlier one waits for a cluster's ranking: q quits at once (unless the keys
    /// before it start typing a filter, where it is a letter); Esc lets go of the waiting keys and
    /// stays where it is; any other key waits behind them.
    mutating func keyWhileRanking(_ key: Key) -> [Effect] {
        if Keymap.quits(key), !queuedKeysMayType { return [.quit] }
        if key == .escape {
            queued = []
            awaitingRanking = nil
            message = Message(text: tr(.cancelled, lang), isWarning: false)
            return []
        }
        enqueue(key)
        return []
    }

    /// Whether the waiting keys may have started text input by the time a new key's turn comes:
    /// the first one starts a filter, or a character key follows it (which may open a filter, a
    /// form or a prompt on the screen it leads to).
    private var queuedKeysMayType: Bool {
        guard let first = queued.first else { return false }
        if Keymap.action(for: first, on: screen) == .filter { return true }
        return queued.dropFirst().contains { if case .char = $0 { true } else { false } }
    }
}
