import KurasiCore

extension View {
    // The producers screen (`v` from the list): the city's registry, validated a producer at a
    // time or several marked ones at once, with the entries that look like traders or duplicates
    // marked for the validators to look at.

    struct ProducerColumns {
        var id = 6, name = 20, owner = 12, kelurahan = 12, type = 9, nib = 3, products = 6
        /// `productsHeader` is the products column's header, which the column fits.
        init(width: Int, idWidth: Int, productsHeader: Int) {
            id = max(id, idWidth); products = max(products, productsHeader)
            let fixed = 3 + id + 1 + 1 + 1 + 1 + type + 1 + nib + 1 + products + 2
            let flex = max(30, width - fixed - 10)  // 10 for the note (≈U-0102, pedagang?)
            name = flex * 42 / 100
            owner = flex * 28 / 100
            kelurahan = max(6, flex - name - owner)
        }
    }

    static func producers(_ s: State, _ c: inout Canvas) {
        let layout = s.layout, model = s.producerList
        let counts = s.round.validationCounts()
        titleBar(s, &c, left: tr(.producersTitle, s.lang, s.round.round.title))
        let width = layout.listWidth
        var x = 1
        // Each tab says how many producers it holds.
        for tab in ProducerTab.allCases {
            let active = tab == model.tab
            // With a filter, each tab says how many match.
            let n: Int = if !model.filter.isEmpty { model.count(of: tab, in: s.round) } else {
                switch tab {
                case .pending: counts[.pending] ?? 0
                case .valid: counts[.valid] ?? 0
                case .rejected: counts[.rejected] ?? 0
                case .all: s.round.producers.count
                }
            }
            let label = tr(tab.label, s.lang) + " " + number(n, s.lang)
            x += c.put(active ? "[ \(label) ]" : "  \(label)  ", x: x, y: layout.tabs, style: active ? [.bold, .accent] : .dim) + 1
        }
        var right: [String] = []
        if !model.marked.isEmpty { right.append(tr(.markedCount, s.lang, model.marked.count)) }
        if model.editingFilter { right.append(tr(.filterEditing, s.lang, model.filter)) }
        else if !model.filter.isEmpty { right.append(tr(.filterLabel, s.lang, model.filter)) }
        if !right.isEmpty {
            let text = right.joined(separator: "   ")
            c.put(text, x: max(x, width - text.columns - 1), y: layout.tabs, style: .bold)
        }
        let col = ProducerColumns(width: width, idWidth: s.round.producers.reduce(6) { max($0, $1.id.rawValue.count) },
                                  productsHeader: tr(.colProducts, s.lang).columns)
        var header = "   " + tr(.colID, s.lang).padded(to: col.id) + " " + tr(.colBusiness, s.lang).padded(to: col.name)
        header += " " + tr(.colOwner, s.lang).padded(to: col.owner) + " " + tr(.colKelurahan, s.lang).padded(to: col.kelurahan)
        header += " " + tr(.colType, s.lang).padded(to: col.type) + " " + tr(.colNIB, s.lang).padded(to: col.nib)
        header += " " + tr(.colProducts, s.lang).padded(to: col.products, right: true)
        c.put(header, x: 0, y: layout.columnHeader, limit: width, style: .bold)

        let area = layout.rows
        if model.rows.isEmpty {
            let text = model.filter.isEmpty ? tr(.noProducers, s.lang) : tr(.emptyProducerFilter, s.lang, model.filter)
            c.put(" " + text, x: 0, y: area.y, limit: width, style: .dim)
        }
        for i in 0..<area.height {
            let index = model.top + i
            guard index < model.rows.count else { break }
            let p = s.round.producers[model.rows[index]]
            let y = area.y + i
            c.put(producerRow(s, p, col), x: 0, y: y, limit: width)
            if index == model.cursor { c.style(row: y, count: width, .reverse) }
            else if p.validation.status == .rejected { c.style(row: y, count: width, .dim) }
        }
        let selected = model.selected(in: s.round)
        if let x = layout.sideDivider, let side = layout.side {
            for y in layout.body.y..<layout.body.bottom { c.put("│", x: x, y: y, style: .dim) }
            if let p = selected { producerPane(s, p, &c, side) }
        } else if let y = layout.stripDivider, let strip = layout.strip {
            c.put(String(repeating: "─", count: layout.width), x: 0, y: y, style: .dim)
            if let p = selected { producerStrip(s, p, &c, strip) }
        }
    }

    static func producerRow(_ s: State, _ p: Producer, _ col: ProducerColumns) -> String {
        let model = s.producerList
        let mark = model.marked.contains(p.id) ? "•" : " "
        var line = " " + mark + " " + p.id.rawValue.padded(to: col.id) + " " + p.name.padded(to: col.name)
        line += " " + p.owner.padded(to: col.owner) + " " + p.kelurahan.padded(to: col.kelurahan)
        line += " " + (p.businessType ?? "–").padded(to: col.type) + " " + ((p.nib ?? "").isEmpty ? "–" : "✓").padded(to: col.nib)
        line += " " + String(model.productCounts[p.id] ?? 0).padded(to: col.products, right: true) + "  "
        var notes: [String] = []
        switch p.validation.status {
        case .rejected: notes.append("⊘ " + (p.validation.reason ?? ""))
        case .valid: if model.tab == .all { notes.append("✓") }
        case .pending: break
        }
        if let other = model.duplicates[p.id] { notes.append(tr(.duplicateMark, s.lang, other)) }
        if p.isTraderSuspect { notes.append(tr(.traderMark, s.lang)) }
        return line + notes.joined(separator: " ")
    }

    /// Where the producer is, how to reach it, and its validation record.
    static func producerFacts(_ s: State, _ p: Producer) -> [(String, Style)] {
        var first = "\(p.address), \(p.kelurahan), \(p.kecamatan)"
        if let phone = p.phone { first += " · " + tr(.phone, s.lang, phone) }
        if let nib = p.nib, !nib.isEmpty { first += " · NIB \(nib)" }
        let v = p.validation
        let record: (String, Style) = switch v.status {
        case .valid: (tr(.validatedBy, s.lang, v.by ?? "–", v.at ?? "–"), [])
        case .rejected: (tr(.rejectedBy, s.lang, v.reason ?? "–", v.by ?? "–", v.at ?? "–"), .warning)
        case .pending: (tr(.pendingNote, s.lang), .dim)
        }
        var out = [(first, Style()), record]
        if let remark = p.remark, !remark.isEmpty { out.append((tr(.remarkLabel, s.lang, remark), .dim)) }
        return out
    }

    /// Two lines about the selected producer under the list (narrow terminals).
    static func producerStrip(_ s: State, _ p: Producer, _ c: inout Canvas, _ area: Rect) {
        for (i, line) in producerFacts(s, p).prefix(area.height).enumerated() {
            c.put(" " + line.0, x: area.x, y: area.y + i, limit: area.width, style: line.1)
        }
    }

    /// The producer beside the list (wide terminals): facts, products, history.
    static func producerPane(_ s: State, _ p: Producer, _ c: inout Canvas, _ area: Rect) {
        var y = area.y
        func line(_ text: String, _ style: Style = []) {
            guard y < area.bottom else { return }
            c.put(text, x: area.x, y: y, limit: area.width, style: style); y += 1
        }
        line("\(p.id) \(p.name) · \(p.owner)", .bold)
        for (text, style) in producerFacts(s, p) { line(text, style) }
        y += 1
        let products = s.round.products(of: p.id)
        line(tr(.productsOf, s.lang, products.count), .bold)
        for product in products { line("\(product.id) \(product.name) · \(product.cluster.label(s.lang))") }
        y += 1
        for e in s.round.history(producer: p.id).suffix(max(0, area.bottom - y)).reversed() {
            line("rev \(e.revision) \(e.by) " + e.summary(s.lang), .dim)
        }
    }

    /// One producer, whole: where, who, its validation, its products with their eligibility, and
    /// its history, newest first.
    static func producer(_ s: State, _ c: inout Canvas) {
        guard let id = s.producerDetail, let p = s.round.producer(id) else { return }
        titleBar(s, &c, left: "\(p.id) \(p.name) · \(p.owner)")
        let body = s.layout.body
        var y = body.y
        func line(_ text: String, _ style: Style = []) {
            guard y < body.bottom else { return }
            c.put(" " + text, x: 0, y: y, limit: body.width, style: style); y += 1
        }
        for (text, style) in producerFacts(s, p) { line(text, style) }
        if let type = p.businessType { line(type + (p.isTraderSuspect ? " · " + tr(.traderMark, s.lang) : ""), .dim) }
        if let other = s.producerList.duplicates[p.id], let twin = s.round.producer(other) {
            line(tr(.duplicateMark, s.lang, "\(twin.id) \(twin.name) · \(twin.kelurahan)"), .warning)
        }
        y += 1
        let products = s.round.products(of: p.id)
        line(tr(.productsOf, s.lang, products.count), .bold)
        for product in products {
            let reasons = s.round.ineligibility(product)
            let eligibility = reasons.isEmpty ? tr(.eligible, s.lang)
                : tr(.ineligible, s.lang, reasons.map { $0.text(s.lang) }.joined(separator: "; "))
            line("  \(product.id) \(product.name) · \(product.cluster.label(s.lang)) · \(eligibility)", reasons.isEmpty ? [] : .dim)
        }
        y += 1
        line(tr(.historyHeader, s.lang), .bold)
        let history = s.round.history(producer: p.id)
        if history.isEmpty { line("  " + tr(.noHistory, s.lang), .dim) }
        for e in history.reversed() { line("  rev \(e.revision) · \(e.at) · \(e.by) · \(e.summary(s.lang))", .dim) }
    }

    /// A count for people: "1.398" in Indonesian, "1,398" in English.
    static func number(_ n: Int, _ lang: Language) -> String {
        lang == .id ? rupiah(n) : rupiah(n).replacingOccurrences(of: ".", with: ",")
    }
}
