import Foundation
import KurasiCore

/// A row of a visits or products file that cannot be applied: its line, the column (as written
/// in the file's header) when one is to blame, and what to do.
public struct ImportRowError: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: String?
    public var problem: ImportProblem
    public init(line: Int, column: String? = nil, _ problem: ImportProblem) {
        self.line = line; self.column = column; self.problem = problem
    }
    /// What is wrong and what to do, in English, without the place.
    public var message: String { problem.text(.en) }
    /// "line 12, column "Harga": price: "lima ribu" is not a rupiah amount; …"
    public var description: String { text(.en) }
    /// The line, the column when one is to blame, what is wrong and what to do, in `lang`.
    public func text(_ lang: Language) -> String {
        (column.map { tr(.csvLineColumn, lang, line, $0) } ?? tr(.csvLine, lang, line)) + ": " + problem.text(lang)
    }
}

/// Finds a producer the way a spreadsheet names it: by id (U-0012), by NIB (digits), or by its
/// business name and kelurahan (case, spacing, punctuation and UD/CV/PT ignored).
struct ProducerFinder {
    let round: Round
    var byNIB: [String: [ProducerID]] = [:]
    var byName: [String: [ProducerID]] = [:]
    var byNameOnly: [String: [ProducerID]] = [:]

    init(_ round: Round) {
        self.round = round
        for p in round.producers {
            if let nib = p.nib?.filter(\.isNumber), !nib.isEmpty { byNIB[nib, default: []].append(p.id) }
            let name = Producer.normalisedName(p.name)
            byName[name + "|" + Producer.normalisedName(p.kelurahan), default: []].append(p.id)
            byNameOnly[name, default: []].append(p.id)
        }
    }

    enum Found { case producer(Producer), error(column: String?, ImportProblem), none }

    func find(id: String?, nib: String?, name: String?, kelurahan: String?, columns: (id: String?, nib: String?, name: String?)) -> Found {
        if let id, !id.isEmpty {
            if let p = round.producer(ProducerID(id)) { return .producer(p) }
            return .error(column: columns.id, .noProducer(id))
        }
        if let nib, !nib.isEmpty {
            let digits = nib.filter(\.isNumber)
            let ids = byNIB[digits] ?? []
            if ids.count == 1, let p = round.producer(ids[0]) { return .producer(p) }
            if ids.isEmpty { return .error(column: columns.nib, .noProducerWithNIB(nib)) }
            return .error(column: columns.nib, .severalWithNIB(nib, ids: ids.map { "\($0)" }))
        }
        if let name, !name.isEmpty {
            let n = Producer.normalisedName(name)
            let ids = kelurahan.map { byName[n + "|" + Producer.normalisedName($0)] ?? [] } ?? (byNameOnly[n] ?? [])
            if ids.count == 1, let p = round.producer(ids[0]) { return .producer(p) }
            if ids.isEmpty { return .error(column: columns.name, .noProducerNamed(name, kelurahan: kelurahan)) }
            return .error(column: columns.name, .severalNamed(name, kelurahan: kelurahan, ids: ids.map { "\($0)" }))
        }
        return .none
    }
}

extension CSVTable {
    /// The field of a row in a column, trimmed; nil when the column is absent or the cell empty.
    func value(_ row: Row, _ column: Int?) -> String? {
        guard let column, row.fields.indices.contains(column) else { return nil }
        let v = row.fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }
    func name(_ column: Int?) -> String? { column.map { header[$0] } }
}

// MARK: - Visits: the committee's validation decisions

/// Plans `kurasi validate --from FILE`: one decision per row (the producer by id, NIB or name and
/// kelurahan; the status; the reason, required for a rejection). Every bad row is reported; the
/// plan applies only when every row is good, as one event.
public struct VisitsImport: Sendable {
    public var file: String
    public var rows: Int
    public var decisions: [ValidationDecision] = []
    public var errors: [ImportRowError] = []
    /// Rows that change nothing (the producer is already in that state).
    public var unchanged = 0
    public var revision: Int

    static let idColumn = ["id", "id pelaku", "id pelaku umkm", "pelaku", "producer", "producer id", "id umkm", "kode pelaku"]
    static let nibColumn = ["nib", "no nib", "nomor nib", "nomor induk berusaha"]
    static let nameColumn = ["nama usaha", "nama umkm", "nama ukm", "name", "business name"]
    static let kelurahanColumn = ["kelurahan", "kel", "kelurahan desa"]
    static let statusColumn = ["status", "status validasi", "hasil", "keputusan", "hasil validasi", "hasil kunjungan"]
    static let reasonColumn = ["alasan", "reason", "alasan ditolak", "keterangan", "catatan"]

    public init(_ table: CSVTable, file: String, into round: Round) throws(RegistryFileError) {
        self.file = file
        revision = round.revision
        rows = table.rows.count + table.issues.count
        errors = table.issues.map { ImportRowError(line: $0.line, .row($0.problem)) }
        let id = table.column(Self.idColumn), nib = table.column(Self.nibColumn)
        let name = table.column(Self.nameColumn), kel = table.column(Self.kelurahanColumn)
        guard let status = table.column(Self.statusColumn) else {
            throw RegistryFileError(file: file, line: table.headerLine, .visitsNoStatus(header: table.header.map { "\"\($0)\"" }.joined(separator: ", ")))
        }
        guard id != nil || nib != nil || name != nil else {
            throw RegistryFileError(file: file, line: table.headerLine, .visitsNoID)
        }
        let reason = table.column(Self.reasonColumn)
        let finder = ProducerFinder(round)
        var decided: [ProducerID: Int] = [:]
        for row in table.rows {
            let found = finder.find(id: table.value(row, id), nib: table.value(row, nib), name: table.value(row, name),
                                    kelurahan: table.value(row, kel), columns: (table.name(id), table.name(nib), table.name(name)))
            let producer: Producer
            switch found {
            case let .producer(p): producer = p
            case let .error(column, problem): errors.append(ImportRowError(line: row.line, column: column, problem)); continue
            case .none:
                errors.append(ImportRowError(line: row.line, .namesNoProducer))
                continue
            }
            let rawStatus = table.value(row, status) ?? ""
            guard let st = Self.status(rawStatus) else {
                errors.append(ImportRowError(line: row.line, column: table.header[status], .notAStatus(rawStatus)))
                continue
            }
            var why = table.value(row, reason)
            if let w = why {
                if w.count > FieldLimit.reason {
                    errors.append(ImportRowError(line: row.line, column: table.name(reason), .reasonTooLong(length: w.count, max: FieldLimit.reason)))
                    continue
                }
                why = st == .rejected ? RejectionReason.parse(w).stored : w
            }
            if st == .rejected, why == nil {
                errors.append(ImportRowError(line: row.line, column: table.name(reason) ?? "reason", .rejectionNeedsReason))
                continue
            }
            if let first = decided[producer.id] {
                errors.append(ImportRowError(line: row.line, .decidedTwice(producer: "\(producer.id)", firstLine: first)))
                continue
            }
            decided[producer.id] = row.line
            if producer.validation.status == st, producer.validation.reason == why { unchanged += 1; continue }
            decisions.append(ValidationDecision(producer: producer.id, status: st, reason: why))
        }
        errors.sort { $0.line < $1.line }
    }

    public var command: Command { .validateMany(decisions) }

    static func status(_ raw: String) -> ValidationStatus? {
        switch raw.lowercased().trimmingCharacters(in: .whitespaces) {
        case "valid", "ya", "layak", "sah", "diterima", "terima", "lolos": .valid
        case "ditolak", "tolak", "rejected", "reject", "tidak valid", "tidak layak", "invalid": .rejected
        case "menunggu", "pending", "tunda", "belum": .pending
        default: nil
        }
    }
}

// MARK: - Products and permits gathered on the visits

/// Plans `kurasi import --products FILE`: one product per row, its producer found by id, NIB or
/// name and kelurahan; a product the producer already has (by id, else by name) is updated with
/// the cells that are filled in, and the permits of the row are added to it; any other row adds
/// a product. Every bad row is reported with its line and column; the plan applies only when
/// every row is good, as one event.
public struct ProductsImport: Sendable {
    public var file: String
    public var rows: Int
    public var products: [Product] = []
    public var added: [ProductID] = []
    public var updated: [ProductID] = []
    public var unchanged = 0
    public var errors: [ImportRowError] = []
    public var revision: Int

    static let productIDColumn = ["id produk", "kode produk", "product id", "id product"]
    static let productNameColumn = ["nama produk", "produk", "product", "product name", "name"]
    static let clusterColumn = ["klaster", "cluster", "kelompok", "klaster produk"]
    static let categoryColumn = ["kategori", "category", "jenis produk", "kategori produk"]
    static let priceColumn = ["harga", "harga rp", "price", "harga jual", "harga satuan", "harga jual rp", "harga satuan rp"]
    static let capacityColumn = ["kapasitas", "kapasitas per bulan", "capacity", "kapasitas produksi", "kapasitas produksi per bulan", "kapasitas bulan"]
    static let unitColumn = ["satuan", "unit"]
    static let descriptionColumn = ["deskripsi", "description", "deskripsi produk", "uraian", "keterangan produk"]

    /// Column names of each permit kind's number and expiry date.
    static func permitColumns(_ kind: PermitKind) -> (number: [String], expires: [String]) {
        let bases: [String] = switch kind {
        case .pirt: ["p irt", "pirt", "sppirt", "sp pirt"]
        case .bpomMD: ["bpom md", "bpom", "md", "bpom ri md"]
        case .halal: ["halal", "sertifikat halal"]
        case .hki: ["hki", "merek", "hki merek", "merk"]
        case .sni: ["sni"]
        case .nib: []
        }
        var number: [String] = []
        for b in bases { number += [b, "no " + b, "nomor " + b, b + " no", b + " nomor"] }
        let suffixes = ["berlaku", "berlaku s d", "berlaku sd", "berlaku sampai", "berlaku hingga", "kedaluwarsa", "kadaluarsa", "expires", "exp"]
        var expires: [String] = []
        for b in bases {
            for suffix in suffixes {
                expires.append(b + " " + suffix)
                expires.append("no " + b + " " + suffix)
            }
            expires.append("berlaku " + b)
        }
        return (number, expires)
    }

    public init(_ table: CSVTable, file: String, into round: Round, lang: Language = .en) throws(RegistryFileError) {
        self.file = file
        revision = round.revision
        rows = table.rows.count + table.issues.count
        errors = table.issues.map { ImportRowError(line: $0.line, .row($0.problem)) }
        let pid = table.column(VisitsImport.idColumn), nib = table.column(VisitsImport.nibColumn)
        let bname = table.column(VisitsImport.nameColumn), kel = table.column(VisitsImport.kelurahanColumn)
        let productID = table.column(Self.productIDColumn)
        guard let name = table.column(Self.productNameColumn) else {
            throw RegistryFileError(file: file, line: table.headerLine, .productsNoName(header: table.header.map { "\"\($0)\"" }.joined(separator: ", ")))
        }
        guard pid != nil || nib != nil || bname != nil || productID != nil else {
            throw RegistryFileError(file: file, line: table.headerLine, .productsNoProducerColumn)
        }
        let cluster = table.column(Self.clusterColumn), category = table.column(Self.categoryColumn)
        let price = table.column(Self.priceColumn), capacity = table.column(Self.capacityColumn)
        let unit = table.column(Self.unitColumn), description = table.column(Self.descriptionColumn)
        let permitColumns = PermitKind.allCases.compactMap { kind -> (PermitKind, Int, Int?)? in
            let names = Self.permitColumns(kind)
            guard let n = table.column(names.number) else { return nil }
            return (kind, n, table.column(names.expires))
        }
        let finder = ProducerFinder(round)
        var next = Int(round.nextProductID.rawValue.dropFirst(2)) ?? 1
        var planned: [ProductID: Product] = [:]       // by product id
        var order: [ProductID] = []
        var byName: [String: (id: ProductID, line: Int)] = [:]  // producer|name -> product in this file
        var existingByName: [String: ProductID] = [:]
        for p in round.products {
            let key = p.producer.rawValue + "|" + Producer.normalisedName(p.name)
            if existingByName[key] == nil { existingByName[key] = p.id }
        }

        for row in table.rows {
            var rowErrors: [ImportRowError] = []
            func problem(_ column: Int?, _ p: FieldProblem) {
                rowErrors.append(ImportRowError(line: row.line, column: table.name(column), .field(p)))
            }
            // The product by its id, else the producer and the product's name.
            var existing: Product?
            var producer: Producer?
            if let id = table.value(row, productID).map({ ProductID($0) }) {
                if let p = planned[id] ?? round.product(id) { existing = p; producer = round.producer(p.producer) } else {
                    rowErrors.append(ImportRowError(line: row.line, column: table.name(productID), .noProduct(id.rawValue)))
                }
            }
            if existing == nil, rowErrors.isEmpty {
                switch finder.find(id: table.value(row, pid), nib: table.value(row, nib), name: table.value(row, bname),
                                   kelurahan: table.value(row, kel), columns: (table.name(pid), table.name(nib), table.name(bname))) {
                case let .producer(p): producer = p
                case let .error(column, problem): rowErrors.append(ImportRowError(line: row.line, column: column, problem))
                case .none: rowErrors.append(ImportRowError(line: row.line, .productNamesNoProducer))
                }
            }
            var productName: String?
            do { productName = try Fields.text(table.value(row, name) ?? "", field: "name", max: FieldLimit.name, required: existing == nil) } catch { problem(name, error) }
            if let producer, existing == nil, let productName {
                let key = producer.id.rawValue + "|" + Producer.normalisedName(productName)
                if let earlier = byName[key] {
                    rowErrors.append(ImportRowError(line: row.line, column: table.name(name), .duplicateProduct(producer: "\(producer.id)", name: productName, firstLine: earlier.line)))
                } else if let id = existingByName[key] {
                    existing = planned[id] ?? round.product(id)
                }
            }
            var product = existing ?? Product(id: "", producer: producer?.id ?? "", name: productName ?? "", cluster: .mamin, category: "")
            if let productName { product.name = productName }
            if let raw = table.value(row, cluster) {
                do { product.cluster = try Fields.cluster(raw) } catch { problem(cluster, error) }
            } else if existing == nil {
                if let s = producer?.sector, let c = try? Fields.cluster(s) { product.cluster = c } else {
                    problem(cluster, FieldProblem("cluster", .empty))
                }
            }
            do {
                if let v = try Fields.text(table.value(row, category) ?? "", field: "category", max: FieldLimit.category) { product.category = v }
            } catch { problem(category, error) }
            do {
                if let v = try Fields.text(table.value(row, description) ?? "", field: "description", max: FieldLimit.description) { product.description = v }
            } catch { problem(description, error) }
            do { if let v = try Fields.rupiah(table.value(row, price) ?? "") { product.price = v } } catch { problem(price, error) }
            var amount: Int?
            do { amount = try Fields.positive(table.value(row, capacity) ?? "") } catch { problem(capacity, error) }
            var unitText: String?
            do { unitText = try Fields.text(table.value(row, unit) ?? "", field: "unit", max: FieldLimit.unit) } catch { problem(unit, error) }
            if let amount {
                if let u = unitText ?? product.capacity?.unit { product.capacity = Capacity(amount: amount, unit: u) } else {
                    problem(unit, FieldProblem("unit", .empty))
                }
            } else if let unitText, let c = product.capacity {
                product.capacity = Capacity(amount: c.amount, unit: unitText)
            }
            for (kind, numberColumn, expiresColumn) in permitColumns {
                guard let raw = table.value(row, numberColumn) else {
                    if table.value(row, expiresColumn) != nil {
                        problem(numberColumn, FieldProblem("number", .empty))
                    }
                    continue
                }
                do {
                    let number = try Fields.permitNumber(raw, kind: kind)
                    var expires: String?
                    do { expires = try Fields.date(table.value(row, expiresColumn) ?? "") } catch { problem(expiresColumn, error); continue }
                    let permit = Permit(kind: kind, number: number, expires: expires)
                    if let i = product.permits.firstIndex(where: { $0.kind == kind && $0.number == number }) {
                        if expires != nil { product.permits[i] = permit }
                    } else {
                        product.permits.append(permit)
                    }
                } catch { problem(numberColumn, error) }
            }
            guard rowErrors.isEmpty, let producer else { errors += rowErrors; continue }
            if product.id.isEmpty { product.id = ProductID(String(format: "P-%04d", next)); next += 1 }
            byName[producer.id.rawValue + "|" + Producer.normalisedName(product.name)] = (product.id, row.line)
            if planned[product.id] == nil { order.append(product.id) }
            planned[product.id] = product
        }
        for id in order {
            let p = planned[id]!, before = round.product(id)
            if p == before { unchanged += 1; continue }
            products.append(p)
            if before == nil { added.append(id) } else { updated.append(id) }
        }
        errors.sort { $0.line < $1.line }
    }

    public var command: Command { .putProducts(products) }
}
