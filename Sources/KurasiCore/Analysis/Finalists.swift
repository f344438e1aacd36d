/// From the city to the province: a finished city round's 5 + 5 pinned products (with their
/// producers and permits) brought into a province round. The city's scores come along for
/// reference only, in the finalist's origin, never as sheets: the province committee scores anew.
/// Each finalist's origin is recorded as part of the import event, so the minutes name the round
/// it came from.
public struct FinalistOrigin: Codable, Hashable, Sendable {
    /// The product's id in this round.
    public var product: ProductID
    /// Its id and its producer's id in the city round.
    public var sourceProduct: ProductID
    public var sourceProducer: ProducerID
    /// The city round: its title, organiser and date.
    public var round: String
    public var organizer: String
    public var date: String
    public var cluster: Cluster
    /// The slot it was pinned to there, its score and rank there (for reference, not counted).
    public var slot: Int
    public var score: Double?
    public var rank: Int?
}

public struct FinalistImport: Hashable, Sendable {
    public var producers: [Producer]
    public var products: [Product]
    public var origins: [FinalistOrigin]
    /// Finalists already brought in by an earlier import of the same round: left as they are.
    public var alreadyImported: [ProductID]
}

/// Why a city round's finalists cannot be imported, and what to do.
public enum FinalistImportError: Error, Hashable, Sendable {
    case notFinal(file: String, state: RoundState)
    case idTaken(file: String, id: String)

    /// What to do, in a front end's terms.
    public var remedy: Remedy? {
        if case .idTaken = self { return .prefixIDs }
        return nil
    }

    /// Why, then what to do as the command line says it.
    public func text(_ lang: Language) -> String { text(lang, naming: { tr($0.onCommandLine, lang) }) }

    /// Why, then what to do in the words of one front end: `name` says a remedy in its terms.
    public func text(_ lang: Language, naming name: (Remedy) -> String) -> String {
        switch self {
        case let .notFinal(file, state):
            return tr(.anTheCityRoundIs, lang, file, state.rawValue)
        case let .idTaken(file, taken):
            return (tr(.anTheIdIsAlready, lang, file, taken)) + name(.prefixIDs)
        }
    }
}

extension Round {
    /// Every finalist's origin, by product id in this round.
    public var finalistOrigins: [ProductID: FinalistOrigin] {
        var out: [ProductID: FinalistOrigin] = [:]
        for e in events {
            for f in e.change.fairnessChanges {
                if case let .finalist(p, _, to) = f { out[p] = to }
            }
        }
        return out
    }

    /// What importing `city`'s finalists would add. `prefix` ("MDN") makes ids "MDN-P-0012".
    public func planFinalists(from city: Round, file: String, prefix: String? = nil) throws(FinalistImportError) -> FinalistImport {
        guard city.isFinal else { throw .notFinal(file: file, state: city.phase) }
        func prefixed<ID: KurasiID>(_ id: ID) -> ID { ID(prefix.map { "\($0)-\(id.rawValue)" } ?? id.rawValue) }
        let known = Set(finalistOrigins.values.filter { $0.round == city.round.title && $0.date == city.round.date }.map(\.sourceProduct))
        var plan = FinalistImport(producers: [], products: [], origins: [], alreadyImported: [])
        var newProducers = Set<ProducerID>()
        for cluster in Cluster.allCases {
            let ranking = city.ranking(cluster)
            for pin in city.pins(in: cluster).sorted(by: { $0.slot < $1.slot }) {
                guard var product = city.product(pin.product), var producer = city.producer(product.producer) else { continue }
                if known.contains(product.id) { plan.alreadyImported.append(product.id); continue }
                let entry = ranking.first { $0.product.id == product.id }
                let origin = FinalistOrigin(product: prefixed(product.id), sourceProduct: product.id, sourceProducer: producer.id,
                                            round: city.round.title, organizer: city.round.organizer, date: city.round.date,
                                            cluster: cluster, slot: pin.slot, score: entry?.aggregate.score, rank: entry?.rank)
                let producerID = prefixed(producer.id)
                if !newProducers.contains(producerID) {
                    if self.producer(producerID) != nil {
                        // The same producer brought in earlier (another of its products) is shared.
                        let earlier = finalistOrigins.values.contains { $0.sourceProducer == producer.id && $0.round == city.round.title }
                        if !earlier { throw .idTaken(file: file, id: producerID.rawValue) }
                    } else {
                        producer.id = producerID
                        plan.producers.append(producer)
                        newProducers.insert(producerID)
                    }
                }
                guard self.product(origin.product) == nil else { throw .idTaken(file: file, id: origin.product.rawValue) }
                product.id = origin.product
                product.producer = producerID
                plan.products.append(product)
                plan.origins.append(origin)
            }
        }
        return plan
    }
}
