import Foundation

/// What kioskd tells the centre every `[central] heartbeat_seconds`: that it runs, its
/// terminals and printers (and who must act), its outbox backlog, its payments' settlement,
/// each terminal's ledger head and the catalog in force.
///
/// Made from the Status snapshot by keeping only states, counts, ages, hashes, versions
/// and the names the configuration gives: never a terminal's last error, its screen or
/// device, or anything a citizen typed. Text that came from outside (CUPS' reasons) is
/// stripped of control characters, and every list and string is cut to the contract's
/// limits, so the centre never refuses a heartbeat for its size.
public struct Heartbeat: Sendable, Hashable {
    public struct Terminal: Sendable, Hashable {
        public var name: String
        public var profile: TerminalProfile
        public var state: TerminalStatus.State
        public var locked: Bool
        public var errors: Int64
    }

    public struct Printer: Sendable, Hashable {
        public var role: PrintRole
        public var queue: String
        public var state: PrinterState
        public var severity: PrinterCondition.Severity
        public var responsible: PrinterCondition.Responsible
        public var reasons: [String]
        public var pendingJobs: Int
        public var failedJobs: Int
    }

    public struct Outbox: Sendable, Hashable {
        public var pending: Int
        public var dead: Int
        /// Seconds the oldest pending entry has waited; nil when none is pending.
        public var oldestPendingSeconds: Int64?

        public init(pending: Int, dead: Int, oldestPendingSeconds: Int64?) {
            self.pending = pending
            self.dead = dead
            self.oldestPendingSeconds = oldestPendingSeconds
        }
    }

    public struct Payments: Sendable, Hashable {
        public var lastSettledDay: String?
        public var unprintedReceipts: Int
        public var settlementFaults: [PaymentsStatus.Fault]
    }

    public struct LedgerHeadReport: Sendable, Hashable {
        public var terminal: String
        public var head: LedgerHead

        public init(terminal: String, head: LedgerHead) {
            self.terminal = terminal
            self.head = head
        }
    }

    public var kioskID: String
    /// The hall's name (`[hall] name`); nil when it has none.
    public var hall: String?
    public var version: String
    public var sentAt: Date
    public var uptimeSeconds: Int64
    /// Seconds until the next heartbeat.
    public var intervalSeconds: Int
    public var terminals: [Terminal]
    public var printers: [Printer]
    public var outbox: Outbox
    public var storage: StorageState
    public var payments: Payments?
    /// In terminal order.
    public var ledgerHeads: [LedgerHeadReport]
    public var catalog: CatalogVersionReport

    /// The contract's limits (Resources/openapi/case-service.yaml, `Heartbeat`).
    public enum Limits {
        public static let terminals = 256
        public static let printers = 8
        public static let reasons = 16
        public static let reasonLength = 64
        public static let nameLength = 64
        public static let queueLength = 127
        public static let hallLength = 80
        public static let versionLength = 32
        public static let settlementFaults = 31
        public static let intervalSeconds = 1...86_400
    }

    /// The heartbeat for `status`, sent at `sentAt` (wall clock), with `interval` until
    /// the next one.
    public init(
        status: DaemonStatus, hall: String, interval: Duration, sentAt: Date, ledgerHeads: [String: LedgerHead],
        catalog: CatalogVersionReport
    ) {
        kioskID = status.kioskID
        let hallName = Self.cut(UntrustedText(hall).sanitized, Limits.hallLength)
        self.hall = hallName.isEmpty ? nil : hallName
        version = Self.cut(status.version, Limits.versionLength)
        self.sentAt = sentAt
        uptimeSeconds = max(0, status.uptimeSeconds)
        intervalSeconds = min(max(Int(interval.components.seconds), Limits.intervalSeconds.lowerBound), Limits.intervalSeconds.upperBound)
        terminals = status.terminals.prefix(Limits.terminals).map { terminal in
            Terminal(
                name: Self.cut(UntrustedText(terminal.name).sanitized, Limits.nameLength), profile: terminal.profile,
                state: terminal.state, locked: terminal.locked, errors: max(0, terminal.errors)
            )
        }
        printers = status.printers.prefix(Limits.printers).map { printer in
            Printer(
                role: printer.role, queue: Self.cut(UntrustedText(printer.queue).sanitized, Limits.queueLength),
                state: printer.state, severity: printer.condition.severity, responsible: printer.condition.responsible,
                reasons: printer.condition.reasons.prefix(Limits.reasons).map { Self.cut(UntrustedText($0).sanitized, Limits.reasonLength) },
                pendingJobs: max(0, printer.pendingJobs), failedJobs: max(0, printer.failedJobs)
            )
        }
        outbox = Outbox(
            pending: max(0, status.outbox.pending), dead: max(0, status.outbox.dead),
            oldestPendingSeconds: status.outbox.oldestPendingAt.map { max(0, Int64(sentAt.timeIntervalSince($0).rounded(.down))) }
        )
        storage = status.storage?.state ?? .ok
        payments = status.payments.map { payments in
            Payments(
                lastSettledDay: payments.lastSettled, unprintedReceipts: max(0, payments.unprintedReceipts),
                settlementFaults: Array(payments.settlementFaults.suffix(Limits.settlementFaults))
            )
        }
        self.ledgerHeads = ledgerHeads.sorted { $0.key < $1.key }.prefix(Limits.terminals).map { terminal, head in
            LedgerHeadReport(terminal: Self.cut(UntrustedText(terminal).sanitized, Limits.nameLength), head: head)
        }
        self.catalog = catalog
    }

    /// `text`'s first `limit` Unicode scalars (the contract counts lengths in code points).
    static func cut(_ text: String, _ limit: Int) -> String {
        text.unicodeScalars.count <= limit ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit)))
    }
}

/// The catalog in force, as the heartbeat and Status report it: where it came from, its
/// version (`sha256:` and the hex SHA-256 of its files, `CatalogVersion`), and the last
/// version from the centre that was refused, with why.
public struct CatalogVersionReport: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// The kiosk's own files (`[catalog] directory`, or the built-in catalog).
        case local
        /// Published by the centre (`[catalog] source = "central"`).
        case central
    }

    public var source: Source
    public var version: String
    public var refusedVersion: String?
    /// File, line and key of the fault; no personal data (a catalog holds none).
    public var refusedReason: String?

    public init(source: Source, version: String, refusedVersion: String? = nil, refusedReason: String? = nil) {
        self.source = source
        self.version = version
        self.refusedVersion = refusedVersion
        self.refusedReason = refusedReason
    }
}
