/// A point on the daemon's monotonic time line: how long after the time source started.
///
/// Deadlines (idle reset, backoff, breaker, printer no-progress) are measured on this line,
/// never on the wall clock, so setting the system clock or a leap of NTP moves none of them.
public struct MonotonicInstant: InstantProtocol, Sendable, Hashable {
    /// Time since the source's origin.
    public var offset: Duration

    public init(offset: Duration) {
        self.offset = offset
    }

    public func advanced(by duration: Duration) -> MonotonicInstant {
        MonotonicInstant(offset: offset + duration)
    }

    public func duration(to other: MonotonicInstant) -> Duration {
        other.offset - offset
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.offset < rhs.offset
    }
}
