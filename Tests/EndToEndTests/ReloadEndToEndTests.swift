#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// `Reload` (and SIGHUP, which does the same) on the real daemon.
@Suite("Reload end to end")
struct ReloadEndToEndTests {
    static let root = VarlinkPythonClientEndToEndTests.root

    @Test("kioskctl reload applies a changed catalog live, names the settings that need a restart, and refuses a broken file with nothing changed")
    func reload() async throws {
        // Given a daemon whose catalog is a copy of the shipped one, in a folder of its own
        let catalog = try TemporaryDirectory(prefix: "kioskd-catalog")
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Resources/catalog").path)
        where file.hasSuffix(".toml") {
            try FileManager.default.copyItem(
                atPath: Self.root.appendingPathComponent("Resources/catalog/\(file)").path, toPath: catalog.file(file)
            )
        }
        let daemon = try DaemonProcess(extraConfig: "[catalog]\ndirectory = \"\(catalog.path)\"\n")
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        let socket = daemon.controlSocket
        // When nothing changed / Then the reload says so
        let unchanged = try await run("kioskctl", ["--socket", socket, "reload", "--json"])
        #expect(unchanged.status == 0, "\(unchanged.errors)")
        let first = try JSONDecoder().decode(JSONValue.self, from: Data(unchanged.output.utf8))
        #expect(first["catalog_changed"] == .bool(false) && first["needs_restart"] == .array([]) && first["applied"] == .array([]),
                "\(unchanged.output)")
        let items = try #require(first["catalog_items"]?.integerValue)
        // When a life stage leaves the catalog, [forwarding] changes and [session] idle_seconds too
        try FileManager.default.removeItem(atPath: catalog.file("person-08-living.toml"))
        var config = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "retry_base_ms = 100", with: "retry_base_ms = 250")
        config += "\n[session]\nidle_seconds = 45\n"
        try config.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let changed = try await run("kioskctl", ["--socket", socket, "reload"])
        // Then the catalog and the idle time applied, and [forwarding] needs a restart
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(changed.output.contains("changed, applied"), "\(changed.output)")
        #expect(changed.output.contains("applied live: [session] idle_seconds"), "\(changed.output)")
        #expect(changed.output.contains("changed, needs a restart: [forwarding]\n"), "\(changed.output)")
        let status = try await run("kioskctl", ["--socket", socket, "reload", "--json"])
        let second = try JSONDecoder().decode(JSONValue.self, from: Data(status.output.utf8))
        #expect((second["catalog_items"]?.integerValue ?? items) < items, "\(status.output)")
        // When the file is broken / Then ReloadFailed names the problem and the catalog stays
        try (config + "\n[session\n").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let broken = try await run("kioskctl", ["--socket", socket, "reload"])
        #expect(broken.status == 1)
        #expect(broken.errors.contains("ReloadFailed") && broken.errors.contains("kioskd.toml"), "\(broken.errors)")
        // And SIGHUP does the same: the log says what needs a restart (a third time)
        try config.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.notify.waitFor("RELOADING=1"))
        #expect(await eventually {
            ((try? String(contentsOfFile: daemon.logPath, encoding: .utf8)) ?? "").components(separatedBy: "needs a restart: [forwarding]").count >= 4
        })
        #expect(daemon.process.isRunning)
    }

    @Test("A reload applies a new [session] idle_seconds from the next session on and a new [control] idle_seconds to new connections")
    func idleTimesApplyLive() async throws {
        // Given a terminal whose sessions wait 90 s, and a control socket that waits 600 s
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: """
            [control]
            idle_seconds = 600

            [[terminal]]
            name = "live-1"
            device = "\(pty.devicePath)"
            """)
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        // When both become short and kioskctl reload is run
        var config = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "idle_seconds = 600", with: "idle_seconds = 1")
        config += "\n[session]\nidle_seconds = 6\nwarning_seconds = 2\n"
        try config.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let reload = try await run("kioskctl", ["--socket", daemon.controlSocket, "reload", "--json"])
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(reload.output.utf8))
        // Then they are reported as applied, nothing needs a restart
        #expect(reply["applied"] == .array(["[session] idle_seconds", "[session] warning_seconds", "[control] idle_seconds"].map { .string($0) }),
                "\(reload.output)")
        #expect(reply["needs_restart"] == .array([]))
        // And a citizen who wakes the terminal and walks away is warned and reset within seconds, not 90
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        #expect(await pty.waitForOutput(containing: "还需要更多时间吗", timeout: .seconds(15)))
        #expect(await pty.waitForOutput(containing: "\u{1B}[3J", timeout: .seconds(15)))
        // And a new control connection stuck in half a call is closed after a second
        let socket = daemon.controlSocket
        let closed = try await offPool { () -> String in
            let stuck = try VarlinkClient(socketPath: socket, timeoutSeconds: 10)
            try stuck.send(raw: Array(#"{"method":"io.kioskd.Control.Sta"#.utf8))
            do {
                _ = try stuck.readFrame()
                return "answered"
            } catch let error as VarlinkClient.ConnectionError {
                return error.description
            }
        }
        #expect(closed == "the daemon closed the connection")
    }
}
