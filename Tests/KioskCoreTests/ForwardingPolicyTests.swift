import Foundation
import KioskCore
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(base: .milliseconds(500), cap: .seconds(60))

    @Test func waitsStayBetweenZeroAndTheDoublingCeilingUpToTheCap() {
        // Given the policy / When the attempts grow / Then the ceiling doubles until the cap
        #expect(policy.ceiling(afterAttempts: 1) == .milliseconds(500))
        #expect(policy.ceiling(afterAttempts: 2) == .seconds(1))
        #expect(policy.ceiling(afterAttempts: 8) == .seconds(60))
        #expect(policy.ceiling(afterAttempts: 1000) == .seconds(60))
        for attempts in 1...50 {
            for unit in [0.0, 0.25, 0.999_999] {
                let delay = policy.delay(afterAttempts: attempts, unit: unit)
                #expect(delay >= .zero && delay <= policy.ceiling(afterAttempts: attempts))
            }
        }
        #expect(policy.delay(afterAttempts: 3, unit: 0.5) == .seconds(1))
    }

    @Test func retryAfterIsALowerBound() {
        #expect(policy.delay(afterAttempts: 1, unit: 0.1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(afterAttempts: 10, unit: 0.5, retryAfter: .seconds(7)) == .seconds(30))
    }
}

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func readsDelaySeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        #expect(RetryAfter.parse("99999999999", now: now) == .seconds(86_400))
    }

    @Test func readsHTTPDatesInAllThreeForms() {
        let later = now.addingTimeInterval(90)
        let fixdate = RetryAfter.httpDate(later)
        #expect(RetryAfter.parse(fixdate, now: now) == .seconds(90))
        // RFC 850 and asctime forms of 1994-11-06 08:49:37 GMT, seen from one minute before.
        let then = Date(timeIntervalSince1970: 784_111_777)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: then.addingTimeInterval(-60)) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 1994", now: then.addingTimeInterval(-60)) == .seconds(60))
        // A date in the past means: now.
        #expect(RetryAfter.parse(RetryAfter.httpDate(now.addingTimeInterval(-5)), now: now) == .zero)
    }

    @Test("Delay-seconds are read whole, leading zeros and all (found by the retry-after fuzzer)")
    func readsLeadingZeros() {
        // Given delay-seconds written with leading zeros, which RFC 9110 allows
        // When they are read / Then they are their value, limited to a day (the first nine
        // characters alone read 000000000090000 as no wait at all)
        #expect(RetryAfter.parse("000000000090000", now: now) == .seconds(86_400))
        #expect(RetryAfter.parse("0090", now: now) == .seconds(90))
        #expect(RetryAfter.parse("0000000000000000000000120", now: now) == .seconds(120))
        #expect(RetryAfter.parse("000", now: now) == .zero)
    }

    @Test("A date with a combining mark or other non-ASCII text is no date, and never reaches the formatter (it trapped; found by the retry-after fuzzer)")
    func nonASCIIDatesAreIgnored() {
        // Given a Retry-After whose weekday carries a combining mark, as the fuzzer sent it
        let hostile = "S\u{34D}\u{34D}\u{34D}unday, 07-Jun-25 14:40:00 GMT"
        // When it is read / Then it is no wait at all, not a crash; a long ASCII value neither
        #expect(RetryAfter.parse(hostile, now: now) == nil)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT" + String(repeating: " x", count: 40), now: now) == nil)
        #expect(RetryAfter.parse("星期日, 06-Nov-94 08:49:37 GMT", now: now) == nil)
    }

    @Test func ignoresWhatItCannotRead() {
        #expect(RetryAfter.parse(nil, now: now) == nil)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
    }
}

@Suite struct CircuitBreakerTests {
    @Test func opensAfterTheThresholdThenLetsOneProbeThrough() {
        // Given a closed breaker with a threshold of 3
        let clock = TestInstant(offset: .zero)
        var breaker = CircuitBreaker<TestInstant>(threshold: 3, openFor: .seconds(10))
        // When three requests fail
        for _ in 0..<3 {
            #expect(allows(&breaker, clock))
            breaker.recordFailure(at: clock)
        }
        // Then nothing goes out until the open time has passed
        #expect(!allows(&breaker, clock.advanced(by: .seconds(9))))
        // And then exactly one probe
        #expect(allows(&breaker, clock.advanced(by: .seconds(10))))
        #expect(!allows(&breaker, clock.advanced(by: .seconds(10))))
        // A failed probe opens it again; a successful one closes it.
        breaker.recordFailure(at: clock.advanced(by: .seconds(10)))
        #expect(!allows(&breaker, clock.advanced(by: .seconds(19))))
        #expect(allows(&breaker, clock.advanced(by: .seconds(20))))
        breaker.recordSuccess()
        #expect(allows(&breaker, clock.advanced(by: .seconds(20))))
        #expect(!breaker.isOpen)
    }
}

private func allows(_ breaker: inout CircuitBreaker<TestInstant>, _ instant: TestInstant) -> Bool {
    breaker.allowsRequest(at: instant)
}

/// A bare instant for the breaker's tests.
struct TestInstant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (lhs: TestInstant, rhs: TestInstant) -> Bool { lhs.offset < rhs.offset }
}
