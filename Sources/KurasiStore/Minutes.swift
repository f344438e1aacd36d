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
        let L = { (id: String, en: String) in lang == .id ? id : en }
        let zone = round.round.zone
        func when(_ iso: String?) -> String { iso.map { Format.time($0, zone: zone, lang) } ?? "–" }
        func score(_ x: Double?) -> String { Format.score(x, lang) }
        func who(_ id: CuratorID?) -> String {
            guard let id else { return "–" }
            return round.curator(id).map { "\($0.name) (\($0.id))" } ?? id.rawValue
        }
        func roleName(_ r: CuratorRole) -> String {
            switch r {
            case .chair: L("ketua", "chair")
            case .secretary: L("sekretaris", "secretary")
            case .curator: L("kurator", "curator")
            }
        }
        let info = round.round
        let heading = "\(L("Berita Acara Kurasi", "Curation Minutes")): \(info.title)"
        var doc = Document(title: heading, lang: lang)
        doc.add(.title(heading))
        doc.para("\(L("Nomor", "Number")): \(number ?? "______________________")")
        var facts: [[Document.Span]] = [
            [.text("\(L("Penyelenggara", "Organiser")): \(info.organizer)")],
            [.text("\(L("Tanggal kurasi", "Date of the round")): \(Format.date(info.date, lang))")],
        ]
        switch info.status.state {
        case .final:
            facts.append([.text("\(L("Status", "Status")): "), .strong("FINAL"),
                          .text(", \(L("difinalisasi oleh", "finalised by")) \(who(info.status.by)) \(L("pada", "on")) \(when(info.status.at))")])
        case .deliberation:
            facts.append([.text("\(L("Status", "Status")): \(L("musyawarah (belum final)", "deliberation (not final)"))")])
        case .open:
            facts.append([.text("\(L("Status", "Status")): \(L("penilaian masih berjalan (belum final)", "scoring in progress (not final)"))")])
        }
        let aggregation = info.settings.aggregation == .mean ? L("rata-rata", "mean") : L("median", "median")
        facts.append([.text("\(L("Skor produk", "Product score")): \(aggregation) \(L("skor lembar penilaian yang lengkap, 0–100", "of the complete score sheets, 0–100"))")])
        facts.append([.text("\(L("Jumlah perubahan tercatat", "Changes on record")): \(Format.count(round.events.count, lang))")])
        doc.add(.list(facts))

        // The course of the round: deliberation, finalisations and reopenings, in order.
        let steps = round.events.compactMap { ev -> String? in
            guard case let .status(_, to) = ev.change else { return nil }
            let whoWhen = "\(who(ev.by)), \(when(ev.at))"
            switch to.state {
            case .deliberation where to.reason == nil: return L("Tahap musyawarah dibuka oleh ", "Deliberation opened by ") + whoWhen
            case .final: return L("Difinalisasi oleh ", "Finalised by ") + whoWhen
            default: return L("Dibuka kembali oleh ", "Reopened by ") + whoWhen + L(", alasan: ", ", reason: ") + (to.reason ?? "–")
            }
        }
        doc.add(.heading(L("Jalannya kurasi", "Course of the round")))
        if steps.isEmpty { doc.para(L("Belum ada tahap yang dibuka atau ditutup.", "No phase opened or closed yet.")) }
        else { doc.add(.list(steps.map { [.text($0)] })) }

        // The committee and how many complete sheets each made.
        var sheets: [CuratorID: Int] = [:]
        for (p, byCurator) in round.scores {
            guard round.product(p) != nil else { continue }
            for (c, sheet) in byCurator where round.isComplete(sheet) { sheets[c, default: 0] += 1 }
        }
        doc.add(.heading(L("Komite kurasi", "The committee")))
        doc.add(.table(header: ["ID", L("Nama", "Name"), L("Peran", "Role"), L("Lembar penilaian lengkap", "Complete score sheets")],
                       align: [.left, .left, .left, .right],
                       rows: round.curators.map { [$0.id.rawValue, $0.name, roleName($0.role), String(sheets[$0.id] ?? 0)] }))

        // Conflicts of interest, by producer and product, and the sheets they set aside.
        doc.add(.heading(L("Konflik kepentingan", "Conflicts of interest")))
        let conflicts = round.curators.flatMap { c in c.conflicts.map { (c, $0) } }
        if conflicts.isEmpty { doc.para(L("Tidak ada konflik kepentingan yang dinyatakan.", "No conflict of interest was declared.")) }
        var conflictItems: [[Document.Span]] = []
        for (c, conflict) in conflicts {
            let producer = round.producer(conflict.producer)
            let products = round.products.filter { $0.producer == conflict.producer }
            var line = "\(who(c.id)) · \(producer?.name ?? conflict.producer.rawValue) (\(conflict.producer))"
            if !products.isEmpty { line += ": " + products.map { "\($0.id) \($0.name)" }.joined(separator: ", ") }
            line += " · \(conflict.reason)"
            if let w = conflict.withdrawn {
                line += L(" · dicabut oleh ", " · withdrawn by ") + "\(who(w.by)), \(when(w.at)): \(w.reason)"
            } else {
                line += L(" · tidak menilai dan tidak mengepin produknya", " · neither scores nor pins its products")
                let aside = products.filter { round.aggregate($0).setAside.contains(c.id) }.map(\.id)
                if !aside.isEmpty {
                    line += L("; lembar penilaian yang dikesampingkan: ", "; score sheets set aside: ") + aside.joined(separator: ", ")
                }
            }
            conflictItems.append([.text(line)])
        }
        if !conflictItems.isEmpty { doc.add(.list(conflictItems)) }

        doc.add(.heading("\(L("Rubrik", "Rubric")) (\(L("skala", "scale")) \(round.rubric.scaleMin)–\(round.rubric.scaleMax))"))
        doc.add(.table(header: [L("Kriteria", "Criterion"), L("Bobot MAMIN", "MAMIN weight"), L("Bobot NON-MAMIN", "NON-MAMIN weight")],
                       align: [.left, .right, .right],
                       rows: round.rubric.criteria.map { k in
                           [k.name.text(lang), String(round.rubric.weight(of: k, in: .mamin)), String(round.rubric.weight(of: k, in: .nonMamin))]
                       }))

        var rankings: [Cluster: [RankedProduct]] = [:]
        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            rankings[cluster] = ranking
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            doc.add(.heading("\(L("Pilihan", "Selection")) \(cluster.label(lang))"))
            let pins = round.pins(in: cluster)
            let rows: [[String]] = (1...Round.pinSlots).map { slot in
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    return ["★\(slot)", L("(kosong)", "(empty)"), "", "", "", "", "", "", ""]
                }
                let producer = round.producer(r.product.producer)
                return ["★\(slot)", r.product.id.rawValue, r.product.name, producer?.name ?? "", producer?.kelurahan ?? "",
                        score(r.aggregate.score), String(r.aggregate.count), r.rank.map(String.init) ?? "–", pin.reason ?? ""]
            }
            doc.add(.table(header: [L("Slot", "Slot"), "ID", L("Produk", "Product"), L("Pelaku UMKM", "Producer"), "Kelurahan",
                                    L("Skor", "Score"), "n", L("Peringkat", "Rank"), L("Alasan di luar lima besar", "Reason (outside the top five)")],
                           align: [.right, .left, .left, .left, .left, .right, .right, .right, .left], rows: rows))
            let pinned = pins.sorted { $0.slot < $1.slot }.compactMap { round.product($0.product) }.filter { !$0.permits.isEmpty }
            if !pinned.isEmpty {
                doc.para(L("Izin produk terpilih:", "Permits of the chosen products:"))
                doc.add(.list(pinned.map { p in
                    let list = p.permits.map { permit in
                        "\(permit.kind.rawValue) \(permit.number)" + (permit.expires.map { L(" berlaku s/d ", " valid until ") + Format.date($0, lang) } ?? "")
                    }.joined(separator: "; ")
                    return [.text("\(p.id) \(p.name): \(list)")]
                }))
            }
            let top = round.topFive(of: ranking).compactMap { byID[$0] }
            doc.para("\(L("Lima besar menurut skor", "Top five by score")): "
                + (top.isEmpty ? "–" : top.map { "\($0.product.id) \($0.product.name) (\(score($0.aggregate.score)))" }.joined(separator: "; ")))
        }

        let fairness = round.fairnessMinutes(lang: lang)
        doc.add(.heading(fairness.heading))
        if !fairness.items.isEmpty { doc.add(.list(fairness.items.map { [.text($0)] })) }

        // Place and date above the signatures, before the appendix.
        let place = info.place ?? "______________"
        let day = Format.date(String((info.status.state == .final ? info.status.at : nil)?.prefix(10) ?? Substring(info.date)), lang)
        doc.add(.heading(L("Pengesahan", "Signatures")))
        doc.para("\(place), \(day)")
        doc.add(.signatures(header: [L("Nama", "Name"), L("Peran", "Role")],
                            rows: round.curators.map { ["\($0.name) (\($0.id))", roleName($0.role)] }))

        doc.add(.pageBreak)
        doc.add(.heading(L("Lampiran: produk berperingkat", "Appendix: ranked products")))
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            let ranked = ranking.filter { $0.rank != nil }
            doc.add(.subheading(cluster.label(lang)))
            if ranked.isEmpty {
                doc.para(L("Belum ada produk berperingkat.", "No product is ranked yet."))
            } else {
                doc.add(.table(header: ["#", "ID", L("Produk", "Product"), L("Pelaku UMKM", "Producer"), L("Skor", "Score"), "n", "min", "max", "sd", "Pin"],
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
            doc.para(L("Selain itu: \(Format.count(unscored, lang)) produk memenuhi syarat belum dinilai lengkap; \(Format.count(ineligible, lang)) produk tidak memenuhi syarat.",
                       "Besides these: \(Format.count(unscored, lang)) eligible products without a complete score; \(Format.count(ineligible, lang)) products not eligible."))
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
