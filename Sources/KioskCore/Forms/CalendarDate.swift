import Foundation

/// A day of the Gregorian calendar, without time or zone: birth dates, dates typed into
/// forms. Ordered by day.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the day does not exist (30 February, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.days(inMonth: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-mm-dd` or `yyyymmdd`.
    public init?(parsing text: String) {
        let digits = text.unicodeScalars.filter { $0 != "-" }.compactMap(\.asciiDigit)
        let dashes = text.unicodeScalars.filter { $0 == "-" }.count
        guard digits.count == 8, digits.count + dashes == text.unicodeScalars.count, dashes == 0 || dashes == 2
        else { return nil }
        if dashes == 2 {
            let parts = text.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return nil }
        }
        self.init(
            year: digits[0...3].reduce(0) { $0 * 10 + $1 }, month: digits[4] * 10 + digits[5],
            day: digits[6] * 10 + digits[7]
        )
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `yyyy-mm-dd`, the year always in four digits (0999-01-01), so that it parses back.
    public var description: String {
        let y = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(y)-\(m)-\(d)"
    }
}

extension CalendarDate {
    /// The day `date` falls on in `timeZone`.
    public static func of(_ date: Date, in timeZone: TimeZone) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension CalendarDate {
    /// The day `days` after this one (before it when negative), on the Gregorian calendar.
    public func adding(days: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return CalendarDate.of(calendar.date(byAdding: .day, value: days, to: noon)!, in: calendar.timeZone)
    }

    /// Whole days from this day to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        let end = calendar.date(from: DateComponents(year: other.year, month: other.month, day: other.day, hour: 12))!
        return calendar.dateComponents([.day], from: start, to: end).day!
    }
}

/// Written as its text, "2026-11-23".
extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDate(parsing: text), text.count == 10 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a YYYY-MM-DD day")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CalendarDate {
    /// Monday to Friday; 法定节假日 are not known here (the slip says dates move with them).
    public var isWeekday: Bool {
        // 1970-01-01 was a Thursday: day 0 of that count is weekday index 3 (Monday = 0).
        let epoch = CalendarDate(year: 1970, month: 1, day: 1)!
        let index = ((epoch.days(to: self) % 7) + 7 + 3) % 7
        return index < 5
    }

    /// The `workingDays`-th weekday after this day (this day itself when 0).
    public func adding(workingDays: Int) -> CalendarDate {
        var day = self
        var left = workingDays
        while left > 0 {
            day = day.adding(days: 1)
            if day.isWeekday { left -= 1 }
        }
        return day
    }
}
