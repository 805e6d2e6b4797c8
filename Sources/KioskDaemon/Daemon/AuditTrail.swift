import Foundation
import KioskStore
import Logging
import ServiceLifecycle

/// Records every control call in the audit log. Entries are collected and written in one
/// transaction at most every `flushInterval` (and on shutdown), so a monitoring system
/// polling Status thousands of times costs one fsync per interval, not one per call.
actor AuditTrail: Service {
    private let database: KioskDatabase
    private let flushInterval: Duration
    private let logger: Logger
    private var pending: [AuditRecord] = []

    init(database: KioskDatabase, flushInterval: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.flushInterval = flushInterval
        self.logger = logger
    }

    /// Queues an entry; it is durable after the next flush.
    func record(actor: String, action: String, outcome: String) {
        pending.append(AuditRecord(at: Date(), actor: actor, action: action, outcome: outcome))
    }

    /// Afterwards every entry queued before the call is in the database.
    func flush() async {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll()
        do {
            try await database.appendAudit(batch)
        } catch {
            // Put them back in front so nothing is lost; the next flush tries again.
            pending.insert(contentsOf: batch, at: 0)
            logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.flushInterval)
                await self.flush()
            }
        }
        await flush()
    }
}
