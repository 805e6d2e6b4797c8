import Foundation
import GRDB
import KioskCore

/// The reads behind the technicians' payment methods: one hall day's payments and ledger
/// records. A payment belongs to the day of its ledger record's time (as in the
/// settlement), whatever time the centre gave for it.
extension KioskDatabase {
    /// Paid orders, newest payment first, at most `limit`: those whose ledger record was
    /// recorded in `interval` (every paid order when nil), and only those whose receipt did
    /// not print when `unprinted`.
    public func paidOrders(recordedIn interval: Range<Date>?, unprinted: Bool = false, limit: Int = 500) async throws
        -> [PaymentOrderRecord]
    {
        guard let interval else { return try await paidOrders(unprinted: unprinted, limit: limit) }
        return try await readAsync { db in
            try PaymentOrderRecord.fetchAll(
                db,
                sql: """
                    SELECT paymentOrder.* FROM paymentOrder
                    JOIN ledgerRecord ON ledgerRecord.terminal = paymentOrder.terminal
                        AND ledgerRecord.sequence = paymentOrder.ledgerSequence
                    WHERE paymentOrder.state = ? AND ledgerRecord.recordedAtMilliseconds >= ?
                        AND ledgerRecord.recordedAtMilliseconds < ? AND (? = 0 OR paymentOrder.receiptPrinted = 0)
                    ORDER BY paymentOrder.paidAt DESC, paymentOrder.terminal, paymentOrder.ledgerSequence DESC
                    LIMIT ?
                    """,
                arguments: [
                    PaymentOrderRecord.State.paid.rawValue, LedgerTime.milliseconds(of: interval.lowerBound),
                    LedgerTime.milliseconds(of: interval.upperBound), unprinted, limit,
                ]
            )
        }
    }

    /// What `LedgerVerifier` needs to verify from `sequence` on, read in one transaction so
    /// that a payment recorded meanwhile cannot look like a cut-off tail: every record of
    /// every terminal from `sequence - 1` (the anchor of the link) on, by terminal and
    /// sequence, and each terminal's head as recorded with its last append.
    public func ledgerForVerification(from sequence: Int64) async throws -> (records: [LedgerRecord], heads: [String: LedgerHead]) {
        try await readAsync { db in
            let records = try LedgerRecord.filter(Column("sequence") >= max(sequence - 1, 1))
                .order(Column("terminal"), Column("sequence")).fetchAll(db)
            var heads: [String: LedgerHead] = [:]
            for row in try LedgerHeadRecord.fetchAll(db) { heads[row.terminal] = LedgerHead(sequence: row.sequence, hash: row.hash) }
            return (records, heads)
        }
    }

    /// Every ledger record, of every terminal, recorded in `interval`, by terminal and
    /// sequence.
    public func ledgerRecords(recordedIn interval: Range<Date>) async throws -> [LedgerRecord] {
        try await readAsync { db in
            try LedgerRecord
                .filter(Column("recordedAtMilliseconds") >= LedgerTime.milliseconds(of: interval.lowerBound))
                .filter(Column("recordedAtMilliseconds") < LedgerTime.milliseconds(of: interval.upperBound))
                .order(Column("terminal"), Column("sequence"))
                .fetchAll(db)
        }
    }

    /// What the settlement of `interval` needs, read in one transaction: its ledger records
    /// (by terminal and sequence) and, of its payments, how many receipts did not print and
    /// how many were confirmed after their session had ended.
    public func settlementInputs(recordedIn interval: Range<Date>) async throws
        -> (records: [LedgerRecord], unprintedReceipts: Int, paidAfterSession: Int)
    {
        try await readAsync { db in try Self.settlementInputs(db, recordedIn: interval) }
    }
}

/// The settled days: each day is settled once, from the ledger as it stands, and then only
/// its printing and forwarding move on.
extension KioskDatabase {
    /// What `settle` did.
    public struct Settled: Sendable {
        public var record: SettlementRecord
        /// False when the day had been settled before (by the schedule, at start, or by a
        /// technician): `record` is that settlement, unchanged.
        public var created: Bool
    }

    /// Settles `day`, once. In one transaction: when the day is settled already, its
    /// record is returned as it is; otherwise its period runs from the previous day's
    /// stored end (or `period.lowerBound` when that day was not settled) to
    /// `period.upperBound`, the report is made from the ledger records and paid orders of
    /// that period, hashed by `hash`, and stored to be forwarded now. Afterwards the day is
    /// settled and never changes.
    public func settle(
        day: CalendarDate, period: Range<Date>, timeZone: TimeZone, settledBy: String, at now: Date,
        hash: @escaping @Sendable (SettlementReport) -> String
    ) async throws -> Settled {
        defer { paymentsChanged() }
        return try await writeAsync { db in
            if let existing = try SettlementRecord.fetchOne(db, key: day.description) {
                return Settled(record: existing, created: false)
            }
            let previousEnd = try Date.fetchOne(
                db, sql: "SELECT periodEnd FROM settlement WHERE day = ?", arguments: [day.adding(days: -1).description]
            )
            let start = previousEnd.map { min($0, period.upperBound) } ?? period.lowerBound
            let interval = start..<period.upperBound
            let inputs = try Self.settlementInputs(db, recordedIn: interval)
            let report = Settlement.report(
                day: day, period: interval, timeZone: timeZone, records: inputs.records,
                unprintedReceipts: inputs.unprintedReceipts, paidAfterSessionEnded: inputs.paidAfterSession
            )
            let record = try SettlementRecord(report: report, reportHash: hash(report), settledBy: settledBy, at: now)
            try record.insert(db)
            return Settled(record: record, created: true)
        }
    }

    /// The settled `day` and its slip's print job state when the job is recorded here.
    public func settlement(day: CalendarDate) async throws -> (record: SettlementRecord, printJobState: String?)? {
        try await readAsync { db in
            guard let record = try SettlementRecord.fetchOne(db, key: day.description) else { return nil }
            let state = try record.printNumber.flatMap {
                try String.fetchOne(db, sql: "SELECT state FROM printJob WHERE number = ?", arguments: [$0])
            }
            return (record, state)
        }
    }

    /// The last settled day, if any.
    public func lastSettledDay() async throws -> CalendarDate? {
        try await readAsync { db in
            try String.fetchOne(db, sql: "SELECT MAX(day) FROM settlement").flatMap(CalendarDate.init(parsing:))
        }
    }

    /// When this kiosk first did anything the database remembers: its first terminal was
    /// registered, an order was begun or a ledger record written. Nil for a new database.
    public func firstActivity() async throws -> Date? {
        try await readAsync { db in
            let terminal = try Date.fetchOne(db, sql: "SELECT MIN(firstSeenAt) FROM terminal")
            let order = try Date.fetchOne(db, sql: "SELECT MIN(createdAt) FROM paymentOrder")
            let ledger = try Int64.fetchOne(db, sql: "SELECT MIN(recordedAtMilliseconds) FROM ledgerRecord")
                .map { LedgerTime.date(milliseconds: $0) }
            return [terminal, order, ledger].compactMap { $0 }.min()
        }
    }

    /// Settled days whose slip was never sent to a printer, oldest first.
    public func settlementsToPrint() async throws -> [SettlementRecord] {
        try await readAsync { db in
            try SettlementRecord.filter(Column("printNumber") == nil).order(Column("day")).fetchAll(db)
        }
    }

    /// Afterwards the slip of `day` is print job `number`, which answered `result`.
    public func setSettlementPrint(day: CalendarDate, number: String, result: String) async throws {
        try await writeAsync { db in
            try db.execute(
                sql: "UPDATE settlement SET printNumber = ?, printResult = ? WHERE day = ?",
                arguments: [number, result, day.description]
            )
        }
    }

    /// Settlements waiting for the centre whose next try is due at `now`, oldest day first.
    public func settlementsToForward(at now: Date) async throws -> [SettlementRecord] {
        try await readAsync { db in
            try SettlementRecord
                .filter(Column("forwardState") == SettlementState.Forwarding.pending.rawValue && Column("nextForwardAt") <= now)
                .order(Column("day")).fetchAll(db)
        }
    }

    /// When the next settlement falls due for the centre; nil when none waits.
    public func nextSettlementForwardDate() async throws -> Date? {
        try await readAsync { db in
            try Date.fetchOne(
                db, sql: "SELECT MIN(nextForwardAt) FROM settlement WHERE forwardState = ?",
                arguments: [SettlementState.Forwarding.pending.rawValue]
            )
        }
    }

    /// Afterwards `day` is forwarded, with the centre's `answer`.
    public func recordSettlementAnswer(day: CalendarDate, answer: SettlementAnswer, attempts: Int, at now: Date) async throws {
        let encoded = try SettlementRecord.encoder.encode(answer)
        defer { paymentsChanged() }
        try await writeAsync { db in
            try db.execute(
                sql: """
                    UPDATE settlement SET forwardState = ?, forwardAttempts = ?, forwardedAt = ?, nextForwardAt = NULL,
                        forwardError = NULL, centreResult = ?, centreAnswer = ?
                    WHERE day = ?
                    """,
                arguments: [
                    SettlementState.Forwarding.forwarded.rawValue, attempts, now, answer.result.rawValue, encoded, day.description,
                ]
            )
        }
    }

    /// Afterwards `day` waits for the centre until `next`, having failed `attempts` times,
    /// the last one for `reason`.
    public func recordSettlementRetry(day: CalendarDate, attempts: Int, next: Date, reason: String) async throws {
        try await writeAsync { db in
            try db.execute(
                sql: "UPDATE settlement SET forwardAttempts = ?, nextForwardAt = ?, forwardError = ? WHERE day = ? AND forwardState = ?",
                arguments: [attempts, next, reason, day.description, SettlementState.Forwarding.pending.rawValue]
            )
        }
    }

    /// Afterwards `day` is refused by the centre for `reason` and is not tried again.
    public func recordSettlementRefusal(day: CalendarDate, attempts: Int, reason: String) async throws {
        defer { paymentsChanged() }
        try await writeAsync { db in
            try db.execute(
                sql: "UPDATE settlement SET forwardState = ?, forwardAttempts = ?, nextForwardAt = NULL, forwardError = ? WHERE day = ?",
                arguments: [SettlementState.Forwarding.refused.rawValue, attempts, reason, day.description]
            )
        }
    }

    /// What the settlement of `interval` needs, inside a transaction.
    static func settlementInputs(_ db: Database, recordedIn interval: Range<Date>) throws
        -> (records: [LedgerRecord], unprintedReceipts: Int, paidAfterSession: Int)
    {
        let start = LedgerTime.milliseconds(of: interval.lowerBound)
        let end = LedgerTime.milliseconds(of: interval.upperBound)
        let records = try LedgerRecord
            .filter(Column("recordedAtMilliseconds") >= start && Column("recordedAtMilliseconds") < end)
            .order(Column("terminal"), Column("sequence")).fetchAll(db)
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COALESCE(SUM(paymentOrder.receiptPrinted = 0), 0), COALESCE(SUM(paymentOrder.afterSession <> 0), 0)
                FROM paymentOrder
                JOIN ledgerRecord ON ledgerRecord.terminal = paymentOrder.terminal
                    AND ledgerRecord.sequence = paymentOrder.ledgerSequence
                WHERE paymentOrder.state = ? AND ledgerRecord.recordedAtMilliseconds >= ?
                    AND ledgerRecord.recordedAtMilliseconds < ?
                """,
            arguments: [PaymentOrderRecord.State.paid.rawValue, start, end]
        )
        return (records, row?[0] ?? 0, row?[1] ?? 0)
    }
}
