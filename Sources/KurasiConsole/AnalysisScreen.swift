import KurasiCore

extension View {
    // The analysis screen (`a` from the list): per-curator histograms of sheet scores and leniency
    // as bars, each product's chance of the top five as bars, and raw and normalised rank side by
    // side with the moves, for the cluster the list shows. Block characters only, so it reads
    // without colour; it scrolls when it does not fit. The data is computed away from the screen
    // (`Effect.analyse`); until it is there the screen says "menghitung…". While scoring is
    // blind, KurasiCore's one rule decides what of it the active curator may see.

    /// The lines below the analysis screen's first row, before scrolling.
    static func analysisLines(_ s: State) -> [(String, Style)] {
        let lang = s.lang, width = s.layout.width
        var out: [(String, Style)] = []
        if !s.round.scoresArePublic {
            for l in tr(.analysisBlindNote, lang).wrapped(to: width - 2) { out.append((" " + l, [.bold, .accent])) }
            out.append(("", []))
        }
        guard let all = s.analysis else { return out }
        let data = s.round.analysisData(all, visibleTo: s.curator)

        // Curators: histogram (ten bins of 10 points) and leniency around a centre line.
        let bin = width >= 180 ? 3 : width >= 120 ? 2 : 1
        let nameWidth = width >= 120 ? 20 : 12
        let fixed = 2 + 4 + 1 + nameWidth + 1 + 5 + 2 + 10 * bin + 2 + 6 + 1
        let side = max(4, (width - fixed - 3) / 2)
        if !data.curators.isEmpty {
            out.append((" " + tr(.analysisCurators, lang), .bold))
            let top = data.curators.flatMap(\.counts).max() ?? 0
            var head = "  " + "".padded(to: 4 + 1 + nameWidth + 1) + tr(.analysisSheetsShort, lang).padded(to: 5, right: true) + "  "
            head += ("0" + String(repeating: " ", count: max(0, 10 * bin - 4)) + "100").padded(to: 10 * bin) + "  "
            head += tr(.analysisLeniency, lang).padded(to: 6 + 1 + 2 * side + 1)
            out.append((head, .dim))
            for c in data.curators {
                var line = "  " + c.curator.rawValue.padded(to: 4) + " " + c.name.padded(to: nameWidth) + " "
                line += "\(c.sheets)".padded(to: 5, right: true) + "  "
                line += c.counts.map { String(repeating: eighth($0, of: top), count: bin) }.joined() + "  "
                if let v = c.leniencyValue {
                    let cells = Bars.signed(v, limit: 20, width: side)
                    line += signed(v, lang).padded(to: 6, right: true) + " "
                    line += String(repeating: " ", count: side - max(0, -cells)) + String(repeating: "█", count: max(0, -cells))
                    line += "│" + String(repeating: "█", count: max(0, cells))
                } else {
                    line += "–".padded(to: 6, right: true) + " " + String(repeating: " ", count: side) + "│"
                }
                out.append((line, []))
            }
            out.append(("", []))
        }

        let cluster = s.list.cluster
        // The chance of each product being in the top five, most probable first.
        let probabilities = data.probabilities[cluster] ?? []
        out.append((" " + tr(.analysisChances, lang, cluster.label(lang), Stability.defaultResamples, Stability.defaultSeed), .bold))
        if probabilities.isEmpty { out.append(("   " + tr(.analysisNothing, lang), .dim)) }
        let nameCol = width >= 120 ? 30 : 18
        let barWidth = max(4, width - (2 + 2 + 5 + s.idWidth + 1 + nameCol + 1 + 6 + 2) - 2)
        for p in probabilities {
            let product = s.round.product(p.product)
            var line = "  " + (p.inTopFive ? "★ " : "  ")
            line += (p.rank.map { "#\($0)" } ?? "–").padded(to: 4) + " "
            line += p.product.rawValue.padded(to: s.idWidth) + " " + (product?.name ?? "").padded(to: nameCol) + " "
            line += Format.percent(p.probability).padded(to: 6, right: true) + "  " + Bars.draw(Bars.length(p.probability, width: barWidth))
            out.append((line, p.inTopFive ? [] : .dim))
        }
        out.append(("", []))

        // Raw and normalised rank side by side, around the top five.
        out.append((" " + tr(.analysisRanks, lang, cluster.label(lang), s.round.scoreBasis.label(lang)), .bold))
        let rows = (data.ranks[cluster] ?? []).filter { min($0.rawRank ?? .max, $0.normalisedRank ?? .max) <= Self.analysisRankDepth }
        if rows.isEmpty {
            out.append(("   " + tr(.analysisNothing, lang), .dim))
        } else {
            var head = "  " + tr(.colNormRank, lang).padded(to: 5, right: true) + " " + tr(.colRawRank, lang).padded(to: 6, right: true) + "  "
            head += tr(.colID, lang).padded(to: s.idWidth) + " " + tr(.colProduct, lang).padded(to: nameCol) + " "
            head += tr(.colRawScore, lang).padded(to: 6, right: true) + " " + tr(.colNormScore, lang).padded(to: 6, right: true) + "  " + tr(.colMove, lang)
            out.append((head, .dim))
            for r in rows {
                var line = "  " + (r.normalisedRank.map(String.init) ?? "–").padded(to: 5, right: true) + " "
                line += (r.rawRank.map(String.init) ?? "–").padded(to: 6, right: true) + "  "
                line += r.product.rawValue.padded(to: s.idWidth) + " " + r.name.padded(to: nameCol) + " "
                line += fmt(r.raw, lang).padded(to: 6, right: true) + " " + fmt(r.normalised, lang).padded(to: 6, right: true) + "  "
                let move: String = switch r.move {
                case let m? where m > 0: "▲\(m)"
                case let m? where m < 0: "▼\(-m)"
                case .some: "="
                case nil: "–"
                }
                line += move
                out.append((line, (r.move ?? 0) != 0 ? .bold : []))
            }
        }
        return out
    }

    /// The raw and normalised ranks the screen lists: a product within this rank on either basis.
    static let analysisRankDepth = 12

    /// A histogram bin as an eighth block, the fullest bin a full block; an empty bin a dot on the baseline.
    static func eighth(_ count: Int, of top: Int) -> String {
        guard count > 0, top > 0 else { return "·" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let level = max(1, min(8, Int((Double(count) * 8 / Double(top)).rounded())))
        return String(blocks[level - 1])
    }

    /// A signed number of points, one decimal: "+3,2", "−1,0".
    static func signed(_ v: Double, _ lang: Language) -> String {
        let text = fmt(abs(v), lang)
        return (v < 0 && text != fmt(0, lang) ? "−" : "+") + text
    }

    static func analysis(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: tr(.analysisTitle, s.lang, s.round.round.title))
        let body = s.layout.body
        // The cluster tabs and what the data is.
        var x = 1
        for cluster in Cluster.allCases {
            let active = cluster == s.list.cluster
            let label = cluster.label(s.lang)
            x += c.put(active ? "[ \(label) ]" : "  \(label)  ", x: x, y: body.y, style: active ? [.bold, .accent] : .dim) + 1
        }
        let state: String = if s.analysis == nil { tr(.analysisComputing, s.lang) }
            else if s.analysisRevision != s.round.revision { tr(.analysisStale, s.lang, s.analysisRevision ?? 0) }
            else { tr(.revision, s.lang, s.round.revision) }
        c.put(state, x: max(x, body.width - state.columns - 1), y: body.y, style: s.analysis == nil || s.analysisRevision != s.round.revision ? .bold : .dim)
        let lines = analysisLines(s)
        let area = Rect(x: 0, y: body.y + 1, width: body.width, height: body.height - 1)
        let first = min(s.analysisScroll, max(0, lines.count - area.height))
        for (i, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
            c.put(line.0, x: 0, y: area.y + i, limit: area.width, style: line.1)
        }
        // More below (or above): say so on the last (first) row, so paging is not guessed.
        if first + area.height < lines.count {
            let more = tr(.analysisMore, s.lang, lines.count - first - area.height)
            c.put(more, x: max(0, area.width - more.columns - 1), y: area.bottom - 1, style: [.reverse])
        }
        if s.analysis == nil, lines.count < area.height {
            c.put(" " + tr(.analysisComputing, s.lang), x: 0, y: area.y + lines.count, style: .bold)
        }
    }
}

extension State {
    /// The furthest the analysis screen scrolls: its last line at the bottom of the screen.
    var analysisMaxScroll: Int {
        max(0, View.analysisLines(self).count - (layout.body.height - 1))
    }
}
