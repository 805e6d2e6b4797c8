/// One thing a monitor is told about (`Events`, `kioskctl watch`): a part of
/// `DaemonStatus` with its new value. It carries what `DaemonStatus` carries, so never
/// personal data.
public enum StatusEvent: Sendable, Hashable {
    case terminal(TerminalStatus)
    case printer(PrinterStatus)
    case outbox(OutboxCounts)
    case central(CentralServiceStatus)
    case payments(PaymentsStatus)
    case storage(StorageStatus)

    /// Everything in `status` as the events that would have built it, in a fixed order
    /// (terminals, printers, outbox, central, payments, storage): a monitor's first view.
    public static func snapshot(of status: DaemonStatus) -> [StatusEvent] {
        status.terminals.map(StatusEvent.terminal) + status.printers.map(StatusEvent.printer)
            + [.outbox(status.outbox), .central(status.central)]
            + (status.payments.map { [.payments($0)] } ?? []) + (status.storage.map { [.storage($0)] } ?? [])
    }

    /// What differs between two snapshots, in the order of `snapshot(of:)`. A terminal's
    /// byte counters and the uptime are not changes: they move with every keystroke and
    /// every second, and a monitor would hear of nothing else. A terminal or printer that
    /// appears is reported; one that disappears (a reload removed it) is not, as the next
    /// `Status` shows.
    public static func changes(from old: DaemonStatus, to new: DaemonStatus) -> [StatusEvent] {
        var events: [StatusEvent] = []
        let oldTerminals = Dictionary(old.terminals.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for terminal in new.terminals where oldTerminals[terminal.name].map({ !$0.sameApartFromTraffic(terminal) }) ?? true {
            events.append(.terminal(terminal))
        }
        let oldPrinters = Dictionary(old.printers.map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
        for printer in new.printers where oldPrinters[printer.role] != printer {
            events.append(.printer(printer))
        }
        if old.outbox != new.outbox { events.append(.outbox(new.outbox)) }
        if old.central != new.central { events.append(.central(new.central)) }
        if let payments = new.payments, old.payments != payments { events.append(.payments(payments)) }
        if let storage = new.storage, old.storage != storage { events.append(.storage(storage)) }
        return events
    }
}

extension TerminalStatus {
    /// Equal but for the byte counters.
    func sameApartFromTraffic(_ other: TerminalStatus) -> Bool {
        var mine = self
        mine.bytesIn = other.bytesIn
        mine.bytesOut = other.bytesOut
        return mine == other
    }
}
