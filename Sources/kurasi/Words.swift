import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

// The command line's language, chosen once at start-up before the arguments are parsed, so that
// help, usage and the argument parser's own errors follow it: `--lang id|en` (or `--lang=id`)
// anywhere in the arguments, else LC_ALL, LC_MESSAGES or LANG (see StoreOptions).

/// The language of help, usage and every message the command line prints.
let cliLanguage: Language = startupLanguage(Array(CommandLine.arguments.dropFirst()), ProcessInfo.processInfo.environment)

func startupLanguage(_ args: [String], _ env: [String: String]) -> Language {
    var i = 0
    var chosen: Language?
    while i < args.count {
        let a = args[i]
        if a == "--" { break }
        if a == "--lang", i + 1 < args.count { chosen = Language(rawValue: args[i + 1]) ?? chosen; i += 1 }
        else if a.hasPrefix("--lang=") { chosen = Language(rawValue: String(a.dropFirst(7))) ?? chosen }
        i += 1
    }
    return chosen ?? StoreOptions.environmentLanguage(env)
}

/// An error as the user reads it: the store's and the CSV files' in the user's language.
func errorText(_ error: any Error, _ lang: Language) -> String {
    switch error {
    case let e as StoreError: e.text(lang)
    case let e as RegistryFileError: e.text(lang)
    default: "\(error)"
    }
}

/// The argument parser's own fixed words (headings, its errors, its built-in flags) in
/// Bahasa Indonesia; English text passes unchanged. Each pair is (pattern, replacement) where
/// the pattern is a regular expression matched against the parser's English.
enum ParserWords {
    static let id: [(String, String)] = [
        (#"(?m)^OVERVIEW: "#, "RINGKASAN: "),
        (#"(?m)^USAGE: "#, "PEMAKAIAN: "),
        (#"(?m)^Usage: "#, "Pemakaian: "),
        (#"(?m)^ARGUMENTS:"#, "ARGUMEN:"),
        (#"(?m)^OPTIONS:"#, "OPSI:"),
        (#"(?m)^SUBCOMMANDS:"#, "SUBPERINTAH:"),
        (#"(?m)^Error: "#, "Galat: "),
        (#"(?m)^Help:  "#, "Bantuan:  "),
        (#"Show help information\."#, "Tampilkan bantuan."),
        (#"Show the version\."#, "Tampilkan versi."),
        // The help wraps at 80 columns, sometimes right after "(default:".
        (#"\(default:\s+([^)]*)\)"#, "(bawaan: $1)"),
        (#"\(values:\s+([^)]*)\)"#, "(pilihan: $1)"),
        (#"\(default\)"#, "(bawaan)"),
        (#"See '([^']*) <subcommand>' for detailed help\."#, "Lihat '$1 <subperintah>' untuk bantuan lengkap."),
        (#"See '([^']*)' for more information\."#, "Lihat '$1' untuk keterangan lebih lanjut."),
        (#"<subcommand>"#, "<subperintah>"),
        (#"Missing expected argument '([^']*)'"#, "Argumen yang diperlukan belum diberikan: '$1'"),
        (#"Missing value for '([^']*)'"#, "Nilai untuk '$1' belum diberikan"),
        (#"Unknown option '([^']*)'\. Did you mean '([^']*)'\?"#, "Opsi tidak dikenal: '$1'. Maksud Anda '$2'?"),
        (#"Unknown option '([^']*)'"#, "Opsi tidak dikenal: '$1'"),
        (#"Unexpected arguments? '([^']*)'"#, "Argumen tidak terduga: '$1'"),
        (#"Unexpected arguments? "#, "Argumen tidak terduga: "),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "Nilai '$1' tidak berlaku untuk '$2'"),
        (#"Please provide one of '([^']*)'"#, "Berikan salah satu dari '$1'"),
        (#"Please provide one of "#, "Berikan salah satu dari "),
        (#"Value to be set with flag '([^']*)' had already been set with flag '([^']*)'"#, "Nilai untuk '$1' sudah diberikan dengan '$2'"),
        (#"Duplicate flags?"#, "Opsi ganda"),
        (#"Unknown subcommand"#, "Subperintah tidak dikenal"),
        (#"Generate a completion script"#, "Buat skrip pelengkapan"),
    ]

    /// The parser's text in `lang`.
    static func translate(_ text: String, _ lang: Language = cliLanguage) -> String {
        guard lang == .id else { return text }
        var t = text
        for (pattern, replacement) in id {
            t = t.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return t
    }
}

/// What `kurasi --version` prints.
let kurasiVersion = "1.0.0"
