/// The minutes' section on the fairness of the scoring: the score basis the chair chose (and
/// which curators normalisation left raw), how stable each cluster's top five is (the bootstrap's
/// percentages and any curator whose sheets alone decide it), and what the pairwise round at the
/// cut line found. Markdown; `escape` makes values from data safe.
extension Round {
    public func fairnessMinutes(lang: Language, escape e: (String) -> String, seed: UInt64 = Stability.defaultSeed,
                                resamples: Int = Stability.defaultResamples) -> String {
        let id = lang == .id
        func L(_ a: String, _ b: String) -> String { id ? a : b }
        var md = "\n## \(L("Keadilan penilaian", "Fairness of the scoring"))\n\n"
        let basisEvent = events.last { $0.change.fairnessChanges.contains { if case .scoreBasis = $0 { true } else { false } } }
        let chosen = basisEvent.map { ev in
            L(" (dipilih oleh \(e(curator(ev.by)?.name ?? ev.by)), \(e(Format.time(ev.at, zone: round.zone, lang))))",
              " (chosen by \(e(curator(ev.by)?.name ?? ev.by)), \(e(Format.time(ev.at, zone: round.zone, lang))))")
        } ?? ""
        md += L("- Dasar skor peringkat: skor \(scoreBasis.label(lang))\(chosen).\n",
                "- Score basis of the ranking: \(scoreBasis.label(lang)) scores\(chosen).\n")
        if scoreBasis == .normalised {
            let raw = normalisation().scales.values.filter { $0.treatment != .normalised }.map(\.curator).sorted()
            md += L("- Skor tiap kurator dinormalisasi (skor z, diskalakan ke rerata dan simpangan baku komite)",
                    "- Each curator's scores normalised (z-scores rescaled to the committee's mean and standard deviation)")
            md += raw.isEmpty ? "" : L("; tetap mentah (kurang dari \(Normalisation.minimumSheets) lembar atau tanpa sebaran): \(raw.map(e).joined(separator: ", ")).\n",
                                          "; left raw (fewer than \(Normalisation.minimumSheets) sheets or no spread): \(raw.map(e).joined(separator: ", "))")
            md += L(". Peringkat 1–5, skor mentah → ternormalisasi: ", ". Ranks 1–5, raw → normalised score: ")
            md += Cluster.allCases.flatMap { c in
                normalisedRows(c).filter { ($0.normalisedRank ?? .max) <= Round.pinSlots }.map {
                    "\(e($0.product)) \(Format.score($0.raw, lang)) → \(Format.score($0.normalised, lang))"
                }
            }.joined(separator: ", ") + ".\n"
        }
        let stability = stability(seed: seed, resamples: resamples)
        for c in stability.clusters where !c.topFive.isEmpty {
            let shown = c.probabilities.filter { $0.inTopFive || $0.probability >= 0.05 }
            md += L("- \(c.cluster.label(lang)), peluang masuk lima besar (bootstrap \(Format.count(resamples, lang)) kali, seed \(seed)): ",
                    "- \(c.cluster.label(lang)), probability of being in the top five (bootstrap, \(Format.count(resamples, lang)) resamples, seed \(seed)): ")
            md += shown.map { "\(e($0.product)) \(Format.percent($0.probability))" }.joined(separator: ", ") + ".\n"
            let decisive = c.leaveOneOut.filter(\.changes)
            if decisive.isEmpty {
                md += L("  Tanpa kurator mana pun, lima besar tetap sama.\n", "  Without any one curator, the top five stays the same.\n")
            } else {
                for d in decisive {
                    md += L("  Tanpa lembar \(e(d.curator)): keluar \(d.leaves.map(e).joined(separator: ", ")), masuk \(d.enters.map(e).joined(separator: ", ")).\n",
                            "  Without the sheets of \(e(d.curator)): out \(d.leaves.map(e).joined(separator: ", ")), in \(d.enters.map(e).joined(separator: ", ")).\n")
                }
            }
        }
        for cluster in Cluster.allCases {
            let p = pairwise(cluster, everything: true)
            guard p.comparisons > 0 else { continue }
            md += L("- \(cluster.label(lang)), perbandingan berpasangan di garis batas (\(p.comparisons) perbandingan), urutan Bradley-Terry: ",
                    "- \(cluster.label(lang)), pairwise comparisons at the cut line (\(p.comparisons) comparisons), Bradley-Terry order: ")
            md += p.order.filter { $0.comparisons > 0 }.map { e($0.product) }.joined(separator: ", ") + ".\n"
        }
        let origins = finalistOrigins.values.sorted { $0.cluster != $1.cluster ? $0.cluster < $1.cluster : $0.product < $1.product }
        if !origins.isEmpty {
            md += L("- Finalis dari putaran kota (skor kota sebagai acuan, tidak dihitung):\n",
                    "- Finalists from city rounds (the city's score for reference, not counted):\n")
            for o in origins {
                let name = product(o.product).map { " " + e($0.name) } ?? ""
                md += "  - \(e(o.product))\(name): \(e(o.round))" + (o.organizer.isEmpty ? "" : ", \(e(o.organizer))")
                    + ", \(e(Format.date(o.date, lang))), \(o.cluster.label(lang)) ★\(o.slot), "
                    + L("skor kota ", "city score ") + Format.score(o.score, lang) + "\n"
            }
        }
        return md
    }
}
