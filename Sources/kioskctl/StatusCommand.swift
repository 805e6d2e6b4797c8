import ArgumentParser
import KioskControl
import KioskCore

/// `kioskctl status`: the daemon's version, uptime, central service and terminals.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's state and its terminals.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let status = try connection.call("io.kioskd.Control.Status")
        if connection.json {
            try connection.printJSON(status)
            return
        }
        let uptime = status["uptime_seconds"]?.integerValue ?? 0
        print("kioskd \(status["version"]?.stringValue ?? "?"), up \(Self.duration(uptime))")
        if let central = status["central"] {
            print("central service: \(central["reachability"]?.stringValue ?? "?") (\(central["url"]?.stringValue ?? ""))")
        }
        if let heartbeat = status["heartbeat"], heartbeat != .null {
            let sentAt = heartbeat["sent_at"]?.stringValue ?? "?"
            if heartbeat["accepted"]?.boolValue == true {
                print("heartbeat: accepted, sent \(sentAt)")
            } else {
                print("heartbeat: NOT accepted, sent \(sentAt) (\(heartbeat["outcome"]?.stringValue ?? "?"))")
            }
        }
        if let payments = status["payments"], payments != .null {
            var line = "payments today (\(payments["day"]?.stringValue ?? "")): \(payments["count"]?.integerValue ?? 0), "
                + Money.display(payments["total_fen"]?.integerValue ?? 0)
            if let reversals = payments["reversal_count"]?.integerValue, reversals > 0 { line += ", \(reversals) reversed" }
            line += "; unprinted receipts: \(payments["unprinted_receipts"]?.integerValue ?? 0)"
            if let settled = payments["last_settled"]?.stringValue { line += "; last settled \(settled)" }
            print(line)
            for fault in payments["settlement_faults"]?.arrayValue ?? [] {
                print("FAULT: settlement \(fault["day"]?.stringValue ?? "") \(fault["fault"]?.stringValue ?? "") (kioskctl settlement \(fault["day"]?.stringValue ?? ""))")
            }
        }
        if let printers = status["printers"]?.arrayValue, !printers.isEmpty {
            print("printers:")
            print(PrinterTable.text(printers))
        }
        let terminals = status["terminals"]?.arrayValue ?? []
        print("terminals: \(terminals.count)")
        guard !terminals.isEmpty else { return }
        let rows = terminals.map { terminal -> [String] in
            [
                terminal["name"]?.stringValue ?? "", terminal["profile"]?.stringValue ?? "",
                terminal["state"]?.stringValue ?? "", terminal["screen"]?.stringValue ?? "",
                "\(terminal["columns"]?.integerValue ?? 0)×\(terminal["rows"]?.integerValue ?? 0)",
                "\(terminal["bytes_in"]?.integerValue ?? 0)", "\(terminal["bytes_out"]?.integerValue ?? 0)",
                "\(terminal["errors"]?.integerValue ?? 0)", terminal["locked"]?.boolValue == true ? "yes" : "no",
                terminal["device"]?.stringValue ?? "",
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
