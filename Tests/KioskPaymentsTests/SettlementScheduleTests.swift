import Foundation
import KioskCore
import KioskSigning
import Testing

@Suite("Settlement schedule")
struct SettlementScheduleTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let losAngeles = TimeZone(identifier: "America/Los_Angeles")!

    /// The moment `text` ("2026-11-23T23:55:00Z") names.
    static func utc(_ text: String) -> Date {
        LedgerTime.date(milliseconds: LedgerTime.milliseconds(parsingCanonical: text.replacingOccurrences(of: "Z", with: ".000Z"))!)
    }

    static func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

    @Test("settlement_time is HH:MM from 00:00 to 23:59; anything else is refused")
    func parsing() {
        // Given the texts a technician might write / Then only two-digit hours and minutes in range parse
        #expect(SettlementTime(parsing: "23:55") == SettlementTime.standard)
        #expect(SettlementTime(parsing: "00:00")?.description == "00:00")
        #expect(SettlementTime(parsing: "07:05")?.description == "07:05")
        for bad in ["7:05", "24:00", "23:60", "2355", "23:55:00", " 23:55", "ab:cd", "-1:00", "２３:５５", ""] {
            #expect(SettlementTime(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("With 23:55 in Shanghai the 23rd closes at 15:55 UTC and its period starts at the 22nd's closing")
    func defaultInShanghai() {
        // Given the default time in the hall's zone, which is not the process's (UTC here)
        let schedule = SettlementSchedule(timeZone: Self.shanghai)
        // When the 23rd's closing and period are asked
        // Then they are at 23:55 Beijing time (15:55 UTC), a day apart
        #expect(schedule.closing(of: Self.day("2026-11-23")) == Self.utc("2026-11-23T15:55:00Z"))
        #expect(schedule.period(of: Self.day("2026-11-23")) == Self.utc("2026-11-22T15:55:00Z")..<Self.utc("2026-11-23T15:55:00Z"))
        // And at 12:42 Beijing time the day open is the 23rd, closing at 23:55
        let next = schedule.nextClosing(after: Self.utc("2026-11-23T04:42:00Z"))
        #expect(next.day == Self.day("2026-11-23") && next.at == Self.utc("2026-11-23T15:55:00Z"))
    }

    @Test("At the closing the next day opens: 23:54:59 is the 23rd's, 23:55:00 and 23:57 the 24th's, also across a year")
    func dayBoundary() {
        // Given 23:55 in Shanghai
        let schedule = SettlementSchedule(timeZone: Self.shanghai)
        // When moments around the closing are placed / Then the closing itself belongs to the next day
        #expect(schedule.day(containing: Self.utc("2026-11-23T15:54:59Z")) == Self.day("2026-11-23"))
        #expect(schedule.day(containing: Self.utc("2026-11-23T15:55:00Z")) == Self.day("2026-11-24"))
        #expect(schedule.day(containing: Self.utc("2026-11-23T15:57:00Z")) == Self.day("2026-11-24"))
        // And 00:30 Beijing time (16:30 UTC the day before) is still that calendar day's
        #expect(schedule.day(containing: Self.utc("2026-11-23T16:30:00Z")) == Self.day("2026-11-24"))
        // And a second after the closing the next deadline is a day later
        let next = schedule.nextClosing(after: Self.utc("2026-11-23T15:55:01Z"))
        #expect(next.day == Self.day("2026-11-24") && next.at == Self.utc("2026-11-24T15:55:00Z"))
        // And New Year's Eve closes into the new year
        #expect(schedule.day(containing: Self.utc("2026-12-31T15:56:00Z")) == Self.day("2027-01-01"))
        #expect(schedule.lastClosedDay(at: Self.utc("2026-12-31T15:56:00Z")) == Self.day("2026-12-31"))
    }

    @Test("A time before noon closes the day after its midnight; 00:00 settles exactly the calendar day")
    func beforeNoon() {
        // Given 02:00 and 00:00 in Shanghai
        let two = SettlementSchedule(time: SettlementTime(parsing: "02:00")!, timeZone: Self.shanghai)
        let midnight = SettlementSchedule(time: SettlementTime(parsing: "00:00")!, timeZone: Self.shanghai)
        // Then the 23rd closes at 02:00 on the 24th (18:00 UTC on the 23rd), and 01:00 on the 24th is still the 23rd's
        #expect(two.closing(of: Self.day("2026-11-23")) == Self.utc("2026-11-23T18:00:00Z"))
        #expect(two.day(containing: Self.utc("2026-11-23T17:00:00Z")) == Self.day("2026-11-23"))
        #expect(two.day(containing: Self.utc("2026-11-23T17:59:59Z")) == Self.day("2026-11-23"))
        #expect(two.day(containing: Self.utc("2026-11-23T18:00:00Z")) == Self.day("2026-11-24"))
        // And with 00:00 the period is the calendar day, as the ledger export counts it
        #expect(midnight.period(of: Self.day("2026-11-23")) == Settlement.interval(of: Self.day("2026-11-23"), in: Self.shanghai))
    }

    @Test("In Los Angeles (another zone than the process's) the closing follows daylight saving time")
    func otherZone() {
        // Given 23:55 in Los Angeles
        let schedule = SettlementSchedule(timeZone: Self.losAngeles)
        // Then a winter day closes at 07:55 UTC the next day (UTC-8), a summer day at 06:55 (UTC-7)
        #expect(schedule.closing(of: Self.day("2026-11-23")) == Self.utc("2026-11-24T07:55:00Z"))
        #expect(schedule.closing(of: Self.day("2026-07-01")) == Self.utc("2026-07-02T06:55:00Z"))
        // And the day daylight saving time begins is 23 hours long
        let period = schedule.period(of: Self.day("2026-03-08"))
        #expect(period.upperBound.timeIntervalSince(period.lowerBound) == 23 * 3600)
        // And a closing at 02:30, which the clocks skip on 8 March, comes an hour later
        let skipped = SettlementSchedule(time: SettlementTime(parsing: "02:30")!, timeZone: Self.losAngeles)
        #expect(skipped.closing(of: Self.day("2026-03-07")) == Self.utc("2026-03-08T10:30:00Z"))
        // And the same moment is a different hall day in Shanghai and in Los Angeles
        let moment = Self.utc("2026-11-23T20:00:00Z")
        #expect(schedule.day(containing: moment) == Self.day("2026-11-23"))
        #expect(SettlementSchedule(timeZone: Self.shanghai).day(containing: moment) == Self.day("2026-11-24"))
    }

    @Test("Missed days are those after the last settled one, or from the kiosk's first activity, never before it, at most the limit")
    func daysToSettle() {
        let schedule = SettlementSchedule(timeZone: Self.shanghai)
        let now = Self.utc("2026-11-23T04:42:00Z")  // 12:42 on the 23rd: the 22nd closed last
        // Given the 20th settled last / Then the 21st and 22nd are due
        #expect(schedule.daysToSettle(at: now, lastSettled: Self.day("2026-11-20"), activeSince: nil)
            == [Self.day("2026-11-21"), Self.day("2026-11-22")])
        // Given the 22nd settled / Then nothing is due until the 23rd closes
        #expect(schedule.daysToSettle(at: now, lastSettled: Self.day("2026-11-22"), activeSince: nil).isEmpty)
        #expect(schedule.daysToSettle(at: Self.utc("2026-11-23T15:55:00Z"), lastSettled: Self.day("2026-11-22"), activeSince: nil)
            == [Self.day("2026-11-23")])
        // Given nothing settled and the kiosk active since yesterday 09:00 / Then yesterday is due, never the days before
        #expect(schedule.daysToSettle(at: now, lastSettled: nil, activeSince: Self.utc("2026-11-22T01:00:00Z"))
            == [Self.day("2026-11-22")])
        // Given a new kiosk (active only today) or no activity at all / Then nothing is due
        #expect(schedule.daysToSettle(at: now, lastSettled: nil, activeSince: Self.utc("2026-11-23T01:00:00Z")).isEmpty)
        #expect(schedule.daysToSettle(at: now, lastSettled: nil, activeSince: nil).isEmpty)
        // Given a kiosk stopped for 100 days / Then only the limit's most recent days are due
        let many = schedule.daysToSettle(at: now, lastSettled: Self.day("2026-08-01"), activeSince: nil, limit: 31)
        #expect(many.count == 31 && many.first == Self.day("2026-10-23") && many.last == Self.day("2026-11-22"))
    }

    @Test("The report hash covers the ledger's facts of the period, not the receipt counts")
    func reportHash() throws {
        // Given a day with one payment, settled twice from the same records
        let signer = SwiftCryptoLedger.generate()
        let day = Self.day("2026-11-23")
        let period = SettlementSchedule(timeZone: Self.shanghai).period(of: day)
        let records = try LedgerChain(signer: signer).seal([
            .payment(recordedAt: Self.utc("2026-11-23T02:00:00Z"), itemID: "bill-water", channel: "wechat", amountFen: 12_345,
                     orderReference: "order-1", maskedAccount: "******0001"),
        ], terminal: "hall-1")
        let report = Settlement.report(day: day, period: period, timeZone: Self.shanghai, records: records, unprintedReceipts: 1)
        let reprinted = Settlement.report(day: day, period: period, timeZone: Self.shanghai, records: records, unprintedReceipts: 0)
        // Then the hash is the same, 64 hex digits, and the encoding names its version and the payment
        #expect(report.hash(with: signer) == reprinted.hash(with: signer))
        #expect(report.hash(with: signer).count == 64)
        let text = String(decoding: report.canonicalBytes, as: UTF8.self)
        #expect(text.hasPrefix("kioskd-settlement-v1\nday=2026-11-23\ntime_zone=Asia/Shanghai\nperiod_start=2026-11-22T15:55:00.000Z\n"))
        #expect(text.contains("\npayment=hall-1\t1\torder-1\tbill-water\twechat\t12345\n"))
        // And another amount is another hash
        var edited = records
        edited[0].amountFen = 12_346
        let other = Settlement.report(day: day, period: period, timeZone: Self.shanghai, records: edited)
        #expect(other.hash(with: signer) != report.hash(with: signer))
    }
}
