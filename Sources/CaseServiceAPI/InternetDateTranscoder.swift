import Foundation
import OpenAPIRuntime

/// RFC 3339 dates for the central service's JSON, without ICU: kioskd's client and the
/// reference case-service both read and write dates with it, so the service accepts every
/// form the client does (fractional seconds, numeric offsets) and answers in the form the
/// client writes.
///
/// The runtime's default transcoder goes through `ISO8601DateFormatter`, which on Linux
/// is ICU and was about a tenth of kioskd's CPU while draining the outbox. This one writes
/// exactly what that formatter writes for its default options (`2026-11-23T06:05:00Z`:
/// UTC, whole seconds of the nearest millisecond), so a body sent again after an upgrade is the same
/// body. It reads that form, fractional seconds and numeric offsets (`+08:00`); anything
/// else goes to the default transcoder, so nothing it accepted is refused.
public struct InternetDateTranscoder: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        // As Foundation does: to the nearest millisecond first, then whole seconds down.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let total = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = Int(total - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        var text = ""
        text.reserveCapacity(20)
        Self.append(year, width: 4, to: &text)
        text.append("-")
        Self.append(Int64(month), width: 2, to: &text)
        text.append("-")
        Self.append(Int64(day), width: 2, to: &text)
        text.append("T")
        Self.append(Int64(secondOfDay / 3600), width: 2, to: &text)
        text.append(":")
        Self.append(Int64(secondOfDay / 60 % 60), width: 2, to: &text)
        text.append(":")
        Self.append(Int64(secondOfDay % 60), width: 2, to: &text)
        text.append("Z")
        return text
    }

    public func decode(_ string: String) throws -> Date {
        if let date = Self.parse(Array(string.utf8)) { return date }
        return try ISO8601DateTranscoder.iso8601.decode(string)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`, or nil.
    static func parse(_ b: [UInt8]) -> Date? {
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, let digit = digit(b[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index < b.count else { return nil }
        }
        var offset = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                  let hours = number(b, index + 1, 2), let minutes = number(b, index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (b[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let days = daysFromCivil(year: Int64(year), month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard let digit = digit(b[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func append(_ value: Int64, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text.append(String(repeating: "0", count: width - digits.count)) }
        text.append(digits)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
