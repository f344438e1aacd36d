/// The rule for ids a curator, producer or product is given: they are typed on the command
/// line, shown in narrow columns and written into the minutes, so they hold no control
/// characters, no spaces and at most 32 characters.
public enum IDRule {
    public static let maxLength = 32

    /// Why `id` cannot be used, in words (English), or nil when it can.
    public static func problem(_ id: String) -> String? {
        if id.count > maxLength { return "is longer than \(maxLength) characters" }
        for s in id.unicodeScalars {
            if String.isUnsafe(s) { return "holds a control character" }
            if s.properties.isWhitespace { return "holds a space" }
        }
        return nil
    }
}
