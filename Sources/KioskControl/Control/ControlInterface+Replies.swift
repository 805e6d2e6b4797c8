import Foundation
import KioskCore

// The replies that carry KioskCore values with wire names (`ControlWireName`): the
// interface's `Status`, `Printer`, `PrintJob` and `PrintOutcome`. Everything else in them
// is the KioskCore value as it is.

/// `Status` as the interface writes it: `DaemonStatus` with its printers' names mapped.
public struct StatusReply: Sendable, Hashable, Codable {
    public var version: String
    public var uptimeSeconds: Int64
    public var terminals: [TerminalStatus]
    public var central: CentralServiceStatus
    public var outbox: OutboxCounts
    public var printers: [PrinterReply]
    public var payments: PaymentsStatus?
    public var storage: StorageStatus?
    public var kioskId: String
    public var metricsUrl: String?
    public var heartbeat: HeartbeatStatus?
    public var catalog: CatalogVersionReport?

    public init(_ status: DaemonStatus) {
        catalog = status.catalog
        heartbeat = status.heartbeat
        storage = status.storage
        kioskId = status.kioskID
        metricsUrl = status.metricsURL
        version = status.version
        uptimeSeconds = status.uptimeSeconds
        terminals = status.terminals
        central = status.central
        outbox = status.outbox
        printers = status.printers.map(PrinterReply.init)
        payments = status.payments
    }
}

/// `Printer`: a printer role, its queue, state, condition and job counts.
public struct PrinterReply: Sendable, Hashable, Codable {
    /// `PrinterCondition`, with severity and who must act by their wire names.
    public struct Condition: Sendable, Hashable, Codable {
        public var severity: String
        public var responsible: String
        public var reasons: [String]
    }

    public var role: String
    public var queue: String
    public var state: String
    public var condition: Condition
    public var pendingJobs: Int
    public var failedJobs: Int

    public init(_ printer: PrinterStatus) {
        role = printer.role.wireName
        queue = printer.queue
        state = printer.state.rawValue
        condition = Condition(
            severity: printer.condition.severity.wireName, responsible: printer.condition.responsible.wireName,
            reasons: printer.condition.reasons
        )
        pendingJobs = printer.pendingJobs
        failedJobs = printer.failedJobs
    }
}

/// `PrintJob`: one print job, its kind, role and state by their wire names.
public struct PrintJobReply: Sendable, Hashable, Codable {
    public var number: String
    public var kind: String
    public var reference: String
    public var role: String
    public var queue: String
    public var state: String
    public var cupsJobId: Int?
    public var attempts: Int
    public var reprintOf: String?
    public var createdAt: String
    public var updatedAt: String
    public var lastReason: String?

    public init(_ job: PrintJobInfo) {
        number = job.number
        kind = job.kind.wireName
        reference = job.reference
        role = job.role.wireName
        queue = job.queue
        state = job.state.wireName
        cupsJobId = job.cupsJobID
        attempts = job.attempts
        reprintOf = job.reprintOf
        createdAt = job.createdAt
        updatedAt = job.updatedAt
        lastReason = job.lastReason
    }
}

/// `PrintOutcome` (and `Reprint`'s reply): what printing a slip answered.
public struct PrintOutcomeReply: Sendable, Hashable, Codable {
    public var result: String
    public var number: String
    public var responsible: String
    public var reason: String?

    public init(_ outcome: PrintOutcome) {
        result = outcome.result.wireName
        number = outcome.number
        responsible = outcome.responsible.wireName
        reason = outcome.reason
    }
}
