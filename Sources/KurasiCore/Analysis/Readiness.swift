import Foundation

/// Collective-mark readiness (merek kolektif) of every pinned product: a checklist of what the
/// shared brand needs, each line met or not with what the producer must do and by when.
public struct ReadinessLine: Hashable, Sendable {
    public enum Item: String, Codable, CaseIterable, Sendable {
        case nib, foodPermit, halal, brand, capacity, consistency
    }
    public enum Status: String, Codable, Sendable {
        case met, unmet
        /// The committee has not set what the line is measured against (the minimum capacity).
        case unknown
    }
    public var item: Item
    public var status: Status
    /// What is on record ("P-IRT 2063577010123-25 s/d 31 Maret 2025").
    public var found: String
    /// What the producer (or the committee, for `unknown`) must do; empty when met.
    public var action: String
    /// ISO date by which to do it; nil when met.
    public var due: String?

    public var mark: String { status == .met ? "✓" : status == .unmet ? "✗" : "?" }
}

public struct Readiness: Hashable, Sendable {
    public var product: ProductID
    public var name: String
    public var producer: ProducerID
    public var producerName: String
    public var cluster: Cluster
    public var slot: Int
    public var lines: [ReadinessLine]
    public var ready: Bool { lines.allSatisfy { $0.status == .met } }
}

extension ReadinessLine.Item {
    public func label(_ lang: Language) -> String {
        let id = lang == .id
        switch self {
        case .nib: return "NIB"
        case .foodPermit: return id ? "P-IRT atau BPOM MD" : "P-IRT or BPOM MD"
        case .halal: return id ? "Sertifikat halal" : "Halal certificate"
        case .brand: return id ? "HKI / pendaftaran merek" : "HKI / brand registration"
        case .capacity: return id ? "Kapasitas produksi" : "Production capacity"
        case .consistency: return id ? "Kualitas konsisten antarkurator" : "Quality consistent across curators"
        }
    }
}

extension Round {
    /// The default deadline for what a finalist must do: 90 days after the round.
    public var readinessDue: String { Self.addDays(round.date, 90) }

    static func addDays(_ iso: String, _ days: Int) -> String {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian); f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: iso) else { return iso }
        return f.string(from: d.addingTimeInterval(Double(days) * 86_400))
    }

    /// The checklist of every pinned product, mamin first, by slot. `due` is the date by which
    /// the producer must act (default `readinessDue`).
    public func readiness(lang: Language, due: String? = nil) -> [Readiness] {
        var out: [Readiness] = []
        for cluster in Cluster.allCases {
            for pin in pins(in: cluster).sorted(by: { $0.slot < $1.slot }) {
                guard let p = product(pin.product) else { continue }
                out.append(readiness(of: p, slot: pin.slot, lang: lang, due: due ?? readinessDue))
            }
        }
        return out
    }

    public func readiness(of p: Product, slot: Int, lang: Language, due: String) -> Readiness {
        let id = lang == .id
        let on = round.date
        let producer = self.producer(p.producer)
        func permitLine(_ item: ReadinessLine.Item, _ kinds: [PermitKind], todo: String) -> ReadinessLine {
            let held = p.permits.filter { kinds.contains($0.kind) }
            if let valid = held.first(where: { $0.isValid(on: on) }) {
                let until = valid.expires.map { (id ? " s/d " : " until ") + Format.date($0, lang) } ?? ""
                // Still valid on the round's day but lapsing before the deadline: renew it by then.
                if let e = valid.expires, e < due {
                    return ReadinessLine(item: item, status: .met, found: "\(valid.kind.rawValue) \(valid.number)\(until)",
                                         action: id ? "perpanjang sebelum \(Format.date(e, lang))" : "renew before \(Format.date(e, lang))", due: e)
                }
                return ReadinessLine(item: item, status: .met, found: "\(valid.kind.rawValue) \(valid.number)\(until)", action: "", due: nil)
            }
            if let old = held.first {
                let when = old.expires.map { (id ? " habis " : " expired ") + Format.date($0, lang) } ?? ""
                return ReadinessLine(item: item, status: .unmet, found: "\(old.kind.rawValue) \(old.number)\(when)",
                                     action: (id ? "perpanjang " : "renew ") + old.kind.rawValue, due: due)
            }
            return ReadinessLine(item: item, status: .unmet, found: id ? "tidak ada" : "none", action: todo, due: due)
        }
        var lines: [ReadinessLine] = []
        // NIB: the producer's business number, or a NIB listed with the product's permits.
        if let nib = producer?.nib, !nib.trimmingSpaces.isEmpty {
            lines.append(ReadinessLine(item: .nib, status: .met, found: "NIB \(nib)", action: "", due: nil))
        } else {
            lines.append(permitLine(.nib, [.nib], todo: id ? "daftarkan NIB lewat OSS (oss.go.id)" : "register a NIB through OSS (oss.go.id)"))
        }
        if p.cluster == .mamin {
            lines.append(permitLine(.foodPermit, [.pirt, .bpomMD], todo: id ? "urus SPP-IRT di Dinas Kesehatan atau izin edar BPOM MD" : "obtain an SPP-IRT from the health office or a BPOM MD licence"))
            lines.append(permitLine(.halal, [.halal], todo: id ? "ajukan sertifikat halal (BPJPH, program SEHATI)" : "apply for a halal certificate (BPJPH, SEHATI programme)"))
        }
        lines.append(permitLine(.brand, [.hki], todo: id ? "daftarkan merek di DJKI (HKI)" : "register the brand with DJKI (HKI)"))
        // Capacity against the round's minimum for the shared brand.
        let cap = p.capacity.map { "\(Format.count($0.amount, lang)) \($0.unit)" + (id ? " per bulan" : " a month") } ?? (id ? "tidak tercatat" : "not recorded")
        if let minimum = round.settings.minimumCapacity {
            if let c = p.capacity, c.amount >= minimum {
                lines.append(ReadinessLine(item: .capacity, status: .met, found: cap, action: "", due: nil))
            } else {
                let need = Format.count(minimum, lang)
                lines.append(ReadinessLine(item: .capacity, status: .unmet, found: cap,
                                           action: id ? "naikkan kapasitas ke paling sedikit \(need) per bulan" : "raise capacity to at least \(need) a month", due: due))
            }
        } else {
            lines.append(ReadinessLine(item: .capacity, status: .unknown, found: cap,
                                       action: id ? "ketua menetapkan kapasitas minimum (kurasi readiness --minimum N)" : "the chair sets the minimum capacity (kurasi readiness --minimum N)", due: nil))
        }
        // Quality consistent: the spread of the curators' kualitas points, on 0–100, below the
        // disagreement threshold.
        let k: CriterionID = "kualitas"
        let recused = Set(recusedCurators(for: p).map(\.id))
        let qs = (scores[p.id] ?? [:]).filter { !recused.contains($0.key) && isComplete($0.value) }.compactMap { $0.value[k] }
        let span = Double(Swift.max(1, rubric.scaleMax - rubric.scaleMin))
        let threshold = round.settings.disagreementThreshold
        if qs.count >= 2, let lo = qs.min(), let hi = qs.max() {
            let spread = Double(hi - lo) / span * 100
            let found = (id ? "kualitas \(lo)–\(hi) dari \(qs.count) kurator" : "kualitas \(lo)–\(hi) from \(qs.count) curators")
            if spread < threshold {
                lines.append(ReadinessLine(item: .consistency, status: .met, found: found, action: "", due: nil))
            } else {
                lines.append(ReadinessLine(item: .consistency, status: .unmet, found: found,
                                           action: id ? "seragamkan mutu antarproduksi; kirim sampel baru untuk dinilai ulang" : "make batches consistent; send new samples to be scored again", due: due))
            }
        } else {
            lines.append(ReadinessLine(item: .consistency, status: .unmet, found: id ? "kurang dari 2 lembar nilai" : "fewer than 2 score sheets",
                                       action: id ? "minta kurator lain menilai kualitasnya" : "have another curator score its quality", due: due))
        }
        return Readiness(product: p.id, name: p.name, producer: p.producer, producerName: producer?.name ?? p.producer.rawValue,
                         cluster: p.cluster, slot: slot, lines: lines)
    }
}
