import CaseServiceAPI
import Foundation
import GRDB

/// A row of `caseRecord`.
struct CaseRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "caseRecord"
    var applicationId: String
    var kiosk: String
    var applicationNumber: String
    var caseNumber: String
    var itemId: String
    var body: String
    var status: String
    var statusChangedAt: Date
    var subItemsJSON: String
    var createdAt: Date

    var subItemStatuses: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(subItemsJSON.utf8))) ?? [:]
    }

    var contractCase: Components.Schemas.Case {
        Components.Schemas.Case(
            applicationId: applicationId, applicationNumber: applicationNumber, caseNumber: caseNumber,
            status: Components.Schemas.CaseStatus(rawValue: status) ?? .accepted, statusChangedAt: statusChangedAt,
            subItems: subItemStatuses.sorted { $0.key < $1.key }.map {
                Components.Schemas.SubItemStatus(id: $0.key, status: .init(rawValue: $0.value) ?? .accepted)
            }
        )
    }
}

/// The outcome of a submission.
enum SubmissionOutcome: Sendable {
    case created(CaseRow)
    case replay(CaseRow)
    /// The UUID is known with a different body (or belongs to another kiosk).
    case conflict
}

extension CaseStore {
    /// Opens a case for `submission`, or returns the case an earlier identical submission
    /// opened. The check and the insert are one transaction, so two concurrent repeats
    /// cannot both open a case.
    func submit(_ submission: Components.Schemas.ApplicationSubmission, kiosk: String, now: Date) async throws
        -> SubmissionOutcome
    {
        let body = try Self.canonicalBody(submission)
        return try await writeAsync { db in
            if let existing = try CaseRow.fetchOne(db, key: submission.applicationId) {
                return existing.body == body && existing.kiosk == kiosk ? .replay(existing) : .conflict
            }
            if try CaseRow.filter(Column("kiosk") == kiosk && Column("applicationNumber") == submission.applicationNumber)
                .fetchCount(db) > 0
            {
                return .conflict
            }
            let sequence = try Self.next(db, counter: "case")
            let row = CaseRow(
                applicationId: submission.applicationId, kiosk: kiosk, applicationNumber: submission.applicationNumber,
                caseNumber: "CS" + Self.day(now) + String(format: "%06d", sequence), itemId: submission.itemId,
                body: body, status: "accepted", statusChangedAt: now,
                subItemsJSON: try Self.json(Dictionary(submission.subItems.map { ($0, "accepted") }) { first, _ in first }),
                createdAt: now
            )
            try row.insert(db)
            try Self.recordChange(db, row: row, subItem: nil, status: "accepted", at: now)
            for subItem in submission.subItems {
                try Self.recordChange(db, row: row, subItem: subItem, status: "accepted", at: now)
            }
            return .created(row)
        }
    }

    func caseRow(kiosk: String, applicationNumber: String? = nil, caseNumber: String? = nil) async throws -> CaseRow? {
        try await readAsync { db in
            var request = CaseRow.filter(Column("kiosk") == kiosk)
            if let applicationNumber { request = request.filter(Column("applicationNumber") == applicationNumber) }
            if let caseNumber { request = request.filter(Column("caseNumber") == caseNumber) }
            return try request.fetchOne(db)
        }
    }

    func statusChanges(kiosk: String, after cursor: Int64, limit: Int) async throws
        -> ([Components.Schemas.StatusChange], Int64)
    {
        try await readAsync { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, c.applicationNumber FROM statusChange s JOIN caseRecord c USING (applicationId)
                    WHERE s.kiosk = ? AND s.sequence > ? ORDER BY s.sequence LIMIT ?
                    """,
                arguments: [kiosk, cursor, limit]
            )
            let changes = rows.map { row in
                Components.Schemas.StatusChange(
                    sequence: row["sequence"], applicationId: row["applicationId"],
                    applicationNumber: row["applicationNumber"], caseNumber: row["caseNumber"], subItem: row["subItem"],
                    status: .init(rawValue: row["status"]) ?? .accepted, changedAt: row["changedAt"]
                )
            }
            return (changes, changes.last?.sequence ?? cursor)
        }
    }

    /// Moves a case (or one sub-item of a bundle) to `status`, or along the usual path
    /// (accepted → under review → approved → done) when `status` is nil. Returns the case
    /// afterwards; nil when there is no such case.
    func advance(caseNumber: String, to status: String?, subItem: String?, now: Date) async throws -> CaseRow? {
        try await writeAsync { db in
            guard var row = try CaseRow.filter(Column("caseNumber") == caseNumber).fetchOne(db) else { return nil }
            if let subItem {
                var statuses = row.subItemStatuses
                guard let current = statuses[subItem] else { return row }
                guard let next = status ?? Self.nextStatus(after: current) else { return row }
                statuses[subItem] = next
                row.subItemsJSON = try Self.json(statuses)
                try row.update(db)
                try Self.recordChange(db, row: row, subItem: subItem, status: next, at: now)
                return row
            }
            guard let next = status ?? Self.nextStatus(after: row.status) else { return row }
            row.status = next
            row.statusChangedAt = now
            var statuses = row.subItemStatuses
            for (key, value) in statuses where Self.nextStatus(after: value) != nil {
                statuses[key] = next
                try Self.recordChange(db, row: row, subItem: key, status: next, at: now)
            }
            row.subItemsJSON = try Self.json(statuses)
            try row.update(db)
            try Self.recordChange(db, row: row, subItem: nil, status: next, at: now)
            return row
        }
    }

    /// Cases not finished whose status is older than `age`, for the scheduled advance.
    func casesToAdvance(olderThan age: TimeInterval, now: Date) async throws -> [String] {
        try await readAsync { db in
            try String.fetchAll(
                db,
                sql: "SELECT caseNumber FROM caseRecord WHERE status IN ('accepted','under-review','approved') AND statusChangedAt <= ?",
                arguments: [now.addingTimeInterval(-age)]
            )
        }
    }

    func applicationCount() async throws -> Int {
        try await readAsync { db in try CaseRow.fetchCount(db) }
    }

    static func nextStatus(after status: String) -> String? {
        switch status {
        case "accepted": "under-review"
        case "under-review": "approved"
        case "approved": "done"
        default: nil
        }
    }

    private static func recordChange(_ db: Database, row: CaseRow, subItem: String?, status: String, at date: Date) throws {
        try db.execute(
            sql: "INSERT INTO statusChange (kiosk, applicationId, caseNumber, subItem, status, changedAt) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [row.kiosk, row.applicationId, row.caseNumber, subItem, status, date]
        )
    }

    static func next(_ db: Database, counter: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
            arguments: [counter]
        )
        return try Int64.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [counter]) ?? 1
    }

    static func day(_ date: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: date)
        return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The body's identity: its canonical JSON (sorted keys, ISO 8601 dates), so the same
    /// submission compares equal however its JSON was laid out. Kept whole, not hashed:
    /// exact, and small.
    static func canonicalBody(_ value: some Encodable) throws -> String {
        try json(value)
    }
}
