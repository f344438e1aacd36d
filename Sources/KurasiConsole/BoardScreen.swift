import KurasiCore

extension View {
    // The shortlist board, for the projector: each cluster's five slots and its top five by score.

    static func board(_ s: State, _ c: inout Canvas) {
        let info = s.round.round
        titleBar(s, &c, left: tr(.boardTitle, s.lang, info.title))
        let body = s.layout.body, half = body.width / 2
        var bottom = 0
        for (i, cluster) in Cluster.allCases.enumerated() {
            let x = i * half + 1, w = half - 2
            var y = body.y + 1
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
        if y < body.bottom {
            let status: String = if info.status.state == .final {
                tr(.boardFinalizedBy, s.lang, info.status.by ?? "–", info.status.at ?? "–")
            } else if let reason = info.status.reason {
                tr(.boardReopened, s.lang, reason) + " · " + tr(.boardFinalHint, s.lang)
            } else { tr(.boardFinalHint, s.lang) }
            c.put(" " + status, x: 0, y: y, style: info.status.state == .final ? [.bold, .accent] : [])
        }
    }
}
