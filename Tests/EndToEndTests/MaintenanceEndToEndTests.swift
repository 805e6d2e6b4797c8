#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// `kioskctl backup` and `kioskctl audit` on the real daemon.
@Suite("Backup and audit log end to end")
struct MaintenanceEndToEndTests {
    static func mode(_ path: String) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o777
    }

    @Test("Under umask 000 kioskctl backup writes a verified copy, folder 0700 and file 0600; a name in use is refused with exit 73",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func backup() async throws {
        // Given a daemon started under umask 000
        let daemon = try DaemonProcess(umask: 0)
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        let socket = daemon.controlSocket
        // When a technician backs the database up by name, as JSON
        let named = try await run("kioskctl", ["--socket", socket, "backup", "before-upgrade", "--json"])
        #expect(named.status == 0, "\(named.errors)")
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(named.output.utf8))
        // Then the copy is backups/before-upgrade.sqlite under the state directory, private
        let folder = daemon.directory.file("backups")
        let path = (folder as NSString).appendingPathComponent("before-upgrade.sqlite")
        #expect(reply["path"] == .string(path), "\(named.output)")
        #expect(Self.mode(folder) == 0o700)
        #expect(Self.mode(path) == 0o600)
        // And its size and pages are the file's, and SQLite finds it sound with the daemon's tables
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(reply["size"]?.integerValue == (attributes[.size] as? NSNumber)?.int64Value)
        let check = try await SQLiteShell.query(path, "PRAGMA integrity_check; PRAGMA page_count; SELECT count(*) > 0 FROM grdb_migrations")
        #expect(check.first == "ok", "\(check)")
        #expect(check.dropFirst().first == reply["pages"]?.integerValue.map(String.init), "\(check) \(named.output)")
        #expect(check.last == "1")
        // When the same name is used again / Then it is refused (exit 73) and the copy stays
        let again = try await run("kioskctl", ["--socket", socket, "backup", "before-upgrade"])
        #expect(again.status == 73)
        #expect(again.errors.contains("BackupFailed") && again.errors.contains("exists already"), "\(again.errors)")
        #expect(Self.mode(path) == 0o600)
        // When a name tries to leave the folder / Then it is refused before anything is written
        let escape = try await run("kioskctl", ["--socket", socket, "backup", "../kioskd"])
        #expect(escape.status == 1 && escape.errors.contains("InvalidParameter"), "\(escape.errors)")
        // When no name is given / Then the hall's time names the copy, and the table says so
        let unnamed = try await run("kioskctl", ["--socket", socket, "backup"])
        #expect(unnamed.status == 0, "\(unnamed.errors)")
        #expect(unnamed.output.contains(#/backups/kioskd-\d{8}-\d{6}\.sqlite: \d+ bytes, \d+ pages, integrity ok/#), "\(unnamed.output)")
        // And the folder holds the two copies and nothing else (no journals left behind)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 2 && files[0] == "before-upgrade.sqlite" && files[1].hasPrefix("kioskd-"), "\(files)")
    }

    @Test("kioskctl audit lists the newest rows, including calls just made, filtered by action and caller")
    func audit() async throws {
        // Given a daemon on which a technician called Status and Printers
        let daemon = try DaemonProcess()
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        let socket = daemon.controlSocket
        _ = try await run("kioskctl", ["--socket", socket, "status"])
        _ = try await run("kioskctl", ["--socket", socket, "printers"])
        // When the audit log is read, filtered by action, as JSON
        let filtered = try await run("kioskctl", ["--socket", socket, "audit", "--action", "Printers", "--json"])
        #expect(filtered.status == 0, "\(filtered.errors)")
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(filtered.output.utf8))
        // Then the Printers call is there at once, with the caller and the hall's time
        let entries = reply["entries"]?.arrayValue ?? []
        #expect(entries.count == 1, "\(filtered.output)")
        #expect(entries.first?["action"] == .string("io.kioskd.Control.Printers"))
        #expect(entries.first?["actor"] == .string("uid:\(getuid())"))
        #expect(entries.first?["outcome"] == .string("ok"))
        #expect(entries.first?["at"]?.stringValue?.hasSuffix("+08:00") == true, "\(filtered.output)")
        // When filtered by a caller who never called, and limited / Then as asked
        let nobody = try await run("kioskctl", ["--socket", socket, "audit", "--actor", "uid:65534", "--json"])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(nobody.output.utf8))["entries"] == .array([]))
        let table = try await run("kioskctl", ["--socket", socket, "audit", "--limit", "2"])
        let lines = table.output.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("ID  AT"), "\(table.output)")
        // The newest first: the filtered audit call before this one
        #expect(lines[1].contains("io.kioskd.Control.AuditLog"), "\(table.output)")
    }
}
