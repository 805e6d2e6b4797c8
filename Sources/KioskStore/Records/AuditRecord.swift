import Foundation
import GRDB
import KioskCore

/// A row of `auditEntry`: one thing a technician or the daemon did. Texts name actions
/// and objects (terminal names, record numbers), never personal data.
///
/// Every text is bounded when the record is made: control and layout characters written
/// as `\u{…}` escapes and at most `maximumFieldBytes` of UTF-8 kept, so nothing a caller
/// sends reaches the table raw or without bound (50 calls once added 44.6 MB).
public struct AuditRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEntry"
    public var id: Int64?
    public var at: Date
    /// Who acted: "uid:1000", "daemon".
    public var actor: String
    /// What was asked: a Varlink method name or a daemon event.
    public var action: String
    /// "ok", "denied", or an error name.
    public var outcome: String
    public var detail: String

    /// The longest text a field keeps, in bytes of UTF-8.
    public static let maximumFieldBytes = 1024

    public init(at: Date, actor: String, action: String, outcome: String, detail: String = "") {
        self.at = at
        self.actor = UntrustedText.bounded(actor, maximumBytes: Self.maximumFieldBytes)
        self.action = UntrustedText.bounded(action, maximumBytes: Self.maximumFieldBytes)
        self.outcome = UntrustedText.bounded(outcome, maximumBytes: Self.maximumFieldBytes)
        self.detail = UntrustedText.bounded(detail, maximumBytes: Self.maximumFieldBytes)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension KioskDatabase {
    /// Afterwards the entry is durable in the audit log, with its id set.
    @discardableResult
    public func appendAudit(_ entry: AuditRecord) throws -> AuditRecord {
        try write { db in
            var entry = entry
            try entry.insert(db)
            return entry
        }
    }

    /// Afterwards the entries are durable, in order, committed as one transaction.
    public func appendAudit(_ entries: [AuditRecord]) async throws {
        try await writeAsync { db in
            for var entry in entries { try entry.insert(db) }
        }
    }

    /// The newest audit entries, newest first.
    public func recentAudit(limit: Int = 100) throws -> [AuditRecord] {
        try read { db in try AuditRecord.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// The newest `limit` audit entries, newest first: only `actor`'s (exactly) when given,
    /// and only those whose action contains `action` (as it is stored, escapes and all;
    /// no wildcards) when given.
    public func auditEntries(limit: Int, actor: String? = nil, action: String? = nil) throws -> [AuditRecord] {
        try read { db in try Self.auditEntries(limit: limit, actor: actor, action: action, in: db) }
    }

    /// The same, read without holding a thread of Swift's cooperative pool.
    public func auditEntries(limit: Int, actor: String? = nil, action: String? = nil) async throws -> [AuditRecord] {
        try await readAsync { db in try Self.auditEntries(limit: limit, actor: actor, action: action, in: db) }
    }

    private static func auditEntries(limit: Int, actor: String?, action: String?, in db: Database) throws -> [AuditRecord] {
        var request = AuditRecord.order(Column("id").desc)
        if let actor { request = request.filter(Column("actor") == actor) }
        if let action { request = request.filter(sql: "instr(action, ?) > 0", arguments: [action]) }
        return try request.limit(limit).fetchAll(db)
    }

    /// Afterwards no audit entry from before `cutoff` is left; returns how many were deleted.
    @discardableResult
    public func pruneAudit(before cutoff: Date) async throws -> Int {
        try await writeAsync { db in try AuditRecord.filter(Column("at") < cutoff).deleteAll(db) }
    }

    /// How many audit entries there are.
    public func auditCount() throws -> Int {
        try read { db in try AuditRecord.fetchCount(db) }
    }
}
