import Foundation
import KurasiCore
import KurasiTestSupport
@testable import KurasiStore
import Testing

/// A fresh directory per test, removed afterwards.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "kurasi-store-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}


func tinyRound() -> Round {
    var r = Round(round: RoundInfo(title: "Uji · Kurasi", organizer: "Kadin", date: "2020-10-15"),
                  curators: [Curator(id: "K1", name: "Sri", role: .chair)],
                  producers: [Producer(id: "U-1", name: "Sambel Pecel Bu Tini", owner: "Tini", address: "Jl. Salak 3",
                                       kelurahan: "Taman", kecamatan: "Taman", validation: Validation(status: .valid))],
                  products: [Product(id: "P-1", producer: "U-1", name: "Sambal Pecel", cluster: .mamin, category: "Sambal",
                                     price: 15000, permits: [Permit(kind: .pirt, number: "1", expires: "2025-01-01")])])
    try! r.perform(.score(product: "P-1", points: ["kualitas": 4]), by: "K1", at: "2020-10-15T09:00:00Z")
    return r
}

func mode(_ path: String) -> Int {
    (try! FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
}

@Suite struct StoreTests {
    @Test func saveAndLoadRoundTrip() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        let round = tinyRound()
        try store.create(round)
        let loaded = try store.load()
        #expect(loaded == round)
        #expect(loaded.product("P-1")?.name == "Sambal Pecel")
    }

    @Test func documentStartsWithSchemaVersionAndRevisionThenSortedKeys() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "{")
        #expect(lines[1] == "  \"schemaVersion\" : 2,")
        #expect(lines[2] == "  \"revision\" : 1,")
        let topKeys = lines.filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(Array(topKeys.dropFirst(2)) == ["curators", "events", "pins", "producers", "products", "round", "rubric", "scores"])
        #expect(text.hasSuffix("}\n"))
        // Saving the loaded round again writes the same bytes: the file diffs cleanly.
        let again = try Store.encode(try store.load())
        #expect(again == Data(text.utf8))
    }

    @Test func newStoreIsPrivateAndSavesKeepTheMode() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        #expect(mode(store.path) == 0o600)
        chmod(store.path, 0o640)
        try store.update { try $0.perform(.score(product: "P-1", points: ["kemasan": 3]), by: "K1", at: "t") }
        #expect(mode(store.path) == 0o640)
        #expect(try store.load().revision == 2)
    }

    @Test func symlinkIsKeptAndItsTargetUpdated() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        try Store(path: dir.file("data/real.json")).create(tinyRound())
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: "data/real.json")
        let store = Store(path: dir.file("link.json"))
        try store.update { try $0.perform(.score(product: "P-1", points: ["kemasan": 3]), by: "K1", at: "t") }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.json")) == "data/real.json")
        #expect(try Store(path: dir.file("data/real.json")).load().revision == 2)
    }

    @Test func createRefusesToReplaceAFile() throws {
        let dir = TempDir()
        let path = dir.file("k.json")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try Store(path: path).create(tinyRound()) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
    }

    @Test func missingStoreNamesInitAndDemo() {
        let dir = TempDir()
        do { _ = try Store(path: dir.file("none.json")).load(); Issue.record("loaded a missing store") } catch {
            #expect(error.kind == .missing)
            #expect(error.description.contains("none.json"))
            #expect(error.description.contains("kurasi init") && error.description.contains("kurasi demo"))
        }
    }

    /// Loading `bytes` fails with `kind`, the message names the file, and the file is unchanged.
    func expectRefused(_ bytes: Data, _ kind: StoreError.Kind, line: Int? = nil, mentions: [String] = []) throws {
        let dir = TempDir()
        let path = dir.file("bad.json")
        try bytes.write(to: URL(fileURLWithPath: path))
        let store = Store(path: path)
        do {
            _ = try store.load()
            Issue.record("a bad store loaded")
        } catch {
            #expect(error.kind == kind, "\(error)")
            #expect(error.description.hasPrefix(path))
            if let line { #expect(error.line == line, "\(error)") }
            for m in mentions { #expect(error.description.contains(m), "\(error) should mention \(m)") }
        }
        // An edit attempt is refused the same way and writes nothing.
        #expect(throws: StoreError.self) { try store.update { _ in } }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "bad.json.lock" } == ["bad.json"])
    }

    @Test func newerSchemaIsRefusedNamingBothVersions() throws {
        var text = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : 7")
        try expectRefused(Data(text.utf8), .newerSchema, mentions: ["version 7", "version 2"])
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let good = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        var lines = good.components(separatedBy: "\n")
        // Drop the comma at the end of line 20.
        #expect(lines[19].hasSuffix(","))
        lines[19].removeLast()
        try expectRefused(Data(lines.joined(separator: "\n").utf8), .syntax, line: 21, mentions: ["kurasi check"])
    }

    @Test func truncatedStoreIsRefused() throws {
        let good = try Store.encode(tinyRound())
        try expectRefused(good.prefix(good.count / 2), .syntax)
    }

    @Test func jsonThatIsNotAStoreIsRefused() throws {
        try expectRefused(Data("[1, 2, 3]".utf8), .notAStore)
        try expectRefused(Data("{\"products\": []}".utf8), .notAStore, mentions: ["schemaVersion"])
    }

    @Test func invalidUTF8IsRefused() throws {
        try expectRefused(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), .syntax)
    }

    @Test func wrongFieldTypeNamesTheField() throws {
        var text = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"price\" : 15000", with: "\"price\" : \"Rp 15.000\"")
        try expectRefused(Data(text.utf8), .invalidContent, mentions: ["products[0].price"])
    }

    @Test func danglingReferenceIsRefused() throws {
        var text = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"producer\" : \"U-1\"", with: "\"producer\" : \"U-404\"")
        try expectRefused(Data(text.utf8), .invalidContent, mentions: ["P-1", "U-404"])
    }

    @Test func seededRandomBytesNeverCrashTheLoader() throws {
        var rng = SplitMix64(seed: 2020)
        let good = [UInt8](try Store.encode(tinyRound()))
        for i in 0..<200 {
            var bytes = good
            switch i % 3 {
            case 0: bytes = (0..<Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1: for _ in 0..<(1 + Int(rng.next() % 8)) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            default: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            }
            // Either a round or a StoreError; never a trap.
            _ = try? Store.decode(Data(bytes), file: "fuzz-\(i).json")
        }
    }
}
