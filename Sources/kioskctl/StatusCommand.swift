import ArgumentParser
import KioskControl
import KioskCore

/// `kioskctl status`: the daemon's version, uptime, central service and terminals.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's state and its terminals.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let (status, json) = try connection.call(ControlMethods.Status.self)
        if connection.json {
            try connection.printJSON(json)
            return
        }
        print("kioskd \(status.version), up \(Self.duration(status.uptimeSeconds))")
        print("central service: \(status.central.reachability.rawValue) (\(status.central.url))")
        if let catalog = status.catalog {
            var line = "catalog: \(catalog.source.rawValue) \(catalog.version)"
            if let refused = catalog.refusedVersion { line += "; REFUSED \(refused) from the centre: \(catalog.refusedReason ?? "")" }
            print(line)
        }
        if let heartbeat = status.heartbeat {
            if heartbeat.accepted {
                print("heartbeat: accepted, sent \(heartbeat.sentAt)")
            } else {
                print("heartbeat: NOT accepted, sent \(heartbeat.sentAt) (\(heartbeat.outcome))")
            }
        }
        if let payments = status.payments {
            var line = "payments today (\(payments.day)): \(payments.count), " + Money.display(payments.totalFen)
            if payments.reversalCount > 0 { line += ", \(payments.reversalCount) reversed" }
            line += "; unprinted receipts: \(payments.unprintedReceipts)"
            if let settled = payments.lastSettled { line += "; last settled \(settled)" }
            print(line)
            for fault in payments.settlementFaults {
                print("FAULT: settlement \(fault.day) \(fault.fault.rawValue) (kioskctl settlement \(fault.day))")
            }
        }
        if !status.printers.isEmpty {
            print("printers:")
            print(PrinterTable.text(status.printers))
        }
        print("terminals: \(status.terminals.count)")
        guard !status.terminals.isEmpty else { return }
        let rows = status.terminals.map { terminal -> [String] in
            [
                terminal.name, terminal.profile.rawValue, terminal.state.rawValue, terminal.screen, "\(terminal.columns)×\(terminal.rows)",
                "\(terminal.bytesIn)", "\(terminal.bytesOut)", "\(terminal.errors)", terminal.locked ? "yes" : "no", terminal.device,
            ]
        }
        print(Table(header: ["NAME", "PROFILE", "STATE", "SCREEN", "SIZE", "IN", "OUT", "ERRORS", "LOCKED", "DEVICE"], rows: rows).text)
    }

    static func duration(_ seconds: Int64) -> String {
        let days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return "\(minutes)m \(seconds % 60)s"
    }
}
