import Foundation
import KioskCore
import KioskStore
import Logging
import ServiceLifecycle
import Synchronization

/// Records every control call in the audit log. Entries are collected and written in one
/// transaction at most every `flushInterval` (and on shutdown), so a monitoring system
/// polling Status thousands of times costs one fsync per interval, not one per call.
final class AuditTrail: Service, Sendable {
    private let database: KioskDatabase
    private let flushInterval: Duration
    private let time: TimeEnvironment
    private let logger: Logger
    /// Appended to by every control call without leaving its thread; drained by `flush()`.
    private let pending = Mutex<[AuditRecord]>([])

    init(database: KioskDatabase, flushInterval: Duration = .seconds(1), time: TimeEnvironment, logger: Logger) {
        self.database = database
        self.time = time
        self.flushInterval = flushInterval
        self.logger = logger
    }

    /// Queues an entry; it is durable after the next flush.
    func record(actor: String, action: String, outcome: String) {
        let entry = AuditRecord(at: time.wallNow, actor: actor, action: action, outcome: outcome)
        pending.withLock { $0.append(entry) }
    }

    /// Afterwards every entry queued before the call is in the database.
    func flush() async {
        let batch = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await database.appendAudit(batch)
        } catch {
            // Put them back in front so nothing is lost; the next flush tries again.
            pending.withLock { $0.insert(contentsOf: batch, at: 0) }
            logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.time.sleep(for: self.flushInterval)
                await self.flush()
            }
        }
        await flush()
    }
}
