import Foundation
import KioskCore

/// A time source that moves only when a test advances it: wall and monotonic time move
/// together, and every sleeper whose deadline has come is woken, so timeouts, backoff and
/// deadlines are tested without waiting.
public final class TestClock: TimeSource, @unchecked Sendable {
    // @unchecked: every mutable field is read and written only while holding `lock`, and the
    // continuations are resumed outside it, each exactly once (removed from `sleepers` first).
    private struct Sleeper {
        var id: Int
        var deadline: MonotonicInstant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current = MonotonicInstant(offset: .zero)
    private let wallOrigin: Date
    private var sleepers: [Sleeper] = []
    private var nextID = 0
    /// Sleepers cancelled before they were stored: they must not be stored afterwards.
    private var cancelledEarly: Set<Int> = []

    /// A clock whose wall time starts at `wall` (by default 2026-11-23 04:42:00 UTC, which is
    /// 12:42 in Beijing).
    public init(wall: Date = Date(timeIntervalSince1970: 1_795_408_920)) {
        wallOrigin = wall
    }

    /// A time environment on this clock, in the hall zone `zone`.
    public func environment(zone: String = TimeEnvironment.defaultZoneIdentifier) -> TimeEnvironment {
        TimeEnvironment(source: self, timeZone: TimeZone(identifier: zone)!)
    }

    public var monotonicNow: MonotonicInstant { lock.withLock { current } }
    public var wallNow: Date { lock.withLock { wallOrigin.addingTimeInterval(current.offset.timeInterval) } }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    public func sleep(until deadline: MonotonicInstant) async throws {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = lock.withLock { () -> Bool in
                    if deadline <= current || cancelledEarly.remove(id) != nil { return true }
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = lock.withLock { () -> Sleeper? in
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else {
                    cancelledEarly.insert(id)
                    return nil
                }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by duration: Duration) {
        let due = lock.withLock { () -> [Sleeper] in
            current = current.advanced(by: duration)
            let ready = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return ready
        }
        due.forEach { $0.continuation.resume() }
    }

    /// Waits (in real time, at most `timeout`) until at least `count` tasks sleep on this
    /// clock: the services under test have reached their next wait, so advancing now is seen.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await ContinuousClock().sleep(for: .milliseconds(1))
        }
        return true
    }

    /// Advances in steps of `step`, letting the woken tasks run between steps (real I/O, such
    /// as a poll of CUPS, takes real time), until `done` is true or `limit` of test time has
    /// passed; returns whether `done` became true. For services whose deadlines mix with
    /// outside answers.
    @discardableResult
    public func drive(step: Duration, limit: Duration, until done: @Sendable () async -> Bool) async -> Bool {
        var driven = Duration.zero
        while driven < limit {
            if await done() { return true }
            await waitForSleepers(1, timeout: .seconds(2))
            try? await ContinuousClock().sleep(for: .milliseconds(2))
            advance(by: step)
            driven += step
        }
        return await done()
    }
}
