import KurasiCore

/// Every text of the console, in both languages: one exhaustive switch per language, so a key
/// without a text in either language does not compile. Placeholders are {0}, {1}, … in order.
public enum T: String, CaseIterable, Sendable {
    case appName, curatorLabel, noCurator, sortLabel, filterLabel, filterEditing
    case colRank, colID, colProduct, colProducer, colKelurahan, colScore, colCurators, colPin
    case sortRank, sortName, sortProducer, sortKelurahan, sortID
    case emptyList, emptyFilter
    case saved, saving, notSaved, revision, finalBadge, openBadge
    case tooSmall
    // detail
    case criterionHeader, you, blindNote, recusedNote, aggregateLine, noAggregate, eligible, ineligible
    case price, capacityPerMonth, noPermits, expires, historyHeader, noHistory, anchorsHeader, pinnedAt, topFiveNote
    case phone
    // board
    case boardTitle, boardEmptySlot, boardTopFive, boardOverride, boardFinalHint, boardReasonLabel
    case boardFinalizedBy, boardReopened
    // picker and help
    case pickerTitle, pickerHint, helpTitle, helpGlobal, helpClose, roleChair, roleCurator, conflictsLabel, keySpace
    // prompts and messages
    case promptPinReason, promptReopenReason, promptHint, cancelled, chooseCuratorFirst, nothingUnscored
    case activeCurator, redrawn, storeError, updatedElsewhere
    // help texts of bindings
    case hQuit, hHelp, hNextCluster, hPrevCluster, hMove, hPage, hTopBottom, hFilter, hSort, hOpen, hBack
    case hScore, hClear, hCriterion, hPrevNext, hNextUnscored, hPin, hBoard, hCurators, hUndo, hRedraw
    case hFinalize, hReopen, hChoose, hClearFilter
    // short hint-line labels
    case kMove, kOpen, kScore, kFilter, kCluster, kPin, kBoard, kHelp, kQuit, kBack, kCriterion, kProduct
    case kClear, kFinalize, kReopen, kChoose, kNext
    // the producers screen
    case producersTitle, tabPending, tabValid, tabRejected, tabAll, markedCount, colBusiness, colOwner, colType, colNIB, colProducts, traderMark, duplicateMark, noProducers, nothingPending, validatedBy, rejectedBy, pendingNote, productsOf, remarkLabel, promptRejectReason, hProducers, hStatusTab, hValidate, hReject, hMakePending, hMark, hNextPending, kValidate, kReject, kMakePending, kMark, kNextPending

    /// The Indonesian text. A new key without one does not compile.
    public var id: String {
        switch self {
        case .appName: "Kurasi"
        case .curatorLabel: "Kurator: {0}"
        case .noCurator: "Kurator: – (tekan c)"
        case .sortLabel: "urut: {0}"
        case .filterLabel: "saring: {0}"
        case .filterEditing: "saring: {0}▏"
        case .colRank: "#"
        case .colID: "ID"
        case .colProduct: "Produk"
        case .colProducer: "Pelaku UMKM"
        case .colKelurahan: "Kelurahan"
        case .colScore: "Skor"
        case .colCurators: "n/m"
        case .colPin: "Pin"
        case .sortRank: "skor ▼"
        case .sortName: "nama"
        case .sortProducer: "pelaku"
        case .sortKelurahan: "kelurahan"
        case .sortID: "ID"
        case .emptyList: "Belum ada produk di klaster ini."
        case .emptyFilter: "Tidak ada produk yang cocok dengan \"{0}\". Esc menghapus saringan."
        case .saved: "Tersimpan"
        case .saving: "menyimpan…"
        case .notSaved: "TIDAK TERSIMPAN"
        case .revision: "rev {0}"
        case .finalBadge: "FINAL"
        case .openBadge: "terbuka"
        case .tooSmall: "Terminal terlalu kecil ({0}×{1}); perlu paling sedikit {2}×{3}."
        case .criterionHeader: "Kriteria (bobot)"
        case .you: "Anda"
        case .blindNote: "Skor kurator lain tampil setelah lembar Anda lengkap."
        case .recusedNote: "Anda menyatakan konflik dengan pelaku ini ({0}); Anda tidak menilai produknya."
        case .aggregateLine: "Skor {0} · n {1} · min {2} · maks {3} · sd {4}"
        case .noAggregate: "Belum ada lembar nilai lengkap."
        case .eligible: "✓ memenuhi syarat"
        case .ineligible: "⊘ tidak memenuhi syarat: {0}"
        case .price: "Rp {0}"
        case .capacityPerMonth: "{0} {1} per bulan"
        case .noPermits: "tanpa izin"
        case .expires: "s/d {0}"
        case .historyHeader: "Riwayat"
        case .noHistory: "Belum ada perubahan."
        case .anchorsHeader: "Skala {0}:"
        case .pinnedAt: "dipin ★{0}"
        case .topFiveNote: "peringkat {0}"
        case .phone: "☎ {0}"
        case .boardTitle: "PAPAN PILIHAN · {0}"
        case .boardEmptySlot: "–"
        case .boardTopFive: "Usulan 5 teratas menurut skor"
        case .boardOverride: "di luar 5 teratas"
        case .boardFinalHint: "f finalisasi (perlu 5 + 5)"
        case .boardReasonLabel: "alasan: {0}"
        case .boardFinalizedBy: "FINAL · difinalisasi oleh {0} pada {1}"
        case .boardReopened: "dibuka kembali: {0}"
        case .pickerTitle: "Pilih kurator aktif"
        case .roleChair: "ketua"
        case .roleCurator: "kurator"
        case .conflictsLabel: "konflik: {0}"
        case .keySpace: "Spasi"
        case .pickerHint: "Skor yang Anda masukkan tercatat atas nama kurator ini."
        case .helpTitle: "Bantuan · tombol di layar ini"
        case .helpGlobal: "Di semua layar"
        case .helpClose: "Tekan tombol apa saja untuk menutup."
        case .promptPinReason: "Alasan memilih {0} di luar 5 teratas: "
        case .promptReopenReason: "Alasan membuka kembali ronde: "
        case .promptHint: "Enter simpan · Esc batal"
        case .cancelled: "Dibatalkan."
        case .chooseCuratorFirst: "Pilih kurator aktif dulu: tekan c."
        case .nothingUnscored: "Semua produk di sini sudah Anda nilai."
        case .activeCurator: "Kurator aktif: {0}"
        case .redrawn: "Layar digambar ulang."
        case .storeError: "Tidak tersimpan: {0}"
        case .updatedElsewhere: "Diperbarui dari terminal lain (rev {0})."
        case .hQuit: "keluar (semua sudah tersimpan)"
        case .hHelp: "bantuan ini"
        case .hNextCluster: "klaster berikutnya"
        case .hPrevCluster: "klaster sebelumnya"
        case .hMove: "pindah pilihan"
        case .hPage: "satu halaman"
        case .hTopBottom: "awal / akhir daftar"
        case .hFilter: "saring sambil mengetik (nama, pelaku, ID, kelurahan); Enter simpan, Esc hapus"
        case .hSort: "ganti urutan"
        case .hOpen: "buka detail dan penilaian"
        case .hBack: "kembali"
        case .hScore: "beri nilai kriteria ini, lalu ke kriteria berikutnya"
        case .hClear: "hapus nilai kriteria ini"
        case .hCriterion: "pilih kriteria"
        case .hPrevNext: "produk sebelumnya / berikutnya"
        case .hNextUnscored: "produk berikutnya yang belum Anda nilai"
        case .hPin: "pin / lepas pin"
        case .hBoard: "papan pilihan"
        case .hCurators: "ganti kurator aktif"
        case .hUndo: "batalkan perubahan terakhir Anda"
        case .hRedraw: "gambar ulang layar"
        case .hFinalize: "finalisasi ronde (ketua; perlu 5 + 5 pin)"
        case .hReopen: "buka kembali ronde final (ketua, dengan alasan)"
        case .hChoose: "pilih kurator ini"
        case .hClearFilter: "hapus saringan"
        case .kMove: "pilih"
        case .kOpen: "nilai"
        case .kScore: "nilai"
        case .kFilter: "saring"
        case .kCluster: "klaster"
        case .kPin: "pin"
        case .kBoard: "papan"
        case .kHelp: "bantuan"
        case .kQuit: "keluar"
        case .kBack: "kembali"
        case .kCriterion: "kriteria"
        case .kProduct: "produk"
        case .kClear: "hapus"
        case .kFinalize: "finalisasi"
        case .kReopen: "buka kembali"
        case .kChoose: "pilih"
        case .kNext: "belum dinilai"
        case .producersTitle: "PELAKU UMKM · Valid {0} · Menunggu {1} · Ditolak {2}"
        case .tabPending: "menunggu"
        case .tabValid: "valid"
        case .tabRejected: "ditolak"
        case .tabAll: "semua"
        case .markedCount: "{0} ditandai"
        case .colBusiness: "Nama usaha"
        case .colOwner: "Pemilik"
        case .colType: "Jenis"
        case .colNIB: "NIB"
        case .colProducts: "Produk"
        case .traderMark: "pedagang?"
        case .duplicateMark: "≈{0}"
        case .noProducers: "Tidak ada pelaku UMKM di sini. Tab: status lain."
        case .nothingPending: "Tidak ada lagi pelaku UMKM yang menunggu validasi."
        case .validatedBy: "valid · {0} · {1}"
        case .rejectedBy: "ditolak: {0} · {1} · {2}"
        case .pendingNote: "menunggu validasi"
        case .productsOf: "Produk ({0}):"
        case .remarkLabel: "Keterangan: {0}"
        case .promptRejectReason: "Alasan menolak {0} (1 tidak ditemukan · 2 tutup · 3 bukan produsen · atau ketik): "
        case .hProducers: "pelaku UMKM: validasi registri"
        case .hStatusTab: "status berikutnya / sebelumnya (menunggu, valid, ditolak, semua)"
        case .hValidate: "nyatakan valid (yang ditandai, atau yang dipilih)"
        case .hReject: "tolak, dengan alasan (yang ditandai, atau yang dipilih)"
        case .hMakePending: "kembalikan ke menunggu"
        case .hMark: "tandai / lepas tanda, lalu turun"
        case .hNextPending: "pelaku berikutnya yang menunggu"
        case .kValidate: "valid"
        case .kReject: "tolak"
        case .kMakePending: "menunggu"
        case .kMark: "tandai"
        case .kNextPending: "berikutnya"
        }
    }

    /// The English text. A new key without one does not compile.
    public var en: String {
        switch self {
        case .appName: "Kurasi"
        case .curatorLabel: "Curator: {0}"
        case .noCurator: "Curator: – (press c)"
        case .sortLabel: "sort: {0}"
        case .filterLabel: "filter: {0}"
        case .filterEditing: "filter: {0}▏"
        case .colRank: "#"
        case .colID: "ID"
        case .colProduct: "Product"
        case .colProducer: "Producer"
        case .colKelurahan: "Kelurahan"
        case .colScore: "Score"
        case .colCurators: "n/m"
        case .colPin: "Pin"
        case .sortRank: "score ▼"
        case .sortName: "name"
        case .sortProducer: "producer"
        case .sortKelurahan: "kelurahan"
        case .sortID: "ID"
        case .emptyList: "No products in this cluster yet."
        case .emptyFilter: "No product matches \"{0}\". Esc clears the filter."
        case .saved: "Saved"
        case .saving: "saving…"
        case .notSaved: "NOT SAVED"
        case .revision: "rev {0}"
        case .finalBadge: "FINAL"
        case .openBadge: "open"
        case .tooSmall: "Terminal too small ({0}×{1}); needs at least {2}×{3}."
        case .criterionHeader: "Criterion (weight)"
        case .you: "You"
        case .blindNote: "Other curators' scores show once your sheet is complete."
        case .recusedNote: "You declared a conflict with this producer ({0}); you do not score its products."
        case .aggregateLine: "Score {0} · n {1} · min {2} · max {3} · sd {4}"
        case .noAggregate: "No complete score sheet yet."
        case .eligible: "✓ eligible"
        case .ineligible: "⊘ not eligible: {0}"
        case .price: "Rp {0}"
        case .capacityPerMonth: "{0} {1} a month"
        case .noPermits: "no permits"
        case .expires: "until {0}"
        case .historyHeader: "History"
        case .noHistory: "No changes yet."
        case .anchorsHeader: "Scale of {0}:"
        case .pinnedAt: "pinned ★{0}"
        case .topFiveNote: "rank {0}"
        case .phone: "☎ {0}"
        case .boardTitle: "SHORTLIST BOARD · {0}"
        case .boardEmptySlot: "–"
        case .boardTopFive: "Top five by score"
        case .boardOverride: "outside the top five"
        case .boardFinalHint: "f finalise (needs 5 + 5)"
        case .boardReasonLabel: "reason: {0}"
        case .boardFinalizedBy: "FINAL · finalised by {0} at {1}"
        case .boardReopened: "reopened: {0}"
        case .pickerTitle: "Choose the active curator"
        case .roleChair: "chair"
        case .roleCurator: "curator"
        case .conflictsLabel: "conflicts: {0}"
        case .keySpace: "Space"
        case .pickerHint: "The scores you enter are recorded under this curator."
        case .helpTitle: "Help · keys on this screen"
        case .helpGlobal: "On every screen"
        case .helpClose: "Press any key to close."
        case .promptPinReason: "Why pin {0} outside the top five: "
        case .promptReopenReason: "Why reopen the round: "
        case .promptHint: "Enter save · Esc cancel"
        case .cancelled: "Cancelled."
        case .chooseCuratorFirst: "Choose the active curator first: press c."
        case .nothingUnscored: "You have scored every product here."
        case .activeCurator: "Active curator: {0}"
        case .redrawn: "Screen redrawn."
        case .storeError: "Not saved: {0}"
        case .updatedElsewhere: "Updated from another terminal (rev {0})."
        case .hQuit: "quit (everything is already saved)"
        case .hHelp: "this help"
        case .hNextCluster: "next cluster"
        case .hPrevCluster: "previous cluster"
        case .hMove: "move the selection"
        case .hPage: "one page"
        case .hTopBottom: "top / bottom of the list"
        case .hFilter: "filter as you type (name, producer, id, kelurahan); Enter keeps, Esc clears"
        case .hSort: "cycle the sort"
        case .hOpen: "open the detail and scoring"
        case .hBack: "back"
        case .hScore: "score this criterion, then move to the next"
        case .hClear: "clear this criterion's score"
        case .hCriterion: "choose a criterion"
        case .hPrevNext: "previous / next product"
        case .hNextUnscored: "next product you have not scored"
        case .hPin: "pin / unpin"
        case .hBoard: "the shortlist board"
        case .hCurators: "change the active curator"
        case .hUndo: "undo your last change"
        case .hRedraw: "redraw the screen"
        case .hFinalize: "finalise the round (chair; needs 5 + 5 pins)"
        case .hReopen: "reopen a final round (chair, with a reason)"
        case .hChoose: "choose this curator"
        case .hClearFilter: "clear the filter"
        case .kMove: "select"
        case .kOpen: "score"
        case .kScore: "score"
        case .kFilter: "filter"
        case .kCluster: "cluster"
        case .kPin: "pin"
        case .kBoard: "board"
        case .kHelp: "help"
        case .kQuit: "quit"
        case .kBack: "back"
        case .kCriterion: "criterion"
        case .kProduct: "product"
        case .kClear: "clear"
        case .kFinalize: "finalise"
        case .kReopen: "reopen"
        case .kChoose: "choose"
        case .kNext: "unscored"
        case .producersTitle: "PRODUCERS · Valid {0} · Pending {1} · Rejected {2}"
        case .tabPending: "pending"
        case .tabValid: "valid"
        case .tabRejected: "rejected"
        case .tabAll: "all"
        case .markedCount: "{0} marked"
        case .colBusiness: "Business"
        case .colOwner: "Owner"
        case .colType: "Type"
        case .colNIB: "NIB"
        case .colProducts: "Products"
        case .traderMark: "trader?"
        case .duplicateMark: "≈{0}"
        case .noProducers: "No producer here. Tab: another status."
        case .nothingPending: "No producer is waiting for validation any more."
        case .validatedBy: "valid · {0} · {1}"
        case .rejectedBy: "rejected: {0} · {1} · {2}"
        case .pendingNote: "waiting for validation"
        case .productsOf: "Products ({0}):"
        case .remarkLabel: "Remark: {0}"
        case .promptRejectReason: "Why reject {0} (1 not found · 2 closed · 3 not a producer · or type): "
        case .hProducers: "producers: validate the registry"
        case .hStatusTab: "next / previous status (pending, valid, rejected, all)"
        case .hValidate: "validate (the marked ones, or the selected one)"
        case .hReject: "reject, with a reason (the marked ones, or the selected one)"
        case .hMakePending: "back to pending"
        case .hMark: "mark / unmark, then move down"
        case .hNextPending: "next producer waiting for validation"
        case .kValidate: "valid"
        case .kReject: "reject"
        case .kMakePending: "pending"
        case .kMark: "mark"
        case .kNextPending: "next"
        }
    }
}

/// The text of `key` in `lang`, with {0}, {1}, … replaced by `args`.
public func tr(_ key: T, _ lang: Language, _ args: CustomStringConvertible...) -> String {
    var s = switch lang {
    case .id: key.id
    case .en: key.en
    }
    for (i, a) in args.enumerated() { s = s.replacingOccurrences(of: "{\(i)}", with: a.description) }
    return s
}

/// Whole rupiah with Indonesian thousands dots: 15000 -> "15.000".
func rupiah(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// A score to one decimal, "–" when there is none.
func fmt(_ x: Double?) -> String {
    guard let x else { return "–" }
    let r = (x * 10).rounded() / 10
    let whole = Int(r)
    let tenth = Int(((r - Double(whole)) * 10).rounded())
    return "\(whole).\(abs(tenth))"
}

import Foundation
