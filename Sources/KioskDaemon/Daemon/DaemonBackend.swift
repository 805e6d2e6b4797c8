import Foundation
import KioskControl
import KioskCore
import KioskForwarding
import KioskPrinting
import KioskSigning
import KioskStore
import KioskTerminal

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

    func status() async -> DaemonStatus {
        status(outbox: (try? database.outboxCounts()) ?? OutboxCounts())
    }

    /// Everything but the outbox counts is in memory; those are too until the outbox changes.
    func statusNow() -> DaemonStatus? {
        database.cachedOutboxCounts().map { status(outbox: $0) }
    }

    private func status(outbox: OutboxCounts) -> DaemonStatus {
        let uptime = startedAt.duration(to: time.now)
        return DaemonStatus(
            version: KioskVersion.current,
            uptimeSeconds: uptime.components.seconds,
            terminals: registry.all,
            central: central.status,
            outbox: outbox,
            printers: printing.printerStatuses
        )
    }

    func outbox(dead: Bool) async throws -> OutboxListing {
        OutboxListing(
            counts: try database.outboxCounts(),
            entries: try database.outboxSummaries(states: dead ? [.dead] : [.pending])
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
        return jobs.sorted { $0.number > $1.number }.map(PrintJobInfo.init)
    }

    func reprint(number: String) async -> PrintOutcome? {
        await printing.reprint(number: number)
    }

    func resumePrinter(_ role: PrintRole) async throws -> PrinterStatus? {
        try await printing.resume(role)
    }
}
