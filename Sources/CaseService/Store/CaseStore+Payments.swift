import CaseServiceAPI
import Foundation
import GRDB

/// How the reference service runs payment orders: how long one waits to be paid, whether
/// it pays itself (the demo), and where the citizen's phone is sent to pay.
public struct PaymentSettings: Sendable, Hashable {
    /// An order not paid this long after it was created is expired.
    public var orderLifetime: TimeInterval
    /// Orders pay themselves (channel "wechat") this long after they were created; nil:
    /// only by `POST /admin/payment-orders/{orderId}/pay`.
    public var autoPayAfter: TimeInterval?
    /// The payment page's base; the QR code holds `<payBase>/<orderNumber>`.
    public var payBase: String

    public init(orderLifetime: TimeInterval = 300, autoPayAfter: TimeInterval? = nil, payBase: String = "https://pay.kioskd.invalid/o") {
        self.orderLifetime = orderLifetime
        self.autoPayAfter = autoPayAfter
        self.payBase = payBase
    }
}

extension CaseStore {
    static func registerPaymentMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-payment-lifecycle") { db in
            try db.alter(table: "paymentOrder") { t in
                t.add(column: "createdAt", .datetime)
                t.add(column: "expiresAt", .datetime)
                t.add(column: "paidAt", .datetime)
                t.add(column: "channel", .text)
            }
            try db.create(table: "paymentReport") { t in
                t.primaryKey("orderId", .text)
                t.column("kiosk", .text).notNull()
                t.column("body", .text).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
        }
    }

    /// Creates a payment order once per order UUID, for a bill that exists and an amount
    /// that is due; a repeat returns the order as it is now, a different body under the
    /// same UUID is nil (a conflict).
    func order(
        _ request: Components.Schemas.PaymentOrderRequest, kiosk: String, settings: PaymentSettings, now: Date
    ) async throws -> (Components.Schemas.PaymentOrder, Bool)? {
        let body = try Self.canonicalBody(request)
        return try await writeAsync { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM paymentOrder WHERE orderId = ?", arguments: [request.orderId]) {
                let stored: String = row["body"]
                guard stored == body else { return nil }
                return (try Self.settleOrder(db, row, settings: settings, now: now), false)
            }
            let number = "PO" + String(format: "%08d", try Self.next(db, counter: "order"))
            try db.execute(
                sql: """
                    INSERT INTO paymentOrder (orderId, kiosk, orderNumber, body, kind, account, amountFen, state, createdAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)
                    """,
                arguments: [
                    request.orderId, kiosk, number, body, request.kind.rawValue, request.account, request.amountFen, now,
                    now.addingTimeInterval(settings.orderLifetime),
                ]
            )
            let row = try Row.fetchOne(db, sql: "SELECT * FROM paymentOrder WHERE orderId = ?", arguments: [request.orderId])!
            return (Self.contract(row, settings: settings), true)
        }
    }

    /// The order as it is at `now` (paid by the demo's auto-pay, or expired, on the way);
    /// nil when `kiosk` has no such order.
    func paymentOrder(id: String, kiosk: String?, settings: PaymentSettings, now: Date) async throws -> Components.Schemas.PaymentOrder? {
        try await writeAsync { db in
            guard let row = try Self.orderRow(db, id: id, kiosk: kiosk) else { return nil }
            return try Self.settleOrder(db, row, settings: settings, now: now)
        }
    }

    /// Cancels an order still waiting to be paid; a paid, expired or cancelled order stays
    /// as it is. Nil when `kiosk` has no such order.
    func cancelOrder(id: String, kiosk: String, settings: PaymentSettings, now: Date) async throws -> Components.Schemas.PaymentOrder? {
        try await writeAsync { db in
            guard let row = try Self.orderRow(db, id: id, kiosk: kiosk) else { return nil }
            let order = try Self.settleOrder(db, row, settings: settings, now: now)
            guard order.state == .created else { return order }
            try db.execute(sql: "UPDATE paymentOrder SET state = 'cancelled' WHERE orderId = ?", arguments: [id])
            return try Self.contract(Self.orderRow(db, id: id, kiosk: kiosk)!, settings: settings)
        }
    }

    /// The payer paid (admin call, or the demo's auto-pay): an order waiting or already
    /// expired becomes paid, as a confirmation that arrives late still means money taken.
    /// A cancelled order is refused (nil result with `false`); an unknown one is nil.
    func pay(id: String, channel: String, settings: PaymentSettings, now: Date) async throws -> (Components.Schemas.PaymentOrder?, Bool) {
        try await writeAsync { db in
            guard let row = try Self.orderRow(db, id: id, kiosk: nil) else { return (nil, true) }
            let state: String = row["state"]
            if state == "cancelled" { return (nil, false) }
            if state != "paid" {
                try db.execute(
                    sql: "UPDATE paymentOrder SET state = 'paid', paidAt = ?, channel = ? WHERE orderId = ?",
                    arguments: [now, channel, id]
                )
            }
            return (Self.contract(try Self.orderRow(db, id: id, kiosk: nil)!, settings: settings), true)
        }
    }

    /// Records a kiosk's report of a payment once per order; a repeat returns the first
    /// record time, a different body under the same order is nil (a conflict).
    func report(_ report: Components.Schemas.PaymentReport, kiosk: String, now: Date) async throws -> (Date, Bool)? {
        let body = try Self.canonicalBody(report)
        return try await writeAsync { db in
            if let row = try Row.fetchOne(db, sql: "SELECT body, recordedAt FROM paymentReport WHERE orderId = ?", arguments: [report.orderId]) {
                let stored: String = row["body"]
                return stored == body ? (row["recordedAt"], false) : nil
            }
            try db.execute(
                sql: "INSERT INTO paymentReport (orderId, kiosk, body, recordedAt) VALUES (?, ?, ?, ?)",
                arguments: [report.orderId, kiosk, body, now]
            )
            return (now, true)
        }
    }

    /// How many payment reports the service holds (for tests: one per paid order, never two).
    func paymentReportCount() async throws -> Int {
        try await readAsync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paymentReport") ?? 0 }
    }

    private static func orderRow(_ db: Database, id: String, kiosk: String?) throws -> Row? {
        if let kiosk {
            return try Row.fetchOne(db, sql: "SELECT * FROM paymentOrder WHERE orderId = ? AND kiosk = ?", arguments: [id, kiosk])
        }
        return try Row.fetchOne(db, sql: "SELECT * FROM paymentOrder WHERE orderId = ?", arguments: [id])
    }

    /// Applies what time did to an order (the demo's auto-pay, expiry) and returns it.
    static func settleOrder(_ db: Database, _ row: Row, settings: PaymentSettings, now: Date) throws -> Components.Schemas.PaymentOrder {
        let state: String = row["state"]
        let id: String = row["orderId"]
        guard state == "created", let createdAt: Date = row["createdAt"] else { return contract(row, settings: settings) }
        if let after = settings.autoPayAfter, now >= createdAt.addingTimeInterval(after),
           createdAt.addingTimeInterval(after) < (row["expiresAt"] as Date? ?? .distantFuture) {
            try db.execute(
                sql: "UPDATE paymentOrder SET state = 'paid', paidAt = ?, channel = 'wechat' WHERE orderId = ?",
                arguments: [createdAt.addingTimeInterval(after), id]
            )
        } else if let expiresAt: Date = row["expiresAt"], now >= expiresAt {
            try db.execute(sql: "UPDATE paymentOrder SET state = 'expired' WHERE orderId = ?", arguments: [id])
        } else {
            return contract(row, settings: settings)
        }
        return contract(try orderRow(db, id: id, kiosk: nil)!, settings: settings)
    }

    static func contract(_ row: Row, settings: PaymentSettings) -> Components.Schemas.PaymentOrder {
        let number: String = row["orderNumber"]
        let created: Date = row["createdAt"] ?? Date(timeIntervalSince1970: 0)
        return Components.Schemas.PaymentOrder(
            orderId: row["orderId"], orderNumber: number, amountFen: row["amountFen"],
            state: .init(rawValue: row["state"]) ?? .created, payUrl: settings.payBase + "/" + number,
            expiresAt: row["expiresAt"] ?? created.addingTimeInterval(settings.orderLifetime), paidAt: row["paidAt"],
            channel: row["channel"]
        )
    }
}
