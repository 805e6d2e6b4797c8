import Foundation
import GRDB
import KioskCore

/// A row of `outboxEntry`: one delivery to the central service, for an application, a
/// rating or a payment report. Rows are never deleted; `state` says whether it is pending, delivered or dead.
public struct OutboxRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outboxEntry"
    public var id: Int64?
    public var kind: String
    public var applicationID: String?
    public var ratingID: String?
    public var paymentOrderID: String?
    public var state: String
    public var attempts: Int
    public var createdAt: Date
    public var queuedAt: Date
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var lastError: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    static func pending(
        applicationID: String? = nil, ratingID: String? = nil, paymentOrderID: String? = nil, at date: Date
    ) -> OutboxRecord {
        let kind: OutboxEntry.Kind = applicationID != nil ? .application : ratingID != nil ? .rating : .payment
        return OutboxRecord(
            kind: kind.rawValue, applicationID: applicationID, ratingID: ratingID, paymentOrderID: paymentOrderID,
            state: OutboxEntry.State.pending.rawValue, attempts: 0, createdAt: date, queuedAt: date,
            nextAttemptAt: date
        )
    }
}

/// A row of `syncCursor`: how far a pull from the central service has read.
public struct SyncCursorRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "syncCursor"
    public var name: String
    public var value: Int64
}

extension OutboxRecord {
    /// Queues the report of a paid order, as `pending(paymentOrderID:at:)` inserted would,
    /// through a cached statement: it is written in the payment's transaction.
    static func queuePaymentReport(orderID: String, at date: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO outboxEntry (kind, paymentOrderID, state, attempts, createdAt, queuedAt, nextAttemptAt)
            VALUES (?, ?, ?, 0, ?, ?, ?)
            """).execute(arguments: [
                OutboxEntry.Kind.payment.rawValue, orderID, OutboxEntry.State.pending.rawValue, date, date, date,
            ])
    }
}
