import CaseServiceAPI
import Foundation
import GRDB

/// Kiosks' daily settlements: one per kiosk and day, forever, compared once with the
/// centre's paid orders when it first arrives; the answer is kept and given again to a
/// repeat.
extension CaseStore {
    static func registerSettlementMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-settlements") { db in
            try db.create(table: "settlement") { t in
                t.column("kiosk", .text).notNull()
                t.column("day", .text).notNull()
                t.column("body", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.primaryKey(["kiosk", "day"])
            }
            // Which settlement named each order: an order named by one day's settlement
            // belongs to that day, whenever the centre saw it paid.
            try db.create(table: "settledOrder") { t in
                t.column("kiosk", .text).notNull()
                t.column("orderId", .text).notNull()
                t.column("day", .text).notNull()
                t.primaryKey(["kiosk", "orderId"])
            }
        }
    }

    /// What became of a settlement.
    enum SettlementOutcome: Sendable {
        /// First received: compared now.
        case created(Components.Schemas.SettlementAnswer)
        /// The same settlement again: the first answer.
        case repeated(Components.Schemas.SettlementAnswer)
        /// The kiosk already settled the day with different content.
        case conflict
    }

    /// Stores `submission` as `kiosk`'s settlement of its day, once, and compares it with
    /// the kiosk's paid orders (see `SettlementComparison`). Afterwards the day is settled
    /// for the kiosk, the orders it names are its, and the answer is kept.
    func settle(
        _ submission: Components.Schemas.SettlementSubmission, kiosk: String, settings: PaymentSettings, now: Date
    ) async throws -> SettlementOutcome {
        let body = try Self.canonicalBody(submission)
        return try await writeAsync { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT body, answer FROM settlement WHERE kiosk = ? AND day = ?", arguments: [kiosk, submission.day]
            ) {
                let stored: String = row["body"]
                guard stored == body else { return .conflict }
                return .repeated(try Self.decodeAnswer(row["answer"]))
            }
            // Orders the demo's auto-pay or the clock has settled since they were last read.
            for row in try Row.fetchAll(db, sql: "SELECT * FROM paymentOrder WHERE kiosk = ? AND state = 'created'", arguments: [kiosk]) {
                _ = try Self.settleOrder(db, row, settings: settings, now: now)
            }
            let named = Set(submission.payments.map(\.orderId))
            var centre: [String: SettlementComparison.CentreOrder] = [:]
            func add(_ rows: [Row]) {
                for row in rows {
                    let kind: String = row["kind"]
                    let order = SettlementComparison.CentreOrder(
                        orderID: row["orderId"], orderNumber: row["orderNumber"], itemID: "bill-" + kind, amountFen: row["amountFen"]
                    )
                    centre[order.orderID] = order
                }
            }
            add(try Row.fetchAll(
                db,
                sql: """
                    SELECT orderId, orderNumber, kind, amountFen FROM paymentOrder
                    WHERE kiosk = ? AND state = 'paid' AND paidAt >= ? AND paidAt < ?
                      AND orderId NOT IN (SELECT orderId FROM settledOrder WHERE kiosk = ?)
                    """,
                arguments: [kiosk, submission.periodStart, submission.periodEnd, kiosk]
            ))
            let namedList = Array(named)
            for start in stride(from: 0, to: namedList.count, by: 500) {
                let chunk = Array(namedList[start..<min(start + 500, namedList.count)])
                add(try Row.fetchAll(
                    db,
                    sql: """
                        SELECT orderId, orderNumber, kind, amountFen FROM paymentOrder
                        WHERE kiosk = ? AND state = 'paid' AND orderId IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments([kiosk] + chunk)
                ))
            }
            let outcome = SettlementComparison.compare(
                kiosk: submission.payments.map { .init(orderID: $0.orderId, itemID: $0.itemId, amountFen: $0.amountFen) },
                centre: Array(centre.values)
            )
            let answer = Components.Schemas.SettlementAnswer(
                day: submission.day, result: outcome.matched ? .matched : .mismatch, receivedAt: now,
                differences: outcome.differences.map {
                    .init(itemId: $0.itemID, kioskCount: $0.kioskCount, kioskFen: $0.kioskFen, centreCount: $0.centreCount,
                          centreFen: $0.centreFen)
                },
                orders: outcome.orders.map {
                    .init(orderId: $0.orderID, orderNumber: $0.orderNumber, itemId: $0.itemID, amountFen: $0.amountFen,
                          side: .init(rawValue: $0.side.rawValue)!)
                }
            )
            try db.execute(
                sql: "INSERT INTO settlement (kiosk, day, body, answer, receivedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [kiosk, submission.day, body, try Self.json(answer), now]
            )
            for id in namedList {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO settledOrder (kiosk, orderId, day) VALUES (?, ?, ?)", arguments: [kiosk, id, submission.day]
                )
            }
            return .created(answer)
        }
    }

    /// How many settlements the service holds (for tests: one per kiosk and day).
    func settlementCount() async throws -> Int {
        try await readAsync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settlement") ?? 0 }
    }

    private static func decodeAnswer(_ text: String) throws -> Components.Schemas.SettlementAnswer {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Components.Schemas.SettlementAnswer.self, from: Data(text.utf8))
    }
}
