import KioskCore
import Testing

@Suite("Status events")
struct StatusEventTests {
    static let status = DaemonStatus(
        version: "1", uptimeSeconds: 10,
        terminals: [
            TerminalStatus(name: "hall-1", profile: .citizen, device: "/dev/pts/1", state: .open, screen: "home"),
            TerminalStatus(name: "hall-2", profile: .enterprise, device: "/dev/pts/2", state: .open, screen: "attract"),
        ],
        central: CentralServiceStatus(url: "http://centre", reachability: .reachable),
        outbox: OutboxCounts(pending: 1, delivered: 3, dead: 0),
        printers: [PrinterStatus(role: .receipt, queue: "kiosk-receipt", state: .idle, condition: PrinterCondition(severity: .ok, responsible: .nobody, reasons: []))],
        storage: StorageStatus(state: .ok, freeMB: 900, minFreeMB: 64)
    )

    @Test("A snapshot lists terminals, printers, then the outbox, central service, payments and storage")
    func snapshotOrder() {
        // Given a status without payments / When it is turned into a first view
        let events = StatusEvent.snapshot(of: Self.status)
        // Then one event per part, in the documented order, payments left out
        #expect(events.count == 6)
        #expect(events[0] == .terminal(Self.status.terminals[0]))
        #expect(events[1] == .terminal(Self.status.terminals[1]))
        #expect(events[2] == .printer(Self.status.printers[0]))
        #expect(events[3] == .outbox(Self.status.outbox))
        #expect(events[4] == .central(Self.status.central))
        #expect(events[5] == .storage(Self.status.storage!))
    }

    @Test("Only what changed is reported; traffic counters and uptime are not changes")
    func changesOnly() {
        // Given the same status a second later with more traffic on both terminals
        var later = Self.status
        later.uptimeSeconds = 11
        later.terminals[0].bytesIn += 30
        later.terminals[1].bytesOut += 900
        // Then nothing changed
        #expect(StatusEvent.changes(from: Self.status, to: later).isEmpty)

        // When hall-2 opens a service, the printer runs out of paper, the centre goes away
        // and payments appear
        later.terminals[1].screen = "service:pay-water"
        later.printers[0].state = .stopped
        later.printers[0].condition = PrinterCondition(severity: .fault, responsible: .hallStaff, reasons: ["media-empty"])
        later.central.reachability = .unreachable
        let payments = PaymentsStatus(day: "2026-12-02", count: 1, totalFen: 3_150, unprintedReceipts: 0, lastSettled: nil)
        later.payments = payments
        // Then exactly those four, in the snapshot's order
        #expect(StatusEvent.changes(from: Self.status, to: later) == [
            .terminal(later.terminals[1]), .printer(later.printers[0]), .central(later.central), .payments(payments),
        ])
    }

    @Test("A terminal that appears after a reload is reported; one that goes is not")
    func terminalsComeAndGo() {
        // Given a reload that removed hall-1 and added hall-3
        var later = Self.status
        let added = TerminalStatus(name: "hall-3", profile: .citizen, device: "/dev/pts/3")
        later.terminals = [Self.status.terminals[1], added]
        // Then only the new one is an event
        #expect(StatusEvent.changes(from: Self.status, to: later) == [.terminal(added)])
    }
}
