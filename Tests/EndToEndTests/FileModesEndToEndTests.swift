#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskTesting
import Testing

/// The permission bits of `path` (mode & 0777), or nil when it does not exist.
private func mode(_ path: String) -> mode_t? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return status.st_mode & 0o777
}

@Suite("kioskd's files are private whatever the umask")
struct FileModesEndToEndTests {
    @Test("Under umask 000 the state directory is 0700 and the database, its WAL and the ledger key are 0600")
    func freshStateUnderOpenUmask() async throws {
        // Given a state directory that does not exist yet and a caller whose umask takes
        // nothing away
        let daemon = try DaemonProcess(stateSubdirectory: "state", umask: 0)
        // When kioskd has started (and so created and migrated its database)
        #expect(await daemon.waitUntilReady())
        let state = daemon.directory.file("state")
        // Then nothing of its state is readable by anyone else
        #expect(mode(state) == 0o700)
        #expect(mode(daemon.databasePath) == 0o600)
        #expect(mode(daemon.databasePath + "-wal") == 0o600)
        #expect(mode(daemon.databasePath + "-shm") == 0o600)
        #expect(mode(state + "/ledger.key") == 0o600)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("A state directory and database left world-readable are made private at start")
    func looseStateIsTightened() async throws {
        // Given a state directory (0777) and an empty database file (0666) made by hand,
        // as an admin under umask 000 might
        let directory = try TemporaryDirectory(prefix: "kioskd-e2e")
        let state = directory.file("state")
        #expect(mkdir(state, 0o777) == 0 && chmod(state, 0o777) == 0)
        let database = state + "/kioskd.sqlite"
        #expect(FileManager.default.createFile(atPath: database, contents: nil))
        #expect(chmod(database, 0o666) == 0)
        // When kioskd starts on it under umask 022
        let daemon = try DaemonProcess(reusing: directory, stateSubdirectory: "state", umask: 0o022)
        #expect(await daemon.waitUntilReady())
        // Then both are private and the database was used, not replaced
        #expect(mode(state) == 0o700)
        #expect(mode(database) == 0o600)
        let migrations = try await SQLiteShell.query(database, "SELECT count(*) FROM grdb_migrations")
        #expect(migrations == ["7"])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
