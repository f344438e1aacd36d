import KurasiCore

/// Whole rupiah with Indonesian thousands dots: 15000 -> "15.000".
func rupiah(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// A score to one decimal, half up, with the language's decimal mark ("81,3" / "81.3"); "–" when
/// there is none: KurasiCore's one formatter, so the console shows the number the minutes print.
func fmt(_ x: Double?, _ lang: Language) -> String { Format.score(x, lang) }
