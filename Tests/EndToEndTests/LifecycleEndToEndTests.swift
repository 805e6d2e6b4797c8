#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskControl
import KioskTesting
import Testing

/// Runs a built executable to completion and returns its exit code and output.
func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
    try await offPool { try runBlocking(executable, arguments) }
}

private func runBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: executable))
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readAll()
    let err = errors.fileHandleForReading.readAll()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite("kioskd lifecycle")
struct LifecycleEndToEndTests {
    @Test("READY comes after the database is migrated, with a STATUS line; SIGTERM sends STOPPING and exits 0")
    func notify() async throws {
        // Given kioskd with a fake NOTIFY_SOCKET
        let daemon = try DaemonProcess()
        // When it reports ready
        #expect(await daemon.waitUntilReady())
        // Then the database file is already migrated (read by the sqlite3 shell, an
        // outside reader) and the control socket answers
        let migrations = try await SQLiteShell.query(daemon.databasePath, "SELECT identifier FROM grdb_migrations")
        #expect(migrations == ["v1-terminals-sessions-audit", "v2-applications-outbox", "v3-print-jobs", "v4-payments", "v5-settlements", "v6-privacy", "v7-identity-proof"])
        #expect(try await run("kioskctl", ["--socket", daemon.controlSocket, "status"]).status == 0)
        let ready = daemon.notify.received().first { $0.contains("READY=1") } ?? ""
        #expect(ready.contains("STATUS=0/0 terminals open"))
        // When SIGTERM arrives
        daemon.signal(SIGTERM)
        // Then STOPPING is sent and the exit is clean
        #expect(await daemon.notify.waitFor("STOPPING=1"))
        #expect(await daemon.waitForExit() == 0)
        let messages = daemon.notify.received()
        let readyIndex = try #require(messages.firstIndex { $0.contains("READY=1") })
        let stoppingIndex = try #require(messages.firstIndex { $0.contains("STOPPING=1") })
        #expect(readyIndex < stoppingIndex)
        #expect(!FileManager.default.fileExists(atPath: daemon.controlSocket))
    }

    @Test("SIGHUP reloads without stopping the daemon")
    func reload() async throws {
        let daemon = try DaemonProcess()
        #expect(await daemon.waitUntilReady())
        daemon.signal(SIGHUP)
        #expect(await daemon.notify.waitFor("RELOADING=1"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("kioskctl status prints the terminals as a table and as JSON")
    func kioskctlStatus() async throws {
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: "[[terminal]]\nname = \"desk-7\"\ndevice = \"\(pty.devicePath)\"\nprofile = \"enterprise\"\n")
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        let table = try await run("kioskctl", ["--socket", daemon.controlSocket, "status"])
        #expect(table.status == 0)
        #expect(table.output.contains("kioskd 0.1.0"))
        #expect(table.output.contains("desk-7  enterprise  open"))
        let json = try await run("kioskctl", ["status", "--socket", daemon.controlSocket, "--json"])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.output.utf8))
        #expect(decoded["terminals"]?.arrayValue?.first?["name"] == .string("desk-7"))
        daemon.signal(SIGTERM)
        let exit = await daemon.waitForExit()
        #expect(exit == 0, "exit \(String(describing: exit)): \(daemon.errorOutput().suffix(2000))")
        let down = try await run("kioskctl", ["--socket", daemon.controlSocket, "status"])
        #expect(down.status == 69)
        #expect(down.errors.contains("cannot connect"))
    }

    @Test("A broken configuration, or one without a kiosk id, stops kioskd with exit code 78 and names file, line and key")
    func brokenConfiguration() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.toml")
        try "[daemon]\nlog_level = \"info\"\nlog_levle = \"debug\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let started = try await run("kioskd", ["--config", path])
        #expect(started.status == 78)
        #expect(started.errors.contains("\(path):3: daemon.log_levle: unknown key"))
        let checked = try await run("kioskd", ["--check-config", "--config", path])
        #expect(checked.status == 78)
        // A configuration without a kiosk id is refused too: its numbers would collide
        try "[daemon]\nlog_level = \"info\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let anonymous = try await run("kioskd", ["--check-config", "--config", path])
        #expect(anonymous.status == 78)
        #expect(anonymous.errors.contains("\(path): daemon.kiosk_id: required key is missing"))
        try "[daemon]\nkiosk_id = \"hall 7\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let malformed = try await run("kioskd", ["--config", path])
        #expect(malformed.status == 78)
        #expect(malformed.errors.contains("\(path):2: daemon.kiosk_id: \"hall 7\" is not a kiosk id"))
        try "[daemon]\nkiosk_id = \"hall-7\"\nlog_level = \"info\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let valid = try await run("kioskd", ["--check-config", "--config", path])
        #expect(valid.status == 0)
        #expect(valid.output.contains("valid"))
    }

    @Test("--version prints the version")
    func version() async throws {
        let result = try await run("kioskd", ["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("case-service picks a free loopback port and answers its health check")
    func caseService() async throws {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "case-service"))
        process.arguments = ["--port", "0", "--database", directory.file("case.sqlite")]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let handle = output.fileHandleForReading
        let line = try await offPool { String(decoding: handle.readSome(), as: UTF8.self) }
        let url = try #require(line.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let (data, response) = try await URLSession.shared.data(from: URL(string: url + "/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let health = try JSONSerialization.jsonObject(with: data) as? [String: String]
        #expect(health == ["status": "ok"])
    }
}

