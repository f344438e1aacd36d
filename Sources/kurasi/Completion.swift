import ArgumentParser
import Foundation
import KurasiCore
import KurasiStore

// Shell completion of ids from the store: the shell runs `kurasi ---completion …` with the words
// typed so far; these read the store they name (--store PATH, else $KURASI_STORE, else
// ./kurasi.json) and offer its ids. A store that cannot be read offers nothing.

enum StoreCompletion {
    /// The store the typed words name.
    static func storePath(_ words: [String], _ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var path: String?
        for (i, w) in words.enumerated() {
            if w == "--store", i + 1 < words.count { path = words[i + 1] }
            else if w.hasPrefix("--store=") { path = String(w.dropFirst(8)) }
        }
        let chosen = path ?? env["KURASI_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "kurasi.json"
        // The shell passes a typed ~ through unexpanded.
        if chosen.hasPrefix("~/") { return NSHomeDirectory() + chosen.dropFirst(1) }
        return chosen
    }

    static func ids(_ words: [String], prefix: String, _ pick: (Round) -> [String]) -> [String] {
        guard let round = try? Store(path: storePath(words)).load() else { return [] }
        let all = pick(round)
        let p = prefix.lowercased()
        return p.isEmpty ? all : all.filter { $0.lowercased().hasPrefix(p) }
    }

    static let products = CompletionKind.custom { words, _, prefix in ids(words, prefix: prefix) { $0.products.map(\.id.rawValue) } }
    static let producers = CompletionKind.custom { words, _, prefix in ids(words, prefix: prefix) { $0.producers.map(\.id.rawValue) } }
    static let curators = CompletionKind.custom { words, _, prefix in ids(words, prefix: prefix) { $0.curators.map(\.id.rawValue) } }
    static let criteria = CompletionKind.custom { words, _, prefix in
        ids(words, prefix: prefix) { $0.rubric.criteria.map { $0.id.rawValue + "=" } }
    }
}
