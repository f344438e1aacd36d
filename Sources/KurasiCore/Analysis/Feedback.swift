/// A feedback sheet for every producer scored: one page per producer, for each of its products
/// each criterion's mean point with its anchored label, the two strongest criteria, the two to
/// improve with the next anchor as the target, and the product's band in its cluster.
///
/// Privacy, by construction: a sheet is built from this producer's own products only, names no
/// curator, and shows per-criterion means only where at least two curators' sheets count, so no
/// single curator's points can be read off it. No other producer's name or score is ever in it.
public struct FeedbackCriterion: Hashable, Sendable {
    public var criterion: CriterionID
    public var name: String
    public var mean: Double
    /// The mean rounded half up to a point of the scale, and that point's anchored label.
    public var point: Int
    public var label: String
    /// The next point and its label, nil at the top of the scale.
    public var next: (point: Int, label: String)?

    public static func == (a: Self, b: Self) -> Bool {
        a.criterion == b.criterion && a.mean == b.mean && a.point == b.point && a.next?.point == b.next?.point
    }
    public func hash(into h: inout Hasher) { h.combine(criterion); h.combine(point) }
}

public struct FeedbackProduct: Hashable, Sendable {
    public var product: ProductID
    public var name: String
    public var cluster: Cluster
    public var score: Double?
    /// "10 besar", "25 % teratas", …; or why the product is not ranked.
    public var band: String
    /// Empty when fewer than two sheets count (see the type's note on privacy).
    public var criteria: [FeedbackCriterion]
    public var strongest: [FeedbackCriterion]
    public var toImprove: [FeedbackCriterion]
    public var note: String?
}

public struct FeedbackSheet: Hashable, Sendable {
    public var producer: ProducerID
    public var producerName: String
    public var products: [FeedbackProduct]
}

extension Round {
    public static let feedbackMinimumSheets = 2

    /// Producers with at least one product that has a counted sheet, by id.
    public var scoredProducers: [ProducerID] {
        var ids = Set<ProducerID>()
        for p in products where aggregate(p).count > 0 { ids.insert(p.producer) }
        return ids.sortedForPeople()
    }

    public func feedback(lang: Language, producers ids: [ProducerID]? = nil) -> [FeedbackSheet] {
        var entries: [ProductID: RankedProduct] = [:], rankedCount: [Cluster: Int] = [:]
        var byProducer: [ProducerID: [ProductID]] = [:]
        for c in Cluster.allCases {
            for r in ranking(c) {
                entries[r.product.id] = r
                if r.rank != nil { rankedCount[c, default: 0] += 1 }
                byProducer[r.product.producer, default: []].append(r.product.id)
            }
        }
        let wanted = ids ?? byProducer.filter { $0.value.contains { (entries[$0]?.aggregate.count ?? 0) > 0 } }.keys.sortedForPeople()
        var out: [FeedbackSheet] = []
        for pid in wanted {
            guard let producer = producer(pid) else { continue }
            let list = (byProducer[pid] ?? []).sortedForPeople().compactMap { id in
                entries[id].map { feedbackProduct($0, rankedCount: rankedCount[$0.product.cluster] ?? 0, lang: lang) }
            }
            out.append(FeedbackSheet(producer: pid, producerName: producer.name, products: list))
        }
        return out
    }

    func band(rank: Int?, of count: Int, _ entry: RankedProduct, _ lang: Language) -> String {
        if !entry.eligible {
            let why = entry.ineligibility.map { $0.text(lang) }.joined(separator: "; ")
            return (tr(.anNotRankedYet, lang)) + why
        }
        guard let rank else { return tr(.anNotScoredYet, lang) }
        if let slot = entry.pinnedSlot { return tr(.anChosen, lang, slot) }
        if rank <= 10 { return tr(.anTopTen, lang) }
        if rank * 4 <= count + 3 { return tr(.anTopQuarter, lang) }
        if rank * 2 <= count + 1 { return tr(.anTopHalf, lang) }
        return tr(.anLowerHalf, lang)
    }

    func feedbackProduct(_ entry: RankedProduct, rankedCount: Int, lang: Language) -> FeedbackProduct {
        let p = entry.product, a = entry.aggregate
        var fp = FeedbackProduct(product: p.id, name: p.name, cluster: p.cluster, score: nil,
                                 band: band(rank: entry.rank, of: rankedCount, entry, lang),
                                 criteria: [], strongest: [], toImprove: [], note: nil)
        guard a.count >= Self.feedbackMinimumSheets else {
            fp.note = a.count == 0 ? (tr(.anThisProductHasNot, lang))
                : (tr(.anScoredByFewerThan, lang))
            if a.count > 0 { fp.band = tr(.anWaitingForMoreCurators, lang) }
            return fp
        }
        fp.score = a.score
        let lo = rubric.scaleMin, hi = rubric.scaleMax
        var crit: [(FeedbackCriterion, weight: Int, order: Int)] = []
        for (i, c) in rubric.criteria.enumerated() {
            guard let mean = a.criterionMeans[c.id] else { continue }
            let point = Swift.min(hi, Swift.max(lo, Int((mean * 1e6).rounded() / 1e6 + 0.5)))
            func label(_ pt: Int) -> String {
                let k = pt - lo
                return c.anchors.indices.contains(k) ? c.anchors[k].text(lang) : ""
            }
            let next = point < hi ? (point: point + 1, label: label(point + 1)) : nil
            crit.append((FeedbackCriterion(criterion: c.id, name: c.name.text(lang), mean: mean, point: point,
                                           label: label(point), next: next), rubric.weight(of: c, in: p.cluster), i))
        }
        fp.criteria = crit.map(\.0)
        fp.strongest = crit.sorted {
            $0.0.mean != $1.0.mean ? $0.0.mean > $1.0.mean : $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order
        }.prefix(2).map(\.0)
        fp.toImprove = crit.filter { $0.0.next != nil && !fp.strongest.contains($0.0) }.sorted {
            $0.0.mean != $1.0.mean ? $0.0.mean < $1.0.mean : $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order
        }.prefix(2).map(\.0)
        return fp
    }
}

extension FeedbackSheet {
    /// A safe file name for the sheet: the producer id with anything but letters, digits, '-' and
    /// '_' replaced by '_'.
    public var fileStem: String {
        String(producer.rawValue.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    public func markdown(round: RoundInfo, lang: Language) -> String {
        func e(_ s: String) -> String { Feedback.escapeMarkdown(s) }
        var out: [String] = []
        out.append("# " + (tr(.anCurationFeedback, lang)) + " · " + e(round.title))
        out.append("")
        out.append("**\(e(producerName))** (\(e(producer.rawValue))) · \(Format.date(round.date, lang))")
        out.append("")
        out.append(tr(.anThankYouForTaking, lang))
        for p in products {
            out.append("")
            out.append("## \(e(p.name)) (\(e(p.product.rawValue))) · \(p.cluster.label(lang))")
            out.append("")
            var head = (tr(.anPlaceInTheCluster, lang)) + e(p.band)
            if let s = p.score { head = (tr(.anScore, lang)) + Format.score(s, lang) + " / 100 · " + head }
            out.append(head)
            if let note = p.note { out.append(""); out.append(e(note)); continue }
            out.append("")
            out.append(tr(.anCriterionMeanMeaning, lang))
            out.append("|---|---:|---|")
            for c in p.criteria { out.append("| \(e(c.name)) | \(Format.score(c.mean, lang)) | \(c.point): \(e(c.label)) |") }
            out.append("")
            out.append((tr(.anStrengths, lang)) + p.strongest.map { "\(e($0.name)) (\(Format.score($0.mean, lang)))" }.joined(separator: ", "))
            out.append("")
            out.append(tr(.anToImprove, lang))
            out.append("")
            for c in p.toImprove {
                guard let n = c.next else { continue }
                out.append("- \(e(c.name)): \(c.point) → \(n.point), \(e(n.label))")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    public func html(round: RoundInfo, lang: Language) -> String {
        func e(_ s: String) -> String { s.htmlSafe }
        var out: [String] = []
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"\(lang.rawValue)\"><head><meta charset=\"utf-8\">")
        out.append("<title>\(e((tr(.anCurationFeedback, lang)) + " · " + producerName))</title>")
        out.append("<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}td.n{text-align:right}</style>")
        out.append("</head><body>")
        out.append("<h1>\(e((tr(.anCurationFeedback, lang)) + " · " + round.title))</h1>")
        out.append("<p><strong>\(e(producerName))</strong> (\(e(producer.rawValue))) · \(e(Format.date(round.date, lang)))</p>")
        for p in products {
            out.append("<h2>\(e(p.name)) (\(e(p.product.rawValue))) · \(e(p.cluster.label(lang)))</h2>")
            var head = (tr(.anPlaceInTheCluster, lang)) + p.band
            if let s = p.score { head = (tr(.anScore, lang)) + Format.score(s, lang) + " / 100 · " + head }
            out.append("<p>\(e(head))</p>")
            if let note = p.note { out.append("<p>\(e(note))</p>"); continue }
            out.append("<table><tr><th>\(tr(.anCriterion, lang))</th><th>\(tr(.anMean, lang))</th><th>\(tr(.anMeaning, lang))</th></tr>")
            for c in p.criteria {
                out.append("<tr><td>\(e(c.name))</td><td class=\"n\">\(Format.score(c.mean, lang))</td><td>\(c.point): \(e(c.label))</td></tr>")
            }
            out.append("</table>")
            out.append("<p><strong>\(tr(.anStrengths2, lang)):</strong> " + p.strongest.map { "\(e($0.name)) (\(Format.score($0.mean, lang)))" }.joined(separator: ", ") + "</p>")
            out.append("<p><strong>\(tr(.anToImprove2, lang)):</strong></p><ul>")
            for c in p.toImprove {
                guard let n = c.next else { continue }
                out.append("<li>\(e(c.name)): \(c.point) → \(n.point), \(e(n.label))</li>")
            }
            out.append("</ul>")
        }
        out.append("</body></html>")
        out.append("")
        return out.joined(separator: "\n")
    }
}

public enum Feedback {
    /// The characters `escapeMarkdown` escapes, as bytes: \ ` * _ [ ] < > | #
    static let markup: Set<UInt8> = Set("\\`*_[]<>|#".utf8)
    /// Markdown for a feedback sheet: control characters shown as U+FFFD, markup characters
    /// backslash-escaped (the sheets keep `&` as typed; HTML comes from `String.htmlSafe`).
    public static func escapeMarkdown(_ s: String) -> String {
        // Printable ASCII (nearly every name and label): one character per byte, so the bytes
        // are escaped directly, without walking the text character by character.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            guard s.utf8.contains(where: { markup.contains($0) }) else { return s }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.utf8.count + 8)
            for b in s.utf8 {
                if markup.contains(b) { bytes.append(0x5C) }
                bytes.append(b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        for ch in s.displaySafe {
            if "\\`*_[]<>|#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
