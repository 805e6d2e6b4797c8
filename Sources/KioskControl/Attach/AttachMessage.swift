import Foundation

/// The messages of the terminal socket, one JSON object per line.
///
/// `kioskctl attach` sends `AttachRequest` with its tty's descriptor attached
/// (SCM_RIGHTS); the daemon answers `AttachReply` once it drives the tty (or why not), and
/// a second `AttachReply` with `detached` when it hands the tty back, restored.
public struct AttachRequest: Codable, Sendable, Hashable {
    /// The terminal's name in Status; unique among the daemon's terminals.
    public var terminal: String
    /// `citizen` or `enterprise`.
    public var profile: String
    /// The tty's path, for technicians (e.g. /dev/tty3).
    public var device: String
    /// The terminal draws DEC double-width/double-height lines (large glyphs in elder
    /// mode). Absent from older clients, which means no.
    public var doubleSizeLines: Bool?

    public init(terminal: String, profile: String, device: String, doubleSizeLines: Bool = false) {
        self.terminal = terminal
        self.profile = profile
        self.device = device
        self.doubleSizeLines = doubleSizeLines
    }
}

public struct AttachReply: Codable, Sendable, Hashable {
    public var attached: Bool
    /// Why attaching failed, or why the tty was handed back ("client-closed", "daemon-stopping", "device-closed").
    public var reason: String?
    public var detached: Bool

    public init(attached: Bool, reason: String? = nil, detached: Bool = false) {
        self.attached = attached
        self.reason = reason
        self.detached = detached
    }

    public func line() -> [UInt8] {
        Array((try? JSONEncoder().encode(self)) ?? Data()) + [0x0A]
    }
}
