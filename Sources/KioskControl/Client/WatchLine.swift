import KioskCore

/// One reply of `Events` as `kioskctl watch` prints it: the time in the hall's zone, the
/// kind, and what that part of the daemon is now.
public enum WatchLine {
    /// "14:05:09 terminal hall-1 open home", "14:05:11 printer receipt stopped fault: media-empty (hall_staff), 1 pending".
    public static func text(_ event: JSONValue) -> String {
        let at = event["at"]?.stringValue ?? ""
        let time = at.count >= 19 ? String(Array(at)[11..<19]) : at
        let kind = event["kind"]?.stringValue ?? "?"
        return "\(time) \(kind) " + detail(kind, event[kind] ?? .null)
    }

    private static func detail(_ kind: String, _ value: JSONValue) -> String {
        func text(_ key: String) -> String { value[key]?.stringValue ?? "" }
        func number(_ key: String) -> Int64 { value[key]?.integerValue ?? 0 }
        switch kind {
        case "terminal":
            var line = "\(text("name")) \(text("state")) \(text("screen"))"
            if value["locked"]?.boolValue == true { line += " locked" }
            if number("errors") > 0 { line += ", \(number("errors")) errors" + (value["last_error"]?.stringValue.map { " (\($0))" } ?? "") }
            return line
        case "printer":
            let condition = value["condition"] ?? .null
            var line = "\(text("role")) \(text("state")) \(condition["severity"]?.stringValue ?? "")"
            let reasons = (condition["reasons"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !reasons.isEmpty { line += ": " + reasons.joined(separator: ", ") }
            if let who = condition["responsible"]?.stringValue, who != "nobody" { line += " (\(who))" }
            return line + ", \(number("pending_jobs")) pending"
        case "outbox":
            return "\(number("pending")) pending, \(number("delivered")) delivered, \(number("dead")) dead"
        case "central":
            return "\(text("reachability")) (\(text("url")))"
        case "payments":
            return "\(text("day")): \(number("count")), \(Money.display(number("total_fen"))); \(number("unprinted_receipts")) unprinted"
        case "storage":
            return "\(text("state")) (\(value["free_mb"]?.integerValue.map { "\($0) MB" } ?? "unknown") free, min \(number("min_free_mb")) MB)"
        default:
            return ""
        }
    }
}
