import KurasiCore

extension View {
    // The pairwise round at the cut line (`w` from the list): the next pair for the active curator
    // to compare, A above B with their facts and no score, and the Bradley-Terry order of the
    // comparisons the curator may see (KurasiCore's rule: while scoring is blind, another
    // curator's judgement of a pair shows once this curator has judged that pair too).

    static func pairwise(_ s: State, _ c: inout Canvas) {
        let cluster = s.list.cluster
        titleBar(s, &c, left: tr(.pairwiseTitle, s.lang, cluster.label(s.lang)))
        let body = s.layout.body
        var y = body.y + 1
        func line(_ text: String, _ style: Style = []) {
            guard y < body.bottom else { return }
            c.put(text, x: 0, y: y, limit: body.width, style: style); y += 1
        }
        if let pair = s.pair, pair.count == 2 {
            line(" " + tr(.pairwiseIntro, s.lang), .bold)
            y += 1
            for (label, id) in zip(["A", "B"], pair) {
                guard let p = s.round.product(id) else { continue }
                line(" \(label)  \(p.id)  \(p.name)", [.bold, .accent])
                let producer = s.round.producer(p.producer)
                var facts = [producer?.name ?? p.producer.rawValue, p.category]
                if let price = p.price { facts.append(tr(.price, s.lang, rupiah(price))) }
                if let cap = p.capacity { facts.append(tr(.capacityPerMonth, s.lang, rupiah(cap.amount), cap.unit)) }
                line("    " + facts.joined(separator: " · "))
                if !p.description.isEmpty { line("    " + p.description, .dim) }
                y += 1
            }
        } else {
            line(" " + tr(.pairwiseNone, s.lang), .bold)
            y += 1
        }
        let round = s.round.pairwise(cluster, ranked: s.rankings[cluster] ?? s.round.ranking(cluster), visibleTo: s.curator)
        if !s.round.scoresArePublic {
            for l in tr(.pairwiseBlindNote, s.lang).wrapped(to: body.width - 2) { line(" " + l, .dim) }
        }
        guard !round.order.isEmpty else { line(" " + tr(.pairwiseNoOrder, s.lang), .dim); return }
        line(" " + tr(.pairwiseOrder, s.lang, round.comparisons), .bold)
        for (i, st) in round.order.enumerated() {
            let name = s.round.product(st.product)?.name ?? ""
            line("  \(i + 1)".padded(to: 5) + st.product.rawValue.padded(to: s.idWidth) + " " + name.padded(to: 28) + "  "
                 + tr(.pairwiseRecord, s.lang, st.wins, st.losses, st.ties))
        }
    }
}
