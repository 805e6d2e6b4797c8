import Foundation
import KioskCore

/// Retry-After's harness (`scripts/fuzz retry-after`): the input, as text, is a header
/// value. Properties: the wait is nil or within 0…86,400 s; a value of ASCII digits (and
/// surrounding spaces) is exactly that many seconds, limited to a day, however many digits
/// and leading zeros it has; and an HTTP-date an offset taken from the input away from now
/// gives that offset, limited to 0…86,400 s.
@Sendable func retryAfterFuzz(_ bytes: [UInt8]) {
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    let text = String(decoding: bytes, as: UTF8.self)
    let wait = RetryAfter.parse(text, now: now)
    if let wait {
        require(wait >= .zero && wait <= .seconds(86_400), "Retry-After \(wait) is outside 0…86400 s")
    }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
        // The value of any number of digits, without overflow: more than 5 significant
        // digits is more than a day.
        let significant = trimmed.drop { $0 == "0" }
        let expected = significant.count > 5 ? 86_400 : min(Int64(significant.isEmpty ? "0" : significant)!, 86_400)
        require(wait == .seconds(expected), "\"\(trimmed)\" gave \(String(describing: wait)), not \(expected) s")
    }
    // An HTTP-date at an offset from now in every form a sender may use.
    guard bytes.count >= 4 else { return }
    let offset = Int(Int32(bitPattern: bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) })) % 200_000
    let date = Date(timeInterval: TimeInterval(offset), since: now)
    let expected = Duration.seconds(max(0, min(offset, 86_400)))
    require(RetryAfter.parse(RetryAfter.httpDate(date), now: now) == expected, "HTTP-date \(offset) s from now")
}
