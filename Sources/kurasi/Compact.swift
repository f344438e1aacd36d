import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

/// `kurasi compact`: fold the journal into the snapshot. No edit does this on its own (an edit
/// never waits for a rewrite of the whole store); the console does it when it quits.
struct Compact: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        abstract: L("Fold the journal into the store's snapshot (the console does this when it quits).", "Lipat jurnal ke dalam snapshot data (konsol melakukannya saat ditutup)."),
        discussion: L("""
        Every edit is saved in the journal at once; the snapshot is rewritten only here and when
        the console quits, so no edit waits for it. The previous snapshot is kept as a backup
        (<store>.rN.bak) with its journal segment. Run it after a long session of commands, or
        from cron at night.
        """, """
        Setiap perubahan langsung disimpan di jurnal; snapshot ditulis ulang hanya di sini dan saat
        konsol ditutup, jadi tidak ada perubahan yang menunggunya. Snapshot sebelumnya disimpan
        sebagai cadangan (<data>.rN.bak) bersama bagian jurnalnya. Jalankan setelah sesi panjang
        perintah, atau dari cron pada malam hari.
        """)) }
    @OptionGroup var options: StoreOptions

    func run() throws {
        let id = options.language == .id
        let handle = try options.openStore()
        let folded = try handle.compact()
        for w in handle.warnings { writeStderr("kurasi: \(id ? "peringatan" : "warning"): \(w.displaySafe)") }
        if folded == 0 {
            print(id ? "Jurnal kosong; tidak ada yang dipadatkan (rev \(handle.round.revision))." : "The journal is empty; nothing to compact (rev \(handle.round.revision)).")
        } else {
            let n = Format.count(folded, options.language)
            print(id ? "rev \(handle.round.revision): \(n) baris jurnal dilipat ke snapshot." : "rev \(handle.round.revision): \(n) journal lines folded into the snapshot.")
        }
    }
}
