#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// A terminal that hangs up mid-session, whose device then disappears and comes back
/// (a USB-serial adapter pulled and plugged in again): kioskd notes the failure, keeps
/// trying, and serves the device when it returns, with the old citizen's screen gone.
@Suite("Terminal hang-up and device return end to end")
struct TerminalHangupEndToEndTests {
    @Test("A terminal hung up mid-session is reported, retried while its device is gone, and serves a fresh attract screen when the device returns")
    func hangUpRemoveAndReturn() async throws {
        // Given a terminal configured by a stable name that points at a pseudo-terminal
        let links = try TemporaryDirectory(prefix: "kioskd-devices")
        let device = links.file("ttyUSB-kiosk")
        var first: PseudoTerminal? = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: first!.devicePath)
        let daemon = try DaemonProcess(extraConfig: "[[terminal]]\nname = \"usb-1\"\ndevice = \"\(device)\"\n")
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        #expect(await first!.waitForOutput(containing: "请按任意键开始"))
        // And a citizen in a session who has typed an ID number into the search
        let id = "11010519491231002X"
        first!.type(" ")
        #expect(await first!.waitForOutput(containing: "Rate our service"))
        first!.type("1")
        #expect(await first!.waitForOutput(containing: "搜索事项"))
        first!.type("1")
        #expect(await first!.waitForOutput(containing: "关键词"))
        first!.type(id)
        #expect(await first!.waitForOutput(containing: id))
        // When the line hangs up and the device disappears
        first = nil
        try FileManager.default.removeItem(atPath: device)
        // Then Status reports the terminal failed or reopening, with its errors counted
        let socket = daemon.controlSocket
        let terminalState: @Sendable () async -> JSONValue? = {
            (try? await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") })?["terminals"]?
                .arrayValue?.first { $0["name"] == .string("usb-1") }
        }
        let failed = await eventually(within: .seconds(15)) {
            let terminal = await terminalState()
            return terminal?["state"] != .string("open") && (terminal?["errors"]?.integerValue ?? 0) >= 1
        }
        let seen = await terminalState()
        #expect(failed, "\(String(describing: seen))")
        // When the device comes back (a new line under the same name)
        let second = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: second.devicePath)
        // Then kioskd opens it again and shows the attract screen, with nothing of the old session
        #expect(await second.waitForOutput(containing: "请按任意键开始", timeout: .seconds(40)))
        #expect(await eventually(within: .seconds(10)) { await terminalState()?["state"] == .string("open") })
        await second.waitForQuiet()
        let screen = try await ScreenEmulator.screen(after: second.drain())
        #expect(!screen.lines.joined().contains(id))
        // And the log said so at warning, as a terminal failure, without the ID
        let log = daemon.errorOutput()
        #expect(log.split(separator: "\n").contains { $0.contains(" warning ") && $0.contains("event=terminal-failure") }, "\(log.suffix(3000))")
        #expect(!log.contains(id))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
