import Foundation

/// How the hall writes a moment: in its own time zone, the same way on screens, paper and
/// exports, without ICU's date formatters (which are slow on Linux and follow the locale).
public struct HallTimeFormat: Sendable, Hashable {
    public let calendar: Calendar

    /// The format for `timeZone`, on the Gregorian calendar.
    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The default hall zone's format (`Asia/Shanghai`).
    public static let standard = HallTimeFormat(timeZone: TimeZone(identifier: TimeEnvironment.defaultZoneIdentifier)!)

    public var timeZone: TimeZone { calendar.timeZone }

    /// To the minute: "2026-11-23 14:05".
    public func minute(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(parts.year ?? 0)-\(Self.two(parts.month))-\(Self.two(parts.day)) \(Self.two(parts.hour)):\(Self.two(parts.minute))"
    }

    /// To the second with the zone's offset from UTC, for CSV exports and the log's human
    /// timestamps: "2026-11-23T14:05:09+08:00".
    public func timestamp(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let minutes = abs(offset) / 60
        return "\(parts.year ?? 0)-\(Self.two(parts.month))-\(Self.two(parts.day))T"
            + "\(Self.two(parts.hour)):\(Self.two(parts.minute)):\(Self.two(parts.second))"
            + "\(offset < 0 ? "-" : "+")\(Self.two(minutes / 60)):\(Self.two(minutes % 60))"
    }

    /// How long after `date` the hall's clock shows its next minute (at most a minute).
    public func untilNextMinute(after date: Date) -> Duration {
        let second = calendar.component(.second, from: date)
        var fraction = date.timeIntervalSinceReferenceDate.truncatingRemainder(dividingBy: 1)
        if fraction < 0 { fraction += 1 }
        let left = 60 - Double(second) - fraction
        let milliseconds = Int64((left * 1000).rounded(.up))
        return .milliseconds(Swift.min(Swift.max(milliseconds, 1), 60_000))
    }

    private static func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }
}
