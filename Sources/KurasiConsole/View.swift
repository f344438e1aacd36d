import KurasiCore

/// Renders a State into a Canvas. Pure: the same state always gives the same cells, drawn into the
/// places the State's Layout gives. Only the rows on screen are drawn, whatever the number of
/// products. Each screen is in a file of its own (ListScreen, DetailScreen, BoardScreen,
/// PickerScreen, HelpScreen, StatusLine).
public enum View {
    public static func render(_ s: State) -> Canvas {
        let l = s.layout
        var c = Canvas(width: l.width, height: l.height)
        if l.isTooSmall {
            // Wrapped to the size it is written for, so it is read whole.
            let lines = tr(.tooSmall, s.lang, l.width, l.height, Layout.minWidth, Layout.minHeight).wrapped(to: max(1, l.width - 1))
            for (i, line) in lines.enumerated() {
                c.put(" " + line, x: 0, y: max(0, (l.height - lines.count) / 2) + i, style: .warning)
            }
            return c
        }
        if let loading = s.loading { self.loading(s, loading, &c); return c }
        if s.showHelp { help(s, &c); return c }
        switch s.screen {
        case .list: list(s, &c)
        case .detail: detail(s, &c)
        case .board: board(s, &c)
        case .curators: picker(s, &c)
        case .producers: producers(s, &c)
        case .producer: producer(s, &c)
        case .analysis: analysis(s, &c)
        case .pairwise: pairwise(s, &c)
        }
        if let form = s.form { self.form(s, form, &c) }
        footer(s, &c)
        return c
    }

    // MARK: Shared parts

    static func titleBar(_ s: State, _ c: inout Canvas, left: String) {
        c.clear(row: s.layout.title, style: .reverse)
        // The active curator is never cut (scores are recorded under them); the title gives way.
        let who = s.activeCurator.map { tr(.curatorLabel, s.lang, "\($0.name) (\($0.id))") } ?? tr(.noCurator, s.lang)
        let right = " \(who) "
        let rightWidth = right.columns
        c.put(" " + left.clipped(to: max(0, s.layout.width - rightWidth - 2)), x: 0, y: s.layout.title, style: [.reverse, .bold])
        c.put(right, x: max(0, s.layout.width - rightWidth), y: s.layout.title, style: .reverse)
    }

    static func permitsText(_ s: State, _ p: Product) -> String {
        if p.permits.isEmpty { return tr(.noPermits, s.lang) }
        return p.permits.map { permit in
            permit.expires.map { "\(permit.kind.rawValue) \(tr(.expires, s.lang, Format.date($0, s.lang)))" } ?? permit.kind.rawValue
        }.joined(separator: " · ")
    }

    /// Producer and product facts, with the style each line is drawn in.
    static func facts(_ s: State, _ r: RankedProduct) -> [(String, Style)] {
        let p = r.product
        let producer = s.round.producer(p.producer)
        var out: [(String, Style)] = []
        if let pr = producer {
            var l = "\(pr.name) · \(pr.owner) · \(pr.kelurahan), \(pr.kecamatan)"
            if let phone = pr.phone { l += " · " + tr(.phone, s.lang, Format.phone(phone)) }
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

    /// "mentah 81,2" when the ranking uses normalised scores (the score shown is the normalised
    /// one, and the raw one stands beside it, as in `kurasi rank` and the minutes); nil otherwise.
    static func rawBeside(_ s: State, _ r: RankedProduct) -> String? {
        guard s.round.scoreBasis == .normalised, r.aggregate.score != nil else { return nil }
        return tr(.rawBeside, s.lang, fmt(s.round.aggregate(r.product).score, s.lang))
    }

    static func aggregateText(_ s: State, _ r: RankedProduct) -> String {
        let a = r.aggregate
        guard a.count > 0 else { return tr(.noAggregate, s.lang) }
        var text = tr(.aggregateLine, s.lang, fmt(a.score, s.lang), a.count, fmt(a.min, s.lang), fmt(a.max, s.lang), fmt(a.standardDeviation, s.lang))
        if let raw = rawBeside(s, r) { text += " · " + raw }
        if let rank = r.rank { text += " · " + tr(.topFiveNote, s.lang, rank) }
        if let slot = r.pinnedSlot { text += " · " + tr(.pinnedAt, s.lang, slot) }
        if !a.setAside.isEmpty { text += " · " + tr(.setAsideNote, s.lang, a.setAside.map { "\($0) ×" }.joined(separator: ", ")) }
        return text
    }
}
