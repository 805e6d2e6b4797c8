import Foundation
import GRDB
import KioskCore

extension KioskDatabase {
    /// Records order `id` for `bill` as being created, before the centre is asked: after a
    /// crash the centre is asked whether it exists. Only the masked account is kept.
    public func beginOrder(id: UUID, bill: Bill, terminal: String, at now: Date, accountDigest: String? = nil) async throws {
        try await writeAsync { db in
            try PaymentOrderRecord(
                id: id.uuidString.lowercased(), terminal: terminal, billKind: bill.kind.rawValue, maskedAccount: bill.maskedAccount,
                amountFen: bill.amountDueFen, number: nil, state: PaymentOrderRecord.State.creating.rawValue, createdAt: now,
                expiresAt: nil, paidAt: nil, channel: nil, ledgerSequence: nil, afterSession: false, receiptNumber: nil,
                receiptPrinted: false, accountDigest: accountDigest
            ).insert(db)
        }
    }

    /// The order a receipt belongs to: the order numbered `orderNumber` (a receipt job's
    /// reference), else the one whose receipt printed as job `printNumber`.
    public func order(receipt orderNumber: String, printNumber: String) async throws -> PaymentOrderRecord? {
        try await readAsync { db in
            try PaymentOrderRecord.filter(Column("number") == orderNumber).fetchOne(db)
                ?? PaymentOrderRecord.filter(Column("receiptNumber") == printNumber).fetchOne(db)
        }
    }

    /// Afterwards the order's number and expiry are the centre's, and its state is `state`
    /// unless it was already paid here (a paid order never goes back).
    public func updateOrder(id: UUID, number: String?, expiresAt: Date?, state: PaymentOrderRecord.State) async throws {
        try await writeAsync { db in
            try db.execute(
                sql: """
                    UPDATE paymentOrder SET number = COALESCE(?, number), expiresAt = COALESCE(?, expiresAt), state = ?
                    WHERE id = ? AND state <> 'paid'
                    """,
                arguments: [number, expiresAt, state.rawValue, id.uuidString.lowercased()]
            )
        }
    }

    /// The order as recorded here.
    public func order(id: UUID) async throws -> PaymentOrderRecord? {
        try await readAsync { db in try PaymentOrderRecord.fetchOne(db, key: id.uuidString.lowercased()) }
    }

    /// Orders not finished here (being created or open): what the follower asks the centre
    /// about, at start and afterwards.
    public func unfinishedOrders() async throws -> [PaymentOrderRecord] {
        try await readAsync { db in
            try PaymentOrderRecord.filter([PaymentOrderRecord.State.creating.rawValue, PaymentOrderRecord.State.open.rawValue]
                .contains(Column("state"))).order(Column("createdAt")).fetchAll(db)
        }
    }

    /// Records the paid order `id` in the ledger, once: in one transaction the record is
    /// sealed after its terminal's head and appended, the head moves, the order is marked
    /// paid with its sequence, and the report to the centre is queued in the outbox. A
    /// second call for the same order returns the record of the first. When this returns,
    /// the payment survives a crash.
    public func recordPayment(
        orderID: UUID, channel: String, paidAt: Date, afterSession: Bool, chain: LedgerChain, at now: Date
    ) async throws -> LedgerRecord {
        try await recordPayment(
            orderID: orderID, channel: channel, paidAt: paidAt, afterSession: afterSession, chain: chain, at: now, receipt: nil
        ).record
    }

    /// As `recordPayment` above, and when the record is new and `receipt` gives a request
    /// for it, the receipt's print job too, in the same transaction: written `queued`
    /// with the next print number, which becomes the order's `receiptNumber` (not
    /// printed yet). `receipt` is called inside the transaction with the sealed record
    /// (the receipt prints its sequence and hash); whatever it or any write throws rolls
    /// everything back: no record, head, order change, print job or outbox entry.
    public func recordPayment(
        orderID: UUID, channel: String, paidAt: Date, afterSession: Bool, chain: LedgerChain, at now: Date,
        receipt: (@Sendable (LedgerRecord) throws -> PreparedPrint?)?
    ) async throws -> RecordedPayment {
        defer {
            outboxChanged()
            paymentsChanged()
        }
        return try await writeAsync { db in
            // Cached statements throughout: this transaction is the payment's hot path.
            let key = orderID.uuidString.lowercased()
            guard var order = try PaymentOrderRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM paymentOrder WHERE id = ?"), arguments: [key]
            ) else { throw StoreError.missingRow("paymentOrder") }
            if let sequence = order.ledgerSequence,
               let recorded = try LedgerRecord.fetchOne(db, key: ["terminal": order.terminal, "sequence": sequence]) {
                return RecordedPayment(record: recorded, isNew: false, receipt: nil)
            }
            let head = try LedgerRecord.storedHead(of: order.terminal, in: db)
            let entry = LedgerEntry.payment(
                recordedAt: now, itemID: "bill-" + order.billKind, channel: channel, amountFen: order.amountFen,
                orderReference: key, maskedAccount: order.maskedAccount
            )
            let record = try chain.seal(entry, terminal: order.terminal, after: head)
            try record.append(to: db)
            var job: PrintJob?
            if let prepared = try receipt?(record) {
                job = try Self.recordPrintJob(db, prepared.request, queue: prepared.queue, reprintOf: nil, at: now)
            }
            if let job {
                order.receiptNumber = job.number
                order.receiptPrinted = false
            }
            try db.cachedStatement(sql: """
                UPDATE paymentOrder SET state = ?, paidAt = ?, channel = ?, ledgerSequence = ?, afterSession = ?,
                                        receiptNumber = ?, receiptPrinted = ?
                WHERE id = ?
                """).execute(arguments: [
                    PaymentOrderRecord.State.paid.rawValue, paidAt, channel, record.sequence, afterSession,
                    order.receiptNumber, order.receiptPrinted, key,
                ])
            try OutboxRecord.queuePaymentReport(orderID: key, at: now, in: db)
            return RecordedPayment(record: record, isNew: true, receipt: job)
        }
    }

    /// Afterwards the order's receipt is the print job `number`, printed or not (after the
    /// receipt recorded with the payment was sent: whether it printed).
    public func setReceipt(orderID: UUID, number: String, printed: Bool) async throws {
        defer { paymentsChanged() }
        try await writeAsync { db in
            try db.execute(
                sql: "UPDATE paymentOrder SET receiptNumber = ?, receiptPrinted = ? WHERE id = ?",
                arguments: [number, printed, orderID.uuidString.lowercased()]
            )
        }
    }

    /// Every ledger record, of every terminal, from `sequence` on (per terminal).
    public func ledgerRecords(from sequence: Int64 = 1) async throws -> [LedgerRecord] {
        try await readAsync { db in
            try LedgerRecord.filter(Column("sequence") >= sequence).order(Column("terminal"), Column("sequence")).fetchAll(db)
        }
    }

    /// The record before `sequence` of each terminal (to anchor a verify that starts there).
    public func ledgerRecords(before sequence: Int64) async throws -> [LedgerRecord] {
        guard sequence > 1 else { return [] }
        return try await readAsync { db in
            try LedgerRecord.filter(Column("sequence") == sequence - 1).fetchAll(db)
        }
    }

    /// Each terminal's head as recorded with its last append.
    public func ledgerHeads() async throws -> [String: LedgerHead] {
        try await readAsync { db in
            var heads: [String: LedgerHead] = [:]
            for row in try LedgerHeadRecord.fetchAll(db) { heads[row.terminal] = LedgerHead(sequence: row.sequence, hash: row.hash) }
            return heads
        }
    }

    /// Paid orders, newest first; only those whose receipt did not print when `unprinted`.
    public func paidOrders(unprinted: Bool = false, limit: Int = 500) async throws -> [PaymentOrderRecord] {
        try await readAsync { db in
            var request = PaymentOrderRecord.filter(Column("state") == PaymentOrderRecord.State.paid.rawValue)
            if unprinted { request = request.filter(Column("receiptPrinted") == false) }
            return try request.order(Column("paidAt").desc).limit(limit).fetchAll(db)
        }
    }

    /// The report of a paid order, for the outbox.
    static func paymentReport(_ db: Database, orderID: String) throws -> PaymentReport? {
        guard let order = try PaymentOrderRecord.fetchOne(db, key: orderID), let sequence = order.ledgerSequence,
              let id = order.orderID,
              let record = try LedgerRecord.fetchOne(db, key: ["terminal": order.terminal, "sequence": sequence])
        else { return nil }
        return PaymentReport(
            orderID: id, terminal: order.terminal, sequence: sequence, amountFen: record.amountFen,
            recordedAt: record.recordedAt, hash: record.hash, afterSession: order.afterSession
        )
    }
}

/// What `recordPayment` did: the order's ledger record, whether this call sealed it, and
/// the receipt's print job written with it (nil when none was asked for, or the payment
/// was already recorded).
public struct RecordedPayment: Sendable, Hashable {
    public var record: LedgerRecord
    public var isNew: Bool
    public var receipt: PrintJob?

    public init(record: LedgerRecord, isNew: Bool, receipt: PrintJob?) {
        self.record = record
        self.isNew = isNew
        self.receipt = receipt
    }
}
