/// Finds the line of each table and key in a TOML document, so that configuration errors
/// can name the line. TOMLKit parses values but does not report where a key stands.
///
/// The locator reads the text line by line: `[table]` and `[[array]]` headers (each
/// `[[name]]` counts up an index: `terminal[0]`, `terminal[1]`…) and `key = value` lines.
/// Lines inside multi-line strings and arrays are skipped.
struct TOMLKeyLocator {
    private var lines: [String: Int] = [:]

    init(source: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var multilineDelimiter: String?
        var openBrackets = 0
        for (offset, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingWhitespace()
            if let delimiter = multilineDelimiter {
                if line.contains(delimiter) { multilineDelimiter = nil }
                continue
            }
            if openBrackets > 0 {
                openBrackets += line.filter { $0 == "[" }.count - line.filter { $0 == "]" }.count
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                // `[[item.field]]` belongs to the latest `[[item]]`: item[2].field[0].
                let segments = Self.unquote(line.dropFirst(2).prefix { $0 != "]" }).split(separator: ".")
                var resolved = ""
                for segment in segments.dropLast() {
                    resolved += resolved.isEmpty ? String(segment) : ".\(segment)"
                    if let count = arrayCounts[resolved] { resolved += "[\(count - 1)]" }
                }
                let name = resolved.isEmpty ? String(segments.last ?? "") : "\(resolved).\(segments.last ?? "")"
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
                lines[table] = number
                record(table, at: number)
            } else if line.hasPrefix("[") {
                table = Self.unquote(line.dropFirst().prefix { $0 != "]" })
                lines[table] = number
                record(table, at: number)
            } else if let equals = line.firstIndex(of: "=") {
                let key = Self.unquote(line[..<equals])
                record(table.isEmpty ? key : "\(table).\(key)", at: number)
                let value = line[line.index(after: equals)...].trimmingWhitespace()
                for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                    if !value.dropFirst(3).contains(delimiter) { multilineDelimiter = delimiter }
                }
                if value.hasPrefix("[") {
                    openBrackets = value.filter { $0 == "[" }.count - value.filter { $0 == "]" }.count
                }
            }
        }
    }

    /// Records `line` for `key` and for every table it implies that has no line yet: the
    /// tables of a dotted key or header (`a` and `a.b` for `a.b.c`) and the array an
    /// element belongs to (`item` for `item[0]`), so that an error about one of those (a
    /// `[[audit]]` where a table belongs) names the line that made it.
    private mutating func record(_ key: String, at line: Int) {
        var prefix = ""
        for part in key.split(separator: ".") {
            prefix += prefix.isEmpty ? String(part) : ".\(part)"
            if lines[prefix] == nil { lines[prefix] = line }
            if prefix.hasSuffix("]"), let open = prefix.lastIndex(of: "["), lines[String(prefix[..<open])] == nil {
                lines[String(prefix[..<open])] = line
            }
        }
    }

    /// The line of `key` (dotted, with array indexes); if the key is not written in the
    /// file, the line of its table; 0 when neither is.
    func line(of key: String) -> Int {
        var candidate = key
        while true {
            if let line = lines[candidate] { return line }
            guard let dot = candidate.lastIndex(of: ".") else { return 0 }
            candidate = String(candidate[..<dot])
        }
    }

    private static func unquote(_ text: Substring) -> String {
        let parts = text.split(separator: ".").map { part -> String in
            var part = part.trimmingWhitespace()
            if part.count >= 2, let first = part.first, first == "\"" || first == "'", part.last == first {
                part = part.dropFirst().dropLast()
            }
            return String(part)
        }
        return parts.joined(separator: ".")
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let text = Substring(self)
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        guard let last = text.lastIndex(where: { !$0.isWhitespace }), start <= last else {
            return text[text.endIndex...]
        }
        return text[start...last]
    }
}
