import KurasiCore

extension View {
    // The curator picker: who is scoring at this terminal.

    static func picker(_ s: State, _ c: inout Canvas) {
        titleBar(s, &c, left: s.round.round.title.isEmpty ? tr(.appName, s.lang) : s.round.round.title)
        let body = s.layout.body
        c.put(" " + tr(.pickerTitle, s.lang), x: 0, y: body.y + 1, style: .bold)
        c.put(" " + tr(.pickerHint, s.lang), x: 0, y: body.y + 2, style: .dim)
        if s.round.curators.isEmpty {
            // A new round: say how the committee gets its curators, the chair first.
            c.put(" " + tr(.noCuratorsYet, s.lang), x: 0, y: body.y + 4, limit: s.layout.width - 1, style: .bold)
            c.put(" " + tr(.noCuratorsHow, s.lang), x: 0, y: body.y + 5, limit: s.layout.width - 1)
        }
        // Names whole: as wide as the longest, as long as the role still fits beside it.
        let nameWidth = min(max(12, s.round.curators.map(\.name.columns).max() ?? 12), max(12, s.layout.width - 3 - 5 - 12))
        for (i, k) in s.round.curators.enumerated() {
            let y = body.y + 4 + i
            guard y < body.bottom else { break }
            let role = tr(roleLabel(k.role), s.lang)
            var line = "   \(k.id.rawValue.padded(to: 4)) \(k.name.padded(to: nameWidth)) \(role.padded(to: 10))"
            if k.conflicts.contains(where: \.isActive) {
                line += " · " + tr(.conflictsLabel, s.lang, k.conflicts.filter(\.isActive).map(\.producer).joined(separator: ", "))
            }
            c.put(line, x: 0, y: y)
            if i == s.pickerCursor { c.style(row: y, .reverse) }
        }
    }
}

func roleLabel(_ role: CuratorRole) -> T {
    switch role {
    case .chair: .roleChair
    case .secretary: .roleSecretary
    case .curator: .roleCurator
    }
}
