import Foundation
import GRDB
import KioskCore

/// A row of `session`: one citizen's use of a terminal, from the first key to the reset.
/// Holds times and the reason it ended, never anything the citizen typed.
public struct SessionRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "session"
    public var id: Int64?
    public var terminal: String
    public var startedAt: Date
    public var endedAt: Date?
    public var endReason: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension KioskDatabase: SessionJournal {
    /// Afterwards `terminal` has exactly one open session, started at `date`; a session
    /// left open by a crash is closed first with the reason "daemon-restart".
    public func sessionStarted(terminal: String, at date: Date) async {
        _ = try? await writeAsync { db in
            try Self.closeOpenSessions(db, terminal: terminal, reason: "daemon-restart", at: date)
            var record = SessionRecord(terminal: terminal, startedAt: date)
            try record.insert(db)
        }
    }

    /// Afterwards `terminal` has no open session.
    public func sessionEnded(terminal: String, reason: SessionEndReason, at date: Date) async {
        _ = try? await writeAsync { db in
            try Self.closeOpenSessions(db, terminal: terminal, reason: reason.rawValue, at: date)
        }
    }

    private static func closeOpenSessions(_ db: Database, terminal: String, reason: String, at date: Date) throws {
        try SessionRecord
            .filter(Column("terminal") == terminal && Column("endedAt") == nil)
            .updateAll(db, Column("endedAt").set(to: date), Column("endReason").set(to: reason))
    }

    /// The sessions of `terminal`, newest first.
    public func sessions(terminal: String, limit: Int = 100) throws -> [SessionRecord] {
        try read { db in
            try SessionRecord.filter(Column("terminal") == terminal).order(Column("id").desc).limit(limit).fetchAll(db)
        }
    }
}
