import Foundation
import KioskCore
import KioskStore
import Logging
import ServiceLifecycle
import Synchronization

/// Records every control call in the audit log. Entries are collected and written in one
/// transaction at most every `flushInterval` (and on shutdown), so a monitoring system
/// polling Status thousands of times costs one fsync per interval, not one per call.
///
/// The log stays bounded: each field is bounded by `AuditRecord`; refusals (an
/// `org.varlink.service` error: permission denied, unknown methods, wrong parameters) are
/// counted, one row per caller, error and minute with the first method and the count, so a
/// refused flood adds a row a minute; and rows older than `keepDays` are deleted at start
/// and once a day after, on the injected clock.
final class AuditTrail: Service, Sendable {
    private let database: KioskDatabase
    private let flushInterval: Duration
    /// Days a row is kept (`[audit] keep_days`).
    let keepDays: Int
    private let time: TimeEnvironment
    private let logger: Logger
    private let state = Mutex(State())

    /// How often old rows are deleted.
    static let pruneInterval: Duration = .seconds(86_400)

    private struct State {
        /// Appended to by every control call without leaving its thread; drained by `flush()`.
        var pending: [AuditRecord] = []
        /// This minute's refusals, by caller, error and minute (since 1970, UTC).
        var refusals: [RefusalKey: RefusalCount] = [:]
    }

    private struct RefusalKey: Hashable {
        var actor: String
        var outcome: String
        var minute: Int64
    }

    private struct RefusalCount {
        var first: Date
        var action: String
        var count: Int
    }

    init(database: KioskDatabase, flushInterval: Duration = .seconds(1), keepDays: Int = 180, time: TimeEnvironment, logger: Logger) {
        self.database = database
        self.time = time
        self.flushInterval = flushInterval
        self.keepDays = keepDays
        self.logger = logger
    }

    /// Whether an outcome is a refusal counted per minute rather than written per call.
    static func isRefusal(_ outcome: String) -> Bool {
        outcome.hasPrefix("org.varlink.service.")
    }

    /// Queues an entry; it is durable after the next flush. A refusal is counted in its
    /// caller's row of the minute, written at the first flush after the minute ended.
    func record(actor: String, action: String, outcome: String) {
        let now = time.wallNow
        guard Self.isRefusal(outcome) else {
            let entry = AuditRecord(at: now, actor: actor, action: action, outcome: outcome)
            state.withLock { $0.pending.append(entry) }
            return
        }
        let key = RefusalKey(actor: actor, outcome: outcome, minute: Self.minute(of: now))
        state.withLock { state in
            if state.refusals[key] != nil {
                state.refusals[key]!.count += 1
            } else {
                state.refusals[key] = RefusalCount(first: now, action: action, count: 1)
            }
        }
    }

    private static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }

    /// Afterwards every entry queued before the call is in the database, and the counted
    /// refusals of every minute that has ended (of every minute, with `everything`).
    func flush(everything: Bool = false) async {
        let current = Self.minute(of: time.wallNow)
        let batch = state.withLock { state in
            var batch = state.pending
            state.pending.removeAll()
            for (key, refusal) in state.refusals where everything || key.minute < current {
                batch.append(AuditRecord(
                    at: refusal.first, actor: key.actor, action: refusal.action, outcome: key.outcome, detail: "count=\(refusal.count)"
                ))
                state.refusals[key] = nil
            }
            return batch.sorted { $0.at < $1.at }
        }
        guard !batch.isEmpty else { return }
        do {
            try await database.appendAudit(batch)
        } catch {
            // Put them back in front so nothing is lost; the next flush tries again.
            state.withLock { $0.pending.insert(contentsOf: batch, at: 0) }
            logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
        }
    }

    /// Afterwards no row older than `keepDays` before now (wall clock) is left.
    func prune() async {
        let cutoff = time.wallNow.addingTimeInterval(-Double(keepDays) * 86_400)
        do {
            let deleted = try await database.pruneAudit(before: cutoff)
            if deleted > 0 {
                logger.info("old audit rows deleted", metadata: ["rows": "\(deleted)", "keep_days": "\(keepDays)"])
            }
        } catch {
            logger.error("cannot delete old audit rows", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var nextPrune = self.time.now
            while !Task.isCancelled {
                if self.time.now >= nextPrune {
                    await self.prune()
                    nextPrune = self.time.now.advanced(by: Self.pruneInterval)
                }
                try await self.time.sleep(for: self.flushInterval)
                await self.flush()
            }
        }
        await flush(everything: true)
        // The database refused the last batch too (a full disk): the entries are written
        // to the log instead, counted, so a technician still has them.
        let lost = state.withLock { $0.pending }
        guard !lost.isEmpty else { return }
        logger.error("audit entries could not be stored; written to this log instead", metadata: ["count": "\(lost.count)", "event": .string(LogMessageKind.auditLost.rawValue)])
        for entry in lost {
            logger.error("audit entry not stored", metadata: [
                "at": "\(time.format.timestamp(entry.at))", "actor": "\(entry.actor)", "action": "\(entry.action)",
                "outcome": "\(entry.outcome)", "detail": "\(entry.detail)",
            ])
        }
    }
}
