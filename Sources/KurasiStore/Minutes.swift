import Foundation
import KurasiCore

extension Export {
    /// The round's minutes (berita acara), a document the committee signs: who sat on the
    /// committee and how many sheets each completed, the conflicts of interest and what they set
    /// aside, when deliberation opened, every finalisation and reopening with its reason, the five
    /// pins of each cluster with their permits, the ranked products, and the place and date above
    /// the signatures. Numbers and times come from `Format`, as on the console. Rendered as
    /// Markdown (`minutes`) or as HTML to print (`minutesHTML`).
    public static func minutesDocument(_ round: Round, lang: Language = .id, number: String? = nil) -> Document {
        let zone = round.round.zone
        func when(_ iso: String?) -> String { iso.map { Format.time($0, zone: zone, lang) } ?? "–" }
        func score(_ x: Double?) -> String { Format.score(x, lang) }
        func who(_ id: CuratorID?) -> String {
            guard let id else { return "–" }
            return round.curator(id).map { "\($0.name) (\($0.id))" } ?? id.rawValue
        }
        func roleName(_ r: CuratorRole) -> String {
            switch r {
            case .chair: tr(.mnChair, lang)
            case .secretary: tr(.mnSecretary, lang)
            case .curator: tr(.mnCurator, lang)
            }
        }
        let info = round.round
        let heading = "\(tr(.mnCurationMinutes, lang)): \(info.title)"
        var doc = Document(title: heading, lang: lang)
        doc.add(.title(heading))
        doc.para("\(tr(.mnNumber, lang)): \(number ?? "______________________")")
        var facts: [[Document.Span]] = [
            [.text("\(tr(.mnOrganiser, lang)): \(info.organizer)")],
            [.text("\(tr(.mnDateOfTheRound, lang)): \(Format.date(info.date, lang))")],
        ]
        switch info.status.state {
        case .final:
            facts.append([.text("\(tr(.mnStatus, lang)): "), .strong("FINAL"),
                          .text(", \(tr(.mnFinalisedBy, lang)) \(who(info.status.by)) \(tr(.mnOn, lang)) \(when(info.status.at))")])
        case .deliberation:
            facts.append([.text("\(tr(.mnStatus, lang)): \(tr(.mnDeliberationNotFinal, lang))")])
        case .open:
            facts.append([.text("\(tr(.mnStatus, lang)): \(tr(.mnScoringInProgressNot, lang))")])
        }
        let aggregation = info.settings.aggregation == .mean ? tr(.mnMean, lang) : tr(.mnMedian, lang)
        facts.append([.text("\(tr(.mnProductScore, lang)): \(aggregation) \(tr(.mnOfTheCompleteScore, lang))")])
        facts.append([.text("\(tr(.mnChangesOnRecord, lang)): \(Format.count(round.events.count, lang))")])
        doc.add(.list(facts))

        // The course of the round: deliberation, finalisations and reopenings, in order.
        let steps = round.events.compactMap { ev -> String? in
            guard case let .status(_, to) = ev.change else { return nil }
            let whoWhen = "\(who(ev.by)), \(when(ev.at))"
            switch to.state {
            case .deliberation where to.reason == nil: return tr(.mnDeliberationOpenedBy, lang) + whoWhen
            case .final: return tr(.mnFinalisedBy2, lang) + whoWhen
            default: return tr(.mnReopenedBy, lang) + whoWhen + tr(.mnReason, lang) + (to.reason ?? "–")
            }
        }
        doc.add(.heading(tr(.mnCourseOfTheRound, lang)))
        if steps.isEmpty { doc.para(tr(.mnNoPhaseOpenedOr, lang)) }
        else { doc.add(.list(steps.map { [.text($0)] })) }

        // The committee and how many complete sheets each made.
        var sheets: [CuratorID: Int] = [:]
        for (p, byCurator) in round.scores {
            guard round.product(p) != nil else { continue }
            for (c, sheet) in byCurator where round.isComplete(sheet) { sheets[c, default: 0] += 1 }
        }
        doc.add(.heading(tr(.mnTheCommittee, lang)))
        doc.add(.table(header: ["ID", tr(.mnName, lang), tr(.mnRole, lang), tr(.mnCompleteScoreSheets, lang)],
                       align: [.left, .left, .left, .right],
                       rows: round.curators.map { [$0.id.rawValue, $0.name, roleName($0.role), String(sheets[$0.id] ?? 0)] }))

        // Conflicts of interest, by producer and product, and the sheets they set aside.
        doc.add(.heading(tr(.mnConflictsOfInterest, lang)))
        let conflicts = round.curators.flatMap { c in c.conflicts.map { (c, $0) } }
        if conflicts.isEmpty { doc.para(tr(.mnNoConflictOfInterest, lang)) }
        var conflictItems: [[Document.Span]] = []
        for (c, conflict) in conflicts {
            let producer = round.producer(conflict.producer)
            let products = round.products.filter { $0.producer == conflict.producer }
            var line = "\(who(c.id)) · \(producer?.name ?? conflict.producer.rawValue) (\(conflict.producer))"
            if !products.isEmpty { line += ": " + products.map { "\($0.id) \($0.name)" }.joined(separator: ", ") }
            line += " · \(conflict.reason)"
            if let w = conflict.withdrawn {
                line += tr(.mnWithdrawnBy, lang) + "\(who(w.by)), \(when(w.at)): \(w.reason)"
            } else {
                line += tr(.mnNeitherScoresNorPins, lang)
                let aside = products.filter { round.aggregate($0).setAside.contains(c.id) }.map(\.id)
                if !aside.isEmpty {
                    line += tr(.mnScoreSheetsSetAside, lang) + aside.joined(separator: ", ")
                }
            }
            conflictItems.append([.text(line)])
        }
        if !conflictItems.isEmpty { doc.add(.list(conflictItems)) }

        doc.add(.heading("\(tr(.mnRubric, lang)) (\(tr(.mnScale, lang)) \(round.rubric.scaleMin)–\(round.rubric.scaleMax))"))
        doc.add(.table(header: [tr(.mnCriterion, lang), tr(.mnMaminWeight, lang), tr(.mnNonMaminWeight, lang)],
                       align: [.left, .right, .right],
                       rows: round.rubric.criteria.map { k in
                           [k.name.text(lang), String(round.rubric.weight(of: k, in: .mamin)), String(round.rubric.weight(of: k, in: .nonMamin))]
                       }))

        var rankings: [Cluster: [RankedProduct]] = [:]
        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            rankings[cluster] = ranking
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            doc.add(.heading("\(tr(.mnSelection, lang)) \(cluster.label(lang))"))
            let pins = round.pins(in: cluster)
            let rows: [[String]] = (1...Round.pinSlots).map { slot in
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    return ["★\(slot)", tr(.mnEmpty, lang), "", "", "", "", "", "", ""]
                }
                let producer = round.producer(r.product.producer)
                return ["★\(slot)", r.product.id.rawValue, r.product.name, producer?.name ?? "", producer?.kelurahan ?? "",
                        score(r.aggregate.score), String(r.aggregate.count), r.rank.map(String.init) ?? "–", pin.reason ?? ""]
            }
            doc.add(.table(header: [tr(.mnSlot, lang), "ID", tr(.mnProduct, lang), tr(.mnProducer, lang), "Kelurahan",
                                    tr(.mnScore, lang), "n", tr(.mnRank, lang), tr(.mnReasonOutsideTheTop, lang)],
                           align: [.right, .left, .left, .left, .left, .right, .right, .right, .left], rows: rows))
            let pinned = pins.sorted { $0.slot < $1.slot }.compactMap { round.product($0.product) }.filter { !$0.permits.isEmpty }
            if !pinned.isEmpty {
                doc.para(tr(.mnPermitsOfTheChosen, lang))
                doc.add(.list(pinned.map { p in
                    let list = p.permits.map { permit in
                        "\(permit.kind.rawValue) \(permit.number)" + (permit.expires.map { tr(.mnValidUntil, lang) + Format.date($0, lang) } ?? "")
                    }.joined(separator: "; ")
                    return [.text("\(p.id) \(p.name): \(list)")]
                }))
            }
            let top = round.topFive(of: ranking).compactMap { byID[$0] }
            doc.para("\(tr(.mnTopFiveByScore, lang)): "
                + (top.isEmpty ? "–" : top.map { "\($0.product.id) \($0.product.name) (\(score($0.aggregate.score)))" }.joined(separator: "; ")))
        }

        let fairness = round.fairnessMinutes(lang: lang)
        doc.add(.heading(fairness.heading))
        if !fairness.items.isEmpty { doc.add(.list(fairness.items.map { [.text($0)] })) }

        // Place and date above the signatures, before the appendix.
        let place = info.place ?? "______________"
        let day = Format.date(String((info.status.state == .final ? info.status.at : nil)?.prefix(10) ?? Substring(info.date)), lang)
        doc.add(.heading(tr(.mnSignatures, lang)))
        doc.para("\(place), \(day)")
        doc.add(.signatures(header: [tr(.mnName, lang), tr(.mnRole, lang)],
                            rows: round.curators.map { ["\($0.name) (\($0.id))", roleName($0.role)] }))

        doc.add(.pageBreak)
        doc.add(.heading(tr(.mnAppendixRankedProducts, lang)))
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            let ranked = ranking.filter { $0.rank != nil }
            doc.add(.subheading(cluster.label(lang)))
            if ranked.isEmpty {
                doc.para(tr(.mnNoProductIsRanked, lang))
            } else {
                doc.add(.table(header: ["#", "ID", tr(.mnProduct, lang), tr(.mnProducer, lang), tr(.mnScore, lang), "n", "min", "max", "sd", "Pin"],
                               align: [.right, .left, .left, .left, .right, .right, .right, .right, .right, .left],
                               rows: ranked.map { r in
                                   let a = r.aggregate
                                   return [String(r.rank!), r.product.id.rawValue, r.product.name, round.producer(r.product.producer)?.name ?? "",
                                           score(a.score), String(a.count), score(a.min), score(a.max), score(a.standardDeviation),
                                           r.pinnedSlot.map { "★\($0)" } ?? ""]
                               }))
            }
            let unscored = ranking.filter { $0.rank == nil && $0.eligible }.count
            let ineligible = ranking.filter { !$0.eligible }.count
            doc.para(tr(.mnBesidesThese, lang, Format.count(unscored, lang), Format.count(ineligible, lang)))
        }
        return doc
    }

    /// The minutes in Markdown.
    public static func minutes(_ round: Round, lang: Language = .id, number: String? = nil) -> String {
        minutesDocument(round, lang: lang, number: number).markdown()
    }

    /// The minutes as an HTML page ready to print on A4 and sign.
    public static func minutesHTML(_ round: Round, lang: Language = .id, number: String? = nil) -> String {
        minutesDocument(round, lang: lang, number: number).html()
    }
}
