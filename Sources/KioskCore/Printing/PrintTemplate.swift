/// A template of a printed document, from `Resources/templates/`. One line per line of
/// output:
///
/// - `# …` is a comment; an empty line is an empty line on paper;
/// - `!heading TEXT` a bold double-size heading, `!center TEXT` centred text,
///   `!reprint TEXT` a heading printed only on reprints, `---` a rule;
/// - `{name}` is replaced by a value; a line whose placeholder has a list of values is
///   repeated once per value; `{number}` is the job's number, filled in at print time;
/// - `!value NAME.CHOICE TEXT` gives the words printed for a choice value (e.g.
///   `!value delivery.ems EMS 邮寄`), so no printed word lives in code.
public struct PrintTemplate: Sendable, Hashable {
    /// A value given to a placeholder.
    public enum Value: Sendable, Hashable {
        case text(String)
        case list([String])
        /// A keyword printed as the template's `!value NAME.KEYWORD` text.
        case choice(String)
    }

    public let name: String
    let lines: [Substring]
    /// The `!value` lines: "delivery.ems" → "EMS 邮寄".
    let choices: [String: String]

    public init(name: String, text: String) {
        self.name = name
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        .reversed().drop(while: \.isEmpty).reversed()
        var choices: [String: String] = [:]
        for line in lines where line.hasPrefix("!value ") {
            let rest = line.dropFirst("!value ".count)
            guard let space = rest.firstIndex(of: " ") else { continue }
            choices[String(rest[..<space])] = String(rest[rest.index(after: space)...])
        }
        self.choices = choices
    }

    /// The document with every placeholder of `values` filled in. Values are treated as
    /// untrusted: control characters are removed, and a value can never add directives.
    public func render(_ values: [String: Value]) -> PrintDocument {
        var blocks: [PrintDocument.Block] = []
        for raw in lines where !raw.hasPrefix("#") && !raw.hasPrefix("!value ") {
            var line = String(raw)
            var make: (String) -> PrintDocument.Block = { .line($0) }
            if line.hasPrefix("!heading ") {
                line.removeFirst("!heading ".count)
                make = { .heading($0) }
            } else if line.hasPrefix("!center ") {
                line.removeFirst("!center ".count)
                make = { .centered($0) }
            } else if line.hasPrefix("!reprint ") {
                line.removeFirst("!reprint ".count)
                make = { .reprintMark($0) }
            } else if line.hasPrefix("!qr ") {
                line.removeFirst("!qr ".count)
                make = { .qrCode($0) }
            } else if line == "---" {
                blocks.append(.rule)
                continue
            } else if line.isEmpty {
                blocks.append(.blank)
                continue
            }
            for expanded in expand(line, values) { blocks.append(make(expanded)) }
        }
        return PrintDocument(blocks: blocks)
    }

    /// The placeholders the template uses, for checks at start.
    public var placeholders: Set<String> {
        var names: Set<String> = []
        for line in lines where !line.hasPrefix("#") && !line.hasPrefix("!value ") {
            var rest = line[...]
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                names.insert(String(rest[rest.index(after: open)..<close]))
                rest = rest[rest.index(after: close)...]
            }
        }
        return names
    }

    /// A value as it may appear on paper: no control characters, and no braces, so a
    /// value can never name another placeholder.
    private static func clean(_ value: String) -> String {
        UntrustedText(value).sanitized.filter { $0 != "{" && $0 != "}" }
    }

    private func expand(_ line: String, _ values: [String: Value]) -> [String] {
        var texts = line
        var list: (placeholder: String, items: [String])?
        for (name, value) in values {
            let placeholder = "{\(name)}"
            guard texts.contains(placeholder) else { continue }
            switch value {
            case .text(let text): texts = texts.replacing(placeholder, with: Self.clean(text))
            case .choice(let key): texts = texts.replacing(placeholder, with: choices["\(name).\(key)"] ?? Self.clean(key))
            case .list(let items): list = (placeholder, items)
            }
        }
        guard let list else { return [texts] }
        return list.items.map { texts.replacing(list.placeholder, with: Self.clean($0)) }
    }
}
