import Foundation
import KioskControl
import KioskCore
import Metrics

/// The daemon's metrics through swift-metrics, named after Prometheus's conventions
/// (`kioskd_` prefix, `_total` counters, base units). No label carries personal data or an
/// unbounded value: labels are states, reasons, roles, kinds, catalog items and known
/// control method names.
enum DaemonMetrics {
    /// The control methods counted by name: those the shipped interface declares and the
    /// standard service's; any other name a client sends is "other".
    static let controlMethods: Set<String> = {
        let declared = ControlInterface.definitionText.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("method ") else { return nil }
            return line.dropFirst("method ".count).split(separator: "(").first.map(String.init)
        }
        return Set(declared + ["GetInfo", "GetInterfaceDescription"])
    }()

    /// What each metric means, for the exposition's `# HELP` lines.
    static let help: [String: String] = [
        "kioskd_build_info": "kioskd's version and this kiosk's id (always 1).",
        "kioskd_uptime_seconds": "Seconds since kioskd started.",
        "kioskd_terminals": "Terminals by state.",
        "kioskd_central_service_reachable": "1 while the central case service answers, else 0.",
        "kioskd_outbox_entries": "Outbox entries (applications, ratings, payments for the centre) by state.",
        "kioskd_outbox_oldest_pending_age_seconds": "Age of the oldest entry waiting for the centre; 0 when none waits.",
        "kioskd_printer_fault": "1 while a printer role is in fault.",
        "kioskd_printer_needs_action": "1 while a printer role's fault waits for hall staff or an engineer.",
        "kioskd_payments_open_day": "Payments recorded in the settlement day still open.",
        "kioskd_payments_open_day_fen": "Amount of the open day's payments, in fen.",
        "kioskd_receipts_unprinted": "Paid orders whose receipt did not print (any day).",
        "kioskd_settlement_faults": "Settled days the centre disagrees with or that could not be forwarded.",
        "kioskd_storage_state": "1 for the storage state in force (ok, low, full).",
        "kioskd_storage_free_bytes": "Free space on the state directory's filesystem, in bytes.",
        "kioskd_sessions_started_total": "Citizen sessions started.",
        "kioskd_sessions_ended_total": "Citizen sessions ended, by how they ended.",
        "kioskd_control_calls_total": "Control socket calls by method and outcome.",
        "kioskd_deliveries_total": "Outbox delivery attempts by outcome (delivered, retry, dead).",
        "kioskd_print_outcomes_total": "What citizens were told about prints, by kind and result.",
        "kioskd_reprints_total": "Reprints asked for, by result.",
        "kioskd_keystroke_to_frame_seconds": "Time from a keystroke's bytes arriving to the frame they caused being written.",
    ]

    /// A control call answered with `outcome` ("ok" or an error name).
    static func controlCall(method: String, outcome: String) {
        let name = method.split(separator: ".").last.map(String.init) ?? ""
        let counted = controlMethods.contains(name) ? name : "other"
        Counter(label: "kioskd_control_calls_total", dimensions: [("method", counted), ("outcome", outcome == "ok" ? "ok" : "error")])
            .increment()
    }

    /// The gauges of the daemon's state, from a fresh status (before each scrape).
    static func update(_ status: DaemonStatus, kioskID: String, now: Date) {
        Gauge(label: "kioskd_build_info", dimensions: [("version", status.version), ("kiosk_id", kioskID)]).record(1)
        Gauge(label: "kioskd_uptime_seconds").record(Double(status.uptimeSeconds))
        for state in TerminalStatus.State.allCases {
            let count = status.terminals.filter { $0.state == state }.count
            Gauge(label: "kioskd_terminals", dimensions: [("state", state.rawValue)]).record(count)
        }
        Gauge(label: "kioskd_central_service_reachable").record(status.central.reachability == .unreachable ? 0 : 1)
        Gauge(label: "kioskd_outbox_entries", dimensions: [("state", "pending")]).record(status.outbox.pending)
        Gauge(label: "kioskd_outbox_entries", dimensions: [("state", "dead")]).record(status.outbox.dead)
        Gauge(label: "kioskd_outbox_entries", dimensions: [("state", "delivered")]).record(status.outbox.delivered)
        let oldest = status.outbox.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
        Gauge(label: "kioskd_outbox_oldest_pending_age_seconds").record(oldest)
        for printer in status.printers {
            let fault = printer.condition.severity == .fault ? 1 : 0
            Gauge(label: "kioskd_printer_fault", dimensions: [("role", printer.role.rawValue)]).record(fault)
            for responsible in PrinterCondition.Responsible.allCases where responsible != .nobody {
                let acting = fault == 1 && printer.condition.responsible == responsible ? 1 : 0
                Gauge(label: "kioskd_printer_needs_action", dimensions: [("role", printer.role.rawValue), ("who", responsible.rawValue)])
                    .record(acting)
            }
        }
        if let payments = status.payments {
            Gauge(label: "kioskd_payments_open_day").record(payments.count)
            Gauge(label: "kioskd_payments_open_day_fen").record(Double(payments.totalFen))
            Gauge(label: "kioskd_receipts_unprinted").record(payments.unprintedReceipts)
            Gauge(label: "kioskd_settlement_faults").record(payments.settlementFaults.count)
        }
        if let storage = status.storage {
            for state in StorageState.allCases {
                Gauge(label: "kioskd_storage_state", dimensions: [("state", state.rawValue)]).record(storage.state == state ? 1 : 0)
            }
            if let free = storage.freeMB { Gauge(label: "kioskd_storage_free_bytes").record(Double(free) * 1_048_576) }
        }
    }
}

/// The session journal, counting sessions as they start and end (by how they ended).
struct MeteredSessionJournal: SessionJournal {
    let base: any SessionJournal

    func sessionStarted(terminal: String, at date: Date) async {
        Counter(label: "kioskd_sessions_started_total").increment()
        await base.sessionStarted(terminal: terminal, at: date)
    }

    func sessionEnded(terminal: String, reason: SessionEndReason, at date: Date) async {
        Counter(label: "kioskd_sessions_ended_total", dimensions: [("reason", reason.rawValue)]).increment()
        await base.sessionEnded(terminal: terminal, reason: reason, at: date)
    }
}

/// The forwarder's outbox, counting deliveries by outcome.
struct MeteredOutboxStore: OutboxStore {
    let base: any OutboxStore

    func dueEntries(at now: Date, limit: Int) async throws -> [OutboxEntry] { try await base.dueEntries(at: now, limit: limit) }
    func nextDueDate() async throws -> Date? { try await base.nextDueDate() }
    func apply(_ changes: [CaseStatusChange], cursor: Int64) async throws { try await base.apply(changes, cursor: cursor) }
    func statusCursor() async throws -> Int64 { try await base.statusCursor() }

    func record(_ outcomes: [OutboxOutcome]) async throws {
        try await base.record(outcomes)
        for outcome in outcomes {
            let name = switch outcome {
            case .delivered: "delivered"
            case .retry: "retry"
            case .dead: "dead"
            }
            Counter(label: "kioskd_deliveries_total", dimensions: [("outcome", name)]).increment()
        }
    }
}
