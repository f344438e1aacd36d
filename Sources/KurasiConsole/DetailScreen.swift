import KurasiCore

extension View {
    // The detail and scoring screen: the product's facts, the rubric with every curator's
    // points, the aggregate, the selected criterion's scale and the history, top to bottom.

    /// A product's sheets on a 0–100 line: ● a sheet (a digit where several share a cell), ◆ the
    /// product's score where no sheet sits; both on the basis the round ranks by.
    static func sheetDotsLine(_ dots: SheetDots) -> String {
        var track = ""
        for i in 0..<dots.width {
            if let n = dots.counts[i] { track += n == 1 ? "●" : n < 10 ? "\(n)" : "+" }
            else if dots.score == i { track += "◆" }
            else { track += "─" }
        }
        return "0 ├" + track + "┤ 100"
    }

    static func detail(_ s: State, _ c: inout Canvas) {
        guard let r = s.detail else { return }
        let p = r.product
        titleBar(s, &c, left: "\(p.id) \(p.name) · \(p.cluster.label(s.lang))")
        let body = s.layout.body, end = body.bottom
        var y = body.y
        for (text, style) in facts(s, r) { c.put(" " + text, x: 0, y: y, style: style); y += 1 }
        y += 1
        let seen = s.visibility(of: p.id)
        let reveal = seen.otherSheets
        let me = s.activeCurator
        let recused = me.map { $0.isRecused(from: p.producer) } ?? false
        let others = s.round.curators.filter { $0.id != me?.id }
        let rubric = s.round.rubric
        let nameWidth = min(36, max(20, rubric.criteria.map { "\($0.name.text(s.lang)) (\(rubric.weight(of: $0, in: p.cluster)))".columns }.max() ?? 20))
        var header = "   " + tr(.criterionHeader, s.lang).padded(to: nameWidth) + " " + tr(.you, s.lang).padded(to: 4, right: true)
        for o in others { header += " " + o.id.rawValue.padded(to: 3, right: true) }
        c.put(header, x: 0, y: y, style: .bold)
        y += 1
        let mine = me.map { s.round.sheet(product: p.id, curator: $0.id) } ?? [:]
        let tableX = 3 + nameWidth + 1 + 4 + others.count * 4 + 2
        for (i, k) in rubric.criteria.enumerated() {
            let selected = i == s.criterion
            var line = (selected ? " > " : "   ") + "\(k.name.text(s.lang)) (\(rubric.weight(of: k, in: p.cluster)))".padded(to: nameWidth)
            line += " " + (recused ? "–" : mine[k.id].map(String.init) ?? "_").padded(to: 4, right: true)
            for o in others {
                let v: String = if o.isRecused(from: p.producer) || r.aggregate.setAside.contains(o.id) { "×" }
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
            note = seen.score ? aggregateText(s, r) : tr(.blindNote, s.lang); noteStyle = seen.score ? .accent : .dim
        }
        for line in note.wrapped(to: body.width - 2).prefix(2) { c.put(" " + line, x: 0, y: y, style: noteStyle); y += 1 }
        // The sheets as dots on 0–100, under the same rule as the other curators' columns, on the
        // basis the round ranks by (the aggregate above: normalised on a normalised round).
        if let dots = s.round.sheetDots(product: p.id, width: max(11, min(61, body.width - 30)), visibleTo: s.curator,
                                        aggregate: r.aggregate),
           !dots.cells.isEmpty, y < end - 1 {
            c.put(" " + sheetDotsLine(dots) + "  " + tr(.sheetDotsLabel, s.lang), x: 0, y: y, limit: body.width, style: .accent)
            y += 1
        }
        // The scale of the selected criterion, point by point: every point down to the last body
        // row, the blank line above it only when there is room for both (80×24 with a sheet line
        // and the dots left none, and the last point was cut).
        let k = rubric.criteria[min(s.criterion, rubric.criteria.count - 1)]
        if end - (y + 1) >= 1 + k.anchors.count { y += 1 }
        if y < end - 1 { c.put(" " + tr(.anchorsHeader, s.lang, k.name.text(s.lang)), x: 0, y: y, style: .bold); y += 1 }
        for (i, anchor) in k.anchors.enumerated() where y < end {
            c.put("   \(rubric.scaleMin + i)  \(anchor.text(s.lang))", x: 0, y: y, style: mine[k.id] == rubric.scaleMin + i ? .accent : [])
            y += 1
        }
        // The product's history, newest first, in what room is left.
        if y < end - 2 {
            y += 1
            c.put(" " + tr(.historyHeader, s.lang), x: 0, y: y, style: .bold); y += 1
            // Before one's own sheet is complete, other curators' scores stay out of the history too.
            let history = s.history(of: p.id)
            if !reveal, y < end {
                // Blind: say what is left out rather than show a heading with nothing under it.
                c.put("   " + tr(.historyHidden, s.lang), x: 0, y: y, limit: s.layout.width - 1, style: .dim); y += 1
            } else if history.isEmpty, y < end { c.put("   " + tr(.noHistory, s.lang), x: 0, y: y, style: .dim) }
            let zone = s.round.round.zone
            for e in history.reversed() where y < end {
                c.put("   rev \(e.revision) · \(Format.clock(e.at, zone: zone, s.lang)) · \(e.by) · \(e.summary(s.lang))", x: 0, y: y, style: .dim)
                y += 1
            }
        }
    }
}
