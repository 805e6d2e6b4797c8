/// A configuration file kioskd cannot use. The message names the file, the line and the
/// key, so a technician can fix it without guessing; kioskd exits with `exitCode`.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case unreadable(String)
        case syntax(String)
        case unknownKey
        case wrongType(expected: String, found: String)
        case invalidValue(String)
        case missingKey
    }

    public let file: String
    /// 1-based; 0 when the fault is not on one line (an unreadable file).
    public let line: Int
    /// The dotted key, e.g. "daemon.log_level" or "terminal[2].device"; empty for syntax errors.
    public let key: String
    let kind: Kind

    init(file: String, line: Int, key: String, _ kind: Kind) {
        self.file = file
        self.line = line
        self.key = key
        self.kind = kind
    }

    /// EX_CONFIG from sysexits.h: systemd and scripts read it as "fix the configuration".
    public static let exitCode: Int32 = 78

    /// What went wrong, in words, without the location.
    public var reason: String {
        switch kind {
        case .unreadable(let why): "cannot read the file: \(why)"
        case .syntax(let why): "syntax error: \(why)"
        case .unknownKey: "unknown key"
        case .wrongType(let expected, let found): "expected \(expected), found \(found)"
        case .invalidValue(let why): why
        case .missingKey: "required key is missing"
        }
    }

    /// The kind of fault as a short name, for tests and logs.
    public var kindName: String {
        switch kind {
        case .unreadable: "unreadable"
        case .syntax: "syntax"
        case .unknownKey: "unknown-key"
        case .wrongType: "wrong-type"
        case .invalidValue: "invalid-value"
        case .missingKey: "missing-key"
        }
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line)" : file
        return key.isEmpty ? "\(location): \(reason)" : "\(location): \(key): \(reason)"
    }
}
