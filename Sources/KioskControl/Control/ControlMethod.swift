/// One method of `io.kioskd.Control`: its name, the least access level that may call it,
/// and the `Codable` types of its parameters and reply. The server decodes the one and
/// encodes the other, and kioskctl does the reverse, from the same types, with the same
/// snake_case keys, so neither reads a reply by string keys.
///
/// Every method is listed in `ControlMethods.all`; a test checks that list against the
/// shipped `.varlink` file and the server's handlers. Adding a method is one type here (in
/// `ControlMethods`), one handler (`ControlInterface.handlers`), one kioskctl subcommand and
/// one README line.
public protocol ControlMethod: Sendable {
    associatedtype Parameters: Codable & Sendable
    associatedtype Reply: Codable & Sendable
    /// The method's name in the interface, e.g. "Status".
    static var name: String { get }
    /// The least access level a caller needs; a handler may ask for more for some
    /// parameters (`Settlement` with `print`).
    static var access: AccessLevel { get }
}

extension ControlMethod {
    /// The fully qualified name a client calls, e.g. "io.kioskd.Control.Status".
    public static var qualifiedName: String { ControlInterface.interfaceName + "." + name }
}

/// The parameters of a method that takes none.
public struct NoParameters: Codable, Sendable, Hashable {
    public init() {}
}

/// The reply of a method that answers with no parameters.
public struct EmptyReply: Codable, Sendable, Hashable {
    public init() {}
}
