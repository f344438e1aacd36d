import Foundation
import KurasiCore
@testable import KurasiStore
import KurasiTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The index beside the store lets `kurasi score` read only the product it edits. The same
/// commands run against two copies of one store, one reading the whole round and one through
/// the index, must give the same event or the same refusal and leave the same bytes on disk.
@Suite struct StoreIndexTests {
    static let at = "2020-10-15T11:00:00Z"
    static let criteria = Rubric.default.criteria.map(\.id)

    /// A round with every role, an active and a withdrawn conflict, producers pending, valid and
    /// rejected, products with and without permits, sheets, pins, and a phase of the round.
    static func round(_ rng: inout SplitMix64) -> Round {
        func chance(_ n: UInt64) -> Bool { rng.next() % n == 0 }
        let producers = (1...(3 + Int(rng.next() % 5))).map { i in
            Producer(id: "U-\(i)", name: "Usaha \(i) \"Bu Tini\"", owner: "Bu \(i)", address: "Jl. Salak \(i)",
                     kelurahan: "Taman", kecamatan: "Taman",
                     validation: chance(4) ? Validation(status: .pending)
                         : chance(5) ? Validation(status: .rejected, reason: "tutup", by: "K1", at: at)
                         : Validation(status: .valid, by: "K1", at: at))
        }
        let products = (1...(4 + Int(rng.next() % 12))).map { i in
            Product(id: "P-\(i)", producer: producers[Int(rng.next() % UInt64(producers.count))].id, name: "Produk \(i) é",
                    cluster: chance(2) ? .mamin : .nonMamin, category: "Sambal", price: Int(rng.next() % 90_000),
                    permits: chance(3) ? [] : [Permit(kind: .pirt, number: "\(i)", expires: "2030-01-01")])
        }
        let conflicted = producers[Int(rng.next() % UInt64(producers.count))].id
        let curators = [
            Curator(id: "K1", name: "Sri", role: .chair),
            Curator(id: "K2", name: "Agus", role: .secretary),
            Curator(id: "K3", name: "Endang", conflicts: [Conflict(producer: conflicted, kind: .family, reason: "adik")]),
            Curator(id: "K4", name: "Dwi", conflicts: [Conflict(producer: producers[0].id, kind: .business, reason: "mitra",
                                                                 withdrawn: Withdrawal(by: "K1", at: at, reason: "selesai"))]),
            Curator(id: "K5", name: "Retno"),
        ]
        var scores = ScoreMap()
        for p in products where !chance(3) {
            for c in curators where !chance(2) && !c.isRecused(from: p.producer) {
                var sheet: Sheet = [:]
                for k in criteria where !chance(4) { sheet[k] = 1 + Int(rng.next() % 5) }
                if !sheet.isEmpty { scores[p.id, default: [:]][c.id] = sheet }
            }
        }
        var pins: [Cluster: [Pin]] = [:]
        if chance(2), let p = products.first(where: { $0.cluster == .mamin }) {
            pins[.mamin] = [Pin(slot: 2, product: p.id, by: "K1", at: at)]
        }
        var info = RoundInfo(title: "Uji", date: "2020-10-15")
        switch rng.next() % 4 {
        case 0: info.status = RoundStatus(state: .deliberation, by: "K1", at: at)
        case 1: info.status = RoundStatus(state: .final, by: "K1", at: at)
        default: break
        }
        return Round(revision: 0, round: info, curators: curators,
                     producers: producers, products: products, scores: scores, pins: pins)
    }

    /// A score command as a curator might type it: sometimes for an unknown product, by an unknown
    /// curator, naming an unknown criterion, off the scale, or clearing a point.
    static func scoreCommand(_ rng: inout SplitMix64, products: Int) -> (ProductID, CuratorID, [CriterionID: Int?]) {
        let product: ProductID = rng.next() % 12 == 0 ? "P-404" : "P-\(1 + Int(rng.next() % UInt64(products)))"
        let by: CuratorID = rng.next() % 12 == 0 ? "K9" : "K\(1 + Int(rng.next() % 5))"
        var points: [CriterionID: Int?] = [:]
        for _ in 0...(rng.next() % 3) {
            let k: CriterionID = rng.next() % 15 == 0 ? "rasa" : criteria[Int(rng.next() % UInt64(criteria.count))]
            let v = rng.next() % 8
            points[k] = v == 7 ? .some(nil) : Int(v)
        }
        return (product, by, points)
    }

    /// Another edit that reaches the journal between scores: a validation, a pin, the phase, a
    /// conflict declared, or (rarely) a product added, which a partial reader cannot take.
    static func otherCommand(_ rng: inout SplitMix64, round: Round) -> (Command, CuratorID) {
        let p = round.products[Int(rng.next() % UInt64(round.products.count))]
        switch rng.next() % 6 {
        case 0: return (.validate(producer: p.producer, status: .valid, reason: nil), "K1")
        case 1: return (.pin(product: p.id, slot: nil, reason: "unggulan"), "K2")
        case 2: return (.unpin(product: p.id), "K1")
        case 3: return (rng.next() % 2 == 0 ? .openDeliberation : .reopen(reason: "ulang"), "K1")
        case 4: return (.addConflict(curator: "K5", Conflict(producer: p.producer, kind: .business, reason: "pemasok")), "K5")
        default: return (.addProduct(Product(id: "", producer: p.producer, name: "Baru", cluster: .mamin, category: "Sambal")), "K1")
        }
    }

    static func outcome(_ h: StoreHandle, _ command: Command, by: CuratorID) -> String {
        do {
            let event = try h.commit { try $0.perform(command, by: by, at: at) }
            return event.map { "event \($0)" } ?? "nothing changed"
        } catch {
            return "refused: \(error)"
        }
    }

    static func bytes(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func scoresThroughTheIndexMatchTheWholeRoundEventForEventAndByteForByte() throws {
        var partial = 0, whole = 0
        for seed in UInt64(1)...12 {
            var rng = SplitMix64(seed: seed)
            let dir = TempDir()
            let a = Store(path: dir.file("a.json")), b = Store(path: dir.file("b.json"))
            let start = Self.round(&rng)
            try a.create(start); try b.create(start)
            var reference = try StoreHandle(store: a)
            for step in 0..<30 {
                if rng.next() % 5 == 0 {
                    // The same other edit on both, through whole handles.
                    let (command, by) = Self.otherCommand(&rng, round: reference.round)
                    let x = Self.outcome(try StoreHandle(store: a), command, by: by)
                    let y = Self.outcome(try StoreHandle(store: b), command, by: by)
                    #expect(x == y, "seed \(seed) step \(step)")
                    reference = try StoreHandle(store: a)
                    continue
                }
                if rng.next() % 13 == 0 {
                    // A compaction writes a new snapshot and a new index.
                    try StoreHandle(store: a).compact(); try StoreHandle(store: b).compact()
                }
                let (product, by, points) = Self.scoreCommand(&rng, products: start.products.count)
                let command = Command.score(product: product, points: points)
                let full = Self.outcome(try StoreHandle(store: a), command, by: by)
                let handle = try StoreHandle(store: b, editing: product)
                if handle.isPartial { partial += 1 } else { whole += 1 }
                let fast = Self.outcome(handle, command, by: by)
                #expect(full == fast, "seed \(seed) step \(step): \(command) by \(by)")
                #expect(Self.bytes(a.journalPath) == Self.bytes(b.journalPath), "seed \(seed) step \(step)")
                reference = try StoreHandle(store: a)
            }
            #expect(Self.bytes(a.path) == Self.bytes(b.path), "seed \(seed)")
            #expect(Self.bytes(a.journalPath) == Self.bytes(b.journalPath), "seed \(seed)")
            #expect(try a.load() == b.load(), "seed \(seed)")
        }
        // Most scores went through the index; the rest read the whole round (no index yet, or a
        // journal holding an edit a part cannot take).
        #expect(partial > 150)
        #expect(whole > 0)
    }

    @Test func theBundledRoundScoresTheSameThroughTheIndex() throws {
        let dir = TempDir()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        let a = Store(path: dir.file("a.json")), b = Store(path: dir.file("b.json"))
        try FileManager.default.copyItem(atPath: fixture.path, toPath: a.path)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: b.path)
        let round = try a.load()
        var rng = SplitMix64(seed: 2020)
        var partial = 0
        for step in 0..<12 {
            let product: ProductID = step % 8 == 7 ? "P-9999" : round.products[Int(rng.next() % UInt64(round.products.count))].id
            let by = round.curators[Int(rng.next() % UInt64(round.curators.count))].id
            let command = Command.score(product: product, points: [Self.criteria[step % 6]: 1 + step % 5])
            let full = Self.outcome(try StoreHandle(store: a), command, by: by)
            let handle = try StoreHandle(store: b, editing: product)
            if handle.isPartial { partial += 1 }
            #expect(full == Self.outcome(handle, command, by: by), "step \(step)")
        }
        #expect(Self.bytes(a.journalPath) == Self.bytes(b.journalPath))
        #expect(partial == 11)   // the first read writes the index
    }

    /// The index names the schema of the snapshot it was made from: made from the bundled
    /// schema 1 round, then from its schema 2 successor, each read through the part gives what the
    /// whole round gives.
    @Test func theIndexRecordsTheSchemaAndReadsBoth() throws {
        let dir = TempDir()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        let store = Store(path: dir.file("k.json"))
        try FileManager.default.copyItem(atPath: fixture.path, toPath: store.path)
        let index = store.targetPath + StoreIndex.suffix
        func header() -> String { String(decoding: (Self.bytes(index) ?? Data()).prefix(15), as: UTF8.self) }
        let round = try store.load()
        let product = round.products.first { round.scores[$0.id].map { $0.count >= 2 } ?? false }!.id
        #expect(try !StoreHandle(store: store, editing: product).isPartial)   // writes the index
        #expect(header() == "kurasi-index s1")
        let part = try StoreHandle(store: store, editing: product)
        #expect(part.isPartial && part.round.scores[product] == round.scores[product])
        try part.commit { try $0.perform(.score(product: product, points: ["kualitas": 1]), by: "K2", at: Self.at) }
        #expect(try StoreHandle(store: store).compact() == 1)
        #expect(header() == "kurasi-index s2")
        let whole = try store.load()
        let again = try StoreHandle(store: store, editing: product)
        #expect(again.isPartial && again.round.scores[product] == whole.scores[product])
        #expect(again.round.sheet(product: product, curator: "K2")["kualitas"] == 1)
    }

    @Test func aStaleOrDamagedIndexIsNotUsed() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let index = store.targetPath + StoreIndex.suffix
        #expect(try !StoreHandle(store: store, editing: "P-1").isPartial)   // writes the index
        #expect(FileManager.default.fileExists(atPath: index))
        #expect(try StoreHandle(store: store, editing: "P-1").isPartial)
        #expect(try StoreHandle(store: store, editing: "P-1").round.product("P-1") != nil)
        // Records that point at the wrong bytes: the part is not used.
        var damaged = Self.bytes(index)!
        let record = StoreIndex.headerSize + 40
        damaged[record] = UInt8(ascii: "9")
        try damaged.write(to: URL(fileURLWithPath: index))
        #expect(try !StoreHandle(store: store, editing: "P-1").isPartial)
        // A snapshot written by anyone else (here: the same bytes, rewritten) makes it stale.
        try StoreHandle(store: store, editing: "P-1").commit { try $0.perform(.score(product: "P-1", points: ["kemasan": 3]), by: "K1", at: Self.at) }
        #expect(try StoreHandle(store: store, editing: "P-1").isPartial)
        let snapshot = Self.bytes(store.path)!
        try FileManager.default.removeItem(atPath: store.path)
        try snapshot.write(to: URL(fileURLWithPath: store.path))
        let h = try StoreHandle(store: store, editing: "P-1")
        #expect(!h.isPartial)
        #expect(h.round.sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3])
    }

    @Test func aSnapshotLaidOutOtherwiseGetsNoIndex() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        // The same round, written on one line (as a hand edit or another tool might).
        let object = try JSONSerialization.jsonObject(with: Store.encode(tinyRound()))
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: store.path))
        let h = try StoreHandle(store: store, editing: "P-1")
        #expect(!h.isPartial)
        #expect(!FileManager.default.fileExists(atPath: store.targetPath + StoreIndex.suffix))
        try h.commit { try $0.perform(.score(product: "P-1", points: ["kemasan": 2]), by: "K1", at: Self.at) }
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 2])
    }

    @Test func aPartHandleNeverWritesAPartialSnapshot() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        let round = tinyRound().handEdited {
            $0.producers.append(Producer(id: "U-2", name: "Brem", owner: "Mas", address: "Jl. 2", kelurahan: "Taman", kecamatan: "Taman"))
            $0.products.append(Product(id: "P-2", producer: "U-2", name: "Brem", cluster: .mamin, category: "Brem"))
        }
        try store.create(round)
        _ = try StoreHandle(store: store, editing: "P-1")
        let h = try StoreHandle(store: store, editing: "P-1")
        #expect(h.isPartial)
        #expect(h.round.product("P-2") == nil)
        h.compactEvery = 1
        try h.commit { try $0.perform(.score(product: "P-1", points: ["kemasan": 2]), by: "K1", at: Self.at) }
        let saved = try Store.decode(Self.bytes(store.path)!, file: store.path)
        #expect(saved.product("P-2") != nil)
        #expect(saved.sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 2])
    }

    // MARK: The first edit without a current index

    /// Stores of several shapes, each as a file: random rounds, the bundled schema 1 round, the
    /// same round written anew in schema 2, a round without scores, and one with a key written
    /// with an escape, which the one-pass reader declines (Foundation's decoder reads it, from
    /// the whole file).
    static func storesToIndex(_ dir: TempDir) throws -> [(String, Store)] {
        var stores: [(String, Store)] = []
        for seed in UInt64(1)...4 {
            var rng = SplitMix64(seed: seed)
            let store = Store(path: dir.file("random\(seed).json"))
            try store.create(Self.round(&rng))
            stores.append(("random \(seed)", store))
        }
        let fixture = repositoryRoot.appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        let madiun = Store(path: dir.file("madiun.json"))
        try FileManager.default.copyItem(atPath: fixture.path, toPath: madiun.path)
        stores.append(("madiun, schema 1", madiun))
        let migrated = Store(path: dir.file("migrated.json"))
        try Store.encode(try madiun.load()).write(to: URL(fileURLWithPath: migrated.path))
        stores.append(("madiun, schema 2", migrated))
        let unscored = Store(path: dir.file("unscored.json"))
        try unscored.create(tinyRound().handEdited { $0.scores = [:] })
        stores.append(("no scores", unscored))
        let declined = Store(path: dir.file("declined.json"))
        let text = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        let escaped = text.replacingOccurrences(of: "      \"name\" : \"Sambel Pecel Bu Tini\",\n",
                                                with: "      \"na\\u006de\" : \"Sambel Pecel Bu Tini\",\n")
        #expect(escaped != text)
        try Data(escaped.utf8).write(to: URL(fileURLWithPath: declined.path))
        #expect(StoreReader.read(Data(escaped.utf8)) == nil, "the one-pass reader declines an escape in a key")
        stores.append(("an escaped key the reader declines", declined))
        return stores
    }

    /// `kurasi score` on a store without an index reads the snapshot in pieces, as the load does,
    /// and writes the index made from those pieces: byte for byte the index of the whole file,
    /// through windows of any size, on every shape of store.
    @Test func theFirstEditWithoutAnIndexWritesTheIndexOfTheWholeFile() throws {
        let dir = TempDir()
        for (name, store) in try Self.storesToIndex(dir) {
            let index = store.targetPath + StoreIndex.suffix
            let whole = try #require(Self.bytes(store.path))
            let round = try Store.decode(whole, file: store.path)
            let stamp = try #require(FileStamp(store.targetPath))
            let expected = try #require(StoreIndex.build(whole, stamp: stamp, revision: round.revision), "\(name)")
            // Windows of a byte or a few on the small stores; the large ones in the load's pieces.
            for window in whole.count < 100_000 ? [1, 7, 4096, Store.readWindow] : [4096, Store.readWindow] {
                let (read, built) = try store.loadSnapshot(window: window, indexing: true)
                #expect(read == round, "\(name), window \(window)")
                let made = try #require(built, "\(name), window \(window)")
                #expect(made.finish(stamp: stamp, revision: round.revision) == expected, "\(name), window \(window)")
            }
            unlink(index)
            let product = round.products[round.products.count / 2].id
            let h = try StoreHandle(store: store, editing: product)
            #expect(!h.isPartial && h.round == round, "\(name)")
            #expect(Self.bytes(index) == expected, "\(name)")
            // The next edit reads through it.
            #expect(try StoreHandle(store: store, editing: product).isPartial, "\(name)")
            // The snapshot written again by something else (the same bytes, a new file): the index
            // is stale, and the next edit replaces it with the new file's.
            try FileManager.default.removeItem(atPath: store.path)
            try whole.write(to: URL(fileURLWithPath: store.path))
            let restamped = try #require(FileStamp(store.targetPath))
            #expect(restamped != stamp)
            #expect(try !StoreHandle(store: store, editing: product).isPartial, "\(name)")
            #expect(Self.bytes(index) == StoreIndex.build(whole, stamp: restamped, revision: round.revision), "\(name)")
            #expect(Self.bytes(index) != expected, "\(name)")
        }
    }

    /// A hand-laid-out snapshot (one line, or re-indented) gets no index, and a stale index
    /// beside it is removed; the edit reads the whole store each time.
    @Test func aHandLaidOutStoreGetsNoIndexFromTheFirstEdit() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        let index = store.targetPath + StoreIndex.suffix
        _ = try StoreHandle(store: store, editing: "P-1")
        #expect(FileManager.default.fileExists(atPath: index))
        let object = try JSONSerialization.jsonObject(with: Store.encode(tinyRound()))
        let layouts = [
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            Data(String(decoding: try Store.encode(tinyRound()), as: UTF8.self).replacingOccurrences(of: "\n  ", with: "\n   ").utf8),
        ]
        for (n, bytes) in layouts.enumerated() {
            try bytes.write(to: URL(fileURLWithPath: store.path))
            for window in [1, Store.readWindow] {
                let (read, built) = try store.loadSnapshot(window: window, indexing: true)
                #expect(read == tinyRound(), "layout \(n)")
                #expect(built?.finish(stamp: FileStamp(store.targetPath)!, revision: read.revision) == nil, "layout \(n)")
            }
            let h = try StoreHandle(store: store, editing: "P-1")
            #expect(!h.isPartial)
            #expect(!FileManager.default.fileExists(atPath: index), "layout \(n)")
            #expect(try !StoreHandle(store: store, editing: "P-1").isPartial)
        }
    }

    /// A store the first edit cannot read is refused with the words it always had (file, line,
    /// field), whether the edit has an index to use or not, and no index is written for it.
    @Test func theFirstEditRefusesWhatTheLoadRefusesAndWritesNoIndex() throws {
        let (path, cleanUp) = try { () throws -> (String, () -> Void) in
            let (dir, path) = try copyOfMadiunStore("first-edit")
            return (path, { try? FileManager.default.removeItem(atPath: dir) })
        }()
        defer { cleanUp() }
        let store = Store(path: path)
        let index = store.targetPath + StoreIndex.suffix
        let data = try #require(Self.bytes(path))
        let text = String(decoding: data, as: UTF8.self)
        let header = "\"schemaVersion\" : \(try #require(Store.headerVersion(data)))"
        let products = try #require(text.range(of: "\n  \"products\" : [\n"))
        let firstPrice = try #require(text.range(of: #""price" : \d+"#, options: .regularExpression, range: products.upperBound..<text.endIndex))
        let firstProducer = try #require(text.range(of: #""producer" : "U-\d+""#, options: .regularExpression, range: products.upperBound..<text.endIndex))
        let damaged: [(String, Data)] = [
            ("cut short", data.prefix(data.count / 2)),
            ("cut at its header", data.prefix(10)),
            ("empty", Data()),
            ("newer schema", Data(text.replacingOccurrences(of: header, with: "\"schemaVersion\" : 3").utf8)),
            ("no schema", Data(text.replacingOccurrences(of: header + ",", with: "").utf8)),
            ("a number in products", Data(text.replacingOccurrences(of: "\"products\" : [", with: "\"products\" : [1, ").utf8)),
            ("a price as text", Data(text.replacingCharacters(in: firstPrice, with: "\"price\" : \"mahal\"").utf8)),
            ("a score off the scale", Data(text.replacingOccurrences(of: "\"kualitas\" : 4", with: "\"kualitas\" : 9").utf8)),
            ("a product of an unknown producer", Data(text.replacingCharacters(in: firstProducer, with: "\"producer\" : \"U-9999\"").utf8)),
        ]
        for (name, bytes) in damaged {
            #expect(bytes != data || name == "empty", "\(name) changes the file")
            try bytes.write(to: URL(fileURLWithPath: path))
            unlink(index)
            var expected: StoreError?
            do { _ = try Store.decode(bytes, file: path) } catch { expected = error }
            let want = try #require(expected, "\(name) is refused")
            #expect(throws: want, "\(name)") { _ = try StoreHandle(store: store, editing: "P-0003") }
            #expect(throws: want, "\(name)") { _ = try StoreHandle(store: store) }
            #expect(!FileManager.default.fileExists(atPath: index), "\(name)")
        }
    }
}
