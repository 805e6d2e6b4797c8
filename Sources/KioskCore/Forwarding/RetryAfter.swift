import Foundation

/// The Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    /// How long to wait from `now`; nil for a missing or unreadable value. A date in the
    /// past means no wait; absurd waits are limited to a day.
    public static func parse(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Any number of digits, leading zeros included ("0090" is 90 s): more than five
            // significant digits is more than a day.
            let significant = value.drop { $0 == "0" }
            guard significant.count <= 5 else { return .seconds(86_400) }
            return .seconds(min(Int64(significant.isEmpty ? "0" : significant) ?? 0, 86_400))
        }
        // An HTTP-date is printable ASCII and short. Anything else is no date, and must not
        // reach the formatter: Foundation's DateFormatter traps ("Incorrect range") on a
        // combining mark, so a centre's hostile header would have stopped kioskd (found
        // by the retry-after fuzzer).
        guard value.utf8.count <= 64, value.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return nil }
        for format in formats {
            if let date = format.date(from: value) {
                let seconds = max(0, min(date.timeIntervalSince(now), 86_400))
                return .milliseconds(Int64(seconds * 1000))
            }
        }
        return nil
    }

    /// The preferred IMF-fixdate first, then the two obsolete forms senders may still use.
    private static var formats: [DateFormatter] {
        ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"].map {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = $0
            return formatter
        }
    }

    /// An IMF-fixdate for `date`, as servers send it.
    public static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
