import Foundation
import GRDB
import KioskCore

extension KioskDatabase {
    /// Stores an application and its outbox entry in one transaction. `make` receives the
    /// application's sequence number (1, 2, 3… for this database) and returns the
    /// application to store; when this returns, both rows are on disk (synchronous=FULL).
    public func storeApplication(
        at date: Date, _ make: @escaping @Sendable (Int64) -> Application
    ) async throws -> Application {
        defer { outboxChanged() }
        return try await writeAsync { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM application") ?? 0
            let application = make(last + 1)
            try ApplicationRecord(application, sequence: last + 1).insert(db)
            var entry = OutboxRecord.pending(applicationID: application.id.uuidString.lowercased(), at: date)
            try entry.insert(db)
            return application
        }
    }

    /// Stores a rating and its outbox entry in one transaction.
    public func storeRating(_ rating: Rating) async throws {
        defer { outboxChanged() }
        try await writeAsync { db in
            try RatingRecord(rating).insert(db)
            var entry = OutboxRecord.pending(ratingID: rating.id.uuidString.lowercased(), at: rating.ratedAt)
            try entry.insert(db)
        }
    }

    /// The application with `number` (the terminal-issued one) or `caseNumber`. Blocks the
    /// calling thread: from async code the async twin is chosen (see `read`).
    public func application(number: String) throws -> (Application, [String: CaseStatus])? {
        try read { db in try Self.application(number: number, in: db) }
    }

    /// The application with `number` or `caseNumber`, read without holding a thread.
    public func application(number: String) async throws -> (Application, [String: CaseStatus])? {
        try await readAsync { db in try Self.application(number: number, in: db) }
    }

    private static func application(number: String, in db: Database) throws -> (Application, [String: CaseStatus])? {
        // A number typed without its dashes loses those inside a kiosk id: compare
        // without dashes too (the table holds one kiosk's applications, a scan is cheap).
        let compact = number.filter { $0 != "-" }
        let record = try ApplicationRecord
            .filter(Column("number") == number || Column("caseNumber") == number)
            .fetchOne(db)
            ?? ApplicationRecord.filter(sql: "replace(number, '-', '') = ?", arguments: [compact]).fetchOne(db)
        return try record.map { (try $0.application, $0.subItemStatuses) }
    }

    /// Counts of the outbox by state; read from the file only when the outbox changed
    /// since the last read (through this database object).
    public func outboxCounts() throws -> OutboxCounts {
        let version = outboxVersion.load(ordering: .acquiring)
        if let cached = outboxCountsCache.withLock({ $0 }), cached.version == version { return cached.counts }
        let counts = try read(Self.countOutbox)
        outboxCountsCache.withLock { $0 = (version, counts) }
        return counts
    }

    /// The same, read without holding a thread of Swift's cooperative pool.
    public func outboxCounts() async throws -> OutboxCounts {
        let version = outboxVersion.load(ordering: .acquiring)
        if let cached = outboxCountsCache.withLock({ $0 }), cached.version == version { return cached.counts }
        let counts = try await readAsync(Self.countOutbox)
        outboxCountsCache.withLock { $0 = (version, counts) }
        return counts
    }

    /// The counts `outboxCounts()` would return without reading the file, or nil when the
    /// outbox changed since they were read.
    public func cachedOutboxCounts() -> OutboxCounts? {
        let version = outboxVersion.load(ordering: .acquiring)
        guard let cached = outboxCountsCache.withLock({ $0 }), cached.version == version else { return nil }
        return cached.counts
    }

    /// Afterwards the next `outboxCounts()` reads the file again.
    func outboxChanged() {
        outboxVersion.add(1, ordering: .releasing)
    }

    private static func countOutbox(_ db: Database) throws -> OutboxCounts {
        do {
            var counts = OutboxCounts()
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outboxEntry GROUP BY state") {
                let n: Int = row["n"]
                switch OutboxEntry.State(rawValue: row["state"]) {
                case .pending: counts.pending = n
                case .delivered: counts.delivered = n
                case .dead: counts.dead = n
                case nil: break
                }
            }
            counts.oldestPendingAt = try Date.fetchOne(
                db, sql: "SELECT MIN(createdAt) FROM outboxEntry WHERE state = ?", arguments: ["pending"]
            )
            return counts
        }
    }

    /// Entries in `states`, newest first, as technicians may see them.
    public func outboxSummaries(states: Set<OutboxEntry.State>, limit: Int = 200) throws -> [OutboxEntrySummary] {
        try read { db in try Self.outboxSummaries(states: states, limit: limit, in: db) }
    }

    /// The same, read without holding a thread of Swift's cooperative pool.
    public func outboxSummaries(states: Set<OutboxEntry.State>, limit: Int = 200) async throws -> [OutboxEntrySummary] {
        try await readAsync { db in try Self.outboxSummaries(states: states, limit: limit, in: db) }
    }

    private static func outboxSummaries(states: Set<OutboxEntry.State>, limit: Int, in db: Database) throws -> [OutboxEntrySummary] {
        do {
            let sql = """
                SELECT o.*, a.number AS applicationNumber, a.itemID AS applicationItem,
                       r.applicationNumber AS ratedNumber, r.itemID AS ratedItem,
                       p.number AS orderNumber, p.billKind AS billKind
                FROM outboxEntry o
                LEFT JOIN application a ON a.id = o.applicationID
                LEFT JOIN rating r ON r.id = o.ratingID
                LEFT JOIN paymentOrder p ON p.id = o.paymentOrderID
                WHERE o.state IN (\(states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))
                ORDER BY o.id DESC LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: [limit]).map { row in
                let record = try OutboxRecord(row: row)
                let reference: String? = row["applicationNumber"] ?? row["ratedNumber"] ?? row["orderNumber"]
                return OutboxEntrySummary(
                    id: record.id ?? 0, kind: OutboxEntry.Kind(rawValue: record.kind) ?? .application,
                    reference: reference ?? (record.ratingID.map { "rating " + $0.prefix(8) } ?? ""),
                    itemID: row["applicationItem"] ?? row["ratedItem"] ?? row["billKind"], state: OutboxEntry.State(rawValue: record.state) ?? .pending,
                    attempts: record.attempts, createdAt: record.createdAt, nextAttemptAt: record.nextAttemptAt,
                    lastError: record.lastError
                )
            }
        }
    }

    /// Afterwards every pending entry is due at `now`; returns how many there are.
    @discardableResult
    public func retryOutboxNow(at now: Date) async throws -> Int {
        defer { outboxChanged() }
        return try await writeAsync { db in
            try OutboxRecord.filter(Column("state") == OutboxEntry.State.pending.rawValue)
                .updateAll(db, Column("nextAttemptAt").set(to: now))
        }
    }

    /// Afterwards the dead entry `id` is pending again, due now, its age counted from now.
    /// Returns false when there is no dead entry with that id.
    public func requeueOutboxEntry(_ id: Int64, at now: Date) async throws -> Bool {
        defer { outboxChanged() }
        return try await writeAsync { db in
            try OutboxRecord.filter(Column("id") == id && Column("state") == OutboxEntry.State.dead.rawValue)
                .updateAll(
                    db, Column("state").set(to: OutboxEntry.State.pending.rawValue), Column("queuedAt").set(to: now),
                    Column("nextAttemptAt").set(to: now), Column("attempts").set(to: 0)
                ) == 1
        }
    }
}

extension KioskDatabase: OutboxStore {
    public func dueEntries(at now: Date, limit: Int) async throws -> [OutboxEntry] {
        try await readAsync { db in
            let records = try OutboxRecord
                .filter(Column("state") == OutboxEntry.State.pending.rawValue && Column("nextAttemptAt") <= now)
                .order(Column("nextAttemptAt"), Column("id"))
                .limit(limit)
                .fetchAll(db)
            // One cached statement per table rather than one compiled per entry: a batch
            // reads hundreds of rows.
            let applications = try db.cachedStatement(sql: "SELECT * FROM application WHERE id = ?")
            let ratings = try db.cachedStatement(sql: "SELECT * FROM rating WHERE id = ?")
            return try records.map { record in
                let payload: OutboxEntry.Payload
                if let applicationID = record.applicationID {
                    guard let application = try ApplicationRecord.fetchOne(applications, arguments: [applicationID]) else {
                        throw StoreError.missingRow("application")
                    }
                    payload = .application(try application.application)
                } else if let ratingID = record.ratingID {
                    guard let rating = try RatingRecord.fetchOne(ratings, arguments: [ratingID]) else {
                        throw StoreError.missingRow("rating")
                    }
                    payload = .rating(rating.rating)
                } else {
                    guard let orderID = record.paymentOrderID, let report = try Self.paymentReport(db, orderID: orderID) else {
                        throw StoreError.missingRow("paymentOrder")
                    }
                    payload = .payment(report)
                }
                return OutboxEntry(
                    id: record.id!, payload: payload, state: .pending, attempts: record.attempts,
                    createdAt: record.queuedAt, nextAttemptAt: record.nextAttemptAt, lastError: record.lastError
                )
            }
        }
    }

    public func nextDueDate() async throws -> Date? {
        try await readAsync { db in
            try Date.fetchOne(
                db, sql: "SELECT MIN(nextAttemptAt) FROM outboxEntry WHERE state = ?",
                arguments: [OutboxEntry.State.pending.rawValue]
            )
        }
    }

    public func record(_ outcomes: [OutboxOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        defer { outboxChanged() }
        try await writeAsync { db in
            for outcome in outcomes {
                switch outcome {
                case .delivered(let id, let receipt, let now):
                    try Self.recordDelivery(db, id: id, receipt: receipt, at: now)
                case .retry(let id, let attempts, let nextAttemptAt, let reason):
                    try OutboxRecord.filter(Column("id") == id).updateAll(
                        db, Column("attempts").set(to: attempts), Column("nextAttemptAt").set(to: nextAttemptAt),
                        Column("lastError").set(to: reason)
                    )
                case .dead(let id, let attempts, let reason):
                    try OutboxRecord.filter(Column("id") == id).updateAll(
                        db, Column("state").set(to: OutboxEntry.State.dead.rawValue),
                        Column("attempts").set(to: attempts), Column("lastError").set(to: reason)
                    )
                }
            }
        }
    }

    private static func recordDelivery(_ db: Database, id: Int64, receipt: CaseReceipt?, at now: Date) throws {
        // Cached statements: a drain records thousands of deliveries, and compiling a
        // statement (and fetching the record first) for each was a tenth of its CPU.
        let delivered = try db.cachedStatement(sql: """
            UPDATE outboxEntry SET state = ?, deliveredAt = ?, attempts = attempts + 1, lastError = NULL
            WHERE id = ? RETURNING applicationID
            """)
        let applicationID = try String.fetchOne(delivered, arguments: [OutboxEntry.State.delivered.rawValue, now, id])
        guard let receipt, let applicationID else { return }
        // A status already pulled by the sync may be newer than the receipt's.
        let caseNumber = try db.cachedStatement(sql: """
            UPDATE application SET caseNumber = ?,
              status = CASE WHEN statusChangedAt IS NOT NULL AND statusChangedAt > ? THEN status ELSE ? END,
              statusChangedAt = MAX(COALESCE(statusChangedAt, ?), ?)
            WHERE id = ?
            """)
        try caseNumber.execute(arguments: [
            receipt.caseNumber, receipt.changedAt, receipt.status.rawValue, receipt.changedAt, receipt.changedAt, applicationID,
        ])
    }

    public func apply(_ changes: [CaseStatusChange], cursor: Int64) async throws {
        try await writeAsync { db in
            // Cached statements: a sync after an outage applies thousands of changes. A
            // change for an application this kiosk does not have updates nothing.
            let select = try db.cachedStatement(sql: "SELECT * FROM application WHERE id = ?")
            let subItems = try db.cachedStatement(sql: "UPDATE application SET subItemStatusJSON = ? WHERE id = ?")
            let status = try db.cachedStatement(sql: "UPDATE application SET caseNumber = ?, status = ?, statusChangedAt = ? WHERE id = ?")
            for change in changes {
                let id = change.applicationID.uuidString.lowercased()
                if let subItem = change.subItem {
                    guard let record = try ApplicationRecord.fetchOne(select, arguments: [id]) else { continue }
                    var statuses = record.subItemStatuses.mapValues(\.rawValue)
                    statuses[subItem] = change.status.rawValue
                    try subItems.execute(arguments: [try ApplicationRecord.encode(statuses), id])
                } else {
                    try status.execute(arguments: [change.caseNumber, change.status.rawValue, change.changedAt, id])
                }
            }
            try SyncCursorRecord(name: "status-changes", value: cursor).save(db)
        }
    }

    public func statusCursor() async throws -> Int64 {
        try await readAsync { db in
            try SyncCursorRecord.fetchOne(db, key: "status-changes")?.value ?? 0
        }
    }
}

/// Why the store could not do what was asked.
public struct StoreError: Error, CustomStringConvertible {
    private enum Kind { case missingRow(String) }
    private let kind: Kind
    static func missingRow(_ table: String) -> StoreError { StoreError(kind: .missingRow(table)) }

    public var description: String {
        switch kind {
        case .missingRow(let table): "an outbox entry points at a missing \(table) row"
        }
    }
}
