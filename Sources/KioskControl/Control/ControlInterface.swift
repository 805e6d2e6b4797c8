import KioskCore

/// What the control interface asks of the daemon. The composition root implements it
/// over the terminals, the store and the other services.
public protocol ControlBackend: Sendable {
    func status() async -> DaemonStatus
}

/// `io.kioskd.Control`: the technicians' interface to a running daemon.
public struct ControlInterface: VarlinkInterface {
    public static let interfaceName = "io.kioskd.Control"

    private let backend: any ControlBackend
    private let policy: AccessPolicy

    public init(backend: any ControlBackend, policy: AccessPolicy) {
        self.backend = backend
        self.policy = policy
    }

    public var name: String { Self.interfaceName }

    public var definition: String { Self.definitionText }

    /// The interface file shipped in Resources/varlink, embedded at build time.
    public static let definitionText = String(decoding: PackageResources.io_kioskd_Control_varlink, as: UTF8.self)

    public func handle(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply {
        switch call.memberName {
        case "Status":
            try require(.read, caller)
            return try VarlinkReply(encoding: await backend.status())
        default:
            throw VarlinkError.methodNotFound(call.method)
        }
    }

    private func require(_ level: AccessLevel, _ caller: PeerCredentials) throws {
        guard policy.level(for: caller) >= level else {
            throw VarlinkError(name: "\(Self.interfaceName).PermissionDenied")
        }
    }
}
