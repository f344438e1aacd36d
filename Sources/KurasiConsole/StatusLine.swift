import KurasiCore

extension View {
    /// The hint line (keys that matter here) and the status line (saved state, revision, message).
    /// While the store is busy with an edit (another terminal holds its lock), the status line
    /// says "menyimpan…" until the edit is saved.
    static func footer(_ s: State, _ c: inout Canvas) {
        let width = s.layout.width, hintRow = s.layout.hint, statusRow = s.layout.status
        c.clear(row: hintRow); c.clear(row: statusRow)
        if let prompt = s.prompt {
            let label: String = switch prompt.purpose {
            case let .pinReason(product): tr(.promptPinReason, s.lang, product)
            case .reopenReason: tr(.promptReopenReason, s.lang)
            case let .rejectReason(producers): tr(.promptRejectReason, s.lang, producers.count == 1 ? producers[0] : "\(producers.count)")
            case let .confirm(command): tr(command == .openDeliberation ? .confirmDeliberation : .confirmFinalize, s.lang)
            }
            if case .confirm = prompt.purpose {
                c.put(" " + label, x: 0, y: hintRow, style: [.bold, .warning])
                c.put(" " + tr(.confirmHint, s.lang), x: 0, y: statusRow, style: .dim)
                return
            }
            let used = c.put(" " + label, x: 0, y: hintRow, style: .bold)
            // Show the end of a long answer so the cursor stays in view.
            var text = prompt.text + "▏"
            while text.columns > width - used - 1, !text.isEmpty { text.removeFirst() }
            c.put(text, x: used, y: hintRow, style: .underline)
            c.put(" " + tr(.promptHint, s.lang), x: 0, y: statusRow, style: .dim)
            return
        }
        let saved = s.pending != nil ? tr(.saving, s.lang) : s.saveFailed ? tr(.notSaved, s.lang) : tr(.saved, s.lang)
        let status = switch s.round.phase {
        case .final: tr(.finalBadge, s.lang)
        case .deliberation: tr(.deliberationBadge, s.lang)
        case .open: tr(.openBadge, s.lang)
        }
        let head = " \(saved) · \(tr(.revision, s.lang, s.round.revision)) · \(status)"
        // A key waits for a cluster still being ranked behind the screen: said at once, in place
        // of the message, until the ranking comes and the key takes effect.
        let waiting = s.awaitingRanking.map { clusters in
            tr(.rankingWait, s.lang, clusters.map { $0.label(s.lang).lowercased() }.joined(separator: " + "))
        }
        // A refusal says why and what to do; it takes the hint line too, so it is read whole.
        if waiting == nil, let m = s.message, m.isWarning, (head + " · " + m.text).columns > width {
            let lines = m.text.wrapped(to: width - 2)
            c.put(" " + (lines.first ?? ""), x: 0, y: hintRow, style: .warning)
            c.put(" " + lines.dropFirst().joined(separator: " "), x: 0, y: statusRow, style: .warning)
            return
        }
        // As many hints as fit whole; help and quit are last and always reachable through `?`.
        var hint = ""
        for h in s.form != nil ? [tr(.formHint, s.lang)] : Keymap.hints(s.screen, s.lang, enabled: s.enables) {
            let next = hint.isEmpty ? " " + h : hint + "  " + h
            if next.columns > width { break }
            hint = next
        }
        c.put(hint, x: 0, y: hintRow, style: .dim)
        let used = c.put(head, x: 0, y: statusRow, style: s.saveFailed ? .warning : [])
        if let waiting {
            c.put(" · " + waiting, x: used, y: statusRow, style: .bold)
        } else if let m = s.message {
            c.put(" · " + m.text, x: used, y: statusRow, style: m.isWarning ? .warning : [])
        }
    }
}
