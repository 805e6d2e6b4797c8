import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Synchronization

/// Sends the kiosk's heartbeat to the centre at start and then every `interval`, on the
/// injected clock. A heartbeat that fails is not retried sooner: the next interval sends a
/// fresh one, so a centre that is down costs one request per interval and never holds up
/// the forwarder, the status sync or a citizen's query (each request is its own, with a
/// timeout shorter than the interval, on a connection of its own in the shared pool).
///
/// Failures are logged when the outcome changes (the first failure, the recovery), in
/// words without personal data; `last` tells Status how the latest one went.
public final class HeartbeatService: Service, Sendable {
    /// How the latest heartbeat went.
    public struct Last: Sendable, Hashable {
        /// When it was sent (wall clock).
        public var sentAt: Date
        /// True when the centre took it.
        public var accepted: Bool
        /// "accepted", or why not ("503 unavailable", "unreachable").
        public var outcome: String
    }

    private let client: CentralServiceClient
    private let interval: Duration
    private let time: TimeEnvironment
    private let logger: Logger
    /// Builds the heartbeat to send at the given wall-clock time.
    private let heartbeat: @Sendable (Date) async -> Heartbeat
    /// Told how each heartbeat went (Status keeps the latest).
    private let onOutcome: @Sendable (Last) -> Void
    /// Written by the loop, read by every Status call: a lock, not an actor hop.
    private let latest = Mutex<Last?>(nil)

    public init(
        client: CentralServiceClient, interval: Duration, time: TimeEnvironment, logger: Logger,
        onOutcome: @escaping @Sendable (Last) -> Void = { _ in }, heartbeat: @escaping @Sendable (Date) async -> Heartbeat
    ) {
        self.onOutcome = onOutcome
        self.client = client
        self.interval = interval
        self.time = time
        self.logger = logger
        self.heartbeat = heartbeat
    }

    /// The latest heartbeat's time and outcome; nil before the first.
    public var last: Last? { latest.withLock { $0 } }

    public func run() async throws {
        // Ends quietly at shutdown: the cancelled sleep is the normal way out.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.beat()
                try await self.time.sleep(for: self.interval)
            }
        }
    }

    /// Builds and sends one heartbeat; afterwards `last` says how it went.
    @discardableResult
    public func beat() async -> Last {
        let sentAt = time.wallNow
        let result = await client.sendHeartbeat(await heartbeat(sentAt))
        let now: Last
        switch result {
        case .accepted:
            now = Last(sentAt: sentAt, accepted: true, outcome: "accepted")
        case .failed(let reason):
            now = Last(sentAt: sentAt, accepted: false, outcome: reason)
        }
        let before = latest.withLock { value in
            defer { value = now }
            return value
        }
        onOutcome(now)
        if now.accepted, before.map({ !$0.accepted }) ?? true {
            logger.notice("heartbeat accepted by the central service", metadata: ["interval_s": "\(interval.components.seconds)"])
        } else if !now.accepted, before?.outcome != now.outcome {
            logger.warning(
                "heartbeat not accepted; the next is sent in \(interval.components.seconds) s",
                metadata: ["reason": .string(now.outcome)]
            )
        } else if !now.accepted {
            logger.debug("heartbeat not accepted", metadata: ["reason": .string(now.outcome)])
        }
        return now
    }
}
