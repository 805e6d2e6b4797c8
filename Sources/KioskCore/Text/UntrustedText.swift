/// Text from outside the daemon (typed input, the central service, the catalog) made
/// safe to draw: control characters (C0, DEL, C1), bidirectional overrides and lone
/// surrogates cannot reach a terminal, so nobody can move the cursor, change colours or
/// clear the screen by putting escape sequences into a name or a server message.
public struct UntrustedText: Sendable, Hashable, CustomStringConvertible {
    /// The text with every unsafe scalar removed.
    public let sanitized: String

    public init(_ raw: some StringProtocol) {
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars where Self.isSafe(scalar) {
            scalars.append(scalar)
        }
        sanitized = String(scalars)
    }

    public var description: String { sanitized }

    public static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: false
        // Bidirectional embeddings, overrides and isolates reorder what follows them.
        case 0x202A...0x202E, 0x2066...0x2069: false
        // Line and paragraph separators would break the one-line layout.
        case 0x2028, 0x2029: false
        default: true
        }
    }
}
