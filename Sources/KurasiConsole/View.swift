import KurasiCore

/// Renders a State into a Canvas. Pure: the same state always gives the same cells. Only the
/// rows on screen are drawn, whatever the number of products.
public enum View {
    public static func render(_ s: State) -> Canvas {
        var c = Canvas(width: s.width, height: s.height)
        if s.isTooSmall {
            let text = tr(.tooSmall, s.lang, s.width, s.height, State.minWidth, State.minHeight)
            c.put(text, x: 0, y: max(0, s.height / 2), style: .warning)
            return c
        }
        if s.showHelp { help(s, &c); return c }
        switch s.screen {
        case .list: list(s, &c)
        case .detail: detail(s, &c)
        case .board: board(s, &c)
        case .curators: picker(s, &c)
        }
        footer(s, &c)
        return c
    }

    // MARK: Shared parts

    static func titleBar(_ s: State, _ c: inout Canvas, left: String) {
        c.clear(row: 0, style: .reverse)
        let who = s.activeCurator.map { tr(.curatorLabel, s.lang, "\($0.name) (\($0.id))") } ?? tr(.noCurator, s.lang)
        let right = " \(who) "
        let rightWidth = right.columns
        c.put(" " + left.clipped(to: max(0, s.width - rightWidth - 2)), x: 0, y: 0, style: [.reverse, .bold])
        c.put(right, x: max(0, s.width - rightWidth), y: 0, style: .reverse)
    }

    /// The hint line (keys that matter here) and the status line (saved state, revision, message).
    static func footer(_ s: State, _ c: inout Canvas) {
        let hintRow = s.height - 2, statusRow = s.height - 1
        c.clear(row: hintRow); c.clear(row: statusRow)
        if let prompt = s.prompt {
            let label: String = switch prompt.purpose {
            case let .pinReason(product): tr(.promptPinReason, s.lang, product)
            case .reopenReason: tr(.promptReopenReason, s.lang)
            }
            let used = c.put(" " + label, x: 0, y: hintRow, style: .bold)
            // Show the end of a long answer so the cursor stays in view.
            var text = prompt.text + "▏"
            while text.columns > s.width - used - 1, !text.isEmpty { text.removeFirst() }
            c.put(text, x: used, y: hintRow, style: .underline)
            c.put(" " + tr(.promptHint, s.lang), x: 0, y: statusRow, style: .dim)
            return
        }
        let saved = s.saveFailed ? tr(.notSaved, s.lang) : tr(.saved, s.lang)
        let status = s.round.isFinal ? tr(.finalBadge, s.lang) : tr(.openBadge, s.lang)
        let head = " \(saved) · \(tr(.revision, s.lang, s.round.revision)) · \(status)"
        // A refusal says why and what to do; it takes the hint line too, so it is read whole.
        if let m = s.message, m.isWarning, (head + " · " + m.text).columns > s.width {
            let lines = m.text.wrapped(to: s.width - 2)
            c.put(" " + (lines.first ?? ""), x: 0, y: hintRow, style: .warning)
            c.put(" " + lines.dropFirst().joined(separator: " "), x: 0, y: statusRow, style: .warning)
            return
        }
        // As many hints as fit whole; help and quit are last and always reachable through `?`.
        var hint = ""
        for h in Keymap.hints(s.screen, s.lang) {
            let next = hint.isEmpty ? " " + h : hint + "  " + h
            if next.columns > s.width { break }
            hint = next
        }
        c.put(hint, x: 0, y: hintRow, style: .dim)
        let used = c.put(head, x: 0, y: statusRow, style: s.saveFailed ? .warning : [])
        if let m = s.message {
            c.put(" · " + m.text, x: used, y: statusRow, style: m.isWarning ? .warning : [])
        }
    }

    // MARK: Product list

    struct Columns {
        var rank = 3, id = 6, name = 20, producer = 16, kelurahan = 0, score = 5, count = 3, mark = 1, pin = 7
        /// `idWidth` and `countWidth` grow with the round (P-00001 at province size, 20/20 curators),
        /// so that neither an id nor a count is ever cut.
        init(width: Int, idWidth: Int = 6, countWidth: Int = 3) {
            id = max(id, idWidth); count = max(count, countWidth)
            let fixed = 1 + rank + 1 + id + 1 + 1 + score + 1 + count + mark + 1 + pin
            var flex = max(12, width - fixed - 2)
            if flex >= 40 { kelurahan = min(16, flex / 4); flex -= kelurahan + 1 }
            name = max(6, flex * 55 / 100)
            producer = max(4, flex - name - 1)
        }
    }

    static func list(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: "\(tr(.appName, s.lang)) · \(s.round.round.title)")
        let listWidth = s.hasSidePane ? s.width * 58 / 100 : s.width
        // Tabs, sort and filter.
        var x = 1
        for cluster in Cluster.allCases {
            let total = s.rankings[cluster]?.count ?? 0
            // With a filter, each tab says how many match, so a match in the other cluster shows.
            let label = s.filter.isEmpty ? "\(cluster.label(s.lang)) \(total)"
                : "\(cluster.label(s.lang)) \(s.rows[cluster]?.count ?? 0)/\(total)"
            let active = cluster == s.cluster
            x += c.put(active ? "[ \(label) ]" : "  \(label)  ", x: x, y: 1, style: active ? [.bold, .accent] : .dim) + 1
        }
        var right = tr(.sortLabel, s.lang, tr(s.sort.label, s.lang))
        if s.editingFilter { right += "   " + tr(.filterEditing, s.lang, s.filter) }
        else if !s.filter.isEmpty { right += "   " + tr(.filterLabel, s.lang, s.filter) }
        let rightText = right.clipped(to: max(0, listWidth - x - 2))
        c.put(rightText, x: max(x, listWidth - rightText.columns - 1), y: 1, style: s.editingFilter ? .bold : [])

        let col = Columns(width: listWidth, idWidth: s.idWidth,
                          countWidth: "\(s.round.curators.count)/\(s.round.curators.count)".count)
        var header = " " + tr(.colRank, s.lang).padded(to: col.rank, right: true) + " " + tr(.colID, s.lang).padded(to: col.id)
        header += " " + tr(.colProduct, s.lang).padded(to: col.name) + " " + tr(.colProducer, s.lang).padded(to: col.producer)
        if col.kelurahan > 0 { header += " " + tr(.colKelurahan, s.lang).padded(to: col.kelurahan) }
        header += " " + tr(.colScore, s.lang).padded(to: col.score, right: true) + " " + tr(.colCurators, s.lang).padded(to: col.count, right: true)
        header += "  " + tr(.colPin, s.lang)
        c.put(header, x: 0, y: 2, limit: listWidth, style: .bold)

        let rows = s.visibleRows
        let top = s.top[s.cluster] ?? 0
        if rows.isEmpty {
            let text = s.filter.isEmpty ? tr(.emptyList, s.lang) : tr(.emptyFilter, s.lang, s.filter)
            c.put(" " + text, x: 0, y: 3, limit: listWidth, style: .dim)
        }
        for i in 0..<s.listHeight {
            let index = top + i
            guard index < rows.count else { break }
            let r = rows[index]
            let y = 3 + i
            c.put(row(s, r, col), x: 0, y: y, limit: listWidth)
            if index == s.selectedIndex { c.style(row: y, count: listWidth, .reverse) }
            else if !r.eligible { c.style(row: y, count: listWidth, .dim) }
        }
        if s.hasSidePane {
            for y in 1..<(s.height - 2) { c.put("│", x: listWidth, y: y, style: .dim) }
            if let r = s.selected { sidePane(s, r, &c, x: listWidth + 2, width: s.width - listWidth - 3) }
        } else {
            let y = s.height - 5
            c.put(String(repeating: "─", count: s.width), x: 0, y: y, style: .dim)
            if let r = s.selected { strip(s, r, &c, y: y + 1) }
        }
    }

    static func row(_ s: State, _ r: RankedProduct, _ col: Columns) -> String {
        let producer = s.round.producer(r.product.producer)
        let reveal = s.revealsScores(of: r.product)
        let a = r.aggregate
        let score = reveal ? fmt(a.score) : "?"
        let coverage = s.round.coverage(r.product)
        let disputed = reveal && a.count > 1 && a.spread >= s.round.round.settings.disagreementThreshold
        let pin: String = if let slot = r.pinnedSlot { "★\(slot)" }
            else if let why = r.ineligibility.first { "⊘ \(why.mark)" }
            else { "" }
        var line = " " + (r.rank.map(String.init) ?? "–").padded(to: col.rank, right: true) + " " + r.product.id.padded(to: col.id)
        line += " " + r.product.name.padded(to: col.name) + " " + (producer?.name ?? "").padded(to: col.producer)
        if col.kelurahan > 0 { line += " " + (producer?.kelurahan ?? "").padded(to: col.kelurahan) }
        line += " " + score.padded(to: col.score, right: true) + " " + "\(coverage.scored)/\(coverage.possible)".padded(to: col.count, right: true)
        line += (disputed ? "⚑" : " ") + " " + pin
        return line
    }

    /// Two lines about the selected product under the list (narrow terminals).
    static func strip(_ s: State, _ r: RankedProduct, _ c: inout Canvas, y: Int) {
        let p = r.product
        let producer = s.round.producer(p.producer)
        var first = [producer?.name ?? p.producer]
        if let pr = producer { first.append("\(pr.kelurahan), \(pr.kecamatan)") }
        first.append(permitsText(s, p))
        c.put(" " + first.joined(separator: " · "), x: 0, y: y)
        var second: [String] = []
        if let price = p.price { second.append(tr(.price, s.lang, rupiah(price))) }
        if let cap = p.capacity { second.append(tr(.capacityPerMonth, s.lang, rupiah(cap.amount), cap.unit)) }
        second.append(r.eligible ? tr(.eligible, s.lang) : tr(.ineligible, s.lang, r.ineligibility.map { $0.text(s.lang) }.joined(separator: "; ")))
        c.put(" " + second.joined(separator: " · "), x: 0, y: y + 1, style: r.eligible ? [] : .warning)
    }

    static func permitsText(_ s: State, _ p: Product) -> String {
        if p.permits.isEmpty { return tr(.noPermits, s.lang) }
        return p.permits.map { permit in
            permit.expires.map { "\(permit.kind.rawValue) \(tr(.expires, s.lang, $0))" } ?? permit.kind.rawValue
        }.joined(separator: " · ")
    }

    /// The detail beside the list (wide terminals).
    static func sidePane(_ s: State, _ r: RankedProduct, _ c: inout Canvas, x: Int, width: Int) {
        var y = 1
        let p = r.product
        func line(_ text: String, _ style: Style = []) {
            guard y < s.height - 2 else { return }
            c.put(text, x: x, y: y, limit: width, style: style); y += 1
        }
        line("\(p.id) \(p.name)", .bold)
        for l in facts(s, r) { line(l.0, l.1) }
        y += 1
        let reveal = s.revealsScores(of: p)
        line(reveal ? aggregateText(s, r) : tr(.blindNote, s.lang), .dim)
        y += 1
        for e in s.round.history(product: p.id).suffix(max(0, s.height - y - 3)).reversed() {
            line("rev \(e.revision) \(e.by) " + e.summary(s.lang), .dim)
        }
    }

    /// Producer and product facts, with the style each line is drawn in.
    static func facts(_ s: State, _ r: RankedProduct) -> [(String, Style)] {
        let p = r.product
        let producer = s.round.producer(p.producer)
        var out: [(String, Style)] = []
        if let pr = producer {
            var l = "\(pr.name) · \(pr.owner) · \(pr.kelurahan), \(pr.kecamatan)"
            if let phone = pr.phone { l += " · " + tr(.phone, s.lang, phone) }
            out.append((l, []))
        }
        var l2 = "\(p.category)"
        if let price = p.price { l2 += " · " + tr(.price, s.lang, rupiah(price)) }
        if let cap = p.capacity { l2 += " · " + tr(.capacityPerMonth, s.lang, rupiah(cap.amount), cap.unit) }
        out.append((l2, []))
        let permits = permitsText(s, p) + " · "
        out.append(r.eligible ? (permits + tr(.eligible, s.lang), [])
            : (permits + tr(.ineligible, s.lang, r.ineligibility.map { $0.text(s.lang) }.joined(separator: "; ")), .warning))
        return out
    }

    static func aggregateText(_ s: State, _ r: RankedProduct) -> String {
        let a = r.aggregate
        guard a.count > 0 else { return tr(.noAggregate, s.lang) }
        var text = tr(.aggregateLine, s.lang, fmt(a.score), a.count, fmt(a.min), fmt(a.max), fmt(a.standardDeviation))
        if let rank = r.rank { text += " · " + tr(.topFiveNote, s.lang, rank) }
        if let slot = r.pinnedSlot { text += " · " + tr(.pinnedAt, s.lang, slot) }
        return text
    }

    // MARK: Detail and scoring

    static func detail(_ s: State, _ c: inout Canvas) {
        guard let r = s.detail else { return }
        let p = r.product
        titleBar(s, &c, left: "\(p.id) \(p.name) · \(p.cluster.label(s.lang))")
        var y = 1
        for (text, style) in facts(s, r) { c.put(" " + text, x: 0, y: y, style: style); y += 1 }
        y += 1
        let reveal = s.revealsScores(of: p)
        let me = s.activeCurator
        let recused = me.map { $0.isRecused(from: p.producer) } ?? false
        let others = s.round.curators.filter { $0.id != me?.id }
        let rubric = s.round.rubric
        let nameWidth = min(36, max(20, rubric.criteria.map { "\($0.name.text(s.lang)) (\(rubric.weight(of: $0, in: p.cluster)))".columns }.max() ?? 20))
        var header = "   " + tr(.criterionHeader, s.lang).padded(to: nameWidth) + " " + tr(.you, s.lang).padded(to: 4, right: true)
        for o in others { header += " " + o.id.padded(to: 3, right: true) }
        c.put(header, x: 0, y: y, style: .bold)
        y += 1
        let mine = me.map { s.round.sheet(product: p.id, curator: $0.id) } ?? [:]
        let tableX = 3 + nameWidth + 1 + 4 + others.count * 4 + 2
        for (i, k) in rubric.criteria.enumerated() {
            let selected = i == s.criterion
            var line = (selected ? " > " : "   ") + "\(k.name.text(s.lang)) (\(rubric.weight(of: k, in: p.cluster)))".padded(to: nameWidth)
            line += " " + (recused ? "–" : mine[k.id].map(String.init) ?? "_").padded(to: 4, right: true)
            for o in others {
                let v: String = if o.isRecused(from: p.producer) { "×" }
                    else if !reveal { "·" }
                    else { s.round.sheet(product: p.id, curator: o.id)[k.id].map(String.init) ?? "_" }
                line += " " + v.padded(to: 3, right: true)
            }
            c.put(line, x: 0, y: y, style: selected ? .bold : [])
            if selected { c.style(row: y, count: tableX - 2, [.reverse, .bold]) }
            // The anchor of the point given, beside the row.
            if let v = mine[k.id], k.anchors.indices.contains(v - rubric.scaleMin) {
                c.put("\(v): " + k.anchors[v - rubric.scaleMin].text(s.lang), x: tableX, y: y, style: .dim)
            }
            y += 1
        }
        y += 1
        let note: String, noteStyle: Style
        if recused, let me, let conflict = me.conflicts.first(where: { $0.producer == p.producer }) {
            note = tr(.recusedNote, s.lang, conflict.reason); noteStyle = .warning
        } else {
            note = reveal ? aggregateText(s, r) : tr(.blindNote, s.lang); noteStyle = reveal ? .accent : .dim
        }
        for line in note.wrapped(to: s.width - 2).prefix(2) { c.put(" " + line, x: 0, y: y, style: noteStyle); y += 1 }
        y += 1
        // The scale of the selected criterion, point by point.
        let k = rubric.criteria[min(s.criterion, rubric.criteria.count - 1)]
        if y < s.height - 3 { c.put(" " + tr(.anchorsHeader, s.lang, k.name.text(s.lang)), x: 0, y: y, style: .bold); y += 1 }
        for (i, anchor) in k.anchors.enumerated() where y < s.height - 3 {
            c.put("   \(rubric.scaleMin + i)  \(anchor.text(s.lang))", x: 0, y: y, style: mine[k.id] == rubric.scaleMin + i ? .accent : [])
            y += 1
        }
        // The product's history, newest first, in what room is left.
        if y < s.height - 4 {
            y += 1
            c.put(" " + tr(.historyHeader, s.lang), x: 0, y: y, style: .bold); y += 1
            let history = s.round.history(product: p.id)
            if history.isEmpty, y < s.height - 2 { c.put("   " + tr(.noHistory, s.lang), x: 0, y: y, style: .dim) }
            for e in history.reversed() where y < s.height - 2 {
                // Before one's own sheet is complete, other curators' scores stay out of the history too.
                if !reveal, case let .score(_, who, _, _, _) = e.change, who != me?.id { continue }
                if !reveal, case let .batch(list) = e.change, case let .score(_, who, _, _, _)? = list.first, who != me?.id { continue }
                c.put("   rev \(e.revision) · \(e.at) · \(e.by) · \(e.summary(s.lang))", x: 0, y: y, style: .dim)
                y += 1
            }
        }
    }

    // MARK: Board

    static func board(_ s: State, _ c: inout Canvas) {
        let info = s.round.round
        titleBar(s, &c, left: tr(.boardTitle, s.lang, info.title))
        let half = s.width / 2
        var bottom = 0
        for (i, cluster) in Cluster.allCases.enumerated() {
            let x = i * half + 1, w = half - 2
            var y = 2
            let pins = s.round.pins(in: cluster)
            let ranking = s.rankings[cluster] ?? []
            let top = Array(ranking.prefix { $0.rank != nil }.prefix(Round.pinSlots))
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            c.put("\(cluster.label(s.lang))  \(pins.count)/\(Round.pinSlots)", x: x, y: y, limit: w, style: [.bold, .accent]); y += 1
            for slot in 1...Round.pinSlots {
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    c.put("★\(slot) " + tr(.boardEmptySlot, s.lang), x: x, y: y, limit: w, style: .dim); y += 2; continue
                }
                let score = fmt(r.aggregate.score)
                c.put("★\(slot) \(r.product.id) " + r.product.name.padded(to: max(1, w - 17)) + score.padded(to: 6, right: true),
                      x: x, y: y, limit: w, style: .bold)
                let override = !top.contains { $0.product.id == pin.product }
                var sub = "   " + (s.round.producer(r.product.producer)?.name ?? "")
                if override { sub = "   ↑ " + (pin.reason.map { tr(.boardReasonLabel, s.lang, $0) } ?? tr(.boardOverride, s.lang)) }
                c.put(sub, x: x, y: y + 1, limit: w, style: override ? .warning : .dim)
                y += 2
            }
            y += 1
            c.put(tr(.boardTopFive, s.lang), x: x, y: y, limit: w, style: .bold); y += 1
            for r in top {
                let pinned = pins.contains { $0.product == r.product.id }
                let mark = pinned ? "★" : "○"
                c.put("\(mark) \(r.rank!). \(r.product.id) " + r.product.name.padded(to: max(1, w - 19)) + fmt(r.aggregate.score).padded(to: 6, right: true),
                      x: x, y: y, limit: w, style: pinned ? [] : .warning)
                y += 1
            }
            bottom = max(bottom, y)
        }
        let y = bottom + 1
        if y < s.height - 2 {
            let status: String = if info.status.state == .final {
                tr(.boardFinalizedBy, s.lang, info.status.by ?? "–", info.status.at ?? "–")
            } else if let reason = info.status.reason {
                tr(.boardReopened, s.lang, reason) + " · " + tr(.boardFinalHint, s.lang)
            } else { tr(.boardFinalHint, s.lang) }
            c.put(" " + status, x: 0, y: y, style: info.status.state == .final ? [.bold, .accent] : [])
        }
    }

    // MARK: Curator picker

    static func picker(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: "\(tr(.appName, s.lang)) · \(s.round.round.title)")
        c.put(" " + tr(.pickerTitle, s.lang), x: 0, y: 2, style: .bold)
        c.put(" " + tr(.pickerHint, s.lang), x: 0, y: 3, style: .dim)
        for (i, k) in s.round.curators.enumerated() {
            let y = 5 + i
            guard y < s.height - 2 else { break }
            let role = tr(k.role == .chair ? .roleChair : .roleCurator, s.lang)
            var line = "   \(k.id.padded(to: 4)) \(k.name.padded(to: 28)) \(role)"
            if !k.conflicts.isEmpty {
                line += " · " + tr(.conflictsLabel, s.lang, k.conflicts.map(\.producer).joined(separator: ", "))
            }
            c.put(line, x: 0, y: y)
            if i == s.pickerCursor { c.style(row: y, .reverse) }
        }
    }

    // MARK: Help

    static func help(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: tr(.helpTitle, s.lang))
        var y = 2
        func section(_ bindings: [Binding]) {
            for b in bindings where y < s.height - 2 {
                let keys = b.keys.map { $0.label(s.lang) }.joined(separator: " ")
                c.put("  " + keys.padded(to: 22) + " " + tr(b.help, s.lang), x: 0, y: y)
                y += 1
            }
        }
        section(Keymap.table(s.screen))
        y += 1
        if y < s.height - 2 { c.put(" " + tr(.helpGlobal, s.lang), x: 0, y: y, style: .bold); y += 1 }
        section(Keymap.global)
        c.put(" " + tr(.helpClose, s.lang), x: 0, y: s.height - 1, style: .dim)
    }
}
