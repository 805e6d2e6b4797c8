#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

/// The terminal methods on the real daemon and a real pseudo-terminal: Terminals through the
/// reference Python client (issue 13's "done when"), reset, lock and unlock through kioskctl.
@Suite("Terminal control end to end")
struct TerminalControlEndToEndTests {
    /// A daemon driving one terminal `hall-1` on a pseudo-terminal, on the attract screen.
    func start() async throws -> (DaemonProcess, PseudoTerminal) {
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: """
            [[terminal]]
            name = "hall-1"
            device = "\(pty.devicePath)"
            """)
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        return (daemon, pty)
    }

    /// The screen's text once the daemon has stopped drawing.
    func screen(_ pty: PseudoTerminal) async throws -> String {
        await pty.waitForQuiet()
        return try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
    }

    @Test("python3 -m varlink.cli calls Terminals: name, profile, device, state, screen, size, last input and frame in the hall's zone, bytes")
    func terminalsThroughReferenceClient() async throws {
        // Given a daemon with a terminal on which a citizen opened the service guide
        let (daemon, pty) = try await start()
        defer { daemon.signal(SIGTERM) }
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "搜索事项"))
        await pty.waitForQuiet()
        // When a technician calls Terminals with the reference command-line client
        let socket = daemon.controlSocket
        let result = try await offPool {
            try Subprocess.run(VarlinkPythonClientEndToEndTests.python, ["-m", "varlink.cli", "call", "unix:\(socket)/io.kioskd.Control.Terminals", "{}"])
        }
        // Then it prints the terminal with every field
        #expect(result.status == 0, "\(result.output)")
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(result.output.utf8))
        let terminal = try #require(reply["terminals"]?.arrayValue?.first, "\(result.output)")
        #expect(terminal["name"] == .string("hall-1"))
        #expect(terminal["profile"] == .string("citizen"))
        #expect(terminal["device"] == .string(pty.devicePath))
        #expect(terminal["state"] == .string("open"))
        #expect(terminal["screen"] == .string("guide"))
        #expect(terminal["columns"] == .integer(80) && terminal["rows"] == .integer(24))
        #expect(terminal["bytes_in"] == .integer(2), "\(result.output)")
        #expect((terminal["bytes_out"]?.integerValue ?? 0) > 0)
        #expect(terminal["locked"] == .bool(false))
        // Times are RFC 3339 in the hall's zone (Asia/Shanghai by default), to the second
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/#
        let input = try #require(terminal["last_input_at"]?.stringValue, "\(result.output)")
        let frame = try #require(terminal["last_frame_at"]?.stringValue, "\(result.output)")
        #expect(input.wholeMatch(of: pattern) != nil, "\(input)")
        #expect(frame.wholeMatch(of: pattern) != nil && frame >= input, "\(frame)")
        // And kioskctl prints the same as a table
        let table = try await run("kioskctl", ["--socket", socket, "terminals"])
        #expect(table.status == 0)
        #expect(table.output.contains("LAST INPUT") && table.output.contains(input) && table.output.contains("hall-1"), "\(table.output)")
    }

    @Test("kioskctl terminals lock shows the bilingual maintenance screen with the message, ends the session and ignores keys until unlock")
    func lockAndUnlock() async throws {
        // Given a citizen who typed into the search field
        let (daemon, pty) = try await start()
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "搜索事项"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "关键词"))
        pty.type("社保")
        #expect(await pty.waitForOutput(containing: "社保"))
        // When a technician locks the terminal with a message carrying an escape sequence
        let socket = daemon.controlSocket
        let lock = try await run("kioskctl", ["--socket", socket, "terminals", "lock", "hall-1", "back at 15:00\u{1B}[2J"])
        #expect(lock.status == 0, "\(lock.errors)")
        #expect(lock.output == "hall-1: locked, showing \"back at 15:00[2J\"\n", "\(lock.output)")
        // Then the maintenance screen shows both languages and the message, and nothing typed
        #expect(await pty.waitForOutput(containing: "设备维护中"))
        var text = try await screen(pty)
        #expect(text.contains("Under maintenance") && text.contains("back at 15:00[2J"), "\(text)")
        #expect(!text.contains("社保"))
        // And Status and Terminals say it is locked
        let status = try await run("kioskctl", ["--socket", socket, "status", "--json"])
        let statusReply = try JSONDecoder().decode(JSONValue.self, from: Data(status.output.utf8))
        #expect(statusReply["terminals"]?.arrayValue?.first?["locked"] == .bool(true), "\(status.output)")
        let terminals = try await run("kioskctl", ["--socket", socket, "terminals", "--json"])
        let terminalsReply = try JSONDecoder().decode(JSONValue.self, from: Data(terminals.output.utf8))
        #expect(terminalsReply["terminals"]?.arrayValue?.first?["screen"] == .string("locked"))
        #expect(terminalsReply["terminals"]?.arrayValue?.first?["lock_message"] == .string("back at 15:00[2J"))
        // When a citizen presses keys / Then the maintenance screen stays
        pty.type(" 1\r\u{1B}")
        text = try await screen(pty)
        #expect(text.contains("设备维护中") && !text.contains("搜索事项"), "\(text)")
        // When the technician unlocks it / Then the attract screen is back and a key starts a session
        let unlock = try await run("kioskctl", ["--socket", socket, "terminals", "unlock", "hall-1"])
        #expect(unlock.status == 0 && unlock.output == "hall-1: unlocked\n", "\(unlock.output)")
        text = try await screen(pty)
        #expect(text.contains("请按任意键开始") && !text.contains("设备维护中"), "\(text)")
        pty.type(" ")
        text = try await screen(pty)
        #expect(text.contains("Rate our service"), "\(text)")
        // And the session the lock ended was recorded with the reason locked
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let reasons = try await SQLiteShell.query(daemon.databasePath, "SELECT endReason FROM session ORDER BY rowid")
        #expect(reasons.first == "locked", "\(reasons)")
    }

    @Test("kioskctl terminals reset ends the citizen's session and wipes the screen; an unknown terminal is refused with exit 1")
    func reset() async throws {
        // Given a citizen who typed into the search field
        let (daemon, pty) = try await start()
        defer { daemon.signal(SIGTERM) }
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "搜索事项"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "关键词"))
        pty.type("社保")
        #expect(await pty.waitForOutput(containing: "社保"))
        let typedAt = pty.drain().count
        // When a technician resets the terminal
        let socket = daemon.controlSocket
        let reset = try await run("kioskctl", ["--socket", socket, "terminals", "reset", "hall-1"])
        #expect(reset.status == 0, "\(reset.errors)")
        // Then the screen and the scrollback are wiped and the attract screen is back
        #expect(await pty.waitForOutput(containing: "\u{1B}[3J"))
        let all = pty.drain()
        let wipe = Array("\u{1B}[H\u{1B}[2J\u{1B}[3J".utf8)
        #expect((lastIndex(of: wipe, in: all) ?? 0) > typedAt)
        let text = try await screen(pty)
        #expect(text.contains("请按任意键开始") && !text.contains("社保"), "\(text)")
        // When a name no terminal has is reset / Then kioskctl says so and exits 1
        let unknown = try await run("kioskctl", ["--socket", socket, "terminals", "reset", "hall-9"])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("NoSuchTerminal"), "\(unknown.errors)")
    }

    @Test("kioskctl terminals message shows a notice line on the terminal's screen; a newer message replaces it and goes after its seconds")
    func message() async throws {
        // Given a terminal on the attract screen
        let (daemon, pty) = try await start()
        defer { daemon.signal(SIGTERM) }
        // When a technician sends every terminal a message for a minute
        let socket = daemon.controlSocket
        let sent = try await run("kioskctl", ["--socket", socket, "terminals", "message", "The hall closes at 17:00"])
        #expect(sent.status == 0 && sent.output == "message shown for 60 s on hall-1\n", "\(sent.output) \(sent.errors)")
        // Then the notice line shows it over the attract screen
        #expect(await pty.waitForOutput(containing: "The hall closes at 17:00"))
        var text = try await screen(pty)
        #expect(text.contains("通知 Notice: The hall closes at 17:00") && text.contains("请按任意键开始"), "\(text)")
        // When a newer message for 1 second is sent to hall-1 by name
        let newer = try await run("kioskctl", ["--socket", socket, "terminals", "message", "--name", "hall-1", "--seconds", "1", "Back soon"])
        #expect(newer.status == 0, "\(newer.errors)")
        // Then it replaces the first, and after its second both are gone (the daemon's own
        // clock; waited for in real time)
        #expect(await pty.waitForOutput(containing: "Back soon"))
        #expect(await eventually(within: .seconds(15)) {
            let lines = (try? await ScreenEmulator.screen(after: pty.drain()).lines.joined()) ?? "Back soon"
            return !lines.contains("Back soon") && !lines.contains("17:00")
        })
        text = try await screen(pty)
        #expect(text.contains("请按任意键开始"), "\(text)")
    }
}
