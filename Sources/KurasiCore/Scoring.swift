/// How sheets become scores. A sheet counts only when every criterion is scored; each counted
/// sheet becomes a weighted score on 0–100; the product's score is the mean (or median) of them.

public struct Aggregate: Hashable, Sendable {
    /// Weighted 0–100 score of each counted (complete) sheet, by curator id (the curators in
    /// the order of the product's sheets; the array of the product's curators itself, not a copy,
    /// when every sheet counts).
    public var sheetScores: KeyedValues<CuratorID, Double>
    /// The product's score under the round's aggregation, nil when no sheet counts yet.
    public var score: Double?
    public var mean: Double?
    public var median: Double?
    public var min: Double?
    public var max: Double?
    /// Population standard deviation of the counted sheets' scores.
    public var standardDeviation: Double?
    /// Per criterion, the mean point over counted sheets (for the tie-break): the rubric's
    /// criteria in order (the round's shared array), then any other criterion held, by id.
    public var criterionMeans: KeyedValues<CriterionID, Double>
    /// Curators whose complete sheet is set aside because they declared a conflict with the
    /// producer (shown as recused, named in the minutes), sorted.
    public var setAside: [CuratorID] = []

    public var count: Int { sheetScores.count }

    public init(sheetScores: KeyedValues<CuratorID, Double>, criterionMeans: KeyedValues<CriterionID, Double>, setAside: [CuratorID] = []) {
        self.sheetScores = sheetScores; self.criterionMeans = criterionMeans; self.setAside = setAside
    }

    /// The same from dictionaries.
    public init(sheetScores: [CuratorID: Double], criterionMeans: [CriterionID: Double], setAside: [CuratorID] = []) {
        self.init(sheetScores: KeyedValues(sheetScores), criterionMeans: KeyedValues(criterionMeans), setAside: setAside)
    }
    /// max − min, 0 with fewer than two sheets.
    public var spread: Double { (max ?? 0) - (min ?? 0) }
}

extension Aggregate {
    /// Mean, median, lowest, highest and standard deviation of the sheet scores, and the score by
    /// the round's aggregation (nothing when no sheet counts).
    mutating func summarise(_ aggregation: Aggregation) {
        let count = sheetScores.count
        guard count > 0 else { return }
        // Sorted in a scratch buffer (not a copy of the array on the heap per product); the sums
        // run in the sorted order, as they always have.
        let (mean, median, lowest, highest, variance) = sheetScores.values.withUnsafeBufferPointer { source in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { scratch in
                _ = scratch.initialize(fromContentsOf: source)
                var sorting = scratch
                sorting.sort()
                let values = UnsafeBufferPointer(scratch)
                let mean = values.reduce(0, +) / Double(count)
                let mid = count / 2
                let median = count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
                let result = (mean, median, values[0], values[count - 1], variance)
                scratch.deinitialize()
                return result
            }
        }
        self.mean = mean; self.median = median; min = lowest; max = highest
        standardDeviation = variance.squareRoot()
        score = aggregation == .mean ? mean : median
    }
}

extension Round {
    public func isComplete(_ sheet: Sheet) -> Bool {
        if sheet.criteria.count >= criterionOrder.count, sheet.criteria.starts(with: criterionOrder) {
            for i in criterionOrder.indices where sheet.point(at: i) == nil { return false }
            return true
        }
        return rubric.criteria.allSatisfy { sheet[$0.id] != nil }
    }

    /// The weighted 0–100 score of a sheet, or nil when it is incomplete.
    public func weightedScore(_ sheet: Sheet, cluster: Cluster) -> Double? {
        weightedScore(sheet, weights: criterionWeights(cluster))
    }

    /// Each criterion's weight in a cluster, in the rubric's order (looked up once, not per sheet).
    func criterionWeights(_ cluster: Cluster) -> [Double] {
        rubric.criteria.map { Double(rubric.weight(of: $0, in: cluster)) }
    }

    /// `weightedScore(_:cluster:)` with the cluster's weights given: one look-up per criterion.
    func weightedScore(_ sheet: Sheet, weights w: [Double]) -> Double? {
        guard rubric.scaleMax > rubric.scaleMin else { return nil }
        var total = 0.0, weights = 0.0
        let span = Double(rubric.scaleMax - rubric.scaleMin)
        // Laid out in the rubric's order (every sheet of a loaded round): by position.
        let byPosition = sheet.criteria.count >= criterionOrder.count && sheet.criteria.starts(with: criterionOrder)
        for (i, c) in rubric.criteria.enumerated() {
            guard let v = byPosition ? sheet.point(at: i) : sheet[c.id] else { return nil }
            total += w[i] * Double(v - rubric.scaleMin) / span
            weights += w[i]
        }
        return weights > 0 ? total / weights * 100 : nil
    }

    /// The weighted score of one row of a product's sheets laid out in the rubric's order, with
    /// the cluster's weights given: no look-up by id at all.
    func weightedScore(_ sheets: ProductSheets, row: Int, weights w: [Double]) -> Double? {
        guard rubric.scaleMax > rubric.scaleMin else { return nil }
        var total = 0.0, weights = 0.0
        let lo = rubric.scaleMin, span = Double(rubric.scaleMax - lo)
        for i in 0..<w.count {
            guard let v = sheets.point(row: row, column: i) else { return nil }
            total += w[i] * Double(v - lo) / span
            weights += w[i]
        }
        return weights > 0 ? total / weights * 100 : nil
    }

    /// With a normalisation, each sheet score is the curator's normalised one (see `Normalisation`).
    public func aggregate(_ product: Product, normalisation: Normalisation? = nil) -> Aggregate {
        aggregate(product, normalisation: normalisation, weights: nil)
    }

    /// `aggregate` with the cluster's weights given (`criterionWeights`, once per cluster).
    func aggregate(_ product: Product, normalisation: Normalisation?, weights given: [Double]?) -> Aggregate {
        aggregate(product, sheets: scores[product.id] ?? ProductSheets(), normalisation: normalisation, weights: given)
    }

    /// `aggregate` of a product whose sheets the caller has already found.
    func aggregate(_ product: Product, sheets: ProductSheets, normalisation: Normalisation?, weights given: [Double]?) -> Aggregate {
        if let a = aggregateInRubricOrder(producer: product.producer, cluster: product.cluster, sheets: sheets,
                                          normalisation: normalisation, weights: given) { return a }
        var scoreCurators: [CuratorID] = [], scoreValues: [Double] = []
        var setAside: [CuratorID] = []
        // Who declared a conflict with the producer: found without copying a curator, and no
        // set at all for the products (nearly all) whose producer nobody declared one with.
        var recused: Set<CuratorID> = []
        if !sheets.isEmpty, anyConflict(with: product.producer) {
            for i in curators.indices where curators[i].isRecused(from: product.producer) { recused.insert(curators[i].id) }
        }
        // Points per criterion summed by the rubric's position (a counted sheet has every
        // criterion); a point under an id outside the rubric (a hand-edited store) by its id.
        let criteria = rubric.criteria
        let weights = sheets.isEmpty ? [] : given ?? criterionWeights(product.cluster)
        var sums = [Int](repeating: 0, count: sheets.isEmpty ? 0 : criteria.count), counted = 0
        var other: [CriterionID: [Int]] = [:]
        // Every loaded round's sheets are laid out in the rubric's order: read them by position.
        // (The rubric's shared array itself, nearly always: `==` sees the same storage at once.)
        let byPosition = sheets.criteria.count >= criteria.count
            && (sheets.criteria == criterionOrder || sheets.criteria.starts(with: criterionOrder))
        let extra = sheets.criteria.count > criteria.count
        scoreValues.reserveCapacity(sheets.count)
        for (row, curator) in sheets.curators.enumerated() {
            let sheet = byPosition ? nil : sheets[curator]
            guard let s = sheet.map({ weightedScore($0, weights: weights) }) ?? weightedScore(sheets, row: row, weights: weights) else { continue }
            // A declared conflict sets the curator's sheet aside, even one made before it.
            if !recused.isEmpty, recused.contains(curator) { setAside.append(curator); continue }
            scoreCurators.append(curator)
            scoreValues.append(normalisation?.adjust(s, curator: curator) ?? s)
            counted += 1
            if let sheet {
                for i in criteria.indices { sums[i] += sheet[criteria[i].id]! }
                if sheet.count != criteria.count {
                    for (k, v) in sheet where !criteria.contains(where: { $0.id == k }) { other[k, default: []].append(v) }
                }
            } else {
                for i in criteria.indices { sums[i] += sheets.point(row: row, column: i)! }
                if extra {
                    for i in criteria.count..<sheets.criteria.count {
                        if let v = sheets.point(row: row, column: i) { other[sheets.criteria[i], default: []].append(v) }
                    }
                }
            }
        }
        // Every sheet counted (nearly always): the product's own array of curators, shared.
        let curatorKeys = counted == sheets.curators.count ? sheets.curators : scoreCurators
        var a = Aggregate(sheetScores: KeyedValues(keys: curatorKeys, values: scoreValues), criterionMeans: [:], setAside: setAside.sorted())
        guard counted > 0 else { return a }
        a.summarise(round.settings.aggregation)
        // The round's shared array of the rubric's ids (not a copy per product).
        var meanKeys = (byPosition && criterionOrder.count == criteria.count) || criterionOrder.elementsEqual(criteria.lazy.map(\.id)) ? criterionOrder : criteria.map(\.id)
        var means = criteria.indices.map { Double(sums[$0]) / Double(counted) }
        if !other.isEmpty {
            for (k, v) in other.sorted(by: { $0.key < $1.key }) where !meanKeys.contains(k) {
                meanKeys.append(k); means.append(Double(v.reduce(0, +)) / Double(v.count))
            }
        }
        a.criterionMeans = KeyedValues(keys: meanKeys, values: means)
        return a
    }

    /// `aggregate` for sheets laid out exactly in the rubric's order with no point outside the
    /// small range (every sheet of a loaded round, nearly always): one pass over the flat points,
    /// the weights' sum once, the curators' array shared unless a sheet does not count. The same
    /// arithmetic in the same order as the general path (the differential tests hold them equal);
    /// nil when the sheets are laid out otherwise.
    func aggregateInRubricOrder(producer: ProducerID, cluster: Cluster, sheets: ProductSheets,
                                normalisation: Normalisation?, weights given: [Double]?) -> Aggregate? {
        let criteria = rubric.criteria, n = criteria.count, rows = sheets.curators.count
        guard rows > 0, n > 0, sheets.wide.isEmpty, rubric.scaleMax > rubric.scaleMin,
              sheets.criteria.count == n, criterionOrder.count == n, sheets.criteria == criterionOrder,
              sheets.points.count == rows * n else { return nil }
        let weights = given ?? criterionWeights(cluster)
        guard weights.count == n else { return nil }
        var total = 0.0
        for i in 0..<n { total += weights[i] }
        guard total > 0 else { return nil }
        let weightSum = total
        var recused: Set<CuratorID> = []
        if anyConflict(with: producer) {
            for i in curators.indices where curators[i].isRecused(from: producer) { recused.insert(curators[i].id) }
        }
        let lo = rubric.scaleMin, span = Double(rubric.scaleMax - lo)
        var values: [Double] = []
        values.reserveCapacity(rows)
        // The curators counted: made only when some sheet does not count (else the product's own array).
        var kept: [CuratorID]?
        var setAside: [CuratorID] = []
        // Per criterion the sum of the counted points (small integers: exact in a Double).
        var sums = [Double](repeating: 0, count: n)
        let curatorIDs = sheets.curators
        sheets.points.withUnsafeBufferPointer { p in
            weights.withUnsafeBufferPointer { w in
                sums.withUnsafeMutableBufferPointer { sums in
                    for row in 0..<rows {
                        let base = row * n
                        var score = 0.0, complete = true
                        for i in 0..<n {
                            let code = p[base + i]
                            // Not scored (or a wide code with no wide point: not scored either).
                            if code == PointCode.none || code == PointCode.wide { complete = false; break }
                            score += w[i] * Double(Int(code) - lo) / span
                        }
                        let counts = complete && (recused.isEmpty || !recused.contains(curatorIDs[row]))
                        if !counts {
                            if kept == nil { kept = Array(curatorIDs[0..<row]) }
                            if complete { setAside.append(curatorIDs[row]) }
                            continue
                        }
                        let s = score / weightSum * 100
                        values.append(normalisation?.adjust(s, curator: curatorIDs[row]) ?? s)
                        kept?.append(curatorIDs[row])
                        for i in 0..<n { sums[i] += Double(p[base + i]) }
                    }
                }
            }
        }
        let counted = values.count
        var a = Aggregate(sheetScores: KeyedValues(keys: kept ?? curatorIDs, values: values), criterionMeans: [:], setAside: setAside.sorted())
        guard counted > 0 else { return a }
        a.summarise(round.settings.aggregation)
        for i in 0..<n { sums[i] /= Double(counted) }
        a.criterionMeans = KeyedValues(keys: criterionOrder, values: sums)
        return a
    }

    /// Curators who may score the product (not recused), and how many of them have a counted sheet.
    public func coverage(_ product: Product) -> (scored: Int, possible: Int) {
        let eligible = anyConflict(with: product.producer) ? curators.filter { !$0.isRecused(from: product.producer) } : curators
        guard let sheets = scores[product.id], !sheets.isEmpty else { return (0, eligible.count) }
        let scored = eligible.filter { c in sheets[c.id].map(isComplete) ?? false }.count
        return (scored, eligible.count)
    }
}
