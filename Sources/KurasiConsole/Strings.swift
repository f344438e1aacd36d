import KurasiCore

/// Every text of the console, in both languages, in one table. `StringsTests` fails when a key
/// has no text in either language. Placeholders are {0}, {1}, … in order.
public enum T: String, CaseIterable, Sendable {
    case appName, curatorLabel, noCurator, tabs, sortLabel, filterLabel, filterEditing
    case colRank, colID, colProduct, colProducer, colKelurahan, colScore, colCurators, colPin
    case sortRank, sortName, sortProducer, sortKelurahan, sortID
    case emptyList, emptyFilter
    case saved, notSaved, revision, finalBadge, openBadge
    case tooSmall
    // detail
    case criterionHeader, you, blindNote, recusedNote, aggregateLine, noAggregate, eligible, ineligible
    case price, capacityPerMonth, noPermits, expires, historyHeader, noHistory, anchorsHeader, pinnedAt, topFiveNote
    case phone
    // board
    case boardTitle, boardEmptySlot, boardTopFive, boardNotPinned, boardOverride, boardFinalHint, boardReasonLabel
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

    static let table: [T: (id: String, en: String)] = [
        .appName: ("Kurasi", "Kurasi"),
        .curatorLabel: ("Kurator: {0}", "Curator: {0}"),
        .noCurator: ("Kurator: – (tekan c)", "Curator: – (press c)"),
        .tabs: ("{0} {1}", "{0} {1}"),
        .sortLabel: ("urut: {0}", "sort: {0}"),
        .filterLabel: ("saring: {0}", "filter: {0}"),
        .filterEditing: ("saring: {0}▏", "filter: {0}▏"),
        .colRank: ("#", "#"), .colID: ("ID", "ID"), .colProduct: ("Produk", "Product"),
        .colProducer: ("Pelaku UMKM", "Producer"), .colKelurahan: ("Kelurahan", "Kelurahan"),
        .colScore: ("Skor", "Score"), .colCurators: ("n/m", "n/m"), .colPin: ("Pin", "Pin"),
        .sortRank: ("skor ▼", "score ▼"), .sortName: ("nama", "name"), .sortProducer: ("pelaku", "producer"),
        .sortKelurahan: ("kelurahan", "kelurahan"), .sortID: ("ID", "ID"),
        .emptyList: ("Belum ada produk di klaster ini.", "No products in this cluster yet."),
        .emptyFilter: ("Tidak ada produk yang cocok dengan \"{0}\". Esc menghapus saringan.", "No product matches \"{0}\". Esc clears the filter."),
        .saved: ("Tersimpan", "Saved"), .notSaved: ("TIDAK TERSIMPAN", "NOT SAVED"),
        .revision: ("rev {0}", "rev {0}"), .finalBadge: ("FINAL", "FINAL"), .openBadge: ("terbuka", "open"),
        .tooSmall: ("Terminal terlalu kecil ({0}×{1}); perlu paling sedikit {2}×{3}.", "Terminal too small ({0}×{1}); needs at least {2}×{3}."),
        .criterionHeader: ("Kriteria (bobot)", "Criterion (weight)"), .you: ("Anda", "You"),
        .blindNote: ("Skor kurator lain tampil setelah lembar Anda lengkap.", "Other curators' scores show once your sheet is complete."),
        .recusedNote: ("Anda menyatakan konflik dengan pelaku ini ({0}); Anda tidak menilai produknya.", "You declared a conflict with this producer ({0}); you do not score its products."),
        .aggregateLine: ("Skor {0} · n {1} · min {2} · maks {3} · sd {4}", "Score {0} · n {1} · min {2} · max {3} · sd {4}"),
        .noAggregate: ("Belum ada lembar nilai lengkap.", "No complete score sheet yet."),
        .eligible: ("✓ memenuhi syarat", "✓ eligible"), .ineligible: ("⊘ tidak memenuhi syarat: {0}", "⊘ not eligible: {0}"),
        .price: ("Rp {0}", "Rp {0}"), .capacityPerMonth: ("{0} {1} per bulan", "{0} {1} a month"),
        .noPermits: ("tanpa izin", "no permits"), .expires: ("s/d {0}", "until {0}"),
        .historyHeader: ("Riwayat", "History"), .noHistory: ("Belum ada perubahan.", "No changes yet."),
        .anchorsHeader: ("Skala {0}:", "Scale of {0}:"), .pinnedAt: ("dipin ★{0}", "pinned ★{0}"),
        .topFiveNote: ("peringkat {0}", "rank {0}"), .phone: ("☎ {0}", "☎ {0}"),
        .boardTitle: ("PAPAN PILIHAN · {0}", "SHORTLIST BOARD · {0}"), .boardEmptySlot: ("–", "–"),
        .boardTopFive: ("Usulan 5 teratas menurut skor", "Top five by score"),
        .boardNotPinned: ("○ belum dipin", "○ not pinned"), .boardOverride: ("di luar 5 teratas", "outside the top five"),
        .boardFinalHint: ("f finalisasi (perlu 5 + 5)", "f finalise (needs 5 + 5)"), .boardReasonLabel: ("alasan: {0}", "reason: {0}"),
        .boardFinalizedBy: ("FINAL · difinalisasi oleh {0} pada {1}", "FINAL · finalised by {0} at {1}"),
        .boardReopened: ("dibuka kembali: {0}", "reopened: {0}"),
        .pickerTitle: ("Pilih kurator aktif", "Choose the active curator"),
        .roleChair: ("ketua", "chair"), .roleCurator: ("kurator", "curator"),
        .conflictsLabel: ("konflik: {0}", "conflicts: {0}"), .keySpace: ("Spasi", "Space"),
        .pickerHint: ("Skor yang Anda masukkan tercatat atas nama kurator ini.", "The scores you enter are recorded under this curator."),
        .helpTitle: ("Bantuan · tombol di layar ini", "Help · keys on this screen"),
        .helpGlobal: ("Di semua layar", "On every screen"), .helpClose: ("Tekan tombol apa saja untuk menutup.", "Press any key to close."),
        .promptPinReason: ("Alasan memilih {0} di luar 5 teratas: ", "Why pin {0} outside the top five: "),
        .promptReopenReason: ("Alasan membuka kembali ronde: ", "Why reopen the round: "),
        .promptHint: ("Enter simpan · Esc batal", "Enter save · Esc cancel"),
        .cancelled: ("Dibatalkan.", "Cancelled."),
        .chooseCuratorFirst: ("Pilih kurator aktif dulu: tekan c.", "Choose the active curator first: press c."),
        .nothingUnscored: ("Semua produk di sini sudah Anda nilai.", "You have scored every product here."),
        .activeCurator: ("Kurator aktif: {0}", "Active curator: {0}"),
        .redrawn: ("Layar digambar ulang.", "Screen redrawn."),
        .storeError: ("Tidak tersimpan: {0}", "Not saved: {0}"),
        .updatedElsewhere: ("Diperbarui dari terminal lain (rev {0}).", "Updated from another terminal (rev {0})."),
        .hQuit: ("keluar (semua sudah tersimpan)", "quit (everything is already saved)"),
        .hHelp: ("bantuan ini", "this help"), .hNextCluster: ("klaster berikutnya", "next cluster"),
        .hPrevCluster: ("klaster sebelumnya", "previous cluster"), .hMove: ("pindah pilihan", "move the selection"),
        .hPage: ("satu halaman", "one page"), .hTopBottom: ("awal / akhir daftar", "top / bottom of the list"),
        .hFilter: ("saring sambil mengetik (nama, pelaku, ID, kelurahan); Enter simpan, Esc hapus", "filter as you type (name, producer, id, kelurahan); Enter keeps, Esc clears"),
        .hSort: ("ganti urutan", "cycle the sort"), .hOpen: ("buka detail dan penilaian", "open the detail and scoring"),
        .hBack: ("kembali", "back"), .hScore: ("beri nilai kriteria ini, lalu ke kriteria berikutnya", "score this criterion, then move to the next"),
        .hClear: ("hapus nilai kriteria ini", "clear this criterion's score"), .hCriterion: ("pilih kriteria", "choose a criterion"),
        .hPrevNext: ("produk sebelumnya / berikutnya", "previous / next product"),
        .hNextUnscored: ("produk berikutnya yang belum Anda nilai", "next product you have not scored"),
        .hPin: ("pin / lepas pin", "pin / unpin"), .hBoard: ("papan pilihan", "the shortlist board"),
        .hCurators: ("ganti kurator aktif", "change the active curator"), .hUndo: ("batalkan perubahan terakhir Anda", "undo your last change"),
        .hRedraw: ("gambar ulang layar", "redraw the screen"), .hFinalize: ("finalisasi ronde (ketua; perlu 5 + 5 pin)", "finalise the round (chair; needs 5 + 5 pins)"),
        .hReopen: ("buka kembali ronde final (ketua, dengan alasan)", "reopen a final round (chair, with a reason)"),
        .hChoose: ("pilih kurator ini", "choose this curator"),
        .hClearFilter: ("hapus saringan", "clear the filter"),
        .kMove: ("pilih", "select"), .kOpen: ("nilai", "score"), .kScore: ("nilai", "score"), .kFilter: ("saring", "filter"),
        .kCluster: ("klaster", "cluster"), .kPin: ("pin", "pin"), .kBoard: ("papan", "board"), .kHelp: ("bantuan", "help"),
        .kQuit: ("keluar", "quit"), .kBack: ("kembali", "back"), .kCriterion: ("kriteria", "criterion"),
        .kProduct: ("produk", "product"), .kClear: ("hapus", "clear"), .kFinalize: ("finalisasi", "finalise"),
        .kReopen: ("buka kembali", "reopen"), .kChoose: ("pilih", "choose"), .kNext: ("belum dinilai", "unscored"),
    ]
}

/// The text of `key` in `lang`, with {0}, {1}, … replaced by `args`.
public func tr(_ key: T, _ lang: Language, _ args: CustomStringConvertible...) -> String {
    guard let entry = T.table[key] else { return key.rawValue }
    var s = lang == .id ? entry.id : entry.en
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
