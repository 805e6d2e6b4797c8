import Foundation
import KioskCore
import Logging
import ServiceLifecycle

/// Pulls status changes of the kiosk's cases from the central service by cursor, so a
/// citizen's "where is my case" has an answer even when the service is down: the last
/// known status and when it changed.
public final class StatusSync: Service, Sendable {
    private let store: any OutboxStore
    private let client: CentralServiceClient
    private let interval: Duration
    private let time: TimeEnvironment
    private let logger: Logger
    private let doorbell = Doorbell()

    public init(store: any OutboxStore, client: CentralServiceClient, interval: Duration, time: TimeEnvironment, logger: Logger) {
        self.store = store
        self.client = client
        self.interval = interval
        self.time = time
        self.logger = logger
    }

    /// Pull now instead of at the next interval.
    public func nudge() { doorbell.ring() }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pull()
                await self.doorbell.wait(for: self.interval, on: self.time)
            }
        }
    }

    /// Applies every change after the stored cursor; returns how many were applied.
    @discardableResult
    public func pull() async -> Int {
        var applied = 0
        while !Task.isCancelled {
            guard let cursor = try? await store.statusCursor(),
                  let (changes, next) = await client.statusChanges(after: cursor)
            else { break }
            guard !changes.isEmpty || next != cursor else { break }
            do {
                try await store.apply(changes, cursor: next)
            } catch {
                logger.error("status changes not stored", metadata: ["error": "\(error)"])
                break
            }
            applied += changes.count
            if changes.count < 200 { break }
        }
        return applied
    }
}
