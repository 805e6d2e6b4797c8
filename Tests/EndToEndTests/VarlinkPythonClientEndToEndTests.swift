#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskStore
import KioskTesting
import Testing

/// Standard Varlink clients work with `io.kioskd.Control` (issue 13): the reference
/// Python implementation (PyPI `varlink`, which `make test-deps` installs for Debian's
/// python3) parses the shipped interface file and calls every method.
@Suite("Varlink reference client")
struct VarlinkPythonClientEndToEndTests {
    /// The repository's root, from this file's place in it.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = "/usr/bin/python3"

    /// A daemon with one dead outbox entry (to requeue), its state directory open to
    /// other users for traversal only, so that a child running as `nobody` can reach the
    /// control socket and be refused by the daemon rather than by the file system.
    func startDaemon() async throws -> (DaemonProcess, deadID: Int64, terminal: PseudoTerminal) {
        let state = try TemporaryDirectory(prefix: "kioskd-e2e")
        let database = try KioskDatabase(path: state.file("kioskd.sqlite"))
        _ = try await database.storeApplication(at: Date()) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                itemID: "resident-pension-claim", terminal: "hall-1", values: [:], subItems: [], delivery: .pickup,
                consentToGaps: false, needsReview: false, submittedAt: Date()
            )
        }
        try database.close()
        let update = try Subprocess.run("/usr/bin/sqlite3", [state.file("kioskd.sqlite"), "UPDATE outboxEntry SET state = 'dead'; SELECT id FROM outboxEntry"])
        #expect(update.status == 0, "\(update.output)")
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: "[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n", reusing: state)
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        // After the start, which may make the state directory private again
        chmod(state.path, 0o711)
        return (daemon, Int64(update.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, pty)
    }

    @Test("The reference Python client parses the shipped interface, calls every method and gets the standard errors",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func everyMethodThroughThePythonClient() async throws {
        // Given a running daemon
        let (daemon, deadID, pty) = try await startDaemon()
        defer { daemon.signal(SIGTERM) }
        // When the Python check script calls every method, wrong parameters and, as nobody,
        // Status and one connection more than a user may have
        let script = Self.root.appendingPathComponent("Tests/Support/varlink_client_check.py").path
        let interface = Self.root.appendingPathComponent("Resources/varlink/io.kioskd.Control.varlink").path
        let socket = daemon.controlSocket
        let result = try await offPool { try Subprocess.run(Self.python, [script, socket, interface, String(deadID), "hall-1"]) }
        // Then every check passed (the output names each failure; without python's varlink
        // it is a ModuleNotFoundError: `make test-deps` installs the package)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Status reply matches the interface"), "\(result.output)")
        #expect(result.output.contains("ok: Terminals lists hall-1 locked with its message"), "\(result.output)")
        // And the terminal it locked and unlocked is back on the attract screen
        await pty.waitForQuiet()
        let text = try await ScreenEmulator.screen(after: pty.drain()).lines.joined()
        #expect(text.contains("请按任意键开始") && !text.contains("设备维护中"), "\(text)")
        #expect(result.output.contains("ok: Status as nobody answers PermissionDenied"), "\(result.output)")
        #expect(result.output.contains("ok: nobody's first 32 connections are served, the next is closed"), "\(result.output)")
    }

    @Test("python3 -m varlink.cli calls Status on the control socket", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func commandLineClient() async throws {
        // Given a running daemon
        let (daemon, _, _) = try await startDaemon()
        defer { daemon.signal(SIGTERM) }
        // When a technician calls Status with the reference command-line client
        let socket = daemon.controlSocket
        let result = try await offPool {
            try Subprocess.run(Self.python, ["-m", "varlink.cli", "call", "unix:\(socket)/io.kioskd.Control.Status", "{}"])
        }
        // Then it prints the reply as JSON: the version and the outbox's dead letter
        #expect(result.status == 0, "\(result.output)")
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(result.output.utf8))
        #expect(reply["version"]?.stringValue == KioskVersion.current, "\(result.output)")
        #expect(reply["outbox"]?["dead"] == .integer(1), "\(result.output)")
    }
}
