import Synchronization

/// Tells every subscribed session that something its screens depend on changed (the central
/// service's reachability, a printer's state, the catalog), so sessions redraw when it
/// happens instead of polling for it.
///
/// Signals coalesce: a subscriber that has not looked yet sees one change, however many
/// happened; it then reads the current values itself.
public final class ChangeSignal: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Something changed: every subscriber's stream yields (once, if it has not read yet).
    public func signal() {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield() }
    }

    /// A stream that yields after each change until the reading task is cancelled.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}
