#if canImport(Glibc)
import Glibc
#endif

/// A terminal device could not be used.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable {
        case open(path: String, errno: Int32)
        case notATerminal(path: String)
        case settings(path: String, errno: Int32)
        case noControllingTerminal
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .open(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .notATerminal(let path): "\(path) is not a terminal"
        case .settings(let path, let code): "cannot change the settings of \(path): \(String(cString: strerror(code)))"
        case .noControllingTerminal: "kioskd has no terminal of its own (run the demo from a terminal)"
        }
    }
}
