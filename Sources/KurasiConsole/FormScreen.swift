import KurasiCore

extension View {
    // A form, over the lower part of the screen it was opened from: a divider, its title, one
    // line a field. The field being typed is marked and its text underlined.

    static func form(_ s: State, _ f: Form, _ c: inout Canvas) {
        let body = s.layout.body
        let top = max(body.y, body.bottom - f.fields.count - 2)
        for y in top..<body.bottom { c.clear(row: y) }
        c.put(String(repeating: "─", count: s.layout.width), x: 0, y: top, style: .dim)
        let title: String = switch f.purpose {
        case let .product(producer):
            tr(.formProductTitle, s.lang, "\(producer) \(s.round.producer(producer)?.name ?? "")")
        case let .editProduct(product):
            tr(.formEditTitle, s.lang, "\(product) \(s.round.product(product)?.name ?? "")")
        case let .permit(product):
            tr(.formPermitTitle, s.lang, "\(product) \(s.round.product(product)?.name ?? "")")
        case .curator:
            tr(.formCuratorTitle, s.lang)
        case let .conflict(producer):
            tr(.formConflictTitle, s.lang, "\(producer) \(s.round.producer(producer)?.name ?? "")")
        }
        c.put(" " + title, x: 0, y: top + 1, style: .bold)
        let labelWidth = min(28, f.fields.map { tr($0.label, s.lang).columns }.max() ?? 10)
        for (i, field) in f.fields.enumerated() {
            let y = top + 2 + i
            guard y < body.bottom else { break }
            let focused = i == f.focus
            let label = (focused ? " > " : "   ") + tr(field.label, s.lang).padded(to: labelWidth) + "  "
            let used = c.put(label, x: 0, y: y, style: focused ? .bold : [])
            let room = s.layout.width - used - 1
            if field.isChoice {
                let text = field.choices.enumerated().map { i, choice in
                    let shown = choiceLabel(field.name, choice, s.lang)
                    return i == field.chosen ? "[\(shown)]" : " \(shown) "
                }.joined(separator: " ")
                c.put(text, x: used, y: y, limit: room, style: focused ? .accent : [])
            } else {
                // Show the end of a long text so what is typed stays in view.
                var text = field.text + (focused ? "▏" : "")
                while text.columns > room, !text.isEmpty { text.removeFirst() }
                c.put(text, x: used, y: y, style: focused ? .underline : [])
            }
        }
    }

    /// How a choice is shown: a cluster or a role in the interface language, a permit kind as is.
    static func choiceLabel(_ field: String, _ choice: String, _ lang: Language) -> String {
        switch field {
        case "cluster": Cluster(rawValue: choice)?.label(lang) ?? choice
        case "role": tr(choice == CuratorRole.chair.rawValue ? .roleChair : choice == CuratorRole.secretary.rawValue ? .roleSecretary : .roleCurator, lang)
        default: choice
        }
    }
}
