extension UntrustedText {
    /// `text` with every scalar `isSafe` refuses written as a `\u{XX}` escape: what was
    /// sent stays readable in an audit row or a log line without being carried raw.
    /// Escaping escaped text changes nothing (the escapes are safe characters).
    public static func escaped(_ text: some StringProtocol) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if isSafe(scalar) {
                escaped.unicodeScalars.append(scalar)
            } else {
                escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return escaped
    }

    /// `escaped(text)` cut to at most `maximumBytes` bytes of UTF-8 at a character
    /// boundary, its end marked with "…" when something was cut, so a caller cannot make
    /// one stored field grow without bound.
    public static func bounded(_ text: some StringProtocol, maximumBytes: Int) -> String {
        let safe = escaped(text)
        guard safe.utf8.count > maximumBytes else { return safe }
        let marker = "…"
        var kept = ""
        var used = marker.utf8.count
        for character in safe {
            let size = character.utf8.count
            guard used + size <= maximumBytes else { break }
            kept.append(character)
            used += size
        }
        return kept + marker
    }
}
