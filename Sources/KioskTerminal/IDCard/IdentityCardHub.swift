import Foundation
import KioskCore
import Synchronization

/// Hands the cards the readers read to the sessions of their terminals. A card read while
/// no session of that terminal listens is dropped: it is never kept for the next person.
/// Alone it is an identity port that knows only cards; the daemon joins it with the
/// centre's one-time codes.
public final class IdentityCardHub: IdentityPort {
    private let listeners = Mutex<[String: [UUID: AsyncStream<CardIdentity>.Continuation]]>([:])

    public init() {}

    public func cards(for terminal: String) -> AsyncStream<CardIdentity> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: CardIdentity.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            self?.listeners.withLock { $0[terminal]?[id] = nil }
        }
        listeners.withLock { $0[terminal, default: [:]][id] = continuation }
        return stream
    }

    /// Delivers `identity` to whoever listens for `terminal` now.
    public func publish(_ identity: CardIdentity, to terminal: String) {
        let targets = listeners.withLock { Array(($0[terminal] ?? [:]).values) }
        for continuation in targets { continuation.yield(identity) }
    }
}
