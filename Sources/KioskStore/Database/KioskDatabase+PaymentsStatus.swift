import Foundation
import GRDB
import KioskCore

/// Payments in Status: read from the file only when the ledger, a receipt or a settlement
/// changed since the last read, or when the open day turned.
extension KioskDatabase {
    /// How many settled days back a mismatch or refusal stays in Status.
    public static let settlementFaultDays = 7

    /// The payments of the open day `day` (its period `period`), the unprinted receipts of
    /// every day, the last settled day and the faults among the last
    /// `settlementFaultDays` settled days.
    public func paymentsStatus(day: CalendarDate, period: Range<Date>) async throws -> PaymentsStatus {
        if let cached = cachedPaymentsStatus(periodStart: period.lowerBound) { return cached }
        let version = paymentsVersion.load(ordering: .acquiring)
        let start = LedgerTime.milliseconds(of: period.lowerBound)
        let end = LedgerTime.milliseconds(of: period.upperBound)
        let status = try await readAsync { db -> PaymentsStatus in
            let sums = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(kind = 'payment'), 0) AS payments,
                           COALESCE(SUM(CASE WHEN kind = 'payment' THEN amountFen ELSE 0 END), 0) AS fen,
                           COALESCE(SUM(kind = 'reversal'), 0) AS reversals
                    FROM ledgerRecord WHERE recordedAtMilliseconds >= ? AND recordedAtMilliseconds < ?
                    """,
                arguments: [start, end]
            )
            let unprinted = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM paymentOrder WHERE state = ? AND receiptPrinted = 0",
                arguments: [PaymentOrderRecord.State.paid.rawValue]
            ) ?? 0
            let recent = try Row.fetchAll(
                db, sql: "SELECT day, forwardState, centreResult FROM settlement ORDER BY day DESC LIMIT ?",
                arguments: [Self.settlementFaultDays]
            )
            let faults = recent.reversed().compactMap { row -> PaymentsStatus.Fault? in
                let day: String = row["day"]
                let result: String? = row["centreResult"]
                let forwarding: String = row["forwardState"]
                if result == SettlementAnswer.Result.mismatch.rawValue { return .init(day: day, fault: .mismatch) }
                if forwarding == SettlementState.Forwarding.refused.rawValue { return .init(day: day, fault: .refused) }
                return nil
            }
            return PaymentsStatus(
                day: day.description, count: sums?["payments"] ?? 0, totalFen: sums?["fen"] ?? 0,
                reversalCount: sums?["reversals"] ?? 0, unprintedReceipts: unprinted,
                lastSettled: recent.first.map { $0["day"] }, settlementFaults: faults
            )
        }
        paymentsStatusCache.withLock { $0 = (version, period.lowerBound, status) }
        return status
    }

    /// The status `paymentsStatus` would return for the open day starting at
    /// `periodStart`, without reading the file; nil when something changed since.
    public func cachedPaymentsStatus(periodStart: Date) -> PaymentsStatus? {
        let version = paymentsVersion.load(ordering: .acquiring)
        guard let cached = paymentsStatusCache.withLock({ $0 }), cached.version == version, cached.periodStart == periodStart
        else { return nil }
        return cached.status
    }

    /// Afterwards the next `paymentsStatus` reads the file again.
    func paymentsChanged() {
        paymentsVersion.add(1, ordering: .releasing)
    }
}
