import Foundation
import KioskControl
import KioskCore
import KioskForwarding
import KioskPrinting
import KioskSigning
import KioskStore
import KioskTerminal
import Logging
import Synchronization

/// The daemon's answers to the control interface, gathered from the services that own
/// each piece of state.
struct DaemonBackend: ControlBackend {
    let startedAt: MonotonicInstant
    let time: TimeEnvironment
    let registry: TerminalRegistry
    let central: CentralServiceMonitor
    let database: KioskDatabase
    let forwarder: Forwarder
    let printing: PrintService
    /// The kiosk's ledger key: its public half for `LedgerKey`, `LedgerVerify` and exports.
    let ledgerKey: LedgerKeyFile
    /// Exports are written under its `exports/` folder.
    let stateDirectory: String
    /// The daily settlement: its schedule, and settling or printing a day on request.
    let settlement: SettlementService
    /// Reprints are audited with their job numbers.
    let audit: AuditTrail
    /// Room left for the records, for Status and the STATUS line.
    let storage: StorageMonitor
    /// Reloads the configuration and the catalog, as SIGHUP does.
    let reloader: Reloader
    let logger: Logger
    /// The day still open and its period, while the clock is in it.
    let openDay = OpenDayCache()
    /// Where the metrics are served, once the endpoint listens; for Status.
    let metricsURL = MetricsLocation()
    /// This kiosk's id, for Status.
    let kioskID: String
    /// How the latest heartbeat to the centre went, for Status.
    let lastHeartbeat = LastHeartbeat()

    func status() async -> DaemonStatus {
        let (day, period) = openDay.day(at: time.wallNow, schedule: settlement.schedule)
        let payments = try? await database.paymentsStatus(day: day, period: period)
        let outbox = (try? await database.outboxCounts()) ?? OutboxCounts()
        return status(outbox: outbox, payments: payments)
    }

    /// Everything but the outbox counts and the payments is in memory; those are too until
    /// the outbox, the ledger, a receipt or a settlement changes.
    func statusNow() -> DaemonStatus? {
        let (_, period) = openDay.day(at: time.wallNow, schedule: settlement.schedule)
        guard let outbox = database.cachedOutboxCounts(),
              let payments = database.cachedPaymentsStatus(periodStart: period.lowerBound)
        else { return nil }
        return status(outbox: outbox, payments: payments)
    }

    private func status(outbox: OutboxCounts, payments: PaymentsStatus?) -> DaemonStatus {
        let uptime = startedAt.duration(to: time.now)
        return DaemonStatus(
            version: KioskVersion.current,
            uptimeSeconds: uptime.components.seconds,
            terminals: registry.all,
            central: central.status,
            outbox: outbox,
            printers: printing.printerStatuses,
            payments: payments,
            storage: StorageStatus(
                state: storage.state, freeMB: storage.freeBytes.map { $0 >> 20 }, minFreeMB: Int(storage.minimumFree >> 20)
            ),
            kioskID: kioskID, metricsURL: metricsURL.url,
            heartbeat: lastHeartbeat.last.map { last in
                HeartbeatStatus(sentAt: time.format.timestamp(last.sentAt), accepted: last.accepted, outcome: last.outcome)
            },
            catalog: reloader.catalog.version
        )
    }

    func outbox(dead: Bool) async throws -> OutboxListing {
        OutboxListing(
            counts: try await database.outboxCounts(),
            entries: try await database.outboxSummaries(states: dead ? [.dead] : [.pending])
        )
    }

    func retryOutbox() async throws -> Int {
        let pending = try await database.retryOutboxNow(at: time.wallNow)
        forwarder.nudge()
        return pending
    }

    func requeueOutbox(id: Int64) async throws -> Bool {
        let requeued = try await database.requeueOutboxEntry(id, at: time.wallNow)
        if requeued { forwarder.nudge() }
        return requeued
    }

    func printers() async -> [PrinterStatus] {
        printing.printerStatuses
    }

    func printJobs(failedOnly: Bool) async -> [PrintJobInfo] {
        let jobs = (try? await database.printJobs(states: failedOnly ? [.failed] : [], limit: 200)) ?? []
        let format = time.format
        return jobs.sorted { $0.number > $1.number }.map { PrintJobInfo($0, format: format) }
    }

    /// A technician's reprint: needs no proof, and sends a `held` job itself (releases it).
    /// Audited with the job's number and the new one.
    func reprint(number: String) async -> PrintOutcome? {
        let outcome = await printing.reprint(number: number, proof: .technician)
        audit.record(actor: "control", action: "reprint \(number)", outcome: AuditedSlipPrinter.auditText(outcome, proof: .technician))
        return outcome
    }

    func resumePrinter(_ role: PrintRole) async throws -> PrinterStatus? {
        try await printing.resume(role)
    }
}

/// How the latest heartbeat went, once one was sent (the heartbeat service is built after
/// the backend whose Status it sends).
final class LastHeartbeat: Sendable {
    private let value = Mutex<HeartbeatService.Last?>(nil)

    var last: HeartbeatService.Last? { value.withLock { $0 } }

    func set(_ last: HeartbeatService.Last) { value.withLock { $0 = last } }
}

/// Where the metrics endpoint listens, once it does (its port may be chosen by the system).
final class MetricsLocation: Sendable {
    private let value = Mutex<String?>(nil)

    var url: String? { value.withLock { $0 } }

    func set(_ url: String) { value.withLock { $0 = url } }
}

/// The day still open (`SettlementSchedule.day(containing:)`) and its period, computed
/// again only once the clock leaves that period: Status asks on every call.
final class OpenDayCache: Sendable {
    private let current = Mutex<(day: CalendarDate, period: Range<Date>)?>(nil)

    func day(at now: Date, schedule: SettlementSchedule) -> (day: CalendarDate, period: Range<Date>) {
        if let known = current.withLock({ $0 }), known.period.contains(now) { return known }
        let day = schedule.day(containing: now)
        let found = (day: day, period: schedule.period(of: day))
        current.withLock { $0 = found }
        return found
    }
}
