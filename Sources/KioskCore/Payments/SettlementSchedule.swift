import Foundation

/// The hall's local time of day at which the day's books close (`[payments]
/// settlement_time`, "HH:MM", default 23:55).
public struct SettlementTime: Sendable, Hashable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Exactly "HH:MM" with two digits each, 00:00 to 23:59; nil for anything else.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        self.init(hour: values[0] * 10 + values[1], minute: values[2] * 10 + values[3])
    }

    /// 23:55.
    public static let standard = SettlementTime(hour: 23, minute: 55)!

    /// "23:55".
    public var description: String {
        (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute < 10 ? "0\(minute)" : "\(minute)")
    }

    /// A time before noon closes a day after its midnight, on the next calendar day
    /// ("02:00" closes the 23rd at 02:00 on the 24th; "00:00" at the 24th's first moment).
    public var closesOnTheNextDay: Bool { hour < 12 }
}

/// When each hall day's settlement (日结) is due, in the hall's zone.
///
/// A day's books close at its settlement time: a time from noon on closes the day on the
/// same calendar day (23:55 closes the 23rd at 23:55 on the 23rd), a time before noon on
/// the next one. A day's settlement covers its **period**, from the previous day's
/// closing up to, not including, its own: with 23:55, the 23rd's period runs from 23:55 on
/// the 22nd to 23:55 on the 23rd, so a payment at 23:57 belongs to the 24th. Every ledger
/// record belongs to exactly one period, so a day once settled never changes. Pure: the
/// caller gives the moments.
public struct SettlementSchedule: Sendable, Hashable {
    public let time: SettlementTime
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(time: SettlementTime = .standard, timeZone: TimeZone) {
        self.time = time
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The moment `day`'s books close. On a date whose clocks skip the settlement time
    /// (daylight saving time begins) they close as much later as the clocks jumped (02:30
    /// becomes 03:30); on one that passes it twice, at the first time.
    public func closing(of day: CalendarDate) -> Date {
        let date = time.closesOnTheNextDay ? day.adding(days: 1) : day
        return calendar.date(from: DateComponents(
            year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute
        ))!
    }

    /// The moments `day` settles: from the previous day's closing up to its own.
    public func period(of day: CalendarDate) -> Range<Date> {
        closing(of: day.adding(days: -1))..<closing(of: day)
    }

    /// The day whose period holds `moment`: the day still open at that moment.
    public func day(containing moment: Date) -> CalendarDate {
        let date = CalendarDate.of(moment, in: timeZone)
        if moment < closing(of: date.adding(days: -1)) { return date.adding(days: -1) }
        if moment >= closing(of: date) { return date.adding(days: 1) }
        return date
    }

    /// The day open at `now` and the moment it closes: the scheduler's next deadline.
    public func nextClosing(after now: Date) -> (day: CalendarDate, at: Date) {
        let open = day(containing: now)
        return (open, closing(of: open))
    }

    /// The last day whose books have closed at `now`.
    public func lastClosedDay(at now: Date) -> CalendarDate {
        day(containing: now).adding(days: -1)
    }

    /// The closed days still to settle at `now`, oldest first: every day after
    /// `lastSettled` up to the last closed one; when nothing was ever settled, the days
    /// from the one open at `activeSince` (when the kiosk first recorded anything) on, so a
    /// day before the kiosk existed is never settled. At most the `limit` most recent.
    /// Empty when there is neither a settled day nor any activity.
    public func daysToSettle(at now: Date, lastSettled: CalendarDate?, activeSince: Date?, limit: Int = 31) -> [CalendarDate] {
        let last = lastClosedDay(at: now)
        let first: CalendarDate
        if let lastSettled {
            first = lastSettled.adding(days: 1)
        } else if let activeSince {
            first = day(containing: activeSince)
        } else {
            return []
        }
        guard first <= last, limit > 0 else { return [] }
        let start = max(first, last.adding(days: -(limit - 1)))
        return (0...start.days(to: last)).map { start.adding(days: $0) }
    }
}
