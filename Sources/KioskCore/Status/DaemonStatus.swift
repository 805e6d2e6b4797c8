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
    /// Today's payments, unprinted receipts and settlement faults; nil when not known.
    public var payments: PaymentsStatus?
    /// Room left for the kiosk's records; nil when not watched.
    public var storage: StorageStatus?
    /// This kiosk's id (`[daemon] kiosk_id`); empty when none is set.
    public var kioskID: String
    /// Where Prometheus metrics are served; nil when they are not.
    public var metricsURL: String?
    /// How the latest heartbeat to the centre went; nil before the first.
    public var heartbeat: HeartbeatStatus?
    /// The catalog in force, its version, and a version from the centre refused; nil when
    /// not known.
    public var catalog: CatalogVersionReport?

    public init(
        version: String, uptimeSeconds: Int64, terminals: [TerminalStatus], central: CentralServiceStatus,
        outbox: OutboxCounts = OutboxCounts(), printers: [PrinterStatus] = [], payments: PaymentsStatus? = nil,
        storage: StorageStatus? = nil, kioskID: String = "", metricsURL: String? = nil, heartbeat: HeartbeatStatus? = nil,
        catalog: CatalogVersionReport? = nil
    ) {
        self.catalog = catalog
        self.heartbeat = heartbeat
        self.storage = storage
        self.kioskID = kioskID
        self.metricsURL = metricsURL
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.terminals = terminals
        self.central = central
        self.outbox = outbox
        self.printers = printers
        self.payments = payments
    }

    /// One line for systemd's STATUS=, e.g. "2/2 terminals open, central service
    /// reachable, outbox 0 pending, receipt ok, document fault (media-empty; hall-staff),
    /// payments today 3 ¥1,234.50, 1 receipt unprinted, settlement 2026-11-22 mismatch".
    public var summary: String {
        let open = terminals.filter { $0.state == .open }.count
        var line = "\(open)/\(terminals.count) terminals open, central service \(central.reachability.rawValue)"
        line += ", outbox \(outbox.pending) pending"
        if outbox.dead > 0 { line += ", \(outbox.dead) dead" }
        let storageLine = storage.flatMap { $0.state == .ok ? nil : $0.summary }
        return ([line] + printers.map(\.summary) + (payments.map { [$0.summary] } ?? []) + (storageLine.map { [$0] } ?? []))
            .joined(separator: ", ")
    }
}

/// The latest heartbeat to the centre: when it was sent (ISO 8601 in the hall's zone, like
/// every time a technician reads), whether the centre took it, and "accepted" or why not.
public struct HeartbeatStatus: Sendable, Hashable, Codable {
    public var sentAt: String
    public var accepted: Bool
    public var outcome: String

    public init(sentAt: String, accepted: Bool, outcome: String) {
        self.sentAt = sentAt
        self.accepted = accepted
        self.outcome = outcome
    }
}

/// The storage monitor's view: the state, the free space at the last check, the threshold.
public struct StorageStatus: Sendable, Hashable, Codable {
    public var state: StorageState
    public var freeMB: Int64?
    public var minFreeMB: Int

    /// Spelt so that snake_case keys (`free_mb`) read back to these properties.
    enum CodingKeys: String, CodingKey {
        case state
        case freeMB = "freeMb"
        case minFreeMB = "minFreeMb"
    }

    public init(state: StorageState, freeMB: Int64?, minFreeMB: Int) {
        self.state = state
        self.freeMB = freeMB
        self.minFreeMB = minFreeMB
    }

    /// "storage full (0 MB free, min 64 MB)".
    public var summary: String {
        "storage \(state.rawValue) (\(freeMB.map { "\($0) MB" } ?? "unknown") free, min \(minFreeMB) MB)"
    }
}

/// Payments for technicians: the open settlement day's count and sum, receipts that did
/// not print (any day), and settled days the centre disagrees with. No personal data.
public struct PaymentsStatus: Sendable, Hashable, Codable {
    /// A settled day that needs a technician.
    public struct Fault: Sendable, Hashable, Codable {
        public var day: String
        public var fault: SettlementFault

        public init(day: String, fault: SettlementFault) {
            self.day = day
            self.fault = fault
        }
    }

    /// The day still open (not settled yet), "2026-11-23".
    public var day: String
    /// Payments recorded in the open day, and their sum in fen (reversals not subtracted).
    public var count: Int
    public var totalFen: Int64
    public var reversalCount: Int
    /// Paid orders, of any day, whose receipt did not print.
    public var unprintedReceipts: Int
    /// The last settled day, if any.
    public var lastSettled: String?
    /// Settled days of the last week the centre disagreed with or refused, oldest first.
    public var settlementFaults: [Fault]

    public init(
        day: String, count: Int = 0, totalFen: Int64 = 0, reversalCount: Int = 0, unprintedReceipts: Int = 0,
        lastSettled: String? = nil, settlementFaults: [Fault] = []
    ) {
        self.day = day
        self.count = count
        self.totalFen = totalFen
        self.reversalCount = reversalCount
        self.unprintedReceipts = unprintedReceipts
        self.lastSettled = lastSettled
        self.settlementFaults = settlementFaults
    }

    /// "payments today 3 ¥1,234.50", then ", 1 receipt unprinted" and ", settlement
    /// 2026-11-22 mismatch" when there are any.
    public var summary: String {
        var text = "payments today \(count) \(Money.display(totalFen))"
        if unprintedReceipts > 0 { text += ", \(unprintedReceipts) receipt\(unprintedReceipts == 1 ? "" : "s") unprinted" }
        for fault in settlementFaults { text += ", settlement \(fault.day) \(fault.fault.rawValue)" }
        return text
    }
}

/// The health of one terminal.
public struct TerminalStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
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
    /// A technician locked it for maintenance (`LockTerminal`).
    public var locked: Bool

    public init(
        name: String, profile: TerminalProfile, device: String, state: State = .opening, screen: String = "attract",
        columns: Int = 0, rows: Int = 0, bytesIn: Int64 = 0, bytesOut: Int64 = 0, errors: Int64 = 0,
        lastError: String? = nil, locked: Bool = false
    ) {
        self.locked = locked
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
    /// True on the screens shown between citizens (attract, maintenance): nothing of a
    /// citizen is on them, so technicians may see their text (`ScreenSnapshot`).
    public var isBetweenSessions: Bool {
        switch self {
        case .attract, .locked: true
        default: false
        }
    }

    /// The screen's name for technicians.
    public var statusName: String {
        switch self {
        case .attract: "attract"
        // Never the technician's message.
        case .locked: "locked"
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
        case .proveIdentity: "prove-identity"
        case .oneTimeCode: "one-time-code"
        }
    }
}
