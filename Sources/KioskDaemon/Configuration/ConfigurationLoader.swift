import Foundation
import KioskCore
import Logging
import TOMLKit

/// Reads `kioskd.toml` into a `KioskConfiguration`.
///
/// A missing file means every default. Anything else that is not exactly right (a syntax
/// error, a key kioskd does not know, a value of the wrong type or outside its range) is a
/// `ConfigurationError` naming the file, line and key: a typo must never be silently
/// ignored on a machine nobody watches.
public enum ConfigurationLoader {
    /// The default location of the configuration file.
    public static let defaultPath = "/etc/kioskd/kioskd.toml"

    /// Loads the file at `path`; a file that does not exist gives the defaults.
    public static func load(path: String) throws(ConfigurationError) -> KioskConfiguration {
        guard FileManager.default.fileExists(atPath: path) else { return KioskConfiguration() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: 0, key: "", .unreadable("not readable as UTF-8 text"))
        }
        return try parse(text, file: path)
    }

    /// Parses configuration text; `file` is the name used in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> KioskConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, line: error.source.begin.line, key: "", .syntax(error.description))
        } catch {
            throw ConfigurationError(file: file, line: 0, key: "", .syntax(String(describing: error)))
        }
        var reader = TableReader(table: root, path: "", file: file, locator: TOMLKeyLocator(source: text))
        return try reader.readConfiguration()
    }
}

/// Reads the keys of one TOML table, remembering which were read so that the rest can be
/// reported as unknown.
private struct TableReader {
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

    mutating func required(_ key: String) throws(ConfigurationError) -> String {
        guard table[key] != nil else { throw error(key, .missingKey) }
        let text = try string(key, default: "")
        guard !text.isEmpty else { throw error(key, .invalidValue("must not be empty")) }
        return text
    }

    mutating func subtable(_ key: String) throws(ConfigurationError) -> TableReader? {
        guard let value = value(key) else { return nil }
        guard value.type == .table, let table = value.table else { throw wrongType(key, "a table", value) }
        return TableReader(table: table, path: fullKey(key), file: file, locator: locator)
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

    // MARK: The schema

    mutating func readConfiguration() throws(ConfigurationError) -> KioskConfiguration {
        var configuration = KioskConfiguration()
        if var daemon = try subtable("daemon") {
            configuration.stateDirectory = try daemon.string("state_directory", default: configuration.stateDirectory)
            configuration.database = try daemon.string("database", default: configuration.database)
            configuration.controlSocket = try daemon.string("control_socket", default: configuration.controlSocket)
            configuration.logLevel = try daemon.choice("log_level", default: configuration.logLevel, of: Logger.Level.allCases)
            try daemon.rejectUnknownKeys()
        }
        if var control = try subtable("control") {
            configuration.control.readGroup = try control.string("read_group", default: configuration.control.readGroup)
            configuration.control.adminGroup = try control.string("admin_group", default: configuration.control.adminGroup)
            configuration.control.maxMessageBytes = try control.integer(
                "max_message_bytes", default: configuration.control.maxMessageBytes, range: 1024...(64 << 20)
            )
            try control.rejectUnknownKeys()
        }
        if var central = try subtable("central") {
            let url = try central.string("url", default: configuration.central.url)
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw central.error("url", .invalidValue("\"\(url)\" is not an http:// or https:// URL"))
            }
            configuration.central.url = url
            configuration.central.healthIntervalSeconds = try central.integer(
                "health_interval_seconds", default: configuration.central.healthIntervalSeconds, range: 1...3600
            )
            try central.rejectUnknownKeys()
        }
        if var session = try subtable("session") {
            configuration.session.escapeTimeoutMilliseconds = try session.integer(
                "escape_timeout_ms", default: configuration.session.escapeTimeoutMilliseconds, range: 5...2000
            )
            try session.rejectUnknownKeys()
        }
        configuration.terminals = try readTerminals()
        try rejectUnknownKeys()
        return configuration
    }

    mutating func readTerminals() throws(ConfigurationError) -> [KioskConfiguration.Terminal] {
        guard let value = value("terminal") else { return [] }
        guard value.type == .array, let array = value.array else {
            throw wrongType("terminal", "an array of tables ([[terminal]])", value)
        }
        var terminals: [KioskConfiguration.Terminal] = []
        for (index, element) in array.enumerated() {
            let key = "terminal[\(index)]"
            guard element.type == .table, let table = element.table else {
                throw wrongType(key, "a table", element)
            }
            var reader = TableReader(table: table, path: fullKey(key), file: file, locator: locator)
            var terminal = KioskConfiguration.Terminal(name: try reader.required("name"), device: try reader.required("device"))
            terminal.profile = try reader.choice("profile", default: terminal.profile, of: TerminalProfile.allCases)
            terminal.asciiOnly = try reader.bool("ascii_only", default: terminal.asciiOnly)
            terminal.colors = try reader.bool("colors", default: terminal.colors)
            terminal.columns = try reader.integer("columns", default: terminal.columns, range: 80...500)
            terminal.rows = try reader.integer("rows", default: terminal.rows, range: 24...200)
            try reader.rejectUnknownKeys()
            if terminals.contains(where: { $0.name == terminal.name }) {
                throw reader.error("name", .invalidValue("another terminal is already named \"\(terminal.name)\""))
            }
            terminals.append(terminal)
        }
        return terminals
    }
}
