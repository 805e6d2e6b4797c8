import Foundation
import KioskCore
import TOMLKit

/// Reads the keys of one TOML table, remembering which were read so that the rest can be
/// reported as unknown.
struct TOMLTableReader {
    let table: TOMLTable
    let path: String
    let file: String
    let locator: TOMLKeyLocator
    private var seen: Set<String> = []

    init(table: TOMLTable, path: String, file: String, locator: TOMLKeyLocator) {
        self.table = table
        self.path = path
        self.file = file
        self.locator = locator
    }

    func fullKey(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ kind: ConfigurationError.Kind) -> ConfigurationError {
        let full = fullKey(key)
        return ConfigurationError(file: file, line: locator.line(of: full), key: full, kind)
    }

    mutating func value(_ key: String) -> (any TOMLValueConvertible)? {
        seen.insert(key)
        return table[key]
    }

    mutating func string(_ key: String, default fallback: String) throws(ConfigurationError) -> String {
        guard let value = value(key) else { return fallback }
        guard value.type == .string, let text = value.string else { throw wrongType(key, "a string", value) }
        return text
    }

    mutating func integer(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = value(key) else { return fallback }
        guard value.type == .int, let number = value.int else { throw wrongType(key, "an integer", value) }
        guard range.contains(number) else {
            throw error(key, .invalidValue("\(number) is outside \(range.lowerBound)…\(range.upperBound)"))
        }
        return number
    }

    /// An IANA time zone name such as "Asia/Shanghai"; an unknown name is an error here,
    /// not a silent fallback to UTC.
    mutating func timeZone(_ key: String, default fallback: String) throws(ConfigurationError) -> String {
        let name = try string(key, default: fallback)
        guard TimeZone(identifier: name) != nil else {
            throw error(key, .invalidValue("\"\(name)\" is not a known time zone (an IANA name such as \"Asia/Shanghai\")"))
        }
        return name
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let value = value(key) else { return fallback }
        guard value.type == .bool, let flag = value.bool else { throw wrongType(key, "true or false", value) }
        return flag
    }

    mutating func choice<T: RawRepresentable>(_ key: String, default fallback: T, of all: [T]) throws(ConfigurationError) -> T
    where T.RawValue == String {
        let text = try string(key, default: fallback.rawValue)
        guard let chosen = T(rawValue: text) else {
            let names = all.map(\.rawValue).joined(separator: ", ")
            throw error(key, .invalidValue("\"\(text)\" is not one of: \(names)"))
        }
        return chosen
    }

    mutating func strings(_ key: String, default fallback: [String] = []) throws(ConfigurationError) -> [String] {
        guard let value = value(key) else { return fallback }
        guard value.type == .array, let array = value.array else { throw wrongType(key, "an array of strings", value) }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard element.type == .string, let text = element.string else {
                throw error("\(key)[\(index)]", .wrongType(expected: "a string", found: Self.typeName(element.type)))
            }
            result.append(text)
        }
        return result
    }

    /// The tables of an array of tables (`[[key]]`), each with its own reader.
    mutating func tables(_ key: String) throws(ConfigurationError) -> [TOMLTableReader] {
        guard let value = value(key) else { return [] }
        guard value.type == .array, let array = value.array else {
            throw wrongType(key, "an array of tables ([[\(key)]])", value)
        }
        var readers: [TOMLTableReader] = []
        for (index, element) in array.enumerated() {
            let path = "\(key)[\(index)]"
            guard element.type == .table, let table = element.table else { throw wrongType(path, "a table", element) }
            readers.append(TOMLTableReader(table: table, path: fullKey(path), file: file, locator: locator))
        }
        return readers
    }

    mutating func required(_ key: String) throws(ConfigurationError) -> String {
        guard table[key] != nil else { throw error(key, .missingKey) }
        let text = try string(key, default: "")
        guard !text.isEmpty else { throw error(key, .invalidValue("must not be empty")) }
        return text
    }

    mutating func subtable(_ key: String) throws(ConfigurationError) -> TOMLTableReader? {
        guard let value = value(key) else { return nil }
        guard value.type == .table, let table = value.table else { throw wrongType(key, "a table", value) }
        return TOMLTableReader(table: table, path: fullKey(key), file: file, locator: locator)
    }

    /// Fails on the first key of this table that was never read.
    func rejectUnknownKeys() throws(ConfigurationError) {
        let unknown = table.keys.filter { !seen.contains($0) }
        let first = unknown.min { locator.line(of: fullKey($0)) < locator.line(of: fullKey($1)) }
        if let first { throw error(first, .unknownKey) }
    }

    func wrongType(_ key: String, _ expected: String, _ value: any TOMLValueConvertible) -> ConfigurationError {
        error(key, .wrongType(expected: expected, found: Self.typeName(value.type)))
    }

    static func typeName(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .date, .time, .dateTime: "a date or time"
        }
    }

}
