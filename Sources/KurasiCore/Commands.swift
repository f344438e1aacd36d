/// What a curator can ask of a round. `plan` checks the rules and turns a command into a
/// change; `apply` makes a change, checking that what it replaces is still there.
public enum Command: Hashable, Sendable {
    /// Set (or with nil, clear) one or more criteria of the curator's sheet for a product.
    case score(product: ProductID, points: [CriterionID: Int?])
    case pin(product: ProductID, slot: Int?, reason: String?)
    case unpin(product: ProductID)
    case validate(producer: ProducerID, status: ValidationStatus, reason: String?)
    /// The chair ends the blind scoring phase: from now on every score is visible.
    case openDeliberation
    case finalize
    case reopen(reason: String)
    case addCurator(Curator)
    /// The chair removes a curator who has no sheet, pin or event in the round.
    case removeCurator(CuratorID)
    /// The chair gives a curator another role.
    case setRole(curator: CuratorID, CuratorRole)
    case addConflict(curator: CuratorID, Conflict)
    /// The chair withdraws a declared conflict, with a reason kept on record.
    case withdrawConflict(curator: CuratorID, producer: ProducerID, reason: String)
    /// Add producers and products in one edit (a registry import).
    case add(producers: [Producer], products: [Product])
    /// Revert the curator's own last change that is not yet undone.
    case undo
    /// Validate, reject or return to pending several producers as one event (undone as one).
    /// Producers already in the asked state are left as they are.
    case validateMany([ValidationDecision])
    /// Add a producer; an empty id takes the next free one (U-NNNN). Starts pending unless its
    /// validation says otherwise.
    case addProducer(Producer)
    /// Add a product (with its permits); an empty id takes the next free one (P-NNNN). A product
    /// of a producer not yet validated may be added: it stays ineligible and says why.
    case addProduct(Product)
    /// Change a product's fields (name, cluster, category, description, price, capacity).
    case editProduct(id: ProductID, Product.Fields)
    /// Add products and replace existing ones (same id) in one event: a products file import.
    case putProducts([Product])
    case addPermit(product: ProductID, Permit)
    /// Remove the product's permit of this kind (and number, when it holds several of the kind).
    case removePermit(product: ProductID, kind: PermitKind, number: String?)
    /// Replace the round's settings (the chair).
    case changeSettings(Settings)
    /// Set a criterion's weight, for every cluster or, with `cluster`, for one (the chair;
    /// refused once any sheet counts).
    case setWeight(criterion: CriterionID, weight: Int, cluster: Cluster?)
    /// A fairness setting or a pairwise comparison (Analysis/Fairness.swift).
    case fairness(FairnessCommand)
}

extension Round {
    /// Check a command against the rules on the current state. Returns the change it makes,
    /// or nil when it would change nothing. `by` is the acting curator's id; `at` the time.
    ///
    /// `ranking`, for a pin: the pinned product's cluster's ranking of this round when the caller
    /// keeps one up to date (the console does): whether the pin needs a reason is read from it
    /// instead of ranking the cluster again (a second or two at 100,000 products). Without it,
    /// the cluster is ranked here, and only when no reason is given.
    public func plan(_ command: Command, by: CuratorID, at: String, ranking given: [RankedProduct]? = nil) throws(Refusal) -> (Change, undoOf: Int?)? {
        // Adding the first curators needs no acting curator: a new round has none.
        if case .addCurator = command {} else if case .add = command {} else if case .putProducts = command {} else {
            guard curator(by) != nil else { throw .unknownCurator(by) }
        }
        if isFinal {
            if case .reopen = command {} else { throw .roundFinal(by: round.status.by) }
        }
        switch command {
        case let .score(productID, points):
            guard let product = product(productID) else { throw .unknownProduct(productID) }
            if let conflict = curator(by)?.conflict(with: product.producer) {
                throw .recused(curator: by, producer: product.producer, reason: conflict.reason)
            }
            let sheet = sheet(product: productID, curator: by)
            var changes: [Change] = []
            for (criterion, value) in points.sorted(by: { $0.key < $1.key }) {
                guard rubric.criterion(criterion) != nil else {
                    throw .unknownCriterion(criterion, known: rubric.criteria.map(\.id))
                }
                if let value, !rubric.scale.contains(value) {
                    throw .outOfScale(criterion: criterion, value: value, scale: rubric.scale)
                }
                if sheet[criterion] != value {
                    changes.append(.score(product: productID, curator: by, criterion: criterion,
                                          from: sheet[criterion], to: value))
                }
            }
            return changes.isEmpty ? nil : (changes.count == 1 ? changes[0] : .batch(changes), nil)

        case let .pin(productID, slot, reason):
            guard let product = product(productID) else { throw .unknownProduct(productID) }
            let cluster = product.cluster
            let reasons = ineligibility(product)
            guard reasons.isEmpty else { throw .notEligible(product: productID, reasons: reasons) }
            if let (c, p) = pin(of: productID) { throw .alreadyPinned(product: productID, cluster: c, slot: p.slot) }
            let taken = pins(in: cluster)
            if round.settings.onePinPerProducer,
               let other = taken.first(where: { self.product($0.product)?.producer == product.producer }) {
                throw .producerAlreadyPinned(producer: product.producer, product: other.product, slot: other.slot)
            }
            let chosen: Int
            if let slot {
                guard (1...Round.pinSlots).contains(slot) else { throw .slotOutOfRange(slot) }
                if let p = taken.first(where: { $0.slot == slot }) {
                    throw .slotTaken(cluster: cluster, slot: slot, product: p.product)
                }
                chosen = slot
            } else {
                guard let free = (1...Round.pinSlots).first(where: { s in !taken.contains { $0.slot == s } })
                else { throw .clusterFull(cluster) }
                chosen = free
            }
            // Who may pin before whether a reason is needed: a curator who may not pin at all is
            // told so, not asked for a reason first (and the cluster is not ranked for nothing).
            try authorize(.pin(cluster: cluster, slot: chosen, from: nil,
                               to: Pin(slot: chosen, product: productID, by: by, at: at)), by: by)
            let trimmed = reason?.trimmingSpaces
            // A pin outside the computed top five needs a reason: the ranking is read only when
            // none is given.
            if (trimmed ?? "").isEmpty {
                let ranking = given ?? ranking(cluster)
                if !topFive(of: ranking).contains(productID) {
                    throw .reasonRequired(product: productID, rank: ranking.first { $0.product.id == productID }?.rank)
                }
            }
            let pin = Pin(slot: chosen, product: productID,
                          reason: (trimmed?.isEmpty ?? true) ? nil : trimmed, by: by, at: at)
            return (.pin(cluster: cluster, slot: chosen, from: nil, to: pin), nil)

        case let .unpin(productID):
            guard product(productID) != nil else { throw .unknownProduct(productID) }
            guard let (cluster, pin) = pin(of: productID) else { throw .notPinned(productID) }
            return (.pin(cluster: cluster, slot: pin.slot, from: pin, to: nil), nil)

        case let .validate(producerID, status, reason):
            guard let producer = producer(producerID) else { throw .unknownProducer(producerID) }
            let r = reason?.trimmingSpaces
            if status == .rejected { guard let r, !r.isEmpty else { throw .reasonMissing } }
            if status != .valid {
                if let pinned = products.first(where: { $0.producer == producerID && pin(of: $0.id) != nil }) {
                    throw .producerHasPins(producer: producerID, product: pinned.id)
                }
            }
            let to = Validation(status: status, reason: (r?.isEmpty ?? true) ? nil : r, by: by, at: at)
            if producer.validation.status == status, producer.validation.reason == to.reason { return nil }
            return (.validation(producer: producerID, from: producer.validation, to: to), nil)

        case .openDeliberation:
            guard phase == .open else { throw .deliberationOpen }
            return (.status(from: round.status, to: RoundStatus(state: .deliberation, by: by, at: at)), nil)

        case .finalize:
            let change = Change.status(from: round.status, to: RoundStatus(state: .final, by: by, at: at))
            try authorize(change, by: by)
            let m = pins(in: .mamin).count, n = pins(in: .nonMamin).count
            guard m == Round.pinSlots, n == Round.pinSlots else { throw .finalizeNeedsPins(mamin: m, nonMamin: n) }
            return (change, nil)

        case let .reopen(reason):
            try authorize(.status(from: round.status, to: .open), by: by)
            guard isFinal else { throw .notFinal }
            let r = reason.trimmingSpaces
            guard !r.isEmpty else { throw .reasonMissing }
            // Reopening returns to deliberation: the scores were public once the round was final.
            return (.status(from: round.status, to: RoundStatus(state: .deliberation, by: by, at: at, reason: r)), nil)

        case let .addCurator(c):
            guard !c.id.trimmingSpaces.isEmpty else { throw .emptyField("id") }
            if let problem = IDRule.problem(c.id.rawValue) { throw .invalidID(c.id.rawValue, problem: problem) }
            guard !c.name.trimmingSpaces.isEmpty else { throw .emptyField("name") }
            do {
                _ = try Fields.text(c.id.rawValue, field: "id", max: FieldLimit.curatorID, required: true)
                _ = try Fields.text(c.name, field: "name", max: FieldLimit.name, required: true)
            } catch { throw .invalidField(error) }
            guard curator(c.id) == nil else { throw .curatorExists(c.id) }
            return (.curator(id: c.id, from: nil, to: c), nil)

        case let .removeCurator(id):
            guard let c = curator(id) else { throw .unknownCurator(id) }
            if scores.values.contains(where: { $0[id] != nil }) || events.contains(where: { $0.by == id })
                || pins.values.contains(where: { $0.contains { $0.by == id } }) {
                throw .curatorHasWork(id)
            }
            return (.curator(id: id, from: c, to: nil), nil)

        case let .setRole(id, role):
            guard var c = curator(id) else { throw .unknownCurator(id) }
            guard c.role != role else { return nil }
            let before = c
            c.role = role
            return (.curator(id: id, from: before, to: c), nil)

        case let .withdrawConflict(curatorID, producerID, reason):
            guard var c = curator(curatorID) else { throw .unknownCurator(curatorID) }
            guard let i = c.conflicts.firstIndex(where: { $0.producer == producerID && $0.isActive }) else {
                throw .noConflict(curator: curatorID, producer: producerID)
            }
            let r = reason.trimmingSpaces
            guard !r.isEmpty else { throw .reasonMissing }
            let before = c
            c.conflicts[i].withdrawn = Withdrawal(by: by, at: at, reason: r)
            return (.curator(id: curatorID, from: before, to: c), nil)

        case let .addConflict(curatorID, conflict):
            guard var c = curator(curatorID) else { throw .unknownCurator(curatorID) }
            guard conflict.withdrawn == nil else { throw .reasonMissing }
            guard producer(conflict.producer) != nil else { throw .unknownProducer(conflict.producer) }
            guard !c.isRecused(from: conflict.producer) else {
                throw .conflictExists(curator: curatorID, producer: conflict.producer)
            }
            guard !conflict.reason.trimmingSpaces.isEmpty else { throw .reasonMissing }
            let before = c
            c.conflicts.append(conflict)
            return (.curator(id: curatorID, from: before, to: c), nil)

        case let .add(newProducers, newProducts):
            var seen = Set<String>()
            for id in newProducers.map(\.id.rawValue) + newProducts.map(\.id.rawValue) {
                if let problem = IDRule.problem(id) { throw .invalidID(id, problem: problem) }
            }
            for p in newProducers {
                guard producer(p.id) == nil, seen.insert(p.id.rawValue).inserted else { throw .duplicateID(p.id.rawValue) }
            }
            // A set, not a search per product: a registry of a million rows adds as many of each.
            let added = Set(newProducers.map(\.id))
            for p in newProducts {
                guard product(p.id) == nil, seen.insert(p.id.rawValue).inserted else { throw .duplicateID(p.id.rawValue) }
                guard producer(p.producer) != nil || added.contains(p.producer)
                else { throw .unknownProducer(p.producer) }
            }
            let changes = newProducers.map { Change.producer(id: $0.id, from: nil, to: $0) }
                + newProducts.map { Change.product(id: $0.id, from: nil, to: $0) }
            return changes.isEmpty ? nil : (.batch(changes), nil)

        case let .validateMany(decisions):
            var changes: [Change] = []
            var seen = Set<ProducerID>()
            for d in decisions where seen.insert(d.producer).inserted {
                if let (change, _) = try plan(.validate(producer: d.producer, status: d.status, reason: d.reason), by: by, at: at) {
                    changes.append(change)
                }
            }
            return changes.isEmpty ? nil : (changes.count == 1 ? changes[0] : .batch(changes), nil)

        case let .addProducer(p):
            var p = p
            p.id = p.id.trimmingSpaces
            if p.id.isEmpty { p.id = nextProducerID }
            guard producer(p.id) == nil else { throw .duplicateID(p.id.rawValue) }
            p.name = p.name.trimmingSpaces
            do { try p.check() } catch { throw .invalidField(error) }
            if let nib = p.nib {
                do { p.nib = try Fields.nib(nib) } catch { throw .invalidField(error) }
            }
            return (.producer(id: p.id, from: nil, to: p), nil)

        case let .addProduct(p):
            var p = p
            p.id = p.id.trimmingSpaces
            if p.id.isEmpty { p.id = nextProductID }
            guard product(p.id) == nil else { throw .duplicateID(p.id.rawValue) }
            guard producer(p.producer) != nil else { throw .unknownProducer(p.producer) }
            p.name = p.name.trimmingSpaces
            do { try p.check() } catch { throw .invalidField(error) }
            return (.product(id: p.id, from: nil, to: p), nil)

        case let .editProduct(productID, fields):
            guard let before = product(productID) else { throw .unknownProduct(productID) }
            var after = before
            after.fields = fields
            after.name = after.name.trimmingSpaces
            do { try after.check() } catch { throw .invalidField(error) }
            if after.cluster != before.cluster, let (cluster, pin) = pin(of: productID) {
                throw .pinnedElsewhere(product: productID, cluster: cluster, slot: pin.slot)
            }
            return after == before ? nil : (.product(id: productID, from: before, to: after), nil)

        case let .putProducts(list):
            var changes: [Change] = []
            var seen = Set<ProductID>()
            for p in list {
                guard seen.insert(p.id).inserted, !p.id.isEmpty else { throw .duplicateID(p.id.rawValue) }
                guard producer(p.producer) != nil else { throw .unknownProducer(p.producer) }
                do { try p.check() } catch { throw .invalidField(error) }
                let before = product(p.id)
                if let before, before.cluster != p.cluster, let (cluster, pin) = pin(of: p.id) {
                    throw .pinnedElsewhere(product: p.id, cluster: cluster, slot: pin.slot)
                }
                if before != p { changes.append(.product(id: p.id, from: before, to: p)) }
            }
            return changes.isEmpty ? nil : (changes.count == 1 ? changes[0] : .batch(changes), nil)

        case let .addPermit(productID, permit):
            guard let before = product(productID) else { throw .unknownProduct(productID) }
            var permit = permit
            do {
                permit.number = try Fields.permitNumber(permit.number, kind: permit.kind)
                if let e = permit.expires { permit.expires = try Fields.date(e) }
            } catch { throw .invalidField(error) }
            if before.permits.contains(where: { $0.kind == permit.kind && $0.number == permit.number }) {
                throw .permitExists(product: productID, kind: permit.kind, number: permit.number)
            }
            var after = before
            after.permits.append(permit)
            return (.product(id: productID, from: before, to: after), nil)

        case let .removePermit(productID, kind, number):
            guard let before = product(productID) else { throw .unknownProduct(productID) }
            let wanted = number?.trimmingSpaces
            let ofKind = before.permits.filter { $0.kind == kind }
            let matching = ofKind.filter { p in
                guard let wanted, !wanted.isEmpty else { return true }
                return p.number == wanted || (try? Fields.permitNumber(wanted, kind: kind)) == p.number
            }
            guard !matching.isEmpty else { throw .noSuchPermit(product: productID, kind: kind, held: ofKind.map(\.number)) }
            guard matching.count == 1 else { throw .permitAmbiguous(product: productID, kind: kind, numbers: matching.map(\.number)) }
            var after = before
            after.permits.removeAll { $0 == matching[0] }
            return (.product(id: productID, from: before, to: after), nil)

        case let .changeSettings(settings):
            guard curator(by)?.role == .chair else { throw .chairOnly(curator: by) }
            guard settings.minSheets >= 1, settings.minSheets <= 100 else {
                throw .invalidField(FieldProblem("min-sheets", .outOfRange(String(settings.minSheets), min: 1, max: 100)))
            }
            guard settings.disagreementThreshold >= 0, settings.disagreementThreshold <= 100 else {
                throw .invalidField(FieldProblem("disagreement", .outOfRange(String(settings.disagreementThreshold), min: 0, max: 100)))
            }
            guard rubric.criterion(settings.tieBreakCriterion) != nil else {
                throw .unknownCriterion(settings.tieBreakCriterion, known: rubric.criteria.map(\.id))
            }
            let before = round.settings
            return before == settings ? nil : (.settings(from: before, to: settings), nil)

        case let .setWeight(criterionID, weight, cluster):
            guard curator(by)?.role == .chair else { throw .chairOnly(curator: by) }
            guard let criterion = rubric.criterion(criterionID) else {
                throw .unknownCriterion(criterionID, known: rubric.criteria.map(\.id))
            }
            guard (0...100).contains(weight) else {
                throw .invalidField(FieldProblem("weight", .outOfRange(String(weight), min: 0, max: 100)))
            }
            let counted = countedSheets
            guard counted == 0 else { throw .rubricLocked(countedSheets: counted) }
            var after = rubric
            if let cluster {
                var w = after.clusterWeights[cluster] ?? [:]
                w[criterion.id] = weight
                after.clusterWeights[cluster] = w
            } else if let i = after.criteria.firstIndex(where: { $0.id == criterion.id }) {
                after.criteria[i].weight = weight
            }
            for c in Cluster.allCases where after.criteria.allSatisfy({ after.weight(of: $0, in: c) == 0 }) {
                throw .invalidField(FieldProblem("weight", .outOfRange("0", min: 1, max: 100)))
            }
            return after == rubric ? nil : (.rubric(from: rubric, to: after), nil)

        case .undo:
            let undone = Set(events.compactMap(\.undoOf))
            guard let last = events.last(where: { $0.by == by && $0.undoOf == nil && !undone.contains($0.revision) })
            else { throw .nothingToUndo(curator: by) }
            if case .status = last.change { throw .undoStatus }
            // The inverse goes through `perform` like any command: `authorize` and the round's
            // invariants check it (an undone unpin that would give a producer two pins, a sixth
            // pin, or an undone declaration of a conflict are refused there).
            // Applying the inverse checks that what it restores over is still there, and refuses
            // (naming who changed it since) otherwise; no need to try it on a copy here first.
            return (last.change.inverse, last.revision)

        case let .fairness(f):
            return try planFairness(f, by: by, at: at).map { ($0, nil) }
        }
    }

    /// Plan and apply a command as one event. Returns nil when nothing changed.
    @discardableResult
    public mutating func perform(_ command: Command, by: CuratorID, at: String) throws(Refusal) -> Event? {
        guard let (change, undoOf) = try plan(command, by: by, at: at) else { return nil }
        try authorize(change, by: by)
        let event = Event(revision: revision + 1, at: at, by: by, change: change, undoOf: undoOf)
        let before = pinViolations()
        try apply(event)
        // The rules that must hold of any round hold after this change too: if it broke one that
        // held before, it is taken back and refused.
        if let broken = pinViolations().first(where: { !before.contains($0) }) {
            try? applyChecked(event.change.inverse)
            events.removeLast()
            revision = event.revision - 1
            throw .breaksRule(broken)
        }
        return event
    }

    /// Apply an event (one just planned, or one replayed from a journal): its change must find
    /// the values it replaces, else nothing is changed and the refusal says what moved.
    public mutating func apply(_ event: Event) throws(Refusal) {
        if case .batch = event.change {
            // A batch is all or nothing: apply it to a copy, keep the copy only when all of it applies.
            var next = self
            try next.applyChecked(event.change)
            self = next
        } else {
            // A single change checks before it mutates, so it is applied in place: an edit costs
            // the same whatever the size of the round.
            try applyChecked(event.change)
        }
        revision = event.revision
        events.append(event)
    }

    /// The latest event that touched a product (for "changed since" messages).
    func lastEvent(touching product: ProductID) -> Event? {
        events.last { $0.change.touches(product: product) }
    }

    mutating func applyChecked(_ change: Change) throws(Refusal) {
        switch change {
        case let .score(p, c, k, from, to):
            guard product(p) != nil else { throw .unknownProduct(p) }
            guard sheet(product: p, curator: c)[k] == from else {
                let e = lastEvent(touching: p)
                throw .changedSince(what: "\(p) \(c) \(k)", revision: e?.revision, by: e?.by)
            }
            var sheets = scores[p] ?? ProductSheets(layout: criterionOrder)
            var sheet = sheets[c] ?? Sheet(layout: sheets.criteria)
            sheet[k] = to
            sheets[c] = sheet.isEmpty ? nil : sheet
            scores[p] = sheets.isEmpty ? nil : sheets
        case let .pin(cluster, slot, from, to):
            var list = pins[cluster] ?? []
            guard list.first(where: { $0.slot == slot }) == from else {
                let e = events.last { if case .pin(cluster, slot, _, _) = $0.change { true } else { false } }
                throw .changedSince(what: "\(cluster.label(.en)) ★\(slot)", revision: e?.revision, by: e?.by)
            }
            list.removeAll { $0.slot == slot }
            if let to { list.append(to); list.sort { $0.slot < $1.slot } }
            pins[cluster] = list
        case let .validation(p, from, to):
            guard var producer = producer(p) else { throw .unknownProducer(p) }
            guard producer.validation == from else {
                throw .changedSince(what: p.rawValue, revision: nil, by: producer.validation.by)
            }
            producer.validation = to
            setProducer(producer, id: p)
        case let .status(from, to):
            guard round.status == from else { throw .changedSince(what: "status", revision: nil, by: round.status.by) }
            round.status = to
        case let .curator(id, from, to):
            guard curator(id) == from else { throw .changedSince(what: id.rawValue, revision: nil, by: nil) }
            if let i = curators.firstIndex(where: { $0.id == id }) {
                if let to { curators[i] = to } else { curators.remove(at: i) }
            } else if let to { curators.append(to) }
            rebuildConflicts()
        case let .producer(id, from, to):
            guard producer(id) == from else { throw .changedSince(what: id.rawValue, revision: nil, by: nil) }
            if to == nil, let used = products.first(where: { $0.producer == id }) { throw .productInUse(used.id) }
            setProducer(to, id: id)
        case let .product(id, from, to):
            guard product(id) == from else { throw .changedSince(what: id.rawValue, revision: nil, by: nil) }
            if to == nil, scores[id] != nil || pin(of: id) != nil { throw .productInUse(id) }
            setProduct(to, id: id)
        case let .settings(from, to):
            guard round.settings == from else { throw .changedSince(what: "settings", revision: nil, by: nil) }
            round.settings = to
        case let .rubric(from, to):
            guard rubric == from else { throw .changedSince(what: "rubric", revision: nil, by: nil) }
            rubric = to
            // Criteria added, removed or reordered: every sheet is laid out anew (no point lost).
            if !to.criteria.map(\.id).elementsEqual(criterionOrder) { layOutScores() }
        case let .batch(list):
            for c in list { try applyChecked(c) }
        case let .fairness(f):
            try applyFairness(f)
        }
    }

    /// The events that touched a product (its scores, pins and record), oldest first.
    public func history(product: ProductID) -> [Event] {
        events.filter { $0.change.touches(product: product) }
    }
}

extension Round {
    /// How many complete (counted) score sheets the round holds.
    public var countedSheets: Int {
        var n = 0
        for (_, sheets) in scores { for (_, sheet) in sheets where isComplete(sheet) { n += 1 } }
        return n
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
