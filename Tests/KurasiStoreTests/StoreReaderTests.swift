import Foundation
import KurasiCore
@testable import KurasiStore
import Testing

/// The one-pass reader against Foundation's decoder: on the same bytes, `Store.decode` must give
/// the same round, or the same refusal (kind, line, column and message), as Foundation alone.
@Suite struct StoreReaderTests {
    /// Both readers on `data`: equal outcomes, or a description of how they differ.
    static func difference(_ data: Data) -> String? {
        func outcome(_ oneReader: Bool) -> Result<Round, StoreError> {
            do { return .success(try Store.decode(data, file: "s.json", oneReader: oneReader)) } catch { return .failure(error) }
        }
        let fast = outcome(true), reference = outcome(false)
        // And read from a file a few bytes at a time (1 to 17, by the input's length), so that
        // tokens, keys and values straddle the pieces' boundaries.
        let window = 1 + data.count % 17
        let pieces = windowed(data, window: window)
        if fast == reference, pieces == reference { return nil }
        return "one-pass reader: \(brief(fast))\nin pieces of \(window): \(brief(pieces))\nFoundation: \(brief(reference))\ninput: \(String(decoding: data.prefix(4000), as: UTF8.self))"
    }

    /// `Store.decode` of `data` handed to the reader `window` bytes at a time, as the store's
    /// load reads a file (`Store.loadSnapshot`), the whole document only where it declines.
    static func windowed(_ data: Data, window: Int) -> Result<Round, StoreError> {
        let bytes = StoreReader.ByteWindow.pieces(of: data, capacity: window, piece: window)
        do { return .success(try Store.decode(bytes, file: "s.json", progress: nil) { data }) } catch { return .failure(error) }
    }

    /// Every window from 1 to 17 bytes gives, on random stores of both schemas, the round or the
    /// refusal Foundation's decoder gives, and reads every store Foundation accepts by itself.
    @Test func storesReadInPiecesOfEveryWidth() throws {
        var rng = SplitMix64(seed: 1717)
        for i in 0..<24 {
            let round = Self.randomRound(&rng)
            let (schema, encode) = Self.schemas[i % 2]
            let data = try encode(round)
            let reference: Result<Round, StoreError>
            do { reference = .success(try Store.decode(data, file: "s.json", oneReader: false)) } catch { reference = .failure(error) }
            for window in 1...17 {
                #expect(Self.windowed(data, window: window) == reference, "store \(i) in pieces of \(window)")
                // A store Foundation accepts is read by the one-pass reader itself.
                guard case let .success(round) = reference else { continue }
                let bytes = StoreReader.ByteWindow.pieces(of: data, capacity: window, piece: window)
                let (read, abandoned) = StoreReader.read(bytes, file: "s.json", progress: nil, schema: schema)
                #expect(!abandoned)
                #expect(read == round, "store \(i) in pieces of \(window)")
            }
        }
    }

    /// Cut short anywhere, and read in pieces, a store is refused as Foundation refuses it.
    @Test func storesCutShortInPiecesAreRefusedTheSame() throws {
        var rng = SplitMix64(seed: 3)
        for i in 0..<6 {
            let data = try Self.schemas[i % 2].1(Self.randomRound(&rng))
            for cut in stride(from: 0, to: data.count, by: max(1, data.count / 60)) {
                let part = data.prefix(cut)
                let reference: Result<Round, StoreError>
                do { reference = .success(try Store.decode(part, file: "s.json", oneReader: false)) } catch { reference = .failure(error) }
                #expect(Self.windowed(part, window: 1 + cut % 17) == reference, "store \(i) cut at \(cut)")
            }
        }
    }

    static func brief(_ r: Result<Round, StoreError>) -> String {
        switch r {
        case let .success(round): "a round at revision \(round.revision), \(round.products.count) products, \(round.scores.count) scored"
        case let .failure(e): "refused: \(e)"
        }
    }

    /// A round of random size and content, with sheets that are sometimes partial, names with
    /// accents and quotes, and now and then a sheet naming someone or something unknown.
    static func randomRound(_ rng: inout SplitMix64) -> Round {
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        let names = ["Sambel Pecel", "Brem \"Asli\"", "Bluder Cokro", "Madumongso é", "Batik Ü", "Keripik\\Tempe", "Kopi\tTubruk"]
        let curators = (1...(1 + Int(rng.next() % 5))).map { Curator(id: "K\($0)", name: pick(names), role: $0 == 1 ? .chair : .curator) }
        let producers = (1...(1 + Int(rng.next() % 4))).map {
            Producer(id: "U-\($0)", name: pick(names), owner: "Bu \($0)", address: "Jl. Salak \($0)",
                     kelurahan: "Taman", kecamatan: "Taman", phone: rng.next() % 2 == 0 ? nil : "0351-\($0)")
        }
        let products = (1...(1 + Int(rng.next() % 8))).map { i in
            Product(id: "P-\(i)", producer: pick(producers).id, name: pick(names), cluster: rng.next() % 2 == 0 ? .mamin : .nonMamin,
                    category: "Sambal", price: rng.next() % 3 == 0 ? nil : Int(rng.next() % 100_000),
                    permits: rng.next() % 2 == 0 ? [] : [Permit(kind: .pirt, number: "\(i)", expires: "2030-01-01")])
        }
        let criteria = Rubric.default.criteria.map(\.id)
        var scores = ScoreMap()
        for p in products where rng.next() % 4 != 0 {
            for c in curators where rng.next() % 3 != 0 {
                var sheet: Sheet = [:]
                for k in criteria where rng.next() % 5 != 0 { sheet[k] = 1 + Int(rng.next() % 5) }
                if rng.next() % 40 == 0 { sheet["rasa-lain"] = 3 }
                if rng.next() % 60 == 0 { sheet[criteria[0]] = 7 }
                scores[p.id, default: [:]][rng.next() % 50 == 0 ? "K9" : c.id] = sheet
            }
        }
        if rng.next() % 30 == 0 { scores["P-99"] = ["K1": [:]] }
        var pins: [Cluster: [Pin]] = [:]
        if let p = products.first, rng.next() % 2 == 0 {
            pins[p.cluster] = [Pin(slot: 1, product: p.id, by: "K1", at: "2020-10-15T09:00:00Z")]
        }
        var round = Round(revision: Int(rng.next() % 1000), round: RoundInfo(title: pick(names), date: "2020-10-15"),
                          curators: curators, producers: producers, products: products, scores: scores, pins: pins)
        if rng.next() % 2 == 0, let p = products.first {
            round = round.handEdited { $0.events = [Event(revision: 1, at: "2020-10-15T09:00:00Z", by: "K1",
                                  change: .score(product: p.id, curator: "K1", criterion: criteria[0], from: nil, to: 4))] }
        }
        if rng.next() % 2 == 0, let p = products.last, let u = producers.last {
            // An import (a batch of records), a validation, a pin, an undo and a curator added.
            var changed = u
            changed.validation = Validation(status: .rejected, reason: "tutup \"sementara\"", by: "K1", at: "2020-10-15T10:00:00Z")
            round = round.handEdited { $0.events += [
                Event(revision: 2, at: "2020-10-15T09:30:00Z", by: "admin",
                      change: .batch([.producer(id: u.id, from: nil, to: u), .product(id: p.id, from: nil, to: p),
                                      .product(id: p.id, from: p, to: nil)])),
                Event(revision: 3, at: "2020-10-15T10:00:00Z", by: "K1",
                      change: .validation(producer: u.id, from: u.validation, to: changed.validation)),
                Event(revision: 4, at: "2020-10-15T10:05:00Z", by: "K1",
                      change: .pin(cluster: p.cluster, slot: 1, from: nil, to: Pin(slot: 1, product: p.id, by: "K1", at: "x"))),
                Event(revision: 5, at: "2020-10-15T10:06:00Z", by: "K1",
                      change: .score(product: p.id, curator: "K1", criterion: criteria[1], from: 3, to: nil), undoOf: 1),
                Event(revision: 6, at: "2020-10-15T10:07:00Z", by: "admin",
                      change: .curator(id: "K7", from: nil, to: Curator(id: "K7", name: pick(names)))),
            ] }
        }
        return round
    }

    /// Both schemas: 2 (sheets as arrays, what Kurasi writes) and 1 (sheets as objects, what
    /// stores from before it hold).
    static let schemas: [(Int, @Sendable (Round) throws -> Data)] = [(2, { try Store.encode($0) }), (1, { try Store.encodeV1($0) })]

    @Test func randomStoresReadTheSame() throws {
        var rng = SplitMix64(seed: 12)
        for i in 0..<150 {
            let round = Self.randomRound(&rng)
            let data = try Self.schemas[i % 2].1(round)
            #expect(Self.difference(data) == nil, "random store \(i)")
            // A well-formed store is read by the one-pass reader itself, not handed back.
            if (try? Store.decode(data, file: "s.json", oneReader: false)) != nil {
                #expect(StoreReader.read(data) != nil, "random store \(i) fell back to Foundation")
            }
        }
    }

    @Test func theBundledMadiunRoundReadsTheSame() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")
        let data = try Data(contentsOf: url)
        let fast = try #require(StoreReader.read(data))
        #expect(fast == (try Store.decode(data, file: "kurasi.json", oneReader: false)))
    }

    @Test func compactAndOddlySpacedStoresReadTheSame() throws {
        var rng = SplitMix64(seed: 7)
        for i in 0..<40 {
            let round = Self.randomRound(&rng)
            let pretty = String(decoding: try Self.schemas[i % 2].1(round), as: UTF8.self)
            // The same document on one line, and with tabs and CRLF between tokens.
            let encoder = JSONEncoder()
            let compact = "{\"schemaVersion\":1,\"revision\":\(round.revision),"
                + String(decoding: try encoder.encode(round), as: UTF8.self).dropFirst()
            let spaced = pretty.replacingOccurrences(of: "\n", with: "\r\n\t").replacingOccurrences(of: " : ", with: "\t:\r\n ")
            for text in [compact, spaced] {
                #expect(Self.difference(Data(text.utf8)) == nil, "store \(i)")
            }
        }
    }

    /// Edits a person or a broken program might make to a store, each at the first place it fits.
    static let edits: [(String, String)] = [
        ("\"kualitas\" : 4", "\"kualitas\" : 4.0"),
        ("\"kualitas\" : 4", "\"kualitas\" : 4e0"),
        ("\"kualitas\" : 4", "\"kualitas\" : 04"),
        ("\"kualitas\" : 4", "\"kualitas\" : -4"),
        ("\"kualitas\" : 4", "\"kualitas\" : -0"),
        ("\"kualitas\" : 4", "\"kualitas\" : \"4\""),
        ("\"kualitas\" : 4", "\"kualitas\" : null"),
        ("\"kualitas\" : 4", "\"kualitas\" : true"),
        ("\"kualitas\" : 4", "\"kualitas\" : 99999999999999999999"),
        ("\"kualitas\" : 4", "\"kualitas\" : 4, \"kualitas\" : 5"),
        ("\"kualitas\" : 4", "\"kualit\\u0061s\" : 4"),
        ("\"kualitas\" : 4", "\"kualitas\" : 4,"),
        ("\"kualitas\" : 4", "\"kualitas\" : [4]"),
        ("\"kualitas\" : 4", "\"kualitas\"  4"),
        ("\"kualitas\" : 4", "\"kual\titas\" : 4"),
        ("\"kualitas\" : 4", "\"kualitas\" : 4 }"),
        ("\"K1\" : {", "\"K1\" : {}, \"K1\" : {"),
        ("\"K1\" : {", "\"K1\" : null, \"K2\" : {"),
        ("\"K1\" : {", "\"K\\u0031\" : {"),
        ("\"scores\" : {", "\"scores\" : null, \"x\" : {"),
        ("\"scores\" : {", "\"scores\" : [], \"x\" : {"),
        ("\"scores\" : {", "\"scores\" : {}, \"scores\" : {"),
        ("\"scores\" : {\n    \"P-", "\"scores\" : {\n    \"P-1\" : 3, \"Q-"),
        ("\"pins\" : {", "\"pins\" : null, \"x\" : {"),
        ("\"events\" : [", "\"events\" : null, \"x\" : ["),
        ("\"events\" : [", "\"events\" : {}, \"x\" : ["),
        ("\"revision\" : ", "\"revision\" : -"),
        ("\"revision\" : ", "\"revision\" : 1.5, \"x\" : "),
        ("\"revision\" : ", "\"revision\" : \"1\", \"x\" : "),
        ("\"revision\" : ", "\"revision\" : 1, \"revision\" : "),
        ("\"revision\"", "\"revisi\\u006fn\""),
        ("\"revision\"", "\"revisionX\""),
        ("\"products\"", "\"productsX\""),
        ("\"curators\"", "\"curators\" : [], \"x\""),
        ("\"schemaVersion\" : 1,", "\"schemaVersion\" : 1, \"extra\" : [1, {\"a\" : \"\\u00e9\"}],"),
        ("\"schemaVersion\" : 1,", "\"schemaVersion\" : 1, \"extra\" : [1, 2,],"),
        ("\"schemaVersion\" : 1,", "\"schemaVersion\" : 1, \"extra\" : tru,"),
        ("\"schemaVersion\" : 1,", "\"schemaVersion\" : 1, \"extra\" : \"\u{01}\","),
        ("\"title\" : \"", "\"title\" : \"\\u00"),
        ("\"title\" : \"", "\"title\" : \"\\ud800"),
        ("\"name\" : \"", "\"name\" : \"\\\""),
        ("\"name\" : \"", "\"name\" : 1, \"x\" : \""),
        ("\"cluster\" : \"", "\"cluster\" : \"x"),
        ("\"cluster\" : \"", "\"cluster\" : null, \"x\" : \""),
        ("\"price\" : ", "\"price\" : -"),
        ("\"price\" : ", "\"price\" : null, \"x\" : "),
        ("\"price\" : ", "\"price\" : 1.5, \"x\" : "),
        ("\"price\" : ", "\"price\" : 1, \"price\" : "),
        ("\"permits\" : [", "\"permits\" : null, \"x\" : ["),
        ("\"permits\" : [", "\"permits\" : [{\"kind\" : \"NIB\", \"number\" : \"1\", \"expires\" : null}, "),
        ("\"permits\" : [", "\"permits\" : [{\"kind\" : \"SIUP\", \"number\" : \"1\"}, "),
        ("\"permits\" : [", "\"capacity\" : {\"amount\" : 5, \"unit\" : \"kg\"}, \"permits\" : ["),
        ("\"permits\" : [", "\"capacity\" : {\"amount\" : 5}, \"permits\" : ["),
        ("\"permits\" : [", "\"capacity\" : null, \"permits\" : ["),
        ("\"description\" : \"\",", ""),
        ("\"description\" : \"", "\"note\" : 1, \"description\" : \""),
        ("\"owner\" : \"", "\"owner\" : \"\\u00e9\\ud83d\\ude00 \\/\\b\\f\\n\\r"),
        ("\"owner\" : \"", "\"owner\" : \"\\ude00"),
        ("\"owner\" : \"", "\"owner\" : \"\\ud83d\\u0041"),
        ("\"owner\" : \"", "\"owner\" : \"\\x"),
        ("\"owner\" : \"", "\"owner\" : \"\\u12G4"),
        ("\"phone\" : \"", "\"phone\" : null, \"x\" : \""),
        ("\"status\" : \"", "\"status\" : \"maybe"),
        ("\"validation\" : {", "\"validation\" : null, \"x\" : {"),
        ("\"validation\" : {", "\"validation\" : {\"status\" : \"valid\", \"reason\" : null, \"by\" : \"K1\"}, \"x\" : {"),
        ("\"kind\" : \"score\"", "\"kind\" : \"scor\""),
        ("\"kind\" : \"score\"", "\"kind\" : \"pin\""),
        ("\"kind\" : \"score\"", "\"kind\" : \"score\", \"slot\" : \"x\""),
        ("\"kind\" : \"score\"", "\"kind\" : \"score\", \"extra\" : 1"),
        ("\"kind\" : \"batch\"", "\"kind\" : \"product\""),
        ("\"kind\" : \"validation\"", "\"kind\" : \"producer\""),
        ("\"undoOf\" : ", "\"undoOf\" : null, \"x\" : "),
        ("\"undoOf\" : ", "\"undoOf\" : -"),
        ("\"changes\" : [", "\"changes\" : null, \"x\" : ["),
        ("\"changes\" : [", "\"changes\" : [{\"kind\" : \"status\"}, "),
        ("\"from\" : null", "\"from\" : 2"),
        ("\"from\" : null", "\"from\" : null, \"from\" : null"),
        ("\"to\" : 4", "\"to\" : 4.0"),
        ("\"to\" : 4", "\"to\" : [4]"),
        ("\"revision\" : 2", "\"revision\" : 2.0"),
        ("\"revision\" : 2", "\"revision\" : \"2\""),
        ("\"by\" : \"admin\"", "\"by\" : null"),
        ("\n}\n", "\n}\n}"),
        ("\n}\n", "\n},\n"),
        ("\n}\n", "\n} x"),
        ("\n}\n", "\n"),
    ]

    /// The same for schema 2's sheets (P-1's sheet by K1 starts with its kualitas, 4).
    static let editsV2: [(String, String)] = [
        ("\"K1\" : [4", "\"K1\" : [4.0"),
        ("\"K1\" : [4", "\"K1\" : [4e0"),
        ("\"K1\" : [4", "\"K1\" : [04"),
        ("\"K1\" : [4", "\"K1\" : [-4"),
        ("\"K1\" : [4", "\"K1\" : [\"4\""),
        ("\"K1\" : [4", "\"K1\" : [true"),
        ("\"K1\" : [4", "\"K1\" : [null"),
        ("\"K1\" : [4", "\"K1\" : [7"),
        ("\"K1\" : [4", "\"K1\" : [200"),
        ("\"K1\" : [4", "\"K1\" : [99999999999999999999"),
        ("\"K1\" : [4", "\"K1\" : [4, 4"),
        ("\"K1\" : [4, ", "\"K1\" : ["),
        ("\"K1\" : [4", "\"K1\" : [[4]"),
        ("\"K1\" : [4", "\"K1\" : [4,]"),
        ("\"K1\" : [4", "\"K1\" : [] , \"K0\" : [4"),
        ("\"K1\" : [4", "\"K1\" : null, \"K0\" : [4"),
        ("\"K1\" : [4", "\"K1\" : {\"kualitas\" : 4}, \"K0\" : [4"),
        ("\"K1\" : [4", "\"K1\" : [4], \"K1\" : [4"),
    ]

    @Test func editedStoresReadTheSame() throws {
        var rng = SplitMix64(seed: 99)
        for i in 0..<24 {
            var round = Self.randomRound(&rng)
            round = round.handEdited { $0.scores["P-1", default: [:]]["K1", default: [:]]["kualitas"] = 4 }
            let (schema, encode) = Self.schemas[i % 2]
            let text = String(decoding: try encode(round), as: UTF8.self)
            let edits = (schema == 1 ? Self.edits : Self.editsV2 + Self.edits).map {
                ($0.0.replacingOccurrences(of: "\"schemaVersion\" : 1,", with: "\"schemaVersion\" : \(schema),"),
                 $0.1.replacingOccurrences(of: "\"schemaVersion\" : 1,", with: "\"schemaVersion\" : \(schema),"))
            }
            for (from, to) in edits {
                guard let r = text.range(of: from) else { continue }
                let edited = text.replacingCharacters(in: r, with: to)
                #expect(Self.difference(Data(edited.utf8)) == nil, "store \(i), \(from) → \(to)")
            }
        }
    }

    @Test func mutatedBytesReadTheSame() throws {
        var rng = SplitMix64(seed: 2026)
        let tokens: [[UInt8]] = ["{", "}", "[", "]", "\"", ":", ",", "0", "7", "-", ".", "e", "\\", " ", "\n", "null", "\"x\"", "\\u0041", "é"]
            .map { Array($0.utf8) }
        for i in 0..<600 {
            let base = [UInt8](try Self.schemas[i % 2].1(Self.randomRound(&rng)))
            var bytes = base
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 5 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.replaceSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 6)), with: [])
                case 2: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                case 3: bytes[at] = tokens[Int(rng.next() % UInt64(tokens.count))][0]
                default: bytes = Array(bytes.prefix(at))
                }
                if bytes.isEmpty { bytes = base }
            }
            #expect(Self.difference(Data(bytes)) == nil, "mutation \(i)")
        }
    }

    @Test func theBadFixturesAreRefusedTheSame() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/bad")
        for name in ["corrupt.json", "escapes.json", "newer-schema.json", "not-a-store.json", "random-bytes.json"] {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            #expect(Self.difference(data) == nil, "\(name)")
        }
    }

    /// A store refused today is refused with the same words: the messages users have learned.
    @Test func refusalsKeepTheirWords() throws {
        let text = String(decoding: try Store.encodeV1(tinyRound()), as: UTF8.self)
        func refusal(_ s: String) -> StoreError? {
            do { _ = try Store.decode(Data(s.utf8), file: "s.json"); return nil } catch { return error }
        }
        let cut = try #require(refusal(String(text.prefix(200))))
        #expect(cut.kind == .syntax && cut.line != nil && cut.message.hasPrefix("is not valid JSON here"))
        let newer = try #require(refusal(text.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 3")))
        #expect(newer.kind == .newerSchema && newer.message.contains("store schema version 3"))
        let point = try #require(refusal(text.replacingOccurrences(of: "\"kualitas\" : 4", with: "\"kualitas\" : true")))
        #expect(point.kind == .invalidContent && point.message.contains("scores.P-1.K1.kualitas"), "\(point)")
        let unknown = try #require(refusal(text.replacingOccurrences(of: "\"kualitas\" : 4", with: "\"rasa\" : 4")))
        #expect(unknown.message.hasPrefix("\"scores\".P-1.K1 names criterion rasa, which is not in the rubric."))
        let array = try #require(refusal("[1, 2]"))
        #expect(array.kind == .notAStore)
    }

    /// Schema 2's refusals, by both readers: a point off the scale is named by the criterion at
    /// its position; a sheet of the wrong length names the file, product, curator and the order
    /// to write; a newer schema names both versions.
    @Test func schema2RefusalsNameWhatToFix() throws {
        let text = String(decoding: try Store.encode(tinyRound()), as: UTF8.self)
        #expect(text.contains("\"K1\" : [4, null, null, null, null, null]\n"), "\(text)")
        for oneReader in [true, false] {
            func refusal(_ s: String) -> StoreError? {
                do { _ = try Store.decode(Data(s.utf8), file: "s.json", oneReader: oneReader); return nil } catch { return error }
            }
            let off = try #require(refusal(text.replacingOccurrences(of: "[4, null, null, null, null, null]", with: "[4, null, 7, null, null, null]")))
            #expect(off.description == "s.json: \"scores\".P-1.K1.keunikan is 7, outside the scale 1–5. Fix the file by hand or restore a backup; it was not changed.", "\(off)")
            let short = try #require(refusal(text.replacingOccurrences(of: "[4, null, null, null, null, null]", with: "[4, null, null, null, null]")))
            #expect(short.kind == .invalidContent)
            #expect(short.description == "s.json: \"scores\".P-1.K1 has 5 points, but the rubric has 6 criteria. Write one point (or null when not scored) for each criterion, in this order: kualitas, kemasan, keunikan, pasar, kapasitas, harga. Fix the file by hand or restore a backup; it was not changed.", "\(short)")
            #expect(short.problem.text(.id).hasPrefix("\"scores\".P-1.K1 berisi 5 nilai, sedangkan rubrik memiliki 6 kriteria."))
            let newer = try #require(refusal(text.replacingOccurrences(of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : 3")))
            #expect(newer.kind == .newerSchema && newer.message.contains("store schema version 3") && newer.message.contains("up to version 2"))
            let object = try #require(refusal(text.replacingOccurrences(of: "[4, null, null, null, null, null]", with: "{\"kualitas\" : 4}")))
            #expect(object.kind == .invalidContent && object.message.contains("scores.P-1.K1"), "\(object)")
        }
    }

    /// The validation after the one-pass reader finds repeats and unknown references with the
    /// round's own indexes (and the scores checked as they are laid out): a store whose products
    /// are not in the scores' order is read all the same, and every fault of ids is refused as
    /// Foundation's decoder and the whole validation refuse it, read whole or in pieces.
    @Test func idFaultsAreRefusedTheSameAfterTheIndexes() throws {
        func producer(_ id: ProducerID) -> Producer {
            Producer(id: id, name: "Usaha \(id)", owner: "Pemilik", address: "Jl. Salak 3", kelurahan: "Taman", kecamatan: "Taman",
                     validation: Validation(status: .valid))
        }
        func product(_ id: ProductID, _ by: ProducerID) -> Product {
            Product(id: id, producer: by, name: "Produk \(id)", cluster: .mamin, category: "Sambal", price: 15000, permits: [])
        }
        func scored(_ products: [Product]) throws -> (Round, String) {
            var round = Round(round: RoundInfo(title: "Uji", organizer: "Kadin", date: "2020-10-15"),
                              curators: [Curator(id: "K1", name: "Sri", role: .chair), Curator(id: "K2", name: "Budi", role: .curator)],
                              producers: [producer("U-1"), producer("U-2")], products: products)
            for p in ["P-1", "P-2", "P-3"] as [ProductID] {
                for c in ["K1", "K2"] as [CuratorID] {
                    try round.perform(.score(product: p, points: ["kualitas": 4, "kemasan": 3]), by: c, at: "2020-10-15T09:00:00Z")
                }
            }
            return (round, String(decoding: try Store.encode(round), as: UTF8.self))
        }
        // Products in the scores' order (as Kurasi writes them), and in another.
        let (round, text) = try scored([product("P-1", "U-1"), product("P-2", "U-2"), product("P-3", "U-1")])
        let (shuffled, shuffledText) = try scored([product("P-3", "U-1"), product("P-1", "U-1"), product("P-2", "U-2")])
        for (r, t) in [(round, text), (shuffled, shuffledText)] {
            #expect(Self.difference(Data(t.utf8)) == nil)
            #expect(try Store.decode(Data(t.utf8), file: "s.json") == r)
            #expect(Self.windowed(Data(t.utf8), window: 4096) == .success(r))
        }
        // The reader vouches for the scores only when it found the products in their order.
        func vouches(_ t: String) -> Bool {
            StoreReader.readChecking(.pieces(of: Data(t.utf8), capacity: 64, piece: 64), file: "s.json", progress: nil, schema: 2).scoresChecked
        }
        #expect(vouches(text) && !vouches(shuffledText))
        let faults: [(String, String, StoreProblem)] = [
            ("\"K2\" : [4, 3", "\"K2\" : [9, 3",
             .scoresOffScale(product: "P-1", curator: "K2", criterion: "kualitas", value: 9, min: 1, max: 5)),
            ("\"id\" : \"P-2\"", "\"id\" : \"P-1\"", .duplicateProduct("P-1")),
            ("\"id\" : \"U-2\"", "\"id\" : \"U-1\"", .duplicateProducer("U-1")),
            ("\"id\" : \"P-2\"", "\"id\" : \"U-2\"", .duplicateProduct("U-2")),
            ("\"producer\" : \"U-2\"", "\"producer\" : \"U-9\"", .productUnknownProducer(product: "P-2", producer: "U-9")),
            ("\"id\" : \"P-3\"", "\"id\" : \"P-4\"", .scoresUnknownProduct("P-3")),
            ("\"K2\" : [", "\"K9\" : [", .scoresUnknownCurator(product: "P-1", curator: "K9")),
        ]
        for (from, to, problem) in faults {
            let r = try #require(text.range(of: from), "\(from)")
            let edited = Data(text.replacingCharacters(in: r, with: to).utf8)
            #expect(Self.difference(edited) == nil, "\(from) → \(to)")
            #expect(throws: StoreError(.invalidContent, file: "s.json", problem), "\(from) → \(to)") {
                try Store.decode(edited, file: "s.json")
            }
            #expect(Self.windowed(edited, window: 4096) == .failure(StoreError(.invalidContent, file: "s.json", problem)))
        }
    }

    /// With several faults in `scores`, the message names the first in id order, on every run.
    @Test func theFirstFaultIsNamedInIdOrder() throws {
        var round = tinyRound()
        for p in ["P-7", "P-3", "P-5"] as [ProductID] { round = round.handEdited { $0.scores[p] = ["K1": ["kualitas": 4]] } }
        let data = try Store.encode(round)
        #expect(throws: StoreError(.invalidContent, file: "s.json", .scoresUnknownProduct("P-3"))) {
            try Store.decode(data, file: "s.json")
        }
        #expect(StoreError(.invalidContent, file: "s.json", .scoresUnknownProduct("P-3")).message
                == "\"scores\" names product P-3, which is not in \"products\". Fix the file by hand or restore a backup; it was not changed.")
    }
}
