/// A snapshot of the daemon for technicians: what `kioskctl status` prints and what the
/// systemd STATUS line summarises. Holds no personal data.
public struct DaemonStatus: Sendable, Hashable, Codable {
    public var version: String
    public var uptimeSeconds: Int64
    public var terminals: [TerminalStatus]
    public var central: CentralServiceStatus
    public var outbox: OutboxCounts
    /// Each printer role kioskd drives.
    public var printers: [PrinterStatus]

    public init(
        version: String, uptimeSeconds: Int64, terminals: [TerminalStatus], central: CentralServiceStatus,
        outbox: OutboxCounts = OutboxCounts(), printers: [PrinterStatus] = []
    ) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.terminals = terminals
        self.central = central
        self.outbox = outbox
        self.printers = printers
    }

    /// One line for systemd's STATUS=, e.g. "2/2 terminals open, central service
    /// reachable, receipt ok, document fault (media-empty; hall-staff)".
    public var summary: String {
        let open = terminals.filter { $0.state == .open }.count
        var line = "\(open)/\(terminals.count) terminals open, central service \(central.reachability.rawValue)"
        line += ", outbox \(outbox.pending) pending"
        if outbox.dead > 0 { line += ", \(outbox.dead) dead" }
        return ([line] + printers.map(\.summary)).joined(separator: ", ")
    }
}

/// The health of one terminal.
public struct TerminalStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Not yet opened, or being reopened after a fault.
        case opening
        case open
        /// The device failed; the session retries with backoff.
        case failed
        case closed
    }

    public var name: String
    public var profile: TerminalProfile
    public var device: String
    public var state: State
    /// The screen shown: "attract", "home" or "service:<item>".
    public var screen: String
    public var columns: Int
    public var rows: Int
    public var bytesIn: Int64
    public var bytesOut: Int64
    public var errors: Int64
    /// The last fault, in words, without personal data.
    public var lastError: String?

    public init(
        name: String, profile: TerminalProfile, device: String, state: State = .opening, screen: String = "attract",
        columns: Int = 0, rows: Int = 0, bytesIn: Int64 = 0, bytesOut: Int64 = 0, errors: Int64 = 0,
        lastError: String? = nil
    ) {
        self.name = name
        self.profile = profile
        self.device = device
        self.state = state
        self.screen = screen
        self.columns = columns
        self.rows = rows
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.errors = errors
        self.lastError = lastError
    }
}

/// Whether the central case service answers.
public struct CentralServiceStatus: Sendable, Hashable, Codable {
    public enum Reachability: String, Sendable, Hashable, Codable {
        case unknown, reachable, unreachable
    }

    public var url: String
    public var reachability: Reachability

    public init(url: String, reachability: Reachability = .unknown) {
        self.url = url
        self.reachability = reachability
    }
}

extension MenuState.Screen {
    /// The screen's name for technicians.
    public var statusName: String {
        switch self {
        case .attract: "attract"
        case .home: "home"
        case .service(let item): "service:\(item.rawValue)"
        case .guideStages: "guide"
        case .guideStage(let id): "guide:\(id)"
        case .guideItem(let id): "guide-item:\(id)"
        case .guideSearch: "guide-search"
        case .applyList: "apply"
        // Only the step: never the item or anything typed.
        case .form: "form"
        case .submitted: "submitted"
        case .submitFailed: "submit-failed"
        case .rating, .ratingReason, .ratingDone: "rating"
        case .progressResult: "progress"
        case .insuranceResult: "insurance"
        // Never the account or the amount.
        case .payKinds: "pay"
        case .payAccount: "pay-account"
        case .payBill: "pay-bill"
        case .payQR: "pay-qr"
        case .payResult: "pay-result"
        }
    }
}
