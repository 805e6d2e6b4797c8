import Foundation
import KioskCore
import KioskStore
import KioskTesting
import Testing

@Suite("Database")
struct KioskDatabaseTests {
    @Test("Opening a new file applies every migration, in WAL mode with synchronous=FULL")
    func opening() throws {
        // Given an empty temp directory
        let directory = try TemporaryDirectory()
        // When the database is opened
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        // Then the schema is migrated and durability is as promised
        #expect(try database.appliedMigrations() == ["v1-terminals-sessions-audit", "v2-applications-outbox", "v3-print-jobs", "v4-payments", "v5-settlements", "v6-privacy", "v7-identity-proof"])
        #expect(try database.pragma("journal_mode") == "wal")
        let synchronous = try database.pragma("synchronous")
        #expect(synchronous == "2", "synchronous=\(String(describing: synchronous))")
        #expect(try database.integrityCheck())
        try database.close()
    }

    @Test("Terminals, sessions and audit entries survive closing and reopening the file")
    func durability() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        let first = try KioskDatabase(path: path)
        try first.registerTerminals([("hall-1", "citizen", "/dev/ttyS0")], at: Date())
        await first.sessionStarted(terminal: "hall-1", at: Date())
        await first.sessionEnded(terminal: "hall-1", reason: .idle, at: Date())
        try first.appendAudit(AuditRecord(at: Date(), actor: "uid:0", action: "io.kioskd.Control.Status", outcome: "ok"))
        try first.close()

        let second = try KioskDatabase(path: path)
        #expect(try second.terminals().map(\.name) == ["hall-1"])
        let sessions = try second.sessions(terminal: "hall-1")
        #expect(sessions.count == 1)
        #expect(sessions[0].endReason == "idle")
        #expect(try second.recentAudit().first?.action == "io.kioskd.Control.Status")
        try second.close()
    }

    @Test("A session left open by a crash is closed when the next one starts")
    func crashedSession() async throws {
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        await database.sessionStarted(terminal: "t", at: Date())
        await database.sessionStarted(terminal: "t", at: Date())
        let sessions = try database.sessions(terminal: "t")
        #expect(sessions.count == 2)
        #expect(sessions.filter { $0.endedAt == nil }.count == 1)
        #expect(sessions.last?.endReason == "daemon-restart")
    }

    @Test("Registering a terminal again updates its profile and device")
    func reregister() throws {
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        try database.registerTerminals([("t", "citizen", "/dev/a")], at: Date())
        try database.registerTerminals([("t", "enterprise", "/dev/b")], at: Date())
        let terminals = try database.terminals()
        #expect(terminals.count == 1)
        #expect(terminals[0].profile == "enterprise")
        #expect(terminals[0].device == "/dev/b")
    }
}
