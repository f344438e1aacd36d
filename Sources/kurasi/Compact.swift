import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

/// `kurasi compact`: fold the journal into the snapshot. No edit does this on its own (an edit
/// never waits for a rewrite of the whole store); the console does it when it quits.
struct Compact: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "compact",
        abstract: tr(.clFoldTheJournalInto, cliLanguage),
        discussion: tr(.cdEveryEditIsSaved, cliLanguage)) }
    @OptionGroup var options: StoreOptions

    func run() throws {
        let handle = try options.openStore()
        let before = handle.store.schemaOnDisk
        let folded = try handle.compact(upgrading: true)
        for w in handle.warnings { writeStderr("kurasi: \(tr(.clWarning, options.language)): \(w.text(options.language).displaySafe)") }
        let upgraded = before.map { $0 < Store.schemaVersion } == true && handle.store.schemaOnDisk == Store.schemaVersion
        if upgraded {
            print(tr(.clStoreUpgraded, options.language, Store.schemaVersion, before!, handle.store.v1BackupPath.displaySafe))
        }
        if folded > 0, let done = handle.lastCompaction {
            // What this compaction folded into the snapshot, at the snapshot's revision; the
            // lines other terminals wrote meanwhile stay in the journal after it.
            let lang = options.language
            print(tr(done.folded == 1 ? .clRevJournalLineFolded : .clRevJournalLinesFolded, lang, done.revision, Format.count(done.folded, lang)))
            if done.carried == 1 {
                print(tr(.clJournalLineStays, lang, 1, done.revision + 1))
            } else if done.carried > 1 {
                print(tr(.clJournalLinesStay, lang, Format.count(done.carried, lang), done.revision + 1, done.revision + done.carried))
            }
        } else if !upgraded {
            print(tr(.clTheJournalIsEmpty, options.language, handle.round.revision))
        }
    }
}
