import Foundation
import KioskControl

/// A Varlink interface file read enough to check types against it: its methods with
/// their parameter and reply fields, its named types, and a sample value of any type.
struct VarlinkInterfaceFile {
    struct Field {
        var name: String
        var type: String
    }

    struct Method {
        var name: String
        var parameters: [Field]
        var reply: [Field]
    }

    private(set) var methods: [Method] = []
    private(set) var types: [String: String] = [:]

    init(_ text: String) {
        let source = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.firstIndex(of: "#").map { String(line[..<$0]) } ?? String(line) }
            .joined(separator: " ")
        var rest = Substring(source)
        while let keyword = rest.firstMatch(of: #/\b(type|method)\s+([A-Za-z0-9_]+)\s*/#) {
            let (_, kind, name) = keyword.output
            rest = rest[keyword.range.upperBound...]
            let (first, afterFirst) = Self.group(rest)
            rest = afterFirst
            if kind == "type" {
                types[String(name)] = "(" + first + ")"
            } else {
                guard let arrow = rest.firstRange(of: "->") else { break }
                let (second, afterSecond) = Self.group(rest[arrow.upperBound...])
                rest = afterSecond
                methods.append(Method(name: String(name), parameters: Self.fields(first), reply: Self.fields(second)))
            }
        }
    }

    /// The text inside the parenthesised group `text` starts with, and what follows it.
    private static func group(_ text: Substring) -> (String, Substring) {
        guard let open = text.firstIndex(of: "(") else { return ("", text) }
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return (String(text[text.index(after: open)..<index]), text[text.index(after: index)...]) }
            }
            index = text.index(after: index)
        }
        return (String(text[text.index(after: open)...]), "")
    }

    /// `name: type` pairs split at the commas outside parentheses.
    static func fields(_ text: String) -> [Field] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.compactMap { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else { return nil }
            return Field(
                name: trimmed[..<colon].trimmingCharacters(in: .whitespaces),
                type: trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
    }

    /// An object with a sample value for each field.
    func sample(ofFields fields: [Field]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, sample(ofType: $0.type)) }))
    }

    /// A value of a Varlink type: the first of an enum's values, one element of an array.
    func sample(ofType type: String) -> JSONValue {
        let type = type.trimmingCharacters(in: .whitespaces)
        if type.hasPrefix("?") { return sample(ofType: String(type.dropFirst())) }
        if type.hasPrefix("[]") { return .array([sample(ofType: String(type.dropFirst(2)))]) }
        if type.hasPrefix("[string]") { return .object(["key": sample(ofType: String(type.dropFirst(8)))]) }
        switch type {
        // A time as the interface writes times, which any string field also takes.
        case "string": return .string("2026-12-02T08:00:00Z")
        case "int": return .integer(1)
        case "float": return .number(1.5)
        case "bool": return .bool(true)
        case "object": return .object([:])
        default: break
        }
        if type.hasPrefix("(") {
            let inner = String(type.dropFirst().dropLast())
            let fields = Self.fields(inner)
            if fields.isEmpty {
                let first = inner.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                return .string(first)
            }
            return sample(ofFields: fields)
        }
        guard let definition = types[type] else { return .null }
        return sample(ofType: definition)
    }
}

extension JSONValue {
    /// The keys of an object, or none.
    var objectKeys: Set<String> {
        if case .object(let members) = self { Set(members.keys) } else { [] }
    }

    /// Every key path in the value: "a", "a.b", "list[].c".
    var fieldPaths: Set<String> {
        func walk(_ value: JSONValue, _ prefix: String, into paths: inout Set<String>) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    let path = prefix.isEmpty ? key : prefix + "." + key
                    paths.insert(path)
                    walk(member, path, into: &paths)
                }
            case .array(let elements):
                for element in elements { walk(element, prefix + "[]", into: &paths) }
            default:
                break
            }
        }
        var paths: Set<String> = []
        walk(self, "", into: &paths)
        return paths
    }
}
