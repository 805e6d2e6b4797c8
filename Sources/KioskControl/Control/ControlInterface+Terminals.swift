import Foundation
import KioskCore

/// What the terminal methods ask of the daemon.
public protocol TerminalsControlBackend: Sendable {
    /// Every terminal in detail, in the order registered.
    func terminals() async -> [TerminalDetail]
    /// Ends the citizen session of terminal `name` and wipes its screen; false when there
    /// is no such terminal. Audited with `actor`.
    func resetTerminal(name: String, actor: String) async -> Bool
    /// Locks terminal `name` for maintenance with `message` (stripped and bounded); false
    /// when there is no such terminal. Audited with `actor`.
    func lockTerminal(name: String, message: String?, actor: String) async -> Bool
    /// Puts terminal `name` back in service; false when there is no such terminal.
    func unlockTerminal(name: String, actor: String) async -> Bool
    /// Shows `text` (stripped and bounded) on the notice line of terminal `name`, or of
    /// every terminal when nil, for `seconds`; the names it went to, or nil when there is
    /// no terminal `name`. Audited with `actor`.
    func sendMessage(name: String?, text: String, seconds: Int, actor: String) async -> [String]?
    /// The text terminal `name` showed last, withheld during a citizen session; nil when
    /// there is no such terminal.
    func screenSnapshot(name: String) async -> ScreenSnapshotReply?
}

/// The reply of `ScreenSnapshot`: a terminal's screen as text, or why it is withheld.
public struct ScreenSnapshotReply: Sendable, Hashable, Codable {
    public var name: String
    public var screen: String
    public var columns: Int
    public var rows: Int
    /// When the frame was drawn, in the hall's zone; nil before the first.
    public var drawnAt: String?
    /// Why `lines` is empty: "citizen_session" while a citizen uses the terminal, "no_frame"
    /// before the first frame between sessions; nil when the lines are given.
    public var withheld: String?
    public var lines: [String]

    public init(name: String, screen: String, columns: Int, rows: Int, drawnAt: String?, lines: [String]?) {
        self.name = name
        self.screen = screen
        self.columns = columns
        self.rows = rows
        self.drawnAt = drawnAt
        // Between sessions the screen has no citizen's text; a terminal's own text (the
        // hall's name, a technician's message) was stripped before it was drawn, and is
        // stripped again here in case a grid ever carries a control character.
        self.lines = (lines ?? []).map { UntrustedText($0).sanitized }
        withheld = lines != nil ? nil : screen.hasPrefix("attract") || screen == "locked" ? "no_frame" : "citizen_session"
    }
}

/// `TerminalDetail`: one terminal as `Terminals` answers it; times in the hall's zone.
public struct TerminalDetail: Sendable, Hashable, Codable {
    public var name: String
    public var profile: TerminalProfile
    public var device: String
    public var state: TerminalStatus.State
    public var screen: String
    public var columns: Int
    public var rows: Int
    public var lastInputAt: String?
    public var lastFrameAt: String?
    public var bytesIn: Int64
    public var bytesOut: Int64
    public var errors: Int64
    public var lastError: String?
    public var locked: Bool
    public var lockMessage: String?

    public init(_ status: TerminalStatus, lastInputAt: String?, lastFrameAt: String?, lockMessage: String?) {
        name = status.name
        profile = status.profile
        device = status.device
        state = status.state
        screen = status.screen
        columns = status.columns
        rows = status.rows
        self.lastInputAt = lastInputAt
        self.lastFrameAt = lastFrameAt
        bytesIn = status.bytesIn
        bytesOut = status.bytesOut
        errors = status.errors
        lastError = status.lastError
        locked = status.locked
        self.lockMessage = status.locked ? lockMessage : nil
    }
}

/// The reply of `Terminals`.
public struct TerminalsReply: Sendable, Hashable, Codable {
    public var terminals: [TerminalDetail]
}

/// The reply of `LockTerminal`: the terminal and the message as its screen shows it.
public struct LockReply: Sendable, Hashable, Codable {
    public var name: String
    public var message: String?
}

extension ControlInterface {
    /// The longest maintenance message, in characters, after control characters are
    /// stripped; a longer one is `InvalidParameter`.
    public static let maximumLockMessageLength = 120
    /// The longest a technician's message stays on the notice line: an hour.
    public static let maximumMessageSeconds = 3600

    /// A maintenance message (or a `SendMessage` text) as a screen may show it: control
    /// and layout characters stripped, spaces around trimmed, nil when nothing is left;
    /// InvalidParameter naming `parameter` when longer than `maximumLockMessageLength`.
    static func lockMessage(_ raw: String?, parameter: String = "message") throws -> String? {
        guard let raw else { return nil }
        let cleaned = UntrustedText(raw).sanitized.trimmingCharacters(in: .whitespaces)
        guard cleaned.count <= maximumLockMessageLength else { throw VarlinkError.invalidParameter(parameter) }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// A terminal's name as a call gives it: not empty.
    static func terminalName(_ name: String) throws -> String {
        guard !name.isEmpty else { throw VarlinkError.invalidParameter("name") }
        return name
    }

    /// `NoSuchTerminal` with the name stripped of control characters.
    static func noSuchTerminal(_ name: String) -> VarlinkError {
        VarlinkError(name: "\(Self.interfaceName).NoSuchTerminal", parameters: .object(["name": .string(UntrustedText(name).sanitized)]))
    }
}
