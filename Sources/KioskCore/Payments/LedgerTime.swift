import Foundation

/// The ledger's clock unit: whole milliseconds since 1970-01-01T00:00:00Z, written in the
/// canonical encoding as `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC. Converted with integer
/// calendar arithmetic (proleptic Gregorian, no leap seconds), not with `DateFormatter`,
/// so the text never depends on a locale, ICU's version or the hall's zone.
public enum LedgerTime {
    /// The first moment the ledger can hold: 1970-01-01T00:00:00.000Z.
    public static let earliest: Int64 = 0
    /// The last moment the ledger can hold: 9999-12-31T23:59:59.999Z (four-digit years).
    public static let latest: Int64 = 253_402_300_799_999

    /// `date` cut to whole milliseconds towards the past. A date made from whole
    /// milliseconds by `date(milliseconds:)` gives those milliseconds back exactly, even
    /// where `Double` cannot hold them exactly.
    public static func milliseconds(of date: Date) -> Int64 {
        let scaled = date.timeIntervalSince1970 * 1000
        guard scaled.isFinite else { return scaled < 0 ? .min : .max }
        let nearest = scaled.rounded()
        let whole = abs(scaled - nearest) < 0.001 ? nearest : scaled.rounded(.down)
        guard whole > -9.2e18, whole < 9.2e18 else { return whole < 0 ? .min : .max }
        return Int64(whole)
    }

    /// The moment `milliseconds` after 1970-01-01T00:00:00Z.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// "2026-11-23T06:05:09.120Z" for the moment `milliseconds` after 1970, or nil outside
    /// `earliest...latest`.
    public static func canonical(milliseconds: Int64) -> String? {
        guard (earliest...latest).contains(milliseconds) else { return nil }
        let millisecond = milliseconds % 1000
        let seconds = milliseconds / 1000
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = civil(daysSince1970: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millisecond, 3))Z"
    }

    /// The milliseconds written by `canonical(milliseconds:)`, or nil for any other text.
    public static func milliseconds(parsingCanonical text: String) -> Int64? {
        let bytes = Array(text.utf8)
        // yyyy-MM-ddTHH:mm:ss.SSSZ
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millisecond = number(20..<23),
              year >= 1970, (1...12).contains(month), day >= 1,
              day <= Int64(CalendarDate.days(inMonth: Int(month), year: Int(year))),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millisecond
    }

    /// Howard Hinnant's `civil_from_days`, for days since 1970-01-01 (not negative here).
    private static func civil(daysSince1970 days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`, for years from 1970 on.
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Lowercase hexadecimal, the ledger's only text form of bytes.
public enum LedgerHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lowercase digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of lowercase hex text; nil for uppercase digits, odd length or any other
    /// character (the ledger writes one spelling only, so there is one to accept).
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// True for exactly `byteCount` bytes of lowercase hex.
    public static func isHex(_ text: String, byteCount: Int) -> Bool {
        text.utf8.count == byteCount * 2 && text.utf8.allSatisfy { value($0) != nil }
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
