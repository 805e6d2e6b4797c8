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
        let start = LedgerTime.milliseconds(of: interval.lowerBound)
        let end = LedgerTime.milliseconds(of: interval.upperBound)
        return try await readAsync { db in
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
}
