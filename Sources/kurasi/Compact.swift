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
        if folded > 0 {
            let n = Format.count(folded, options.language)
            print(tr(.clRevJournalLinesFolded, options.language, handle.round.revision, n))
        } else if !upgraded {
            print(tr(.clTheJournalIsEmpty, options.language, handle.round.revision))
        }
    }
}
