/// The default rubric, drawn from Indonesian product curation practice (kurasi produk UMKM):
/// six criteria on a 1–5 scale, each point with an anchored label so that curators score alike.
extension Rubric {
    public static let `default` = Rubric(
        scaleMin: 1, scaleMax: 5,
        criteria: [
            Criterion(
                id: "kualitas", name: Localized(id: "Kualitas produk", en: "Product quality"), weight: 25,
                anchors: [
                    Localized(id: "cacat atau tidak konsisten", en: "defective or inconsistent"),
                    Localized(id: "layak tetapi sering berbeda", en: "acceptable but often varies"),
                    Localized(id: "baik, sesekali berbeda", en: "good, occasionally varies"),
                    Localized(id: "konsisten, bahan baik", en: "consistent, good materials"),
                    Localized(id: "unggul, siap pasar premium", en: "excellent, ready for premium markets"),
                ]),
            Criterion(
                id: "kemasan", name: Localized(id: "Kemasan & label", en: "Packaging & label"), weight: 15,
                anchors: [
                    Localized(id: "tanpa kemasan atau label", en: "no packaging or label"),
                    Localized(id: "kemasan seadanya, label tidak lengkap", en: "makeshift packaging, incomplete label"),
                    Localized(id: "kemasan layak, label lengkap", en: "decent packaging, complete label"),
                    Localized(id: "kemasan menarik dan aman", en: "attractive, protective packaging"),
                    Localized(id: "kemasan siap ritel modern dan ekspor", en: "ready for modern retail and export"),
                ]),
            Criterion(
                id: "keunikan", name: Localized(id: "Keunikan & identitas lokal", en: "Uniqueness & local identity"),
                weight: 20,
                anchors: [
                    Localized(id: "produk umum, tanpa ciri", en: "generic product"),
                    Localized(id: "sedikit pembeda", en: "slightly distinctive"),
                    Localized(id: "ada ciri khas", en: "has a character of its own"),
                    Localized(id: "khas Madiun, mudah dikenali", en: "typical of Madiun, recognisable"),
                    Localized(id: "ikon daerah, cerita kuat", en: "a regional icon with a strong story"),
                ]),
            Criterion(
                id: "pasar", name: Localized(id: "Potensi pasar", en: "Market potential"), weight: 15,
                anchors: [
                    Localized(id: "pasar sangat terbatas", en: "very limited market"),
                    Localized(id: "pasar lokal sekitar", en: "neighbourhood market"),
                    Localized(id: "pasar kota dan oleh-oleh", en: "city and souvenir market"),
                    Localized(id: "pasar regional dan daring", en: "regional and online market"),
                    Localized(id: "pasar nasional atau ekspor", en: "national or export market"),
                ]),
            Criterion(
                id: "kapasitas", name: Localized(id: "Kapasitas & kontinuitas", en: "Capacity & continuity"),
                weight: 15,
                anchors: [
                    Localized(id: "produksi tidak menentu", en: "irregular production"),
                    Localized(id: "produksi kecil, musiman", en: "small, seasonal production"),
                    Localized(id: "produksi rutin skala kecil", en: "regular small-scale production"),
                    Localized(id: "produksi rutin, siap pesanan besar", en: "regular, can take large orders"),
                    Localized(id: "kapasitas besar dan terjamin", en: "large, assured capacity"),
                ]),
            Criterion(
                id: "harga", name: Localized(id: "Harga & daya saing", en: "Price & competitiveness"), weight: 10,
                anchors: [
                    Localized(id: "jauh di atas pesaing", en: "far above competitors"),
                    Localized(id: "agak mahal untuk mutunya", en: "somewhat dear for its quality"),
                    Localized(id: "sebanding dengan pesaing", en: "on a par with competitors"),
                    Localized(id: "bersaing, nilai baik", en: "competitive, good value"),
                    Localized(id: "sangat bersaing", en: "highly competitive"),
                ]),
        ],
        clusterWeights: [
            // Handicraft and fashion are judged more on identity and less on shelf price.
            .nonMamin: ["kualitas": 25, "kemasan": 10, "keunikan": 25, "pasar": 15, "kapasitas": 15, "harga": 10],
        ])
}
