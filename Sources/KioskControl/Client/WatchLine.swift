import KioskCore

/// One reply of `Events` as `kioskctl watch` prints it: the time in the hall's zone, the
/// kind, and what that part of the daemon is now.
public enum WatchLine {
    /// "14:05:09 terminal hall-1 open home", "14:05:11 printer receipt stopped fault: media-empty (hall_staff), 1 pending".
    public static func text(_ event: EventReply) -> String {
        let time = event.at.count >= 19 ? String(Array(event.at)[11..<19]) : event.at
        return "\(time) \(event.kind) " + detail(event)
    }

    private static func detail(_ event: EventReply) -> String {
        if let terminal = event.terminal {
            var line = "\(terminal.name) \(terminal.state.rawValue) \(terminal.screen)"
            if terminal.locked { line += " locked" }
            if terminal.errors > 0 { line += ", \(terminal.errors) errors" + (terminal.lastError.map { " (\($0))" } ?? "") }
            return line
        }
        if let printer = event.printer {
            var line = "\(printer.role) \(printer.state) \(printer.condition.severity)"
            if !printer.condition.reasons.isEmpty { line += ": " + printer.condition.reasons.joined(separator: ", ") }
            if printer.condition.responsible != "nobody" { line += " (\(printer.condition.responsible))" }
            return line + ", \(printer.pendingJobs) pending"
        }
        if let outbox = event.outbox {
            return "\(outbox.pending) pending, \(outbox.delivered) delivered, \(outbox.dead) dead"
        }
        if let central = event.central {
            return "\(central.reachability.rawValue) (\(central.url))"
        }
        if let payments = event.payments {
            return "\(payments.day): \(payments.count), \(Money.display(payments.totalFen)); \(payments.unprintedReceipts) unprinted"
        }
        if let storage = event.storage {
            return "\(storage.state.rawValue) (\(storage.freeMB.map { "\($0) MB" } ?? "unknown") free, min \(storage.minFreeMB) MB)"
        }
        return ""
    }
}
