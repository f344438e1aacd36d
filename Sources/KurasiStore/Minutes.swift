import Foundation
import KurasiCore

extension Export {
    /// The round's minutes (berita acara) in Markdown, a document the committee signs: who sat on
    /// the committee and how many sheets each completed, the conflicts of interest and what they
    /// set aside, when deliberation opened, every finalisation and reopening with its reason,
    /// the five pins of each cluster with their permits, the ranked products, and the place and
    /// date above the signatures. Numbers and times come from `Format`, as on the console.
    /// Every value from data is escaped for Markdown and HTML (see `markdownSafe`).
    public static func minutes(_ round: Round, lang: Language = .id, number: String? = nil) -> String {
        let L = { (id: String, en: String) in lang == .id ? id : en }
        let e = markdownSafe
        let zone = round.round.zone
        func when(_ iso: String?) -> String { iso.map { e(Format.time($0, zone: zone, lang)) } ?? "–" }
        func score(_ x: Double?) -> String { Format.score(x, lang) }
        func who(_ id: String?) -> String {
            guard let id else { return "–" }
            return round.curator(id).map { "\(e($0.name)) (\(e($0.id)))" } ?? e(id)
        }
        func roleName(_ r: CuratorRole) -> String {
            switch r {
            case .chair: L("ketua", "chair")
            case .secretary: L("sekretaris", "secretary")
            case .curator: L("kurator", "curator")
            }
        }
        let info = round.round
        var md = "# \(L("Berita Acara Kurasi", "Curation Minutes")): \(e(info.title))\n\n"
        md += "\(L("Nomor", "Number")): \(number.map(e) ?? "______________________")\n\n"
        md += "- \(L("Penyelenggara", "Organiser")): \(e(info.organizer))\n"
        md += "- \(L("Tanggal kurasi", "Date of the round")): \(e(Format.date(info.date, lang)))\n"
        switch info.status.state {
        case .final:
            md += "- \(L("Status", "Status")): **FINAL**, \(L("difinalisasi oleh", "finalised by")) \(who(info.status.by)) \(L("pada", "on")) \(when(info.status.at))\n"
        case .deliberation:
            md += "- \(L("Status", "Status")): \(L("musyawarah (belum final)", "deliberation (not final)"))\n"
        case .open:
            md += "- \(L("Status", "Status")): \(L("penilaian masih berjalan (belum final)", "scoring in progress (not final)"))\n"
        }
        let aggregation = info.settings.aggregation == .mean ? L("rata-rata", "mean") : L("median", "median")
        md += "- \(L("Skor produk", "Product score")): \(aggregation) \(L("skor lembar penilaian yang lengkap, 0–100", "of the complete score sheets, 0–100"))\n"
        md += "- \(L("Jumlah perubahan tercatat", "Changes on record")): \(Format.count(round.events.count, lang))\n"

        // The course of the round: deliberation, finalisations and reopenings, in order.
        let steps = round.events.compactMap { ev -> String? in
            guard case let .status(_, to) = ev.change else { return nil }
            let whoWhen = "\(who(ev.by)), \(when(ev.at))"
            switch to.state {
            case .deliberation where to.reason == nil:
                return L("Tahap musyawarah dibuka oleh ", "Deliberation opened by ") + whoWhen
            case .final:
                return L("Difinalisasi oleh ", "Finalised by ") + whoWhen
            default:
                return L("Dibuka kembali oleh ", "Reopened by ") + whoWhen + L(", alasan: ", ", reason: ") + e(to.reason ?? "–")
            }
        }
        md += "\n## \(L("Jalannya kurasi", "Course of the round"))\n\n"
        md += steps.isEmpty ? L("Belum ada tahap yang dibuka atau ditutup.\n", "No phase opened or closed yet.\n")
            : steps.map { "- \($0)\n" }.joined()

        // Curators and how many complete sheets each made.
        var sheets: [String: Int] = [:]
        for (p, byCurator) in round.scores {
            guard round.product(p) != nil else { continue }
            for (c, sheet) in byCurator where round.isComplete(sheet) { sheets[c, default: 0] += 1 }
        }
        md += "\n## \(L("Komite kurasi", "The committee"))\n\n"
        md += "| ID | \(L("Nama", "Name")) | \(L("Peran", "Role")) | \(L("Lembar penilaian lengkap", "Complete score sheets")) |\n|---|---|---|---:|\n"
        for c in round.curators {
            md += "| \(e(c.id)) | \(e(c.name)) | \(roleName(c.role)) | \(sheets[c.id] ?? 0) |\n"
        }

        // Conflicts of interest, by producer and product, and the sheets they set aside.
        let conflicts = round.curators.flatMap { c in c.conflicts.map { (c, $0) } }
        md += "\n## \(L("Konflik kepentingan", "Conflicts of interest"))\n\n"
        if conflicts.isEmpty { md += L("Tidak ada konflik kepentingan yang dinyatakan.\n", "No conflict of interest was declared.\n") }
        for (c, conflict) in conflicts {
            let producer = round.producer(conflict.producer)
            let products = round.products.filter { $0.producer == conflict.producer }
            let names = products.map { "\(e($0.id)) \(e($0.name))" }.joined(separator: ", ")
            md += "- \(who(c.id)) · \(e(producer?.name ?? conflict.producer)) (\(e(conflict.producer)))"
            md += names.isEmpty ? "" : ": \(names)"
            md += " · \(e(conflict.reason))"
            if let w = conflict.withdrawn {
                md += L(" · dicabut oleh ", " · withdrawn by ") + "\(who(w.by)), \(when(w.at)): \(e(w.reason))"
            } else {
                let aside = products.filter { round.aggregate($0).setAside.contains(c.id) }.map { e($0.id) }
                md += L(" · tidak menilai dan tidak mengepin produknya", " · neither scores nor pins its products")
                if !aside.isEmpty {
                    md += L("; lembar penilaian yang dikesampingkan: ", "; score sheets set aside: ") + aside.joined(separator: ", ")
                }
            }
            md += "\n"
        }

        md += "\n## \(L("Rubrik", "Rubric")) (\(L("skala", "scale")) \(round.rubric.scaleMin)–\(round.rubric.scaleMax))\n\n"
        md += "| \(L("Kriteria", "Criterion")) | \(L("Bobot MAMIN", "MAMIN weight")) | \(L("Bobot NON-MAMIN", "NON-MAMIN weight")) |\n|---|---:|---:|\n"
        for k in round.rubric.criteria {
            md += "| \(e(k.name.text(lang))) | \(round.rubric.weight(of: k, in: .mamin)) | \(round.rubric.weight(of: k, in: .nonMamin)) |\n"
        }

        var rankings: [Cluster: [RankedProduct]] = [:]
        for cluster in Cluster.allCases {
            let ranking = round.ranking(cluster)
            rankings[cluster] = ranking
            let byID = Dictionary(ranking.map { ($0.product.id, $0) }, uniquingKeysWith: { a, _ in a })
            md += "\n## \(L("Pilihan", "Selection")) \(cluster.label(lang))\n\n"
            md += "| \(L("Slot", "Slot")) | ID | \(L("Produk", "Product")) | \(L("Pelaku UMKM", "Producer")) | Kelurahan | \(L("Skor", "Score")) | n | \(L("Peringkat", "Rank")) | \(L("Alasan di luar lima besar", "Reason (outside the top five)")) |\n"
            md += "|---:|---|---|---|---|---:|---:|---:|---|\n"
            let pins = round.pins(in: cluster)
            for slot in 1...Round.pinSlots {
                guard let pin = pins.first(where: { $0.slot == slot }), let r = byID[pin.product] else {
                    md += "| ★\(slot) | \(L("(kosong)", "(empty)")) | | | | | | | |\n"; continue
                }
                let producer = round.producer(r.product.producer)
                md += "| ★\(slot) | \(e(r.product.id)) | \(e(r.product.name)) | \(e(producer?.name ?? "")) | \(e(producer?.kelurahan ?? "")) | \(score(r.aggregate.score)) | \(r.aggregate.count) | \(r.rank.map(String.init) ?? "–") | \(e(pin.reason ?? "")) |\n"
            }
            let pinned = pins.sorted { $0.slot < $1.slot }.compactMap { round.product($0.product) }
            let withPermits = pinned.filter { !$0.permits.isEmpty }
            if !withPermits.isEmpty {
                md += "\n\(L("Izin produk terpilih", "Permits of the chosen products")):\n\n"
                for p in withPermits {
                    let list = p.permits.map { permit in
                        "\(e(permit.kind.rawValue)) \(e(permit.number))"
                            + (permit.expires.map { L(" berlaku s/d ", " valid until ") + e(Format.date($0, lang)) } ?? "")
                    }.joined(separator: "; ")
                    md += "- \(e(p.id)) \(e(p.name)): \(list)\n"
                }
            }
            let top = round.topFive(of: ranking).compactMap { byID[$0] }
            md += "\n\(L("Lima besar menurut skor", "Top five by score")): "
            md += top.isEmpty ? "–" : top.map { "\(e($0.product.id)) \(e($0.product.name)) (\(score($0.aggregate.score)))" }.joined(separator: "; ")
            md += "\n"
        }

        let fairness = round.fairnessMinutes(lang: lang)
        md += "\n## \(e(fairness.heading))\n\n" + fairness.items.map { "- " + e($0) + "\n" }.joined()

        md += "\n## \(L("Lampiran: produk berperingkat", "Appendix: ranked products"))\n"
        for cluster in Cluster.allCases {
            let ranking = rankings[cluster] ?? []
            let ranked = ranking.filter { $0.rank != nil }
            md += "\n### \(cluster.label(lang))\n\n"
            if ranked.isEmpty {
                md += L("Belum ada produk berperingkat.\n", "No product is ranked yet.\n")
            } else {
                md += "| # | ID | \(L("Produk", "Product")) | \(L("Pelaku UMKM", "Producer")) | \(L("Skor", "Score")) | n | min | max | sd | Pin |\n|---:|---|---|---|---:|---:|---:|---:|---:|---|\n"
                for r in ranked {
                    let a = r.aggregate
                    md += "| \(r.rank!) | \(e(r.product.id)) | \(e(r.product.name)) | \(e(round.producer(r.product.producer)?.name ?? "")) | \(score(a.score)) | \(a.count) | \(score(a.min)) | \(score(a.max)) | \(score(a.standardDeviation)) | \(r.pinnedSlot.map { "★\($0)" } ?? "") |\n"
                }
            }
            let unscored = ranking.filter { $0.rank == nil && $0.eligible }.count
            let ineligible = ranking.filter { !$0.eligible }.count
            md += "\n" + L("Selain itu: \(Format.count(unscored, lang)) produk memenuhi syarat belum dinilai lengkap; \(Format.count(ineligible, lang)) produk tidak memenuhi syarat.\n",
                           "Besides these: \(Format.count(unscored, lang)) eligible products without a complete score; \(Format.count(ineligible, lang)) products not eligible.\n")
        }

        let place = info.place.map(e) ?? "______________"
        let day = Format.date(String((info.status.state == .final ? info.status.at : nil)?.prefix(10) ?? Substring(info.date)), lang)
        md += "\n## \(L("Pengesahan", "Signatures"))\n\n\(place), \(e(day))\n\n"
        md += "| \(L("Nama", "Name")) | \(L("Peran", "Role")) | \(L("Tanda tangan", "Signature")) |\n|---|---|---|\n"
        for c in round.curators {
            md += "| \(e(c.name)) (\(e(c.id))) | \(roleName(c.role)) | |\n"
        }
        return md
    }

    /// A value from data, safe in Markdown and in the HTML a Markdown viewer makes of it: control
    /// characters and terminal escapes become U+FFFD (so no newline starts a heading and no
    /// escape sequence reaches a terminal that `cat`s the file), and every character Markdown or
    /// HTML would read as markup (links, emphasis, tags, entities, table bars) is escaped.
    public static func markdownSafe(_ s: String) -> String {
        var out = ""
        for ch in s.displaySafe {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!", "#", "(", ")", "{", "}":
                out.append("\\"); out.append(ch)
            default:
                out.append(ch)
            }
        }
        return out
    }
}
