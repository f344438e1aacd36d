import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

// A file-size limit (ulimit -f) must fail the write with EFBIG, which the store reports and
// survives, rather than kill the process mid-edit.
signal(SIGXFSZ, SIG_IGN)

// Usage errors exit 2; a store error or a rule's refusal exits 1 with its message on stderr.
// Help, usage and the argument parser's own errors are in the start-up language (Words.swift).
do {
    var command = try Kurasi.parseAsRoot()
    try command.run()
} catch let error as StoreError {
    writeStderr("kurasi: \(error.text(cliLanguage).displaySafe)")
    exit(1)
} catch let error as RegistryFileError {
    writeStderr("kurasi: \(error.text(cliLanguage).displaySafe)")
    exit(1)
} catch let error as RuleRefusal {
    writeStderr("kurasi: \(error.description.displaySafe)")
    exit(1)
} catch {
    let code = Kurasi.exitCode(for: error)
    let full = Kurasi.fullMessage(for: error)
    // A completion script is code for the shell, and the help dump (which the man page is made
    // from) is JSON: both are passed on exactly as generated.
    let script = CommandLine.arguments.contains { $0.hasPrefix("--generate-completion-script") || $0 == "--experimental-dump-help" }
    let message = script ? full : ParserWords.translate(full)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if !message.isEmpty { writeStderr(message) }  // ExitCode(1) after a message already written
    exit(code == .validationFailure ? 2 : code.rawValue)
}
