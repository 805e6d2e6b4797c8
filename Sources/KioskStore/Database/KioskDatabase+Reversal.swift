import Foundation
import GRDB
import KioskCore

extension KioskDatabase {
    /// Reverses the payment `sequence` of `terminal` (of whichever terminal has that
    /// sequence when nil). In one transaction: the original is found and checked (a
    /// payment, not reversed before), the reversal record is sealed after its terminal's
    /// head (same item, channel and account, the negated amount, `reversalOf` = the
    /// original's sequence, its own reference "reversal:" and the original's), appended,
    /// the head moves, and `audit(original, reversal)` is appended to the audit log. When
    /// this returns `.recorded`, both are on disk; any other answer changed nothing.
    public func recordReversal(
        terminal: String?, sequence: Int64, chain: LedgerChain, at now: Date,
        audit: @escaping @Sendable (LedgerRecord, LedgerRecord) -> AuditRecord
    ) async throws -> LedgerReversal {
        defer { paymentsChanged() }
        return try await writeAsync { db in
            var request = LedgerRecord.filter(Column("sequence") == sequence)
            if let terminal { request = request.filter(Column("terminal") == terminal) }
            let found = try request.order(Column("terminal")).fetchAll(db)
            guard let original = found.first else { return .noSuchRecord }
            guard found.count == 1 else { return .ambiguous(terminals: found.map(\.terminal)) }
            guard original.kind == .payment else { return .notAPayment(original) }
            if let earlier = try LedgerRecord
                .filter(Column("terminal") == original.terminal && Column("kind") == LedgerRecord.Kind.reversal.rawValue
                    && Column("reversalOf") == original.sequence)
                .fetchOne(db)
            {
                return .alreadyReversed(original: original, by: earlier)
            }
            let head = try LedgerRecord.storedHead(of: original.terminal, in: db)
            let entry = LedgerEntry.reversal(of: original, recordedAt: now, orderReference: "reversal:" + original.orderReference)
            let reversal = try chain.seal(entry, terminal: original.terminal, after: head)
            try reversal.append(to: db)
            var entryRecord = audit(original, reversal)
            try entryRecord.insert(db)
            return .recorded(original: original, reversal: reversal)
        }
    }
}
