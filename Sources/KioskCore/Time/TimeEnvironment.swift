import Foundation

/// The daemon's one idea of time: the wall clock, the monotonic clock and the hall's time zone.
///
/// Created once by the composition root and handed to every service; nothing else reads
/// `Date()`, `TimeZone.current` or sleeps on its own, so the tests drive every timeout with a
/// test source and every screen, slip and export shows the same local time. Stored times stay
/// UTC; only what people read is in the hall's zone.
///
/// It is a `Clock` on the monotonic line, so a service sleeps with `time.sleep(for:)` or
/// `time.sleep(until:)` and measures with `time.now`.
public struct TimeEnvironment: Clock, Sendable {
    public typealias Instant = MonotonicInstant

    public let source: any TimeSource
    /// The hall's time zone (`[daemon] time_zone`).
    public let timeZone: TimeZone
    /// The Gregorian calendar in the hall's zone.
    public let calendar: Calendar

    /// The zone a hall uses when its configuration names none.
    public static let defaultZoneIdentifier = "Asia/Shanghai"

    public init(source: any TimeSource = SystemTimeSource(), timeZone: TimeZone) {
        self.source = source
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The system's clocks in the default hall zone.
    public static var system: TimeEnvironment {
        TimeEnvironment(timeZone: TimeZone(identifier: defaultZoneIdentifier)!)
    }

    // MARK: Clock

    public var now: MonotonicInstant { source.monotonicNow }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: MonotonicInstant, tolerance: Duration? = nil) async throws {
        try await source.sleep(until: deadline)
    }

    // MARK: Wall clock

    /// Now on the wall clock, for what is stored and shown.
    public var wallNow: Date { source.wallNow }

    /// The hall's date now.
    public var today: CalendarDate { CalendarDate.of(wallNow, in: timeZone) }

    /// The wall-clock moment `duration` from now (for a retry time stored in the database).
    public func wallDate(after duration: Duration) -> Date {
        wallNow.addingTimeInterval(duration.timeInterval)
    }

}

extension Duration {
    /// The duration in seconds, as Foundation's `TimeInterval`.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
