import KurasiCore

extension View {
    // The product list: tabs, column header, rows, and the selected product in a strip under
    // the list or in a pane beside it.

    struct Columns {
        var rank = 3, id = 6, name = 20, producer = 16, kelurahan = 0, score = 5, count = 3, mark = 1, pin = 3
        /// The raw score beside the normalised one, when the ranking uses normalised scores.
        var raw = 0
        /// `rankWidth`, `idWidth` and `countWidth` grow with the round (rank 38248 and P-00001 at
        /// province size, 20/20 curators), so that neither a rank, an id nor a count is ever cut;
        /// `pinWidth` holds the widest mark ("⊘ belum valid"). What is left goes to the names (and
        /// the kelurahan once there is room), so the columns grow with the terminal.
        init(width: Int, rankWidth: Int = 3, idWidth: Int = 6, countWidth: Int = 3, pinWidth: Int = 3, raw showRaw: Bool = false) {
            rank = max(rank, rankWidth); id = max(id, idWidth); count = max(count, countWidth); pin = max(pin, pinWidth)
            if showRaw { raw = 6 }
            // " rank id name producer [kelurahan] [raw] score count ⚑ pin", one space between columns.
            let fixed = 1 + rank + 1 + id + 1 + 1 + 1 + score + 1 + count + 1 + mark + 1 + pin + (showRaw ? raw + 1 : 0)
            var flex = max(12, width - fixed - 1)
            if flex >= 48 { kelurahan = min(24, max(10, flex / 5)); flex -= kelurahan + 1 }
            name = max(6, flex * 55 / 100)
            producer = max(4, flex - name)
        }
    }

    static func list(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: s.round.round.title.isEmpty ? tr(.appName, s.lang) : s.round.round.title)
        let layout = s.layout, list = s.list
        let listWidth = layout.listWidth
        // Tabs, sort and filter.
        var x = 1
        for cluster in Cluster.allCases {
            let total = s.rankings[cluster]?.count ?? s.productCounts[cluster] ?? 0
            // With a filter, each tab says how many match, so a match in the other cluster shows.
            let label = list.filter.isEmpty ? "\(cluster.label(s.lang)) \(total)"
                : "\(cluster.label(s.lang)) \(s.rows[cluster]?.count ?? 0)/\(total)"
            let active = cluster == list.cluster
            x += c.put(active ? "[ \(label) ]" : "  \(label)  ", x: x, y: layout.tabs, style: active ? [.bold, .accent] : .dim) + 1
        }
        let sortLabel: T = list.sort == .rank && !s.round.scoresArePublic ? .sortBlind : list.sort.label
        var right = tr(.sortLabel, s.lang, tr(sortLabel, s.lang))
        if list.editingFilter { right += "   " + tr(.filterEditing, s.lang, list.filter) }
        else if !list.filter.isEmpty { right += "   " + tr(.filterLabel, s.lang, list.filter) }
        let rightText = right.clipped(to: max(0, listWidth - x - 2))
        c.put(rightText, x: max(x, listWidth - rightText.columns - 1), y: layout.tabs, style: list.editingFilter ? .bold : [])

        // A rank is at most the number of products in the larger cluster: one width for both tabs.
        let col = Columns(width: listWidth, rankWidth: String(s.productCounts.values.max() ?? 0).count, idWidth: s.idWidth,
                          countWidth: "\(s.round.curators.count)/\(s.round.curators.count)".count,
                          pinWidth: 2 + Ineligibility.markWidth(s.lang),
                          raw: s.round.scoreBasis == .normalised)
        var header = " " + tr(.colRank, s.lang).padded(to: col.rank, right: true) + " " + tr(.colID, s.lang).padded(to: col.id)
        header += " " + tr(.colProduct, s.lang).padded(to: col.name) + " " + tr(.colProducer, s.lang).padded(to: col.producer)
        if col.kelurahan > 0 { header += " " + tr(.colKelurahan, s.lang).padded(to: col.kelurahan) }
        if col.raw > 0 { header += " " + tr(.colRawScore, s.lang).padded(to: col.raw, right: true) }
        header += " " + tr(.colScore, s.lang).padded(to: col.score, right: true) + " " + tr(.colCurators, s.lang).padded(to: col.count, right: true)
        header += "   " + tr(.colPin, s.lang)
        c.put(header, x: 0, y: layout.columnHeader, limit: listWidth, style: .bold)

        let rows = list.visibleRows
        let top = list.firstRow, area = layout.rows
        if rows.isEmpty {
            // A filter that matches only in the other cluster says where the matches are.
            let others = Cluster.allCases.filter { $0 != list.cluster && (s.rows[$0]?.count ?? 0) > 0 }
            let text = list.filter.isEmpty ? tr(.emptyList, s.lang)
                : others.first.map { other in
                    tr(.emptyFilterOtherCluster, s.lang, list.filter, list.cluster.label(s.lang),
                       Format.count(s.rows[other]?.count ?? 0, s.lang), other.label(s.lang))
                } ?? tr(.emptyFilter, s.lang, list.filter)
            c.put(" " + text, x: 0, y: area.y, limit: listWidth, style: .dim)
        }
        for i in 0..<area.height {
            let index = top + i
            guard index < rows.count else { break }
            let r = rows[index]
            let y = area.y + i
            c.put(row(s, r, col), x: 0, y: y, limit: listWidth)
            if index == list.selectedIndex { c.style(row: y, count: listWidth, .reverse) }
            else if !r.eligible { c.style(row: y, count: listWidth, .dim) }
        }
        if let x = layout.sideDivider, let side = layout.side {
            for y in layout.body.y..<layout.body.bottom { c.put("│", x: x, y: y, style: .dim) }
            if let r = list.selected { sidePane(s, r, &c, side) }
        } else if let y = layout.stripDivider, let strip = layout.strip {
            c.put(String(repeating: "─", count: layout.width), x: 0, y: y, style: .dim)
            if let r = list.selected { self.strip(s, r, &c, strip) }
        }
    }

    static func row(_ s: State, _ r: RankedProduct, _ col: Columns) -> String {
        let producer = s.round.producer(r.product.producer)
        // KurasiCore's rule: no score, rank or spread for a product still blind to this curator.
        let reveal = s.visibility(of: r.product.id).score
        let a = r.aggregate
        let score = reveal ? fmt(a.score, s.lang) : "?"
        let coverage = s.coverage(of: r.product)
        let disputed = reveal && a.count > 1 && a.spread >= s.round.round.settings.disagreementThreshold
        let pin: String = if let slot = r.pinnedSlot { "★\(slot)" }
            else if let why = r.ineligibility.first { "⊘ " + why.mark(s.lang) }
            else { "" }
        var line = " " + (reveal ? (r.rank.map(String.init) ?? "–") : "·").padded(to: col.rank, right: true) + " " + r.product.id.rawValue.padded(to: col.id)
        line += " " + r.product.name.padded(to: col.name) + " " + (producer?.name ?? "").padded(to: col.producer)
        if col.kelurahan > 0 { line += " " + (producer?.kelurahan ?? "").padded(to: col.kelurahan) }
        // On the normalised basis the raw score stands beside the normalised one, as in `kurasi rank`.
        if col.raw > 0 { line += " " + (reveal ? fmt(s.round.aggregate(r.product).score, s.lang) : "?").padded(to: col.raw, right: true) }
        line += " " + score.padded(to: col.score, right: true) + " " + "\(coverage.scored)/\(coverage.possible)".padded(to: col.count, right: true)
        // The disagreement mark stands apart from the count and the pin: "4/5 ⚑ ★1".
        line += " " + (disputed ? "⚑" : " ") + " " + pin
        return line
    }

    /// Two lines about the selected product under the list (narrow terminals).
    static func strip(_ s: State, _ r: RankedProduct, _ c: inout Canvas, _ area: Rect) {
        let y = area.y
        let p = r.product
        let producer = s.round.producer(p.producer)
        var first = [producer?.name ?? p.producer.rawValue]
        if let pr = producer { first.append("\(pr.kelurahan), \(pr.kecamatan)") }
        first.append(permitsText(s, p))
        var second: [String] = []
        if let price = p.price { second.append(tr(.price, s.lang, rupiah(price))) }
        if let cap = p.capacity { second.append(tr(.capacityPerMonth, s.lang, rupiah(cap.amount), cap.unit)) }
        if r.eligible {
            c.put(" " + first.joined(separator: " · "), x: 0, y: y)
            c.put(" " + (second + [tr(.eligible, s.lang)]).joined(separator: " · "), x: 0, y: y + 1)
            return
        }
        // Why it is not eligible is never cut: it takes the second line, or both when it is long
        // (the facts it displaces are in the detail).
        let why = tr(.ineligible, s.lang, r.ineligibility.map { $0.text(s.lang) }.joined(separator: "; "))
        let lines = why.wrapped(to: area.width - 2)
        if lines.count > 1 {
            c.put(" " + lines[0], x: 0, y: y, style: .warning)
            c.put(" " + lines.dropFirst().joined(separator: " "), x: 0, y: y + 1, style: .warning)
            return
        }
        c.put(" " + first.joined(separator: " · "), x: 0, y: y)
        let withFacts = " " + (second + [why]).joined(separator: " · ")
        if withFacts.columns <= area.width {
            let facts = " " + second.map { $0 + " · " }.joined()
            let used = c.put(facts, x: 0, y: y + 1)
            c.put(why, x: second.isEmpty ? 1 : used, y: y + 1, style: .warning)
        } else {
            c.put(" " + why, x: 0, y: y + 1, style: .warning)
        }
    }

    /// The detail beside the list (wide terminals).
    /// The product's facts, its aggregate and its history, newest first, in what room is left.
    static func sidePane(_ s: State, _ r: RankedProduct, _ c: inout Canvas, _ area: Rect) {
        var y = area.y
        let p = r.product
        func line(_ text: String, _ style: Style = []) {
            guard y < area.bottom else { return }
            c.put(text, x: area.x, y: y, limit: area.width, style: style); y += 1
        }
        // Wrapped, not cut: the pane is there to be read.
        func lines(_ text: String, _ style: Style = []) {
            for l in text.wrapped(to: max(1, area.width)) { line(l, style) }
        }
        lines("\(p.id) \(p.name)", .bold)
        let producer = s.round.producer(p.producer)
        if let pr = producer {
            var l = "\(pr.name) · \(pr.owner) · \(pr.kelurahan), \(pr.kecamatan)"
            if let phone = pr.phone { l += " · " + tr(.phone, s.lang, Format.phone(phone)) }
            lines(l)
        }
        var l2 = "\(p.category)"
        if let price = p.price { l2 += " · " + tr(.price, s.lang, rupiah(price)) }
        if let cap = p.capacity { l2 += " · " + tr(.capacityPerMonth, s.lang, rupiah(cap.amount), cap.unit) }
        lines(l2)
        y += 1
        // The permits, one a line with number and expiry: what the gate and the committee look at.
        lines(tr(.permitsHeader, s.lang, p.permits.count), .bold)
        if p.permits.isEmpty { lines("  " + tr(.noPermits, s.lang), .dim) }
        for permit in p.permits {
            var text = "  \(permit.kind.rawValue) \(permit.number)"
            if let e = permit.expires { text += " · " + tr(.expires, s.lang, Format.date(e, s.lang)) }
            let lapsed = !permit.isValid(on: s.round.round.date)
            lines(text + (lapsed ? " · " + tr(.expired, s.lang) : ""), lapsed ? .warning : [])
        }
        lines(r.eligible ? tr(.eligible, s.lang) : tr(.ineligible, s.lang, r.ineligibility.map { $0.text(s.lang) }.joined(separator: "; ")),
              r.eligible ? [] : .warning)
        y += 1
        let reveal = s.visibility(of: p.id).score
        lines(reveal ? aggregateText(s, r) : tr(.blindNote, s.lang), .dim)
        y += 1
        let zone = s.round.round.zone
        let history = s.history(of: p.id)
        lines(tr(.historyHeader, s.lang), .bold)
        if !reveal { lines(tr(.historyHidden, s.lang), .dim) }
        else if history.isEmpty { lines(tr(.noHistory, s.lang), .dim) }
        for e in history.suffix(max(0, area.bottom - y)).reversed() {
            line("rev \(e.revision) \(Format.clock(e.at, zone: zone, s.lang)) \(e.by) " + e.summary(s.lang), .dim)
        }
    }
}
