/// Why a rule refused an edit, and what would satisfy it. Every refusal the committee can meet
/// is here, worded in both interface languages.
public enum Refusal: Error, Hashable, Sendable {
    case roundFinal(by: CuratorID?)
    case unknownProduct(ProductID)
    case unknownProducer(ProducerID)
    case unknownCurator(CuratorID)
    case unknownCriterion(CriterionID, known: [CriterionID])
    case outOfScale(criterion: CriterionID, value: Int, scale: ClosedRange<Int>)
    case recused(curator: CuratorID, producer: ProducerID, reason: String)
    case notEligible(product: ProductID, reasons: [Ineligibility])
    case alreadyPinned(product: ProductID, cluster: Cluster, slot: Int)
    case clusterFull(Cluster)
    case slotTaken(cluster: Cluster, slot: Int, product: ProductID)
    case slotOutOfRange(Int)
    case producerAlreadyPinned(producer: ProducerID, product: ProductID, slot: Int)
    case reasonRequired(product: ProductID, rank: Int?)
    case notPinned(ProductID)
    case finalizeNeedsPins(mamin: Int, nonMamin: Int)
    case chairOnly(curator: CuratorID)
    case reasonMissing
    case notFinal
    case curatorExists(CuratorID)
    case conflictExists(curator: CuratorID, producer: ProducerID)
    case producerHasPins(producer: ProducerID, product: ProductID)
    case nothingToUndo(curator: CuratorID)
    case undoStatus
    /// The value an edit expected to replace has changed since (by someone else, or by undo).
    case changedSince(what: String, revision: Int?, by: CuratorID?)
    case productInUse(ProductID)
    case emptyField(String)
    case duplicateID(String)
    /// An id that breaks `IDRule` (control characters, spaces, longer than 32 characters).
    case invalidID(String, problem: String)
    case deliberationOpen
    /// A fairness setting or comparison refused (Analysis/Fairness.swift).
    case fairness(FairnessRefusal)
    case curatorHasWork(CuratorID)
    case noConflict(curator: CuratorID, producer: ProducerID)
    case pinsByChairOrSecretary(curator: CuratorID)
    case recusedFromPin(curator: CuratorID, producer: ProducerID, reason: String)
    case conflictWithdrawnByChair(curator: CuratorID, producer: ProducerID)
    case conflictOwnOrChair(curator: CuratorID)
    /// The change would break a rule every round keeps (a pinned product made ineligible, two
    /// pins from one producer, a sixth pin...).
    case breaksRule(Violation)
    /// A typed field is wrong (see `FieldProblem`).
    case invalidField(FieldProblem)
    case permitExists(product: ProductID, kind: PermitKind, number: String)
    case noSuchPermit(product: ProductID, kind: PermitKind, held: [String])
    case permitAmbiguous(product: ProductID, kind: PermitKind, numbers: [String])
    /// A pinned product cannot move to the other cluster.
    case pinnedElsewhere(product: ProductID, cluster: Cluster, slot: Int)
    /// The rubric is fixed once a sheet counts: a round does not change its ruler mid-way.
    case rubricLocked(countedSheets: Int)

    public func text(_ lang: Language) -> String {
        let id = lang == .id
        switch self {
        case let .roundFinal(by):
            let who = by.map { " (\($0))" } ?? ""
            return id ? "Ronde sudah final\(who); semua perubahan ditolak. Ketua dapat membukanya kembali dengan alasan (di papan: r; atau kurasi reopen --reason ...)."
                : "The round is final\(who); every edit is refused. The chair can reopen it with a reason (on the board: r; or kurasi reopen --reason ...)."
        case let .unknownProduct(p):
            return id ? "Produk \(p) tidak ada. Lihat daftar dengan kurasi rank." : "There is no product \(p). See the list with kurasi rank."
        case let .unknownProducer(p):
            return id ? "Pelaku UMKM \(p) tidak ada." : "There is no producer \(p)."
        case let .unknownCurator(c):
            return id ? "Kurator \(c) tidak ada. Lihat kurasi curator list, atau tambahkan dengan kurasi curator add."
                : "There is no curator \(c). See kurasi curator list, or add one with kurasi curator add."
        case let .unknownCriterion(k, known):
            return id ? "Kriteria \(k) tidak ada dalam rubrik; pilih salah satu: \(known.joined(separator: ", "))."
                : "The rubric has no criterion \(k); use one of: \(known.joined(separator: ", "))."
        case let .outOfScale(k, v, scale):
            return id ? "Nilai \(v) untuk \(k) di luar skala; beri nilai \(scale.lowerBound)–\(scale.upperBound)."
                : "Score \(v) for \(k) is off the scale; give \(scale.lowerBound)–\(scale.upperBound)."
        case let .recused(c, p, reason):
            return id ? "Kurator \(c) menyatakan konflik kepentingan dengan pelaku \(p) (\(reason)) dan tidak menilai produknya; kurator lain yang menilai."
                : "Curator \(c) declared a conflict of interest with producer \(p) (\(reason)) and does not score its products; another curator must."
        case let .notEligible(p, reasons):
            let why = reasons.map { $0.text(lang) }.joined(separator: "; ")
            return id ? "Produk \(p) tidak memenuhi syarat: \(why). Hanya produk yang memenuhi syarat dapat dipin."
                : "Product \(p) is not eligible: \(why). Only eligible products can be pinned."
        case let .alreadyPinned(p, cluster, slot):
            return id ? "Produk \(p) sudah dipin di \(cluster.label(lang)) ★\(slot)." : "Product \(p) is already pinned in \(cluster.label(lang)) ★\(slot)."
        case let .clusterFull(cluster):
            return id ? "Kelima slot \(cluster.label(lang)) sudah terisi; lepas satu pin dulu (p pada produk itu, atau kurasi unpin PRODUK)."
                : "All five \(cluster.label(lang)) slots are taken; unpin one first (p on that product, or kurasi unpin PRODUCT)."
        case let .slotTaken(cluster, slot, p):
            return id ? "Slot ★\(slot) \(cluster.label(lang)) sudah berisi \(p); pilih slot lain atau lepas pin itu dulu."
                : "Slot ★\(slot) of \(cluster.label(lang)) holds \(p); choose another slot or unpin it first."
        case let .slotOutOfRange(s):
            return id ? "Slot \(s) tidak ada; slot bernomor 1–\(Round.pinSlots)." : "There is no slot \(s); slots are 1–\(Round.pinSlots)."
        case let .producerAlreadyPinned(producer, p, slot):
            return id ? "Pelaku \(producer) sudah punya produk terpin (\(p), ★\(slot)); satu pelaku satu pin per klaster. Lepas pin itu dulu."
                : "Producer \(producer) already has a pinned product (\(p), ★\(slot)); one pin per producer per cluster. Unpin it first."
        case let .reasonRequired(p, rank):
            let at = rank.map { id ? "peringkat \($0)" : "ranked \($0)" } ?? (id ? "belum berperingkat" : "unranked")
            return id ? "Produk \(p) di luar 5 teratas (\(at)); pin ini perlu alasan (--reason \"...\")."
                : "Product \(p) is outside the top five (\(at)); pinning it needs a reason (--reason \"...\")."
        case let .notPinned(p):
            return id ? "Produk \(p) tidak sedang dipin." : "Product \(p) is not pinned."
        case let .finalizeNeedsPins(m, n):
            return id ? "Finalisasi perlu 5 pin di tiap klaster; sekarang MAMIN \(m)/5, NON-MAMIN \(n)/5."
                : "Finalising needs 5 pins in each cluster; now MAMIN \(m)/5, NON-MAMIN \(n)/5."
        case let .chairOnly(c):
            return id ? "Hanya ketua yang dapat melakukannya; \(c) bukan ketua." : "Only the chair can do this; \(c) is not the chair."
        case .reasonMissing:
            return id ? "Perlu alasan (--reason \"...\")." : "A reason is needed (--reason \"...\")."
        case .notFinal:
            return id ? "Ronde belum final; tidak ada yang perlu dibuka kembali." : "The round is not final; there is nothing to reopen."
        case let .curatorExists(c):
            return id ? "Kurator \(c) sudah ada." : "Curator \(c) already exists."
        case let .conflictExists(c, p):
            return id ? "Konflik \(c) dengan \(p) sudah tercatat." : "The conflict of \(c) with \(p) is already declared."
        case let .producerHasPins(producer, p):
            return id ? "Produk \(p) dari pelaku \(producer) sedang dipin; lepas pinnya dulu sebelum mengubah validasi pelaku ini."
                : "Product \(p) of producer \(producer) is pinned; unpin it before changing this producer's validation."
        case let .nothingToUndo(c):
            return id ? "Tidak ada perubahan \(c) yang dapat dibatalkan." : "\(c) has no change left to undo."
        case .undoStatus:
            return id ? "Finalisasi dan buka kembali tidak dibatalkan dengan undo; finalisasi atau buka kembali lagi (di papan: f / r; atau kurasi finalize / kurasi reopen)."
                : "Finalising and reopening are not undone with undo; finalise or reopen again (on the board: f / r; or kurasi finalize / kurasi reopen)."
        case let .changedSince(what, rev, by):
            let since = [rev.map { "rev \($0)" }, by?.rawValue].compactMap { $0 }.joined(separator: ", ")
            return id ? "\(what) sudah diubah sejak itu (\(since)); lihat riwayatnya (detail produk, atau kurasi history), lalu ubah langsung."
                : "\(what) has changed since (\(since)); see its history (the product detail, or kurasi history) and edit it directly."
        case let .productInUse(p):
            return id ? "Produk \(p) sudah dinilai atau dipin; tidak dapat dihapus." : "Product \(p) has scores or a pin; it cannot be removed."
        case let .emptyField(f):
            return id ? "\(f) tidak boleh kosong." : "\(f) must not be empty."
        case let .duplicateID(i):
            return id ? "ID \(i) sudah dipakai." : "The id \(i) is already in use."
        case let .invalidID(i, problem):
            let shown = String(i.displaySafe.prefix(40))
            return id ? "ID \"\(shown)\" tidak dapat dipakai: ID tanpa spasi atau karakter kendali, paling panjang \(IDRule.maxLength) karakter (mis. K7, U-0012)."
                : "The id \"\(shown)\" cannot be used (it \(problem)): ids have no spaces or control characters and at most \(IDRule.maxLength) characters (e.g. K7, U-0012)."
        case .deliberationOpen:
            return id ? "Tahap musyawarah sudah dibuka." : "Deliberation is already open."
        case let .fairness(f):
            return f.text(lang)
        case let .curatorHasWork(c):
            return id ? "Kurator \(c) sudah menilai, mengepin atau mengubah data; tidak dapat dihapus (ubah perannya bila perlu)."
                : "Curator \(c) has scored, pinned or changed the round; they cannot be removed (change their role if needed)."
        case let .noConflict(c, p):
            return id ? "Kurator \(c) tidak punya konflik aktif dengan \(p)." : "Curator \(c) has no active conflict with \(p)."
        case let .pinsByChairOrSecretary(c):
            return id ? "Pin dicatat oleh ketua atau sekretaris atas keputusan komite; \(c) bukan keduanya."
                : "Pins are recorded by the chair or the secretary for the committee; \(c) is neither."
        case let .recusedFromPin(c, p, reason):
            return id ? "Kurator \(c) menyatakan konflik kepentingan dengan pelaku \(p) (\(reason)); pin produknya dicatat oleh pengurus lain."
                : "Curator \(c) declared a conflict of interest with producer \(p) (\(reason)); another officer records pins of its products."
        case let .conflictWithdrawnByChair(c, p):
            return id ? "Konflik \(c) dengan \(p) hanya dapat dicabut oleh ketua, dengan alasan (kurasi conflict withdraw)."
                : "The conflict of \(c) with \(p) can be withdrawn only by the chair, with a reason (kurasi conflict withdraw)."
        case let .conflictOwnOrChair(c):
            return id ? "Konflik kepentingan dinyatakan oleh kurator \(c) sendiri atau oleh ketua." : "A conflict of interest is declared by curator \(c) themselves or by the chair."
        case let .breaksRule(v):
            return id ? "Ditolak: \(v.text(lang))." : "Refused: \(v.text(lang))."
        case let .invalidField(problem):
            return problem.text(lang)
        case let .permitExists(p, kind, number):
            return id ? "Produk \(p) sudah punya izin \(kind.rawValue) \(number)." : "Product \(p) already holds \(kind.rawValue) \(number)."
        case let .noSuchPermit(p, kind, held):
            let list = held.isEmpty ? "" : (id ? " (ada: \(held.joined(separator: ", ")))" : " (it holds: \(held.joined(separator: ", ")))")
            return id ? "Produk \(p) tidak punya izin \(kind.rawValue) itu\(list)." : "Product \(p) holds no such \(kind.rawValue) permit\(list)."
        case let .permitAmbiguous(p, kind, numbers):
            return id ? "Produk \(p) punya beberapa izin \(kind.rawValue) (\(numbers.joined(separator: ", "))); sebutkan nomornya (--number)."
                : "Product \(p) holds several \(kind.rawValue) permits (\(numbers.joined(separator: ", "))); name the one to remove (--number)."
        case let .pinnedElsewhere(p, cluster, slot):
            return id ? "Produk \(p) dipin di \(cluster.label(lang)) ★\(slot); lepas pinnya dulu sebelum memindah klaster."
                : "Product \(p) is pinned in \(cluster.label(lang)) ★\(slot); unpin it before moving it to another cluster."
        case let .rubricLocked(n):
            return id ? "Rubrik tidak dapat diubah: sudah ada \(n) lembar nilai lengkap, dan ronde tidak mengganti alat ukurnya di tengah jalan."
                : "The rubric cannot change: \(n) complete score sheets count already, and a round does not change its ruler mid-way."
        }
    }
}

extension Cluster {
    public func label(_ lang: Language) -> String { self == .mamin ? "MAMIN" : "NON-MAMIN" }
}
