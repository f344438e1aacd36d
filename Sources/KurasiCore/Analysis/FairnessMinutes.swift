/// The minutes' section on the fairness of the scoring: the score basis the chair chose (and
/// which curators normalisation left raw), how stable each cluster's top five is (the bootstrap's
/// percentages and any curator whose sheets alone decide it), what the pairwise round at the cut
/// line found, and which round each imported finalist came from. Plain text: a heading and list
/// items, which the minutes' renderer escapes like every other value.
public struct FairnessMinutes: Hashable, Sendable {
    public var heading: String
    public var items: [String]
}

extension Round {
    public func fairnessMinutes(lang: Language, seed: UInt64 = Stability.defaultSeed,
                                resamples: Int = Stability.defaultResamples) -> FairnessMinutes {
        var items: [String] = []
        let basisEvent = events.last { $0.change.fairnessChanges.contains { if case .scoreBasis = $0 { true } else { false } } }
        let chosen = basisEvent.map { ev in
            let who = curator(ev.by)?.name ?? ev.by.rawValue, when = Format.time(ev.at, zone: round.zone, lang)
            return tr(.fmnChosenBy, lang, who, when)
        } ?? ""
        items.append(tr(.fmnBasis, lang, scoreBasis.label(lang), chosen))
        if scoreBasis == .normalised {
            let n = normalisation()
            let raw = n.scales.values.filter { $0.treatment != .normalised }.map(\.curator).sorted()
            var s = tr(.fmnNormalised, lang)
            if !raw.isEmpty {
                s += tr(.fmnLeftRaw, lang, Normalisation.minimumSheets, raw.joined(separator: ", "))
            }
            items.append(s + ".")
            let moves = Cluster.allCases.flatMap { c in
                normalisedRows(c, normalisation: n).filter { ($0.normalisedRank ?? .max) <= Round.pinSlots }.map {
                    "\($0.product) \(Format.score($0.raw, lang)) → \(Format.score($0.normalised, lang))"
                }
            }
            items.append(tr(.fmnMoves, lang, moves.joined(separator: ", ")))
        }
        for c in stability(seed: seed, resamples: resamples).clusters where !c.topFive.isEmpty {
            let shown = c.probabilities.filter { $0.inTopFive || $0.probability >= 0.05 }
            items.append(tr(.fmnChances, lang, c.cluster.label(lang), Format.count(resamples, lang), seed,
                            shown.map { "\($0.product) \(Format.percent($0.probability))" }.joined(separator: ", ")))
            let decisive = c.leaveOneOut.filter(\.changes)
            if decisive.isEmpty {
                items.append(tr(.fmnStable, lang, c.cluster.label(lang)))
            }
            for d in decisive {
                items.append(tr(.fmnWithout, lang, c.cluster.label(lang), d.curator, d.leaves.joined(separator: ", "), d.enters.joined(separator: ", ")))
            }
        }
        for cluster in Cluster.allCases {
            let p = pairwise(cluster, everything: true)
            guard p.comparisons > 0 else { continue }
            items.append(tr(.fmnPairwise, lang, cluster.label(lang), p.comparisons,
                            p.order.filter { $0.comparisons > 0 }.map(\.product.rawValue).joined(separator: ", ")))
        }
        let origins = finalistOrigins.values.sorted { $0.cluster != $1.cluster ? $0.cluster < $1.cluster : $0.product.precedes($1.product) }
        for o in origins {
            let name = product(o.product).map { " " + $0.name } ?? ""
            items.append(tr(.fmnFinalist, lang, o.product, name, o.round, o.organizer.isEmpty ? "" : ", \(o.organizer)",
                            Format.date(o.date, lang), o.cluster.label(lang), o.slot, Format.score(o.score, lang)))
        }
        return FairnessMinutes(heading: tr(.fmnHeading, lang), items: items)
    }
}
