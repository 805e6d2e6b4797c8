import CaseServiceAPI
import Foundation

/// The fleet as an HTML page (`GET /fleet`): one table per hall, stale kiosks highlighted,
/// faults and backlogs first. Plain HTML and CSS, no script: it works in any browser and
/// refreshes itself (`<meta http-equiv="refresh">`). Every text that came from a kiosk
/// (hall, kiosk and terminal names, printer queues and reasons, versions) is stripped of
/// control characters and HTML-escaped.
enum FleetPage {
    /// Seconds between the page's own reloads.
    static let refreshSeconds = 15

    static func render(_ fleet: FleetOverview) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="\(refreshSeconds)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Kiosk fleet</title>
            <style>
            body { font-family: sans-serif; margin: 1.5em; color: #222; }
            h1 { margin-bottom: 0.2em; }
            p.summary { margin-top: 0; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
            th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            th { background: #eee; }
            tr.stale td { background: #f8c8c8; }
            tr.stale td.kiosk::after { content: " STALE"; color: #a00; font-weight: bold; }
            tr.fault td { background: #fde7c2; }
            tr.backlog td { background: #fff6bf; }
            span.condition { font-weight: bold; }
            ul { margin: 0; padding-left: 1.2em; }
            </style>
            </head>
            <body>
            <h1>Kiosk fleet</h1>

            """
        html += "<p class=\"summary\">\(fleet.kioskCount) kiosk\(fleet.kioskCount == 1 ? "" : "s") in \(fleet.halls.count) "
        html += "hall\(fleet.halls.count == 1 ? "" : "s"): \(fleet.staleCount) stale, \(fleet.faultCount) with faults, "
        html += "\(fleet.backlogCount) with a backlog. Stale: no heartbeat for more than \(fleet.staleAfterIntervals) "
        html += "of the kiosk's intervals. As of \(timestamp(fleet.generatedAt)); this page reloads every \(refreshSeconds) s.</p>\n"
        if fleet.halls.isEmpty { html += "<p>No kiosk has sent a heartbeat yet.</p>\n" }
        for hall in fleet.halls {
            html += "<section class=\"hall\">\n<h2>\(hall.name.isEmpty ? "(no hall name)" : escape(hall.name))</h2>\n"
            html += "<table>\n<thead><tr><th>Kiosk</th><th>Condition</th><th>Last heartbeat</th><th>Faults</th><th>Terminals</th>"
            html += "<th>Printers</th><th>Outbox</th><th>Settlement</th><th>Catalog</th><th>Version</th></tr></thead>\n<tbody>\n"
            for kiosk in hall.kiosks { html += row(kiosk) }
            html += "</tbody>\n</table>\n</section>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    private static func row(_ kiosk: FleetOverview.Kiosk) -> String {
        let heartbeat = kiosk.heartbeat
        var cells: [String] = []
        cells.append("<td class=\"kiosk\">\(escape(kiosk.kioskId))</td>")
        cells.append("<td><span class=\"condition\">\(kiosk.condition.rawValue)</span></td>")
        cells.append("<td>\(FleetOverview.duration(kiosk.ageSeconds)) ago<br>\(timestamp(kiosk.receivedAt))</td>")
        cells.append("<td>\(list(kiosk.faults))</td>")
        let open = heartbeat.terminals.count { $0.state == .open }
        let terminals = heartbeat.terminals.map { terminal in
            "\(terminal.name) \(terminal.state.rawValue)\(terminal.locked ? " (locked)" : "")"
        }
        cells.append("<td>\(open)/\(heartbeat.terminals.count) open\(list(terminals))</td>")
        cells.append("<td>\(list(heartbeat.printers.map { "\($0.role.rawValue) (\($0.queue)) \($0.severity.rawValue), \($0.pendingJobs) waiting" }))</td>")
        var outbox = "\(heartbeat.outbox.pending) pending"
        if let oldest = heartbeat.outbox.oldestPendingSeconds { outbox += ", oldest \(FleetOverview.duration(oldest))" }
        if heartbeat.outbox.dead > 0 { outbox += ", \(heartbeat.outbox.dead) dead" }
        cells.append("<td>\(escape(outbox))</td>")
        cells.append("<td>\(escape(heartbeat.payments?.lastSettledDay.map { "last settled \($0)" } ?? "none yet"))</td>")
        cells.append("<td>\(escape("\(heartbeat.catalog.source.rawValue) \(shortVersion(heartbeat.catalog.version))"))</td>")
        cells.append("<td>\(escape(heartbeat.version)), up \(FleetOverview.duration(heartbeat.uptimeSeconds))</td>")
        return "<tr class=\"\(kiosk.condition.rawValue)\">\(cells.joined())</tr>\n"
    }

    /// A list of escaped items, or nothing when there are none.
    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
    }

    /// "sha256:3f1c2a9b…": enough to tell versions apart on a screen.
    private static func shortVersion(_ version: String) -> String {
        version.count > 19 ? String(version.prefix(19)) + "…" : version
    }

    /// "2026-11-23 06:05:09 UTC".
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) UTC"
    }

    /// `text` without control characters, with `& < > " '` as character references: safe
    /// in element content and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                if scalar.properties.generalCategory == .control { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
