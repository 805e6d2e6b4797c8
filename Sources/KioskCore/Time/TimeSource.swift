import Foundation

/// Where the daemon's time comes from: the system's clocks in production, a clock that moves
/// only when told in tests.
///
/// Wall-clock time is what is stored and shown (as UTC in the database, in the hall's zone on
/// screens and paper); monotonic time is what deadlines are measured on.
public protocol TimeSource: Sendable {
    /// Now on the wall clock.
    var wallNow: Date { get }
    /// Now on the monotonic time line.
    var monotonicNow: MonotonicInstant { get }
    /// Returns at `deadline` on the monotonic line, or throws `CancellationError` when the
    /// task is cancelled before.
    func sleep(until deadline: MonotonicInstant) async throws
}

/// The system's clocks: `Date` for the wall, `ContinuousClock` (which keeps counting while the
/// machine is suspended) for the monotonic line.
///
/// This is the one place in the daemon that reads the system's clocks.
public struct SystemTimeSource: TimeSource {
    private let origin: ContinuousClock.Instant

    public init() {
        origin = ContinuousClock.now
    }

    public var wallNow: Date { Date() }

    public var monotonicNow: MonotonicInstant {
        MonotonicInstant(offset: origin.duration(to: ContinuousClock.now))
    }

    public func sleep(until deadline: MonotonicInstant) async throws {
        try await ContinuousClock().sleep(until: origin.advanced(by: deadline.offset), tolerance: nil)
    }
}
