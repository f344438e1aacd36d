import KurasiCore

/// A form of a few fields at the bottom of a screen: a new product of a producer, a permit of a
/// product, a curator. Text fields are typed; a choice field (cluster, permit kind, role) steps
/// through its choices with ← →. Enter on the last field (or Ctrl-S anywhere) saves; Esc cancels.
/// The fields are checked by the domain's field rules, whose message names the field.
public struct Form: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case product(producer: ProducerID)
        case editProduct(product: ProductID)
        case permit(product: ProductID)
        case curator
        /// A conflict of interest with a producer (a curator for themselves, or the chair for anyone).
        case conflict(producer: ProducerID)
    }

    public struct Field: Hashable, Sendable {
        public var label: T
        /// The name the domain's field checks use ("price", "number"), for their messages.
        public var name: String
        public var text = ""
        /// For a choice field: the choices (as stored) and the one chosen.
        public var choices: [String] = []
        public var chosen = 0
        public var isChoice: Bool { !choices.isEmpty }
        public var value: String { isChoice ? choices[chosen] : text }
    }

    public var purpose: Purpose
    public var fields: [Field]
    public var focus = 0

    public static func product(of producer: ProducerID) -> Form {
        Form(purpose: .product(producer: producer), fields: [
            Field(label: .fName, name: "name"),
            Field(label: .fCluster, name: "cluster", choices: Cluster.allCases.map(\.rawValue)),
            Field(label: .fCategory, name: "category"),
            Field(label: .fPrice, name: "price"),
            Field(label: .fCapacity, name: "capacity"),
            Field(label: .fUnit, name: "unit"),
            Field(label: .fDescription, name: "description"),
        ])
    }

    /// The product's fields as they are, to be changed.
    public static func edit(_ p: Product) -> Form {
        var f = product(of: p.producer)
        f.purpose = .editProduct(product: p.id)
        let values = ["name": p.name, "category": p.category, "price": p.price.map(String.init) ?? "",
                      "capacity": p.capacity.map { String($0.amount) } ?? "", "unit": p.capacity?.unit ?? "",
                      "description": p.description]
        for i in f.fields.indices {
            if let v = values[f.fields[i].name] { f.fields[i].text = v }
            if f.fields[i].name == "cluster" { f.fields[i].chosen = Cluster.allCases.firstIndex(of: p.cluster) ?? 0 }
        }
        return f
    }

    public static func permit(of product: ProductID) -> Form {
        Form(purpose: .permit(product: product), fields: [
            Field(label: .fPermitKind, name: "kind", choices: PermitKind.allCases.map(\.rawValue)),
            Field(label: .fPermitNumber, name: "number"),
            Field(label: .fExpires, name: "expires"),
        ])
    }

    public static func curator(next id: CuratorID) -> Form {
        Form(purpose: .curator, fields: [
            Field(label: .fCuratorID, name: "id", text: id.rawValue),
            Field(label: .fName, name: "name"),
            Field(label: .fRole, name: "role", choices: [CuratorRole.curator, .secretary, .chair].map(\.rawValue)),
        ])
    }

    public static func conflict(curator: CuratorID, producer: ProducerID) -> Form {
        Form(purpose: .conflict(producer: producer), fields: [
            Field(label: .fConflictCurator, name: "curator", text: curator.rawValue),
            Field(label: .fConflictKind, name: "kind", choices: ConflictKind.allCases.map(\.rawValue)),
            Field(label: .fReason, name: "reason"),
        ])
    }

    /// The command the form asks for, or what is wrong with a field.
    public func command() -> Result<Command, FieldProblem> {
        func value(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }
        do throws(FieldProblem) {
            switch purpose {
            case .product, .editProduct:
                let cluster = try Fields.cluster(value("cluster"))
                let price = try Fields.rupiah(value("price"))
                let amount = try Fields.positive(value("capacity"))
                let unit = value("unit").split(separator: " ").joined(separator: " ")
                let fields = Product.Fields(name: value("name"), cluster: cluster, category: value("category"),
                                            description: value("description"), price: price,
                                            capacity: amount.map { Capacity(amount: $0, unit: unit.isEmpty ? "unit" : unit) })
                if case let .editProduct(id) = purpose { return .success(.editProduct(id: id, fields)) }
                guard case let .product(producer) = purpose else { return .failure(FieldProblem("product", .empty)) }
                var p = Product(id: "", producer: producer, name: "", cluster: cluster, category: "")
                p.fields = fields
                return .success(.addProduct(p))
            case let .permit(product):
                let kind = try Fields.permitKind(value("kind"))
                let expires = value("expires")
                return .success(.addPermit(product: product, Permit(kind: kind, number: value("number"),
                                                                    expires: expires.isEmpty ? nil : expires)))
            case .curator:
                let role = CuratorRole(rawValue: value("role")) ?? .curator
                return .success(.addCurator(Curator(id: CuratorID(value("id")), name: value("name"), role: role)))
            case let .conflict(producer):
                let kind = ConflictKind(rawValue: value("kind")) ?? .other
                return .success(.addConflict(curator: CuratorID(value("curator").split(separator: " ").joined()),
                                             Conflict(producer: producer, kind: kind, reason: value("reason"))))
            }
        } catch {
            return .failure(error)
        }
    }
}
