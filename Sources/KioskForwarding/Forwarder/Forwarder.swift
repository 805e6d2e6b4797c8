import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Synchronization

/// Drains the outbox to the central service: every application and rating reaches it
/// exactly once, whatever the network does.
///
/// Exactly once rests on two things: the entry's UUID is the Idempotency-Key on every try
/// (the service answers a repeat with the original result, forever), and an entry is
/// marked delivered only after the service's answer arrived; a crash between the two
/// only causes a repeat, which the key makes harmless. Failed tries wait with full-jitter
/// exponential backoff, never less than Retry-After; refusals (422, other 4xx) and
/// entries older than the age limit become dead letters, kept for technicians. A circuit
/// breaker stops the tries while the service is down and probes it with one request.
public final class Forwarder: Service, Sendable {
    public struct Configuration: Sendable {
        public var retry: RetryPolicy
        /// Entries older than this (from when they were queued) become dead letters.
        public var maxAge: Duration
        /// Entries read per transaction.
        public var batchSize: Int
        /// Requests in flight at once.
        public var parallelism: Int
        public var breakerThreshold: Int
        public var breakerOpenFor: Duration
        /// The longest sleep with nothing due, in case a wakeup was missed.
        public var idlePoll: Duration

        public init(
            retry: RetryPolicy = RetryPolicy(base: .seconds(1), cap: .seconds(300)), maxAge: Duration = .seconds(30 * 86_400),
            batchSize: Int = 256, parallelism: Int = 16, breakerThreshold: Int = 5, breakerOpenFor: Duration = .seconds(10),
            idlePoll: Duration = .seconds(5)
        ) {
            self.retry = retry
            self.maxAge = maxAge
            self.batchSize = batchSize
            self.parallelism = parallelism
            self.breakerThreshold = breakerThreshold
            self.breakerOpenFor = breakerOpenFor
            self.idlePoll = idlePoll
        }
    }

    private let configuration: Configuration
    private let store: any OutboxStore
    private let client: CentralServiceClient
    private let time: TimeEnvironment
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let doorbell = Doorbell()
    private let breaker: Mutex<CircuitBreaker<MonotonicInstant>>

    public init(
        configuration: Configuration, store: any OutboxStore, client: CentralServiceClient, time: TimeEnvironment,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.client = client
        self.time = time
        self.random = random
        self.logger = logger
        breaker = Mutex(CircuitBreaker(threshold: configuration.breakerThreshold, openFor: configuration.breakerOpenFor))
    }

    /// Something new is in the outbox, or a technician asked to retry now.
    public func nudge() {
        doorbell.ring()
    }

    /// True while the breaker keeps requests back.
    public var isHoldingBack: Bool {
        breaker.withLock { $0.isOpen }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let wait = await self.drainOnce()
                if let wait { await self.doorbell.wait(for: wait, on: self.time) }
            }
        }
    }

    /// Sends what is due (one batch); returns how long to wait before the next round, or
    /// nil to go on at once.
    func drainOnce() async -> Duration? {
        let now = time.now
        let (allowed, probing) = breaker.withLock { breaker -> (Bool, Bool) in
            let allowed = breaker.allowsRequest(at: now)
            if case .halfOpen = breaker.state { return (allowed, true) }
            return (allowed, false)
        }
        guard allowed else { return breakerWait(at: now) }
        let entries: [OutboxEntry]
        do {
            entries = try await store.dueEntries(at: time.wallNow, limit: probing ? 1 : configuration.batchSize)
        } catch {
            logger.error("outbox unreadable", metadata: ["error": "\(error)"])
            if probing { breaker.withLock { $0.recordSuccess() } }
            return configuration.idlePoll
        }
        guard !entries.isEmpty else {
            // Nothing to probe with: the breaker opens again, to probe when something is due.
            if probing { breaker.withLock { $0.recordFailure(at: now) } }
            return await untilNextDue()
        }
        let outcomes = await deliver(entries)
        do {
            try await store.record(outcomes)
        } catch {
            // Not recorded: the entries stay pending and are sent again; the key makes the
            // repeat harmless.
            logger.error("outbox outcome not recorded", metadata: ["error": "\(error)"])
            return configuration.idlePoll
        }
        return nil
    }

    private func deliver(_ entries: [OutboxEntry]) async -> [OutboxOutcome] {
        await withTaskGroup(of: OutboxOutcome?.self) { group in
            var outcomes: [OutboxOutcome] = []
            var iterator = entries.makeIterator()
            var running = 0
            while running < configuration.parallelism, let entry = iterator.next() {
                group.addTask { await self.deliver(entry) }
                running += 1
            }
            while let outcome = await group.next() {
                if let outcome { outcomes.append(outcome) }
                if let entry = iterator.next() {
                    group.addTask { await self.deliver(entry) }
                }
            }
            return outcomes
        }
    }

    /// One try for one entry; nil when the breaker opened meanwhile and it was not sent.
    private func deliver(_ entry: OutboxEntry) async -> OutboxOutcome? {
        let wallNow = time.wallNow
        let attempts = entry.attempts + 1
        let age = wallNow.timeIntervalSince(entry.createdAt)
        if age > Double(configuration.maxAge.components.seconds) {
            logger.warning("outbox entry expired", metadata: ["entry": "\(entry.id)", "kind": "\(entry.payload.kind)", "event": .string(LogMessageKind.deadLetter.rawValue)])
            return .dead(id: entry.id, attempts: entry.attempts, reason: "expired: queued \(Int(age / 86_400)) days ago")
        }
        guard breaker.withLock({ !$0.isOpen || $0.state == .halfOpen }) else { return nil }
        let result: CentralServiceClient.Delivery
        switch entry.payload {
        case .application(let application): result = await client.submit(application, now: wallNow)
        case .rating(let rating): result = await client.submit(rating, now: wallNow)
        case .payment(let report): result = await client.report(report, now: wallNow)
        }
        switch result {
        case .delivered(let receipt):
            breaker.withLock { $0.recordSuccess() }
            return .delivered(id: entry.id, receipt: receipt, at: time.wallNow)
        case .refused(let reason):
            breaker.withLock { $0.recordSuccess() }
            logger.warning("outbox entry refused", metadata: ["entry": "\(entry.id)", "reason": "\(reason)", "event": .string(LogMessageKind.deadLetter.rawValue)])
            return .dead(id: entry.id, attempts: attempts, reason: reason)
        case .retry(let reason, let retryAfter, let outage):
            let now = time.now
            breaker.withLock { outage ? $0.recordFailure(at: now) : $0.recordSuccess() }
            let delay = configuration.retry.delay(afterAttempts: attempts, unit: random(), retryAfter: retryAfter)
            let next = time.wallDate(after: delay)
            return .retry(id: entry.id, attempts: attempts, nextAttemptAt: next, reason: reason)
        }
    }

    private func breakerWait(at now: MonotonicInstant) -> Duration {
        breaker.withLock { breaker in
            if case .open(let until) = breaker.state { return max(now.duration(to: until), .milliseconds(1)) }
            return configuration.idlePoll
        }
    }

    private func untilNextDue() async -> Duration {
        guard let due = try? await store.nextDueDate() else { return configuration.idlePoll }
        let seconds = due.timeIntervalSince(time.wallNow)
        guard seconds > 0 else { return .milliseconds(1) }
        return min(.milliseconds(Int64(seconds * 1000) + 1), configuration.idlePoll)
    }
}
