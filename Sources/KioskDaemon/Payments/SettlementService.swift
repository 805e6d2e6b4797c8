import Foundation
import KioskCore
import KioskForwarding
import KioskStore
import Logging
import ServiceLifecycle
import Synchronization

/// The daily settlement (日结): when a day's books close (`[payments] settlement_time` in
/// the hall's zone) the day is settled from the ledger, its slip printed on the receipt
/// printer, and the settlement forwarded to the centre, whose answer (matched, or a
/// mismatch with its differences) is kept for technicians. A day without payments
/// settles as a zero report.
///
/// Everything it does is written first: a day is stored before it is printed or
/// forwarded, so a crash or the centre being away only delays what follows. At start it
/// settles the days that closed while kioskd was stopped, prints the slips never sent and
/// forwards what waits, retrying with full-jitter backoff until the centre answers. It
/// sleeps on the injected clock until the next closing or the next retry, whichever
/// comes first.
final class SettlementService: Service, Sendable {
    private let database: KioskDatabase
    private let client: CentralServiceClient
    private let printer: (any SlipPrinter)?
    let schedule: SettlementSchedule
    private let crypto: any LedgerCrypto
    private let terminals: [String]
    private let retry: RetryPolicy
    private let time: TimeEnvironment
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let doorbell = Doorbell()
    /// When `run` started (wall clock): a day closed before it was missed while stopped.
    private let startedAt = Mutex<Date?>(nil)

    /// The longest sleep: a wall clock set meanwhile is noticed within it.
    static let longestSleep: Duration = .seconds(3600)
    /// How many closed days back a start settles at most.
    static let catchUpLimit = 31
    /// The least wait after the store failed to record something.
    static let afterStoreFailure: Duration = .seconds(5)

    init(
        database: KioskDatabase, client: CentralServiceClient, printer: (any SlipPrinter)?, schedule: SettlementSchedule,
        crypto: any LedgerCrypto, terminals: [String], retry: RetryPolicy, time: TimeEnvironment,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger
    ) {
        self.database = database
        self.client = client
        self.printer = printer
        self.schedule = schedule
        self.crypto = crypto
        self.terminals = terminals
        self.retry = retry
        self.time = time
        self.random = random
        self.logger = logger
    }

    func run() async throws {
        startedAt.withLock { $0 = time.wallNow }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Nil: a day closed while the round ran; the next round settles it at once.
                if let deadline = await self.round() { await self.doorbell.wait(until: deadline, on: self.time) }
            }
        }
    }

    /// Settles every closed day not settled yet, prints the slips never sent, forwards
    /// what is due; returns when to wake for the next closing or retry (on the monotonic
    /// line, fixed as it is decided), or nil when a day closed while the round ran (the
    /// next round begins at once).
    func round() async -> MonotonicInstant? {
        let closing = schedule.nextClosing(after: time.wallNow).at
        let settled = await settleClosedDays()
        await printUnsent()
        let forwarded = await forwardDue()
        let due = try? await database.nextSettlementForwardDate()
        let wallNow = time.wallNow, now = time.now
        guard closing > wallNow else { return nil }
        var wait = Self.wait(from: wallNow, until: min(closing, due ?? closing))
        // The store failed: try again a little later, not in a tight loop.
        if !(settled && forwarded) { wait = max(wait, Self.afterStoreFailure) }
        return now.advanced(by: wait)
    }

    // MARK: Settling

    /// Why a day cannot be settled now.
    struct NotClosed: Error, CustomStringConvertible {
        let day: CalendarDate
        let closesAt: Date
        var description: String { "the books of \(day) close at \(closesAt)" }
    }

    /// Settles `day` (once; a settled day is returned as it is) and, when this call
    /// settled it, prints its slip and wakes the forwarding; `printed` is what printing
    /// answered then. Throws `NotClosed` for a day whose books are still open.
    @discardableResult
    func settle(_ day: CalendarDate, by trigger: String) async throws -> (record: SettlementRecord, printed: PrintOutcome?) {
        let closesAt = schedule.closing(of: day)
        guard closesAt <= time.wallNow else { throw NotClosed(day: day, closesAt: closesAt) }
        let crypto = self.crypto
        let settled = try await database.settle(
            day: day, period: schedule.period(of: day), timeZone: schedule.timeZone, settledBy: trigger, at: time.wallNow,
            hash: { $0.hash(with: crypto) }
        )
        guard settled.created else { return (settled.record, nil) }
        logger.notice("day settled", metadata: [
            "day": "\(day)", "payments": "\(settled.record.paymentCount)", "fen": "\(settled.record.paymentFen)",
            "reversals": "\(settled.record.reversalCount)", "hash": "\(settled.record.reportHash.prefix(16))", "by": "\(trigger)",
        ])
        let printed = await printSlip(settled.record)
        doorbell.ring()
        return (settled.record, printed)
    }

    /// Settles the closed days since the last settled one (or since the kiosk's first
    /// activity, at most `catchUpLimit` back); false when the store failed.
    private func settleClosedDays() async -> Bool {
        let now = time.wallNow
        let started = startedAt.withLock { $0 } ?? now
        do {
            let lastSettled = try await database.lastSettledDay()
            // Only asked until the first day is settled: it reads the whole ledger's first time.
            let firstActivity = lastSettled == nil ? try await database.firstActivity() : nil
            let activeSince = [firstActivity, started].compactMap { $0 }.min()
            let days = schedule.daysToSettle(at: now, lastSettled: lastSettled, activeSince: activeSince, limit: Self.catchUpLimit)
            for day in days {
                try await settle(day, by: schedule.closing(of: day) < started ? "start" : "schedule")
            }
            return true
        } catch {
            logger.error("settlement not stored; tried again", metadata: ["error": "\(error)"])
            return false
        }
    }

    // MARK: Printing

    /// Prints `record`'s slip on the receipt printer and records the job; returns what
    /// printing answered, nil when the daemon drives no printer.
    @discardableResult
    func printSlip(_ record: SettlementRecord) async -> PrintOutcome? {
        guard let printer else { return nil }
        let report: SettlementReport
        do {
            report = try record.settlementReport()
        } catch {
            logger.error("settlement report unreadable; slip not printed", metadata: ["day": "\(record.day)", "error": "\(error)"])
            return PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "report-unreadable")
        }
        let slip = DailySettlement(report: report, reportHash: record.reportHash, terminals: terminals)
        let outcome = await printer.print(.dailySettlement(slip))
        guard !outcome.number.isEmpty, let day = CalendarDate(parsing: record.day) else { return outcome }
        do {
            try await database.setSettlementPrint(day: day, number: outcome.number, result: outcome.result.rawValue)
        } catch {
            logger.error("settlement slip's print job not recorded", metadata: ["day": "\(record.day)", "error": "\(error)"])
        }
        return outcome
    }

    /// Prints the slips of settled days never sent to a printer (a crash came between).
    private func printUnsent() async {
        guard printer != nil, let unsent = try? await database.settlementsToPrint() else { return }
        for record in unsent { await printSlip(record) }
    }

    // MARK: Forwarding

    /// Forwards every settlement due now, oldest first; stops at the first try the centre
    /// does not answer (the others are tried in the next round). False when the store
    /// failed.
    private func forwardDue() async -> Bool {
        guard let due = try? await database.settlementsToForward(at: time.wallNow) else { return false }
        for record in due {
            guard let day = CalendarDate(parsing: record.day) else { continue }
            let attempts = record.forwardAttempts + 1
            guard let report = try? record.settlementReport() else {
                // Never sendable: kept for technicians instead of being tried forever.
                try? await database.recordSettlementRefusal(day: day, attempts: record.forwardAttempts, reason: "stored report unreadable")
                continue
            }
            let delivery = await client.settle(report, reportHash: record.reportHash, now: time.wallNow)
            do {
                switch delivery {
                case .answered(let answer):
                    try await database.recordSettlementAnswer(day: day, answer: answer, attempts: attempts, at: time.wallNow)
                    if answer.result == .mismatch {
                        logger.warning("settlement mismatch at the centre", metadata: [
                            "day": "\(day)", "items": "\(answer.differences.map(\.itemID))", "orders": "\(answer.orders.count)",
                            "event": .string(LogMessageKind.settlementMismatch.rawValue),
                        ])
                    } else {
                        logger.notice("settlement matched at the centre", metadata: ["day": "\(day)"])
                    }
                case .refused(let reason):
                    try await database.recordSettlementRefusal(day: day, attempts: attempts, reason: reason)
                    logger.error("settlement refused by the centre", metadata: ["day": "\(day)", "reason": "\(reason)"])
                case .retry(let reason, let retryAfter, let outage):
                    let delay = retry.delay(afterAttempts: attempts, unit: random(), retryAfter: retryAfter)
                    try await database.recordSettlementRetry(
                        day: day, attempts: attempts, next: time.wallDate(after: delay), reason: reason
                    )
                    if outage { return true }
                }
            } catch {
                logger.error("settlement forwarding not recorded", metadata: ["day": "\(day)", "error": "\(error)"])
                return false
            }
        }
        return true
    }

    /// From `now` until `next` on the wall clock, at most `longestSleep`, nothing when it
    /// has passed.
    static func wait(from now: Date, until next: Date) -> Duration {
        let seconds = next.timeIntervalSince(now)
        guard seconds > 0 else { return .zero }
        return min(.milliseconds(Int64((seconds * 1000).rounded(.up))), longestSleep)
    }
}
