import KurasiCore

extension View {
    // The shortlist board, for the projector: each cluster's five slots and, once scores are
    // public (deliberation opened, or scoring not blind), the five the rules allow by score.
    // While scoring is blind it shows the pins and no score: KurasiCore's rule for a screen
    // nobody is signed in to.

    static func board(_ s: State, _ c: inout Canvas) {
        let info = s.round.round
        titleBar(s, &c, left: tr(.boardTitle, s.lang, info.title))
        let body = s.layout.body, half = body.width / 2
        let public_ = s.round.scoresArePublic
        var bottom = 0
        // Rows per slot, the same in both clusters so the slots stay side by side: one for an
        // empty slot, two for a pin (its producer under it), three for a pin from outside the top
        // five (its reason under the producer).
        func outsider(_ cluster: Cluster, _ slot: Int) -> Bool {
            guard public_, let pin = s.round.pins(in: cluster).first(where: { $0.slot == slot }) else { return false }
            return !s.round.topFive(of: s.rankings[cluster] ?? []).contains(pin.product)
        }
        let slotRows: [Int: Int] = Dictionary(uniqueKeysWithValues: (1...Round.pinSlots).map { slot in
            (slot, Cluster.allCases.map { cluster in
                s.round.pins(in: cluster).contains { $0.slot == slot } ? (outsider(cluster, slot) ? 3 : 2) : 1
            }.max() ?? 1)
        })
        for (i, cluster) in Cluster.allCases.enumerated() {
            let x = i * half + 1, w = half - 2
            var y = body.y + 1
            let pins = s.round.pins(in: cluster)
            let ranking = s.rankings[cluster] ?? []
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            let top = s.round.topFive(of: ranking).compactMap { byID[$0] }
            c.put("\(cluster.label(s.lang))  \(pins.count)/\(Round.pinSlots)", x: x, y: y, limit: w, style: [.bold, .accent]); y += 1
            for slot in 1...Round.pinSlots {
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    c.put("★\(slot) " + tr(.boardEmptySlot, s.lang), x: x, y: y, limit: w, style: .dim); y += slotRows[slot] ?? 1; continue
                }
                let score = public_ ? fmt(r.aggregate.score, s.lang) : ""
                c.put("★\(slot) \(r.product.id) " + r.product.name.padded(to: max(1, w - 17)) + score.padded(to: 6, right: true),
                      x: x, y: y, limit: w, style: .bold)
                // Whether a pin is outside the top five says something of the scores: only once they are public.
                let override = public_ && !top.contains { $0.product.id == pin.product }
                var sub = "   " + (s.round.producer(r.product.producer)?.name ?? "")
                if public_, let raw = rawBeside(s, r) { sub += " · " + raw }
                c.put(sub, x: x, y: y + 1, limit: w, style: .dim)
                // A pin from outside the top five keeps its producer line; its reason takes a line of its own.
                if override {
                    let why = "   ↑ " + (pin.reason.map { tr(.boardReasonLabel, s.lang, $0) } ?? tr(.boardOverride, s.lang))
                    c.put(why, x: x, y: y + 2, limit: w, style: .warning)
                }
                y += slotRows[slot] ?? 2
            }
            y += 1
            if public_ {
                c.put(tr(.boardTopFive, s.lang), x: x, y: y, limit: w, style: .bold); y += 1
                for r in top {
                    let pinned = pins.contains { $0.product == r.product.id }
                    let mark = pinned ? "★" : "○"
                    // On the normalised basis the raw score stands beside it.
                    let raw = s.round.scoreBasis == .normalised ? fmt(s.round.aggregate(r.product).score, s.lang) : nil
                    c.put("\(mark) \(r.rank.map(String.init) ?? "–"). \(r.product.id) " + r.product.name.padded(to: max(1, w - 19 - (raw == nil ? 0 : 7)))
                          + (raw.map { $0.padded(to: 6, right: true) + " " } ?? "") + fmt(r.aggregate.score, s.lang).padded(to: 6, right: true),
                          x: x, y: y, limit: w, style: pinned ? [] : .warning)
                    y += 1
                }
            }
            bottom = max(bottom, y)
        }
        var y = bottom + (public_ ? 1 : 0)
        if !public_, y < body.bottom {
            for line in tr(.boardBlindNote, s.lang).wrapped(to: body.width - 2) where y < body.bottom {
                c.put(" " + line, x: 0, y: y, style: [.bold, .accent]); y += 1
            }
            y += 1
        }
        if y < body.bottom {
            let zone = info.zone
            let status: String = switch info.status.state {
            case .final:
                tr(.boardFinalizedBy, s.lang, info.status.by ?? "–", info.status.at.map { Format.time($0, zone: zone, s.lang) } ?? "–")
            case .deliberation:
                if let reason = info.status.reason { tr(.boardReopened, s.lang, reason) }
                else { tr(.boardDeliberation, s.lang, info.status.by ?? "–", info.status.at.map { Format.clock($0, zone: zone, s.lang) } ?? "–") }
            case .open:
                info.settings.blindScoring ? tr(.boardScoringNote, s.lang) : ""
            }
            c.put(" " + status, x: 0, y: y, style: info.status.state == .final ? [.bold, .accent] : [])
        }
    }
}
