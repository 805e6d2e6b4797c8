import Foundation
import GRDB

/// The case service's database: cases opened for kiosk applications, their status
/// history (the feed kiosks pull), ratings, bills and payment orders, and the demo
/// residents whose summaries can be looked up. Deduplication is by the submitted UUID,
/// forever: the `caseRecord` row is the proof a UUID was seen.
final class CaseStore: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = GRDB.Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Self.migrator.migrate(queue)
        try queue.write { db in try DemoData.seed(db) }
    }

    func isHealthy() async throws -> Bool {
        try await readAsync { db in try Int.fetchOne(db, sql: "SELECT 1") == 1 }
    }

    /// Runs on GRDB's queue without holding a cooperative thread while SQLite syncs.
    func writeAsync<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await queue.write(updates)
    }

    func readAsync<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await queue.read(value)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases") { db in
            try db.create(table: "caseRecord") { t in
                t.primaryKey("applicationId", .text)
                t.column("kiosk", .text).notNull()
                t.column("applicationNumber", .text).notNull()
                t.column("caseNumber", .text).notNull().unique()
                t.column("itemId", .text).notNull()
                t.column("body", .text).notNull()
                t.column("status", .text).notNull()
                t.column("statusChangedAt", .datetime).notNull()
                t.column("subItemsJSON", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.uniqueKey(["kiosk", "applicationNumber"])
            }
            try db.create(table: "statusChange") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("kiosk", .text).notNull().indexed()
                t.column("applicationId", .text).notNull()
                t.column("caseNumber", .text).notNull()
                t.column("subItem", .text)
                t.column("status", .text).notNull()
                t.column("changedAt", .datetime).notNull()
            }
            try db.create(table: "ratingRecord") { t in
                t.primaryKey("ratingId", .text)
                t.column("kiosk", .text).notNull()
                t.column("body", .text).notNull()
                t.column("level", .integer).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
            try db.create(table: "bill") { t in
                t.column("kind", .text).notNull()
                t.column("account", .text).notNull()
                t.column("holder", .text).notNull()
                t.column("amountDueFen", .integer).notNull()
                t.column("period", .text).notNull()
                t.primaryKey(["kind", "account"])
            }
            try db.create(table: "paymentOrder") { t in
                t.primaryKey("orderId", .text)
                t.column("kiosk", .text).notNull()
                t.column("orderNumber", .text).notNull().unique()
                t.column("body", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("account", .text).notNull()
                t.column("amountFen", .integer).notNull()
                t.column("state", .text).notNull()
            }
            try db.create(table: "resident") { t in
                t.primaryKey("idNumber", .text)
                t.column("name", .text).notNull()
                t.column("insuredSince", .text).notNull()
                t.column("monthsPaid", .integer).notNull()
                t.column("pensionBalanceFen", .integer).notNull()
                t.column("medicalBalanceFen", .integer).notNull()
                t.column("lastPaidMonth", .text).notNull()
                t.column("housingBalanceFen", .integer).notNull()
                t.column("monthlyDepositFen", .integer).notNull()
            }
            try db.create(table: "counter") { t in
                t.primaryKey("name", .text)
                t.column("value", .integer).notNull()
            }
        }
        registerPaymentMigration(&migrator)
        registerSettlementMigration(&migrator)
        registerHeartbeatMigration(&migrator)
        registerCatalogMigration(&migrator)
        registerIdentityMigration(&migrator)
        return migrator
    }
}

/// Residents and bills the reference service answers for, so the demo and the tests
/// have someone to look up. Invented people with valid-format numbers.
enum DemoData {
    static let residents: [(id: String, name: String, since: String, months: Int, pension: Int64, medical: Int64, last: String, housing: Int64, deposit: Int64)] = [
        ("11010519491231002X", "张三", "2008-07", 208, 8_512_300, 1_203_450, "2026-10", 12_345_600, 248_000),
        ("110101199003074477", "李四", "2013-03", 152, 4_120_000, 523_100, "2026-10", 5_600_000, 180_000),
        ("440308199901011234", "王五", "2021-09", 62, 980_050, 120_300, "2026-09", 1_230_000, 96_000),
    ]

    static let bills: [(kind: String, account: String, holder: String, fen: Int64, period: String)] = [
        ("water", "3100000001", "张三", 12_345, "2026-10"),
        ("electricity", "3100000002", "李四", 28_760, "2026-10"),
        ("gas", "3100000003", "王五", 6_420, "2026-10"),
        ("property", "3100000004", "张三", 150_000, "2026-Q4"),
    ]

    /// The phones on file, where the one-time codes go (王五 has none).
    static let phones: [String: String] = [
        "11010519491231002X": "13800005678",
        "110101199003074477": "13912341234",
    ]

    static func seed(_ db: Database) throws {
        for r in residents {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO resident (idNumber, name, insuredSince, monthsPaid, pensionBalanceFen, medicalBalanceFen,
                    lastPaidMonth, housingBalanceFen, monthlyDepositFen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [r.id, r.name, r.since, r.months, r.pension, r.medical, r.last, r.housing, r.deposit]
            )
            try db.execute(
                sql: "UPDATE resident SET phone = ? WHERE idNumber = ? AND phone IS NULL", arguments: [phones[r.id], r.id]
            )
        }
        for b in bills {
            try db.execute(
                sql: "INSERT OR IGNORE INTO bill VALUES (?, ?, ?, ?, ?)",
                arguments: [b.kind, b.account, b.holder, b.fen, b.period]
            )
        }
    }
}
