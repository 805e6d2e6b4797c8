#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// `kioskctl watch` and `kioskctl terminals screen` on the real daemon and a real
/// pseudo-terminal.
@Suite("Watching the daemon end to end")
struct WatchEndToEndTests {
    /// Lines from `handle` until one satisfies `done`, or `timeout` passes; never blocks
    /// longer than that on a silent pipe.
    static func lines(from handle: FileHandle, until done: (String) -> Bool, timeout: Duration = .seconds(15)) -> [String] {
        let deadline = ContinuousClock.now + timeout
        var text = "", lines: [String] = []
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let data = handle.readSome()
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            while let end = text.firstIndex(of: "\n") {
                lines.append(String(text[..<end]))
                text = String(text[text.index(after: end)...])
                if done(lines.last!) { return lines }
            }
        }
        return lines
    }

    @Test("kioskctl watch prints the current state, then a citizen waking a terminal; terminals screen shows it only between citizens")
    func watchAndScreen() async throws {
        // Given a daemon with terminal hall-1 on a pseudo-terminal, on its attract screen
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: """
            [[terminal]]
            name = "hall-1"
            device = "\(pty.devicePath)"
            """)
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        await pty.waitForQuiet()
        let socket = daemon.controlSocket

        // When a technician asks for its screen / Then the attract screen's text comes boxed
        let between = try await run("kioskctl", ["--socket", socket, "terminals", "screen", "hall-1"])
        #expect(between.status == 0, "\(between.errors)")
        #expect(between.output.contains("hall-1: attract, 80×24"), "\(between.output)")
        #expect(between.output.split(separator: "\n").contains { $0.hasPrefix("|") && $0.contains("请按任意键开始") }, "\(between.output)")

        // When kioskctl watch follows the daemon
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "kioskctl"))
        watch.arguments = ["--socket", socket, "watch"]
        let output = Pipe()
        watch.standardOutput = output
        try watch.run()
        defer { watch.terminate() }
        let handle = output.fileHandleForReading
        let first = try await offPool { Self.lines(from: handle) { $0.contains(" central ") } }
        // Then its first lines are the current state: the terminal, the outbox, the centre
        #expect(first.contains { $0.wholeMatch(of: #/\d\d:\d\d:\d\d terminal hall-1 open attract/#) != nil }, "\(first)")
        #expect(first.contains { $0.contains(" outbox 0 pending") }, "\(first)")

        // When a citizen wakes the terminal
        pty.type(" ")
        let next = try await offPool { Self.lines(from: handle) { $0.contains("terminal hall-1 open home") } }
        // Then watch prints the change within a few seconds
        #expect(next.last?.contains("terminal hall-1 open home") == true, "\(next)")

        // And the screen is withheld while the citizen is there
        let during = try await run("kioskctl", ["--socket", socket, "terminals", "screen", "hall-1", "--json"])
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(during.output.utf8))
        #expect(reply["withheld"] == .string("citizen_session"), "\(during.output)")
        #expect(reply["lines"] == .array([]))
    }
}
