import Foundation
import KurasiCore

/// The sizes the benchmarks run at. 1× is the Kadin Kota Madiun round (100 validated producers,
/// about 300 products); 10× and 100× multiply it; the 1000× step is capped at 100,000 products
/// (≈ 334× Madiun's products, the size of a province's round) because a round of 300,000 products
/// is beyond what any committee scores. Every size has 20 curators who scored every product they
/// may score, on every criterion.
public struct Scale: Sendable, Hashable {
    public let name: String
    public let products: Int
    public let producers: Int
    public let curators: Int
    /// The audit trail the snapshot carries: the last score edits (the rest of the scores came in
    /// as the round's starting data, as in the bundled Madiun fixture, which has no events).
    public let events: Int

    public init(name: String, products: Int, producers: Int, curators: Int = 20, events: Int? = nil) {
        self.name = name; self.products = products; self.producers = producers; self.curators = curators
        self.events = events ?? min(products, 10_000)
    }

    public static let all: [Scale] = [
        Scale(name: "1x", products: 300, producers: 100),
        Scale(name: "10x", products: 3_000, producers: 1_000),
        Scale(name: "100x", products: 30_000, producers: 10_000),
        Scale(name: "1000x", products: 100_000, producers: 33_334),
    ]

    /// The real thing: the bundled Madiun fixture (100 producers, 299 products, 5 curators,
    /// partly scored), copied rather than generated. The "Madiun round" of the start-up target.
    public static let madiun = Scale(name: "madiun", products: 299, producers: 100, curators: 5, events: 0)

    /// What run.sh measures by default: the fixture, then the four generated sizes.
    public static let standard: [Scale] = [madiun] + all

    public static func named(_ name: String) -> Scale? { standard.first { $0.name == name } }

    /// The seed of a size: fixed, so every run and machine gets the same bytes.
    var seed: UInt64 { 20_201_015 &* 1_000_003 &+ UInt64(products) }
}

/// Builds a synthetic round shaped like the Madiun fixture (fixtures/generate.py): producers in
/// the 27 kelurahan of Kota Madiun, products of the city's usual trades with prices, capacities
/// and permits (about 8% of mamin products without P-IRT/BPOM MD, 3% with an expired P-IRT),
/// curators with declared conflicts, and every sheet complete.
public enum Synth {
    public static func round(_ scale: Scale) -> Round {
        var rng = SeededRandom(seed: scale.seed)
        let date = "2020-10-15"
        let curators = makeCurators(scale, &rng)
        let producers = makeProducers(scale, &rng)
        let products = makeProducts(scale, producers: producers, &rng)
        let info = RoundInfo(title: "Kurasi Produk Unggulan (sintetis \(scale.name): \(scale.products) produk)",
                             organizer: "Kadin Kota Madiun", date: date)
        // Built as the store's loader builds a round: from its parts, through the one init.
        func round(_ scores: ScoreMap = [:], _ events: [Event] = [], pins: [Cluster: [Pin]] = [:]) -> Round {
            Round(revision: events.last?.revision ?? 0, round: info, rubric: .default, curators: curators.list,
                  producers: producers.map(\.producer), products: products, scores: scores, pins: pins, events: events)
        }
        let scores = makeScores(scale, round: round(), recused: curators.recused, producers: producers, &rng)
        let events = makeEvents(scale, round: round(scores), &rng)
        return round(scores, events, pins: makePins(round(scores, events)))
    }

    // MARK: Curators

    static let curatorNames = [
        "Dra. Hj. Sri Rahayu Ningsih, M.M.", "Agus Prasetyo, S.E.", "Endang Susilowati", "Ir. Dwi Cahyono",
        "Retno Wulandari, S.Sn.", "Bambang Sutejo, S.T.", "Hj. Nur Aini", "Drs. Heru Santoso", "Lilik Mardiana, S.Pd.",
        "Yudi Kurniawan", "Rina Puspitasari, S.Ds.", "H. Mohammad Yusuf", "Tri Handayani, M.Si.", "Eko Wahyudi",
        "Siti Rohmah, S.E.", "Gunawan Setiadi", "Ani Rahmawati, S.TP.", "Joko Priyanto", "Dewi Kartika Sari",
        "Ir. Slamet Riyadi",
    ]
    static let conflictReasons: [(ConflictKind, String)] = [
        (.family, "adik kandung pemilik"), (.family, "keponakan pemilik"), (.family, "besan"),
        (.business, "pemasok bahan baku"), (.business, "mitra usaha di toko oleh-oleh"),
        (.employment, "pernah bekerja di sana"), (.other, "tetangga dekat"),
    ]

    static func makeCurators(_ scale: Scale, _ rng: inout SeededRandom) -> (list: [Curator], recused: [[Int]]) {
        // About one declared conflict per 50 producers, spread over the curators (the chair has none).
        let total = max(1, scale.producers / 50)
        var conflicts = Array(repeating: [Conflict](), count: scale.curators)
        var recused = Array(repeating: [Int](), count: scale.producers)  // producer index -> curator indexes
        for _ in 0..<total {
            let c = 1 + Int(rng.next() % UInt64(scale.curators - 1))
            let p = Int(rng.next() % UInt64(scale.producers))
            guard !recused[p].contains(c) else { continue }
            let (kind, reason) = rng.pick(conflictReasons)
            conflicts[c].append(Conflict(producer: ProducerID(producerID(p, scale)), kind: kind, reason: reason))
            recused[p].append(c)
        }
        let list = (0..<scale.curators).map { i in
            Curator(id: CuratorID("K\(i + 1)"), name: curatorNames[i % curatorNames.count], role: i == 0 ? .chair : .curator,
                    conflicts: conflicts[i])
        }
        return (list, recused)
    }

    // MARK: Producers

    static let kecamatan: [(String, [String])] = [
        ("Kartoharjo", ["Kartoharjo", "Kanigoro", "Klegen", "Oro-oro Ombo", "Pilangbango", "Rejomulyo", "Sukosari", "Kelun", "Tawangrejo"]),
        ("Manguharjo", ["Manguharjo", "Madiun Lor", "Nambangan Kidul", "Nambangan Lor", "Ngegong", "Pangongangan", "Patihan", "Sogaten", "Winongo"]),
        ("Taman", ["Taman", "Banjarejo", "Demangan", "Josenan", "Kejuron", "Kuncen", "Manisrejo", "Mojorejo", "Pandean"]),
    ]
    static let streets = ["Jl. Kalimantan", "Jl. Sulawesi", "Jl. Thamrin", "Jl. Yos Sudarso", "Jl. Pahlawan",
                          "Jl. Diponegoro", "Jl. Serayu", "Jl. Salak", "Jl. Panglima Sudirman", "Jl. Cokroaminoto",
                          "Jl. Agus Salim", "Jl. Basuki Rahmat", "Jl. Mastrip", "Jl. Trunojoyo", "Jl. Kartini"]
    static let female = [("Suhartini", "Tini"), ("Sri Wahyuni", "Yuni"), ("Sumarni", "Marni"), ("Harjanti", "Har"),
                         ("Sukiyem", "Yem"), ("Painem", "Nem"), ("Siti Aminah", "Minah"), ("Sulastri", "Lastri"),
                         ("Endang Sriwati", "Endang"), ("Suparmi", "Parmi"), ("Lilik Suryani", "Lilik"),
                         ("Dwi Astuti", "Dwi"), ("Rini Handayani", "Rini"), ("Purwanti", "Pur"), ("Nur Hayati", "Nur")]
    static let male = [("Slamet", "Slamet"), ("Bambang Hartono", "Bambang"), ("Sugeng", "Sugeng"),
                       ("Joko Susilo", "Joko"), ("Suparno", "Parno"), ("Wahyudi", "Yudi"), ("Hadi Santoso", "Hadi"),
                       ("Mulyono", "Mul"), ("Priyo Utomo", "Priyo"), ("Eko Prasetyo", "Eko"), ("Didik Purnomo", "Didik"),
                       ("Heru Cahyono", "Heru"), ("Wagiman", "Giman"), ("Yoyok Hermawan", "Yoyok")]
    static let brands = ["Sari Rasa", "Suling Mas", "Mekar Sari", "Dua Putri", "Sumber Rejeki", "Rahayu", "Barokah",
                         "Lestari", "Manunggal", "Tiga Dara", "Kembang Arum", "Madu Sari", "Putra Jaya", "Berkah Jaya",
                         "Sekar Jagad", "Sido Mulyo", "Karya Mandiri", "Sri Rejeki", "Wijaya Kusuma", "Citra Rasa",
                         "Mugi Lancar", "Anugerah", "Podho Seneng", "Arum Dalu", "Mentari", "D'Lima", "Kencana",
                         "Wilis", "Tugu Pendekar", "Lawu Indah", "Bengawan", "Mbok Dhe", "Café Kampung", "Naga Mas"]

    /// A trade: registry item, product category, unit, price range, capacity range, variants, what
    /// the description says. Weighted by how common it is among Madiun's producers.
    struct Trade {
        var item: String, category: String, unit: String
        var price: ClosedRange<Int>, capacity: ClosedRange<Int>
        var variants: [String], says: String, cluster: Cluster
    }
    static let trades: [Trade] = [
        Trade(item: "Sambel Pecel", category: "Sambal", unit: "bungkus", price: 12000...35000, capacity: 300...3000,
              variants: ["Sambel Pecel Pedas 250 g", "Sambel Pecel Sedang 250 g", "Sambel Pecel Tidak Pedas 500 g", "Sambel Pecel Kencur 1 kg", "Sambel Pecel Daun Jeruk 200 g"],
              says: "dari kacang tanah sangrai, gula merah dan daun jeruk purut tanpa pengawet", cluster: .mamin),
        Trade(item: "Brem", category: "Kue tradisional", unit: "kotak", price: 8000...25000, capacity: 200...2500,
              variants: ["Brem Original", "Brem Rasa Durian", "Brem Rasa Cokelat", "Brem Mini Isi 20"],
              says: "dari sari tape ketan yang dikeringkan dan meleleh manis di lidah", cluster: .mamin),
        Trade(item: "Bluder", category: "Roti & kue", unit: "kotak", price: 6000...75000, capacity: 300...4000,
              variants: ["Bluder Original", "Bluder Keju", "Bluder Cokelat", "Bluder Kismis", "Bluder Pandan"],
              says: "yang lembut dengan mentega dan telur pilihan", cluster: .mamin),
        Trade(item: "Madumongso", category: "Dodol & jenang", unit: "kotak", price: 20000...45000, capacity: 100...1200,
              variants: ["Madumongso Ketan Hitam", "Madumongso Besek 500 g", "Madumongso Mini", "Madumongso Ketan Putih"],
              says: "dari ketan yang difermentasi dan dibungkus kertas minyak warna-warni", cluster: .mamin),
        Trade(item: "Lempeng Puli", category: "Keripik & kerupuk", unit: "bungkus", price: 8000...20000, capacity: 200...2000,
              variants: ["Lempeng Puli Original", "Lempeng Puli Pedas", "Lempeng Puli Bawang", "Lempeng Puli Terasi"],
              says: "dari nasi puli yang dijemur dan digoreng renyah", cluster: .mamin),
        Trade(item: "Keripik Tempe", category: "Keripik & kerupuk", unit: "bungkus", price: 7000...25000, capacity: 300...3000,
              variants: ["Keripik Tempe Original", "Keripik Tempe Balado", "Keripik Tempe Daun Jeruk", "Keripik Tempe Sagu"],
              says: "dari tempe tipis berbalut tepung bumbu, renyah tahan lama", cluster: .mamin),
        Trade(item: "Kopi Bubuk", category: "Kopi", unit: "bungkus", price: 15000...75000, capacity: 100...1500,
              variants: ["Kopi Robusta Wilis 250 g", "Kopi Arabika Wilis 200 g", "Kopi Jahe Sachet", "Kopi Lanang 100 g"],
              says: "dari biji kopi lereng Wilis yang disangrai sendiri", cluster: .mamin),
        Trade(item: "Wedang Uwuh", category: "Minuman rempah", unit: "kotak", price: 10000...30000, capacity: 100...1500,
              variants: ["Wedang Uwuh Isi 10", "Wedang Uwuh Celup", "Wedang Secang", "Wedang Jahe Merah"],
              says: "dari rempah kering pilihan: jahe, secang, cengkih dan kayu manis", cluster: .mamin),
        Trade(item: "Jamu", category: "Jamu", unit: "botol", price: 5000...25000, capacity: 300...3000,
              variants: ["Jamu Kunyit Asam", "Jamu Beras Kencur", "Jamu Temulawak", "Jamu Sinom"],
              says: "yang diracik dari resep turun-temurun tanpa bahan kimia", cluster: .mamin),
        Trade(item: "Suvenir", category: "Suvenir", unit: "pcs", price: 10000...150000, capacity: 100...1500,
              variants: ["Miniatur Dongkrek", "Gantungan Kunci Tugu Pendekar", "Topeng Dongkrek Mini", "Miniatur Kereta Api"],
              says: "yang mengangkat ikon budaya Kota Madiun", cluster: .nonMamin),
        Trade(item: "Anyaman Eceng Gondok", category: "Anyaman", unit: "pcs", price: 25000...250000, capacity: 50...600,
              variants: ["Tas Anyaman Eceng Gondok", "Keranjang Eceng Gondok", "Tempat Tisu Eceng Gondok", "Sandal Eceng Gondok"],
              says: "dari eceng gondok Bengawan Madiun yang dikeringkan dan dianyam tangan", cluster: .nonMamin),
        Trade(item: "Kerajinan Kayu", category: "Kerajinan kayu", unit: "pcs", price: 20000...500000, capacity: 30...400,
              variants: ["Miniatur Kereta Api Kayu", "Talenan Kayu Jati", "Kotak Tisu Ukir", "Jam Dinding Kayu"],
              says: "dari kayu jati dan mahoni sisa industri mebel", cluster: .nonMamin),
        Trade(item: "Batik Pecelan", category: "Batik", unit: "lembar", price: 85000...1500000, capacity: 20...300,
              variants: ["Batik Tulis Motif Pecelan", "Batik Cap Motif Pecel Madiun", "Kemeja Batik Pecelan", "Batik Tulis Pewarna Alami"],
              says: "dengan motif khas Madiun yang digambar dan diwarnai tangan", cluster: .nonMamin),
        Trade(item: "Sandal Kulit", category: "Alas kaki", unit: "pasang", price: 45000...250000, capacity: 50...800,
              variants: ["Sandal Kulit Pria", "Sandal Kulit Wanita", "Sandal Selop Kulit", "Sandal Gunung Kulit"],
              says: "dari kulit sapi samak nabati dengan sol karet tebal", cluster: .nonMamin),
        Trade(item: "Tas Kulit", category: "Tas & dompet", unit: "pcs", price: 50000...600000, capacity: 30...500,
              variants: ["Dompet Kulit Pria", "Tas Selempang Kulit", "Ikat Pinggang Kulit", "Tas Laptop Kulit"],
              says: "dari kulit asli dengan jahitan rapi dan awet", cluster: .nonMamin),
        Trade(item: "Konveksi", category: "Pakaian", unit: "pcs", price: 35000...200000, capacity: 100...2000,
              variants: ["Kaos Sablon Kampung Pesilat", "Kemeja Lurik", "Seragam Pencak Silat", "Jaket Bomber Madiun"],
              says: "yang dijahit dan disablon sendiri di Madiun", cluster: .nonMamin),
    ]
    /// Trade indexes, weighted: about half the producers make food and drink.
    static let tradeWeights: [Int] = [0, 0, 0, 0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 12, 12, 12, 13, 14, 15]

    struct Maker {
        var producer: Producer
        var trade: Int
    }

    static func digits(_ count: Int) -> Int { max(4, String(count).count) }
    static func producerID(_ i: Int, _ scale: Scale) -> String { "U-" + pad(i + 1, digits(scale.producers)) }
    static func productID(_ i: Int, _ scale: Scale) -> String { "P-" + pad(i + 1, digits(scale.products)) }
    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    static func number(_ digits: Int, _ rng: inout SeededRandom) -> String {
        var s = ""
        for _ in 0..<digits { s.append(Character(String(rng.next() % 10))) }
        return s
    }

    static func makeProducers(_ scale: Scale, _ rng: inout SeededRandom) -> [Maker] {
        (0..<scale.producers).map { i in
            let (kec, kels) = rng.pick(kecamatan)
            let kel = rng.pick(kels)
            let isFemale = rng.chance(0.6)
            let (full, nick) = rng.pick(isFemale ? female : male)
            let honorific = rng.pick(isFemale ? ["Bu", "Bu", "Mbok", "Mbak"] : ["Pak", "Pak", "Mas", "Mbah"])
            let trade = rng.pick(tradeWeights)
            let t = trades[trade]
            let brand = rng.pick(brands)
            let name: String = switch rng.int(0...9) {
            case 0...3: "\(t.item) \(honorific) \(nick)"
            case 4...6: "\(t.item) \(brand)"
            case 7: "UD \(brand)"
            case 8: "\(t.item) \(kel)"
            default: brand
            }
            let nib = rng.chance(0.7) ? rng.pick(["91", "81", "02", "12"]) + number(11, &rng) : nil
            let phone: String? = rng.chance(0.85)
                ? "08\(rng.pick(["12", "13", "21", "22", "52", "53", "56", "57", "77", "95"]))-\(rng.int(1000...9999))-\(rng.int(1000...9999))" : nil
            let address = "\(rng.pick(streets)) No. \(rng.int(1...150)), RT \(pad(rng.int(1...40), 2))/RW \(pad(rng.int(1...12), 2))"
            let producer = Producer(
                id: ProducerID(producerID(i, scale)), name: name, owner: full, address: address, kelurahan: kel, kecamatan: kec,
                phone: phone, nib: nib, registryKey: nib ?? "\(name.lowercased())|\(kel.lowercased())",
                validation: Validation(status: .valid, by: "K1", at: "2020-09-21T02:\(pad(i % 60, 2)):00Z"))
            return Maker(producer: producer, trade: trade)
        }
    }

    // MARK: Products

    static func makeProducts(_ scale: Scale, producers: [Maker], _ rng: inout SeededRandom) -> [Product] {
        (0..<scale.products).map { i in
            // Products go to producers round-robin, so every producer makes about the same number.
            let maker = producers[i % producers.count]
            // One product in eight is of another trade of the same cluster (a batik maker's bag).
            var t = trades[maker.trade]
            if rng.chance(0.125) {
                let sameCluster = trades.filter { $0.cluster == t.cluster }
                t = rng.pick(sameCluster)
            }
            let variant = rng.pick(t.variants)
            let step = t.price.upperBound < 100_000 ? 500 : 5_000
            let price = max(step, rng.int(t.price) / step * step)
            let capacity = Capacity(amount: max(10, rng.int(t.capacity) / 10 * 10), unit: t.unit)
            var permits: [Permit] = []
            if t.cluster == .mamin {
                let r = rng.unit()
                if r < 0.08 {
                    // no P-IRT or BPOM MD: ineligible
                } else if r < 0.11 {
                    permits.append(Permit(kind: .pirt, number: number(13, &rng) + "-19", expires: "2019-\(pad(rng.int(1...12), 2))-\(pad(rng.int(1...28), 2))"))
                } else if r < 0.16 {
                    permits.append(Permit(kind: .bpomMD, number: "MD " + number(12, &rng)))
                } else {
                    permits.append(Permit(kind: .pirt, number: number(13, &rng) + "-2\(rng.int(1...5))",
                                          expires: "202\(rng.int(1...6))-\(pad(rng.int(1...12), 2))-\(pad(rng.int(1...28), 2))"))
                }
                if rng.chance(0.4) {
                    permits.append(Permit(kind: .halal, number: number(14, &rng), expires: "202\(rng.int(1...4))-\(pad(rng.int(1...12), 2))-\(pad(rng.int(1...28), 2))"))
                }
            } else {
                if rng.chance(0.3) { permits.append(Permit(kind: .nib, number: number(13, &rng))) }
                if rng.chance(0.1) { permits.append(Permit(kind: .hki, number: "IDM" + number(9, &rng))) }
            }
            return Product(id: ProductID(productID(i, scale)), producer: maker.producer.id, name: variant, cluster: t.cluster,
                           category: t.category, description: "\(variant) \(t.says).", price: price,
                           capacity: capacity, permits: permits)
        }
    }

    // MARK: Scores, events, pins

    static func makeScores(_ scale: Scale, round: Round, recused: [[Int]], producers: [Maker],
                           _ rng: inout SeededRandom) -> ScoreMap {
        let criteria = round.rubric.criteria.map(\.id)
        let bias = (0..<scale.curators).map { _ in rng.normal(sd: 0.3) }
        var scores = ScoreMap()
        scores.reserveCapacity(round.products.count)
        for (i, product) in round.products.enumerated() {
            let quality = 1.6 + 2.8 * rng.unit()
            let lean = criteria.map { _ in rng.normal(sd: 0.35) }
            let excluded = recused[i % producers.count]
            var sheets = ProductSheets(layout: criteria)
            for c in 0..<scale.curators where !excluded.contains(c) {
                var sheet = Sheet(layout: criteria)
                for (k, id) in criteria.enumerated() {
                    let v = quality + bias[c] + lean[k] + rng.normal(sd: 0.55)
                    sheet[id] = min(5, max(1, Int(v.rounded())))
                }
                sheets[CuratorID("K\(c + 1)")] = sheet
            }
            scores[product.id] = sheets
        }
        return scores
    }

    /// The last edits of the round as score events, oldest first; each one set the value the
    /// sheet holds now.
    static func makeEvents(_ scale: Scale, round: Round, _ rng: inout SeededRandom) -> [Event] {
        let criteria = round.rubric.criteria.map(\.id)
        var events: [Event] = []
        events.reserveCapacity(scale.events)
        var seconds = 9 * 3600
        while events.count < scale.events {
            let product = round.products[Int(rng.next() % UInt64(round.products.count))]
            let curator = CuratorID("K\(1 + Int(rng.next() % UInt64(scale.curators)))")
            guard let sheet = round.scores[product.id]?[curator] else { continue }
            let criterion = rng.pick(criteria)
            seconds += rng.int(1...6)
            let at = "2020-10-15T\(pad(seconds / 3600 % 24, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))Z"
            let to = sheet[criterion]!
            let from: Int? = rng.chance(0.8) ? nil : (to == 5 ? 4 : to + 1)
            events.append(Event(revision: events.count + 1, at: at, by: curator,
                                change: .score(product: product.id, curator: curator, criterion: criterion, from: from, to: to)))
        }
        return events
    }

    /// The top three of each cluster pinned, one product per producer, as the committee would
    /// have them mid-meeting.
    static func makePins(_ round: Round) -> [Cluster: [Pin]] {
        var pins: [Cluster: [Pin]] = [:]
        for cluster in Cluster.allCases {
            var list: [Pin] = [], producers = Set<ProducerID>()
            for r in round.ranking(cluster) where r.rank != nil && list.count < 3 {
                guard producers.insert(r.product.producer).inserted else { continue }
                list.append(Pin(slot: list.count + 1, product: r.product.id, by: "K1", at: "2020-10-15T15:0\(list.count):00Z"))
            }
            pins[cluster] = list
        }
        return pins
    }

    // MARK: CSV for the comparison with VisiData

    /// The products as one CSV table (what a spreadsheet user would open): id, name, producer,
    /// kelurahan, kecamatan, cluster, category, price, score, curators. Same rows as the store.
    public static func productsCSV(_ round: Round) -> String {
        var out = "id,name,producer,kelurahan,kecamatan,cluster,category,price,score,curators\n"
        out.reserveCapacity(round.products.count * 140)
        func field(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        for p in round.products {
            let producer = round.producer(p.producer)
            let a = round.aggregate(p)
            let score = a.score.map { String(Double(Int(($0 * 10).rounded())) / 10) } ?? ""
            out += [p.id.rawValue, field(p.name), field(producer?.name ?? ""), producer?.kelurahan ?? "", producer?.kecamatan ?? "",
                    p.cluster.rawValue, field(p.category), p.price.map(String.init) ?? "", score, String(a.count)]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
