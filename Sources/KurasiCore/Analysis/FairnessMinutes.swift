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
        let id = lang == .id
        func L(_ a: String, _ b: String) -> String { id ? a : b }
        var items: [String] = []
        let basisEvent = events.last { $0.change.fairnessChanges.contains { if case .scoreBasis = $0 { true } else { false } } }
        let chosen = basisEvent.map { ev in
            let who = curator(ev.by)?.name ?? ev.by.rawValue, when = Format.time(ev.at, zone: round.zone, lang)
            return L(", dipilih oleh \(who), \(when)", ", chosen by \(who), \(when)")
        } ?? ""
        items.append(L("Dasar skor peringkat: skor \(scoreBasis.label(lang))\(chosen).",
                       "Score basis of the ranking: \(scoreBasis.label(lang)) scores\(chosen)."))
        if scoreBasis == .normalised {
            let n = normalisation()
            let raw = n.scales.values.filter { $0.treatment != .normalised }.map(\.curator).sorted()
            var s = L("Skor tiap kurator dinormalisasi: skor z, diskalakan ke rerata dan simpangan baku komite",
                      "Each curator's scores normalised: z-scores rescaled to the committee's mean and standard deviation")
            if !raw.isEmpty {
                s += L("; tetap mentah, kurang dari \(Normalisation.minimumSheets) lembar atau tanpa sebaran: \(raw.joined(separator: ", "))",
                       "; left raw, fewer than \(Normalisation.minimumSheets) sheets or no spread: \(raw.joined(separator: ", "))")
            }
            items.append(s + ".")
            let moves = Cluster.allCases.flatMap { c in
                normalisedRows(c, normalisation: n).filter { ($0.normalisedRank ?? .max) <= Round.pinSlots }.map {
                    "\($0.product) \(Format.score($0.raw, lang)) → \(Format.score($0.normalised, lang))"
                }
            }
            items.append(L("Peringkat 1–5, skor mentah → ternormalisasi: ", "Ranks 1–5, raw → normalised score: ") + moves.joined(separator: ", ") + ".")
        }
        for c in stability(seed: seed, resamples: resamples).clusters where !c.topFive.isEmpty {
            let shown = c.probabilities.filter { $0.inTopFive || $0.probability >= 0.05 }
            items.append(L("\(c.cluster.label(lang)), peluang masuk lima besar, bootstrap \(Format.count(resamples, lang)) kali, seed \(seed): ",
                           "\(c.cluster.label(lang)), probability of being in the top five, bootstrap of \(Format.count(resamples, lang)) resamples, seed \(seed): ")
                + shown.map { "\($0.product) \(Format.percent($0.probability))" }.joined(separator: ", ") + ".")
            let decisive = c.leaveOneOut.filter(\.changes)
            if decisive.isEmpty {
                items.append(L("\(c.cluster.label(lang)): tanpa kurator mana pun, lima besar tetap sama.",
                               "\(c.cluster.label(lang)): without any one curator, the top five stays the same."))
            }
            for d in decisive {
                items.append(L("\(c.cluster.label(lang)): tanpa lembar \(d.curator), keluar \(d.leaves.joined(separator: ", ")), masuk \(d.enters.joined(separator: ", ")).",
                               "\(c.cluster.label(lang)): without the sheets of \(d.curator), out \(d.leaves.joined(separator: ", ")), in \(d.enters.joined(separator: ", "))."))
            }
        }
        for cluster in Cluster.allCases {
            let p = pairwise(cluster, everything: true)
            guard p.comparisons > 0 else { continue }
            items.append(L("\(cluster.label(lang)), perbandingan berpasangan di garis batas, \(p.comparisons) perbandingan, urutan Bradley-Terry: ",
                           "\(cluster.label(lang)), pairwise comparisons at the cut line, \(p.comparisons) comparisons, Bradley-Terry order: ")
                + p.order.filter { $0.comparisons > 0 }.map(\.product.rawValue).joined(separator: ", ") + ".")
        }
        let origins = finalistOrigins.values.sorted { $0.cluster != $1.cluster ? $0.cluster < $1.cluster : $0.product < $1.product }
        for o in origins {
            let name = product(o.product).map { " " + $0.name } ?? ""
            items.append(L("Finalis \(o.product)\(name) dari \(o.round)", "Finalist \(o.product)\(name) from \(o.round)")
                + (o.organizer.isEmpty ? "" : ", \(o.organizer)") + ", \(Format.date(o.date, lang)), \(o.cluster.label(lang)) ★\(o.slot), "
                + L("skor kota ", "city score ") + Format.score(o.score, lang) + L(" sebagai acuan, tidak dihitung.", " for reference, not counted."))
        }
        return FairnessMinutes(heading: L("Keadilan penilaian", "Fairness of the scoring"), items: items)
    }
}
