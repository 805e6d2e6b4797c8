import Foundation
import GRDB
import KioskCore
import Synchronization

/// The daemon's one database: a SQLite file in WAL mode with `synchronous=FULL`, so that
/// whatever a write method has returned from survives a power cut.
///
/// All writes go through methods named by intent; each one's documentation says what is
/// true after it returns. The writer is private: nothing else in the daemon touches SQL.
public final class KioskDatabase: Sendable {
    private let writer: DatabasePool
    /// The outbox counts as last read, and the outbox's change count they were read at:
    /// Status asks for them on every call, the outbox changes far less often.
    let outboxCountsCache = Mutex<(version: Int, counts: OutboxCounts)?>(nil)
    /// Bumped by every write to the outbox; the cache above is valid while it is unchanged.
    let outboxVersion = Atomic<Int>(0)
    /// The payments' status as last read, for the open day starting at `periodStart`, and
    /// the payments' change count it was read at (Status asks on every call).
    let paymentsStatusCache = Mutex<(version: Int, periodStart: Date, status: PaymentsStatus)?>(nil)
    /// Bumped by every write to the ledger, the orders' receipts and the settlements.
    let paymentsVersion = Atomic<Int>(0)
    /// The file the database lives in.
    public let path: String
    /// Told when a write failed for lack of space (`onStorageFull`).
    private let storageFullHandler = Mutex<(@Sendable () -> Void)?>(nil)

    /// Opens (creating if needed) the database at `path` and applies every migration.
    /// Afterwards the schema is current and the file is in WAL mode.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk before it returns; WAL alone with NORMAL could lose
            // the last transactions at a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(5)
        self.path = path
        writer = try DatabasePool(path: path, configuration: configuration)
        // SQLite lowers `synchronous` to its WAL default (NORMAL in Debian's build) when the
        // pool switches the writer to WAL after `prepareDatabase`; set FULL again on the one
        // connection that writes.
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.migrator.migrate(writer)
    }

    /// The names of the migrations applied to the file, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// The value of a pragma as the writer connection sees it (for tests and diagnostics).
    public func pragma(_ name: String) throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        return try writer.write { db in
            switch try DatabaseValue.fetchOne(db, sql: "PRAGMA \(name)")?.storage {
            case .int64(let number): String(number)
            case .string(let text): text
            default: nil
            }
        }
    }

    /// True when SQLite's integrity check finds nothing wrong.
    public func integrityCheck() throws -> Bool {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }

    /// Closes the database; afterwards every connection is closed and the WAL is
    /// checkpointed into the main file.
    public func close() throws {
        try writer.close()
    }

    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch {
            noteFailure(error)
            throw error
        }
    }

    /// Writes on GRDB's writer queue without holding a thread of Swift's cooperative pool
    /// while SQLite waits for the disk.
    func writeAsync<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch {
            noteFailure(error)
            throw error
        }
    }

    /// Afterwards `handler` is called (on the writing thread) whenever a write fails
    /// because the disk is full, so the daemon can stop taking work at once.
    public func onStorageFull(_ handler: @escaping @Sendable () -> Void) {
        storageFullHandler.withLock { $0 = handler }
    }

    /// True for SQLite's "database or disk is full" and the I/O errors a full disk causes
    /// in the WAL; a real I/O error is told apart by the free space the monitor then finds.
    public static func isStorageFull(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR
    }

    private func noteFailure(_ error: any Error) {
        guard Self.isStorageFull(error), let handler = storageFullHandler.withLock({ $0 }) else { return }
        handler()
    }

    /// Reads on a reader of the pool without holding a cooperative thread.
    func readAsync<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(value)
    }

    /// Reads on the calling thread, waiting for a reader of the pool. Never from async
    /// code: two such waits held both threads of the cooperative pool while the readers
    /// they waited for were held by async reads that needed a pool thread to finish, and
    /// kioskd stopped (seen after a kill -9 under load: no READY, Status never answered).
    /// The store's blocking reads have async twins of the same name, which the compiler
    /// picks in async code.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try writer.read(value)
    }
}
