import Foundation
import KurasiCore

/// A small document model for what Kurasi prints for people to read and sign (the minutes):
/// built once, rendered as Markdown or as HTML ready to print. Every text in it is plain text
/// from data; each renderer escapes it for its own format, so no value can become markup.
public struct Document: Sendable {
    public enum Span: Sendable { case text(String), strong(String) }
    public enum Align: Sendable { case left, right }
    public enum Block: Sendable {
        case title(String)
        case heading(String)
        case subheading(String)
        case paragraph([Span])
        case list([[Span]])
        case table(header: [String], align: [Align], rows: [[String]])
        /// Print starts a new page here (HTML); Markdown ignores it.
        case pageBreak
        /// A table of names with an empty signature column, kept on one page when printed.
        case signatures(header: [String], rows: [[String]])
    }
    public var title: String
    public var lang: Language
    public var blocks: [Block] = []

    public init(title: String, lang: Language) { self.title = title; self.lang = lang }
    mutating func add(_ b: Block) { blocks.append(b) }
    mutating func para(_ s: String) { blocks.append(.paragraph([.text(s)])) }

    // MARK: Markdown

    public func markdown() -> String {
        let e = Export.markdownSafe
        func spans(_ s: [Span]) -> String {
            s.map { if case let .strong(t) = $0 { "**\(e(t))**" } else if case let .text(t) = $0 { e(t) } else { "" } }.joined()
        }
        func table(_ header: [String], _ align: [Align], _ rows: [[String]]) -> String {
            var out = "| " + header.map(e).joined(separator: " | ") + " |\n"
            out += "|" + align.map { $0 == .right ? "---:|" : "---|" }.joined() + "\n"
            for r in rows { out += "| " + r.map(e).joined(separator: " | ") + " |\n" }
            return out
        }
        var parts: [String] = []
        for b in blocks {
            switch b {
            case let .title(t): parts.append("# \(e(t))")
            case let .heading(t): parts.append("## \(e(t))")
            case let .subheading(t): parts.append("### \(e(t))")
            case let .paragraph(s): parts.append(spans(s))
            case let .list(items): parts.append(items.map { "- " + spans($0) }.joined(separator: "\n"))
            case let .table(h, a, rows): parts.append(String(table(h, a, rows).dropLast()))
            case .pageBreak: continue
            case let .signatures(h, rows):
                parts.append(String(table(h + [tr(.mnSignature, lang)], h.map { _ in .left } + [.left],
                                          rows.map { $0 + [""] }).dropLast()))
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    // MARK: HTML

    /// A whole HTML page sized for A4, with the signature table kept on one page and a page
    /// break before the appendix.
    public func html() -> String {
        let e = Self.htmlEscape
        func spans(_ s: [Span]) -> String {
            s.map { if case let .strong(t) = $0 { "<strong>\(e(t))</strong>" } else if case let .text(t) = $0 { e(t) } else { "" } }.joined()
        }
        func row(_ cells: [String], _ align: [Align], tag: String) -> String {
            "<tr>" + cells.enumerated().map { i, c in
                let right = i < align.count && align[i] == .right
                return "<\(tag)\(right ? " class=\"num\"" : "")>\(e(c))</\(tag)>"
            }.joined() + "</tr>"
        }
        var body = ""
        for b in blocks {
            switch b {
            case let .title(t): body += "<h1>\(e(t))</h1>\n"
            case let .heading(t): body += "<h2>\(e(t))</h2>\n"
            case let .subheading(t): body += "<h3>\(e(t))</h3>\n"
            case let .paragraph(s): body += "<p>\(spans(s))</p>\n"
            case let .list(items): body += "<ul>\n" + items.map { "<li>\(spans($0))</li>\n" }.joined() + "</ul>\n"
            case let .table(h, a, rows):
                body += "<table>\n<thead>\(row(h, a, tag: "th"))</thead>\n<tbody>\n"
                body += rows.map { row($0, a, tag: "td") + "\n" }.joined() + "</tbody>\n</table>\n"
            case .pageBreak: body += "<div class=\"page-break\"></div>\n"
            case let .signatures(h, rows):
                let sign = tr(.mnSignature, lang)
                body += "<table class=\"signatures\">\n<thead>\(row(h + [sign], [], tag: "th"))</thead>\n<tbody>\n"
                body += rows.map { row($0 + [""], [], tag: "td") + "\n" }.joined() + "</tbody>\n</table>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="\(lang.rawValue)">
        <head>
        <meta charset="utf-8" />
        <title>\(e(title))</title>
        <style>
        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; }
        h1 { font-size: 16pt; margin: 0 0 8pt; }
        h2 { font-size: 13pt; margin: 14pt 0 6pt; page-break-after: avoid; }
        h3 { font-size: 11.5pt; margin: 10pt 0 4pt; page-break-after: avoid; }
        table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
        th, td { border: 0.5pt solid #444; padding: 2pt 4pt; text-align: left; vertical-align: top; }
        td.num, th.num { text-align: right; }
        tr { page-break-inside: avoid; }
        .page-break { page-break-before: always; break-before: page; }
        table.signatures { page-break-inside: avoid; break-inside: avoid; }
        table.signatures td { height: 28pt; }
        table.signatures td:last-child { width: 40%; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    public static func htmlEscape(_ s: String) -> String { s.htmlSafe }
}
