import Foundation
import GRDB

/// What a backup copied: the copy's page count and what SQLite's integrity check said of it.
public struct DatabaseBackupSummary: Sendable, Hashable {
    public var pages: Int
    /// "ok" when the copy is sound; otherwise the first lines `PRAGMA integrity_check` wrote.
    public var integrity: String

    public var isSound: Bool { integrity == "ok" }
}

extension KioskDatabase {
    /// Copies the database into the file at `path` with SQLite's online backup API, from a
    /// reader's snapshot (writers go on meanwhile, WAL), then checks the copy with `PRAGMA
    /// integrity_check` and counts its pages. The file should exist already with the mode
    /// it must keep (SQLite keeps an existing file's mode, and gives its journals that
    /// mode); afterwards it holds the copy in rollback-journal mode (one file), closed.
    /// Throws SQLite's error when the copy fails.
    public func backup(to path: String) async throws -> DatabaseBackupSummary {
        let destination = try DatabaseQueue(path: path)
        do {
            try await readAsync { db in
                try destination.writeWithoutTransaction { copy in try db.backup(to: copy) }
            }
            // The copy is one self-contained file: a reader (sqlite3, a restore) leaves no
            // -wal or -shm beside it.
            try await destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let summary = try await destination.read { db in
                DatabaseBackupSummary(
                    pages: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                    integrity: try String.fetchAll(db, sql: "PRAGMA integrity_check").prefix(5).joined(separator: "; ")
                )
            }
            try destination.close()
            return summary
        } catch {
            try? destination.close()
            throw error
        }
    }
}
