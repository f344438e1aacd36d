import KurasiCore
import KurasiTestSupport

/// A small round to test the rules on: a chair and three curators (K3 recused from U-2),
/// three validated producers and one pending, products in both clusters.
func smallRound(onePinPerProducer: Bool = true) -> Round {
    let pirt = Permit(kind: .pirt, number: "2063577010123-25", expires: "2025-03-31")
    var producers = (1...8).map { i in
        Producer(id: ProducerID("U-\(i)"), name: "Usaha \(i)", owner: "Pemilik \(i)", address: "Jl. Pahlawan \(i)",
                 kelurahan: "Kuncen", kecamatan: "Taman",
                 validation: Validation(status: .valid, by: "K1", at: "2020-09-20T09:00:00Z"))
    }
    producers.append(Producer(id: "U-9", name: "Belum Divalidasi", owner: "", address: "", kelurahan: "Klegen", kecamatan: "Kartoharjo"))
    var products: [Product] = []
    for i in 1...8 {
        products.append(Product(id: ProductID("P-M\(i)"), producer: ProducerID("U-\(i)"), name: "Mamin \(i)", cluster: .mamin, category: "Sambal", permits: [pirt]))
        products.append(Product(id: ProductID("P-N\(i)"), producer: ProducerID("U-\(i)"), name: "Kriya \(i)", cluster: .nonMamin, category: "Batik"))
    }
    products.append(Product(id: "P-M9", producer: "U-1", name: "Mamin tanpa izin", cluster: .mamin, category: "Keripik"))
    products.append(Product(id: "P-M10", producer: "U-9", name: "Mamin pelaku pending", cluster: .mamin, category: "Brem", permits: [pirt]))
    products.append(Product(id: "P-M11", producer: "U-2", name: "Mamin izin lama", cluster: .mamin, category: "Brem",
                            permits: [Permit(kind: .pirt, number: "1", expires: "2019-12-31")]))
    return Round(
        round: RoundInfo(title: "Uji", organizer: "Kadin", date: "2020-10-15",
                         settings: Settings(onePinPerProducer: onePinPerProducer)),
        curators: [
            Curator(id: "K1", name: "Ketua", role: .chair),
            Curator(id: "K2", name: "Sri"),
            Curator(id: "K3", name: "Bambang", conflicts: [Conflict(producer: "U-2", kind: .family, reason: "adik pemilik")]),
            Curator(id: "K4", name: "Wati"),
        ],
        producers: producers, products: products)
}

let criteria: [CriterionID] = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"]

/// A complete sheet with every criterion at `point`.
func full(_ point: Int) -> [CriterionID: Int?] {
    Dictionary(uniqueKeysWithValues: criteria.map { ($0, Optional(point)) })
}

extension Round {
    mutating func score(_ product: ProductID, by curator: CuratorID, _ points: [CriterionID: Int?]) throws {
        try perform(.score(product: product, points: points), by: curator, at: "2020-10-15T10:00:00Z")
    }
    mutating func pin(_ product: ProductID, by curator: CuratorID = "K1", slot: Int? = nil, reason: String? = nil) throws {
        try perform(.pin(product: product, slot: slot, reason: reason), by: curator, at: "2020-10-15T11:00:00Z")
    }
}
