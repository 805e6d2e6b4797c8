import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

@Suite("Audit log and backup control methods")
struct MaintenanceControlTests {
    @Test("AuditLog answers the newest rows filtered by actor and action; a limit outside 1…1000 or an empty filter is InvalidParameter")
    func auditLog() async throws {
        // Given a backend with two audit rows
        // When AuditLog is called plainly, filtered, limited and with bad parameters
        let replies = try await replies([
            call("AuditLog"),
            call("AuditLog", ["actor": .string("uid:0")]),
            call("AuditLog", ["action": .string("Status")]),
            call("AuditLog", ["limit": .integer(1)]),
            call("AuditLog", ["limit": .integer(0)]),
            call("AuditLog", ["limit": .integer(1001)]),
            call("AuditLog", ["limit": .string("5")]),
            call("AuditLog", ["actor": .string("")]),
        ])
        // Then the rows come newest first in snake_case, filtered as asked
        let ids = replies[0...3].map { $0.parameters?["entries"]?.arrayValue?.compactMap { $0["id"]?.integerValue } }
        #expect(ids == [[2, 1], [2], [1], [2]])
        #expect(replies[0].parameters?["entries"]?.arrayValue?.first?["action"] == .string("io.kioskd.Control.LockTerminal"))
        #expect(replies[0].parameters?["entries"]?.arrayValue?.first?["at"] == .string("2026-11-23T14:05:10+08:00"))
        // And the bad parameters are named
        #expect(replies[4...].map { $0.parameters?["parameter"]?.stringValue } == ["limit", "limit", "limit", "actor"])
    }

    @Test("Backup answers the path, size and pages; a name with a slash, .., a leading dot or control characters is InvalidParameter; a failure is BackupFailed")
    func backup() async throws {
        // Given the fixed backend
        // When Backup is called with no name, a good name, bad names and a name that exists
        let replies = try await replies([
            call("Backup"),
            call("Backup", ["name": .string("before-upgrade.sqlite")]),
            call("Backup", ["name": .string("../kioskd")]),
            call("Backup", ["name": .string("a/b")]),
            call("Backup", ["name": .string(".hidden")]),
            call("Backup", ["name": .string("a..b")]),
            call("Backup", ["name": .string("x\u{1B}[2J")]),
            call("Backup", ["name": .string("")]),
            call("Backup", ["name": .string(String(repeating: "a", count: 65))]),
            call("Backup", ["name": .string("exists")]),
        ])
        // Then the good ones answer where the copy is
        #expect(replies[0].parameters?["path"] == .string("/var/lib/kioskd/backups/kioskd-20261123-140509.sqlite"))
        #expect(replies[0].parameters?["size"] == .integer(4096))
        #expect(replies[0].parameters?["pages"] == .integer(1))
        #expect(replies[1].parameters?["path"] == .string("/var/lib/kioskd/backups/before-upgrade.sqlite"))
        // And every bad name is refused before the backend is asked
        #expect(replies[2...8].allSatisfy { $0.error == "org.varlink.service.InvalidParameter" && $0.parameters?["parameter"] == .string("name") })
        // And the backend's failure is the declared BackupFailed with its message
        #expect(replies[9].error == "io.kioskd.Control.BackupFailed")
        #expect(replies[9].parameters?["message"] == .string("backups/exists.sqlite exists already"))
    }

    @Test("The technicians' group reads the audit log; Backup needs the admin group")
    func access() async throws {
        // Given a reader (users) and an admin (adm), callers that do not exist
        let interface = ControlInterface(backend: FixedBackend(), policy: AccessPolicy(readGroup: "users", adminGroup: "adm"))
        let reader = PeerCredentials(pid: 1, uid: 4_000_001, gid: 100)
        let admin = PeerCredentials(pid: 1, uid: 4_000_002, gid: 4)
        func outcome(_ method: String, as caller: PeerCredentials) async -> String {
            do {
                return try await interface.handle(call(method), caller: caller).error ?? "ok"
            } catch let error as VarlinkError {
                return error.name
            } catch {
                return "\(error)"
            }
        }
        // When each calls / Then the reader reads the audit log only
        #expect(await outcome("AuditLog", as: reader) == "ok")
        #expect(await outcome("Backup", as: reader) == "org.varlink.service.PermissionDenied")
        #expect(await outcome("Backup", as: admin) == "ok")
        #expect(await outcome("Reload", as: reader) == "org.varlink.service.PermissionDenied")
        #expect(await outcome("Reload", as: admin) == "ok")
    }

    @Test("Reload answers what applied and what needs a restart in snake_case")
    func reload() async throws {
        // Given a backend whose reload changed the catalog and [session] / When Reload is called
        let replies = try await replies([call("Reload")])
        // Then the reply says so
        #expect(replies[0].parameters == .object([
            "catalog_items": .integer(42), "catalog_stages": .integer(8), "catalog_changed": .bool(true),
            "applied": .array([.string("[catalog]")]), "needs_restart": .array([.string("[session]")]),
        ]))
    }
}
