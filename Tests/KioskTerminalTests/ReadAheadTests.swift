import Synchronization
import Testing

@testable import KioskTerminal

@Suite("Read-ahead of a terminal's reader", .timeLimit(.minutes(1)))
struct ReadAheadTests {
    @Test("The reader takes as many reads as the limit at once, then waits until the session takes one in")
    func waitsAtTheLimit() async throws {
        // Given a read-ahead of two with both slots taken
        let readAhead = ReadAhead(limit: 2)
        await readAhead.acquire()
        await readAhead.acquire()
        // When the reader asks for a third
        let passed = Flag()
        let reader = Task {
            await readAhead.acquire()
            passed.set()
        }
        // Then it waits while the session takes nothing in (yields, not time: it cannot pass
        // without a release, however long this runs)
        for _ in 0..<200 { await Task.yield() }
        let passedEarly = passed.isSet
        #expect(!passedEarly)
        // When the session takes one read in
        readAhead.release()
        // Then the reader goes on
        await reader.value
        let passedAfter = passed.isSet
        #expect(passedAfter)
    }

    @Test("Slots given back while nobody waits are kept for later reads, up to what was taken")
    func releasesAreKept() async {
        // Given a read-ahead of one, taken and given back twice over
        let readAhead = ReadAhead(limit: 1)
        await readAhead.acquire()
        readAhead.release()
        await readAhead.acquire()
        readAhead.release()
        // When the reader takes one again, it does not wait
        await readAhead.acquire()
        // Then a second one waits until released
        let second = Task { await readAhead.acquire() }
        readAhead.release()
        await second.value
    }

    @Test("A waiting reader whose task is cancelled returns at once, before and while it waits")
    func cancellationEndsTheWait() async {
        // Given a read-ahead with its slot taken
        let readAhead = ReadAhead(limit: 1)
        await readAhead.acquire()
        // When a reader waits and its task is cancelled
        let waiting = Task { await readAhead.acquire() }
        for _ in 0..<50 { await Task.yield() }
        waiting.cancel()
        // Then it returns (the test would hang otherwise)
        await waiting.value
        // And a reader cancelled before it asks does not wait either
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await readAhead.acquire()
        }
        await early.value
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
