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

/// kioskd's Prometheus metrics, checked by Prometheus's own `promtool` (Debian `prometheus`).
@Suite("Metrics end to end", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
struct MetricsEndToEndTests {
    @Test("The metrics pass promtool, carry the kiosk's state and events, and no personal data; Status says where they are")
    func metricsPassPromtool() async throws {
        // Given kioskd with a terminal, on which a citizen started and left a session
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: "[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n")
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        pty.type("\u{1B}")
        await pty.waitForQuiet(.milliseconds(300))
        // When Status is asked, it names the kiosk and the metrics URL
        let socket = daemon.controlSocket
        var url: String?
        for _ in 0..<100 where url == nil {
            let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
            #expect(status["kiosk_id"] == .string("E2E-1"))
            url = status["metrics_url"]?.stringValue
            if url == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let metricsURL = try #require(url.flatMap(URL.init(string:)))
        #expect(metricsURL.absoluteString.hasPrefix("http://127.0.0.1:"))
        // And the metrics are scraped
        let text = try await offPool { try String(contentsOf: metricsURL, encoding: .utf8) }
        // Then promtool accepts them
        let directory = try TemporaryDirectory()
        let file = directory.file("metrics.txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let checked = try await offPool { try Subprocess.run("/bin/sh", ["-c", "promtool check metrics < '\(file)'"]) }
        #expect(checked.status == 0, "\(checked.output)")
        // And they say what happened, in Prometheus's names and units
        for expected in [
            "kioskd_build_info{", "kiosk_id=\"E2E-1\"", "kioskd_terminals{state=\"open\"} 1", "kioskd_sessions_started_total 1",
            "kioskd_sessions_ended_total{reason=\"citizen-left\"} 1", "kioskd_control_calls_total{", "method=\"Status\"",
            "kioskd_keystroke_to_frame_seconds_bucket", "kioskd_outbox_entries{state=\"pending\"} 0", "kioskd_storage_free_bytes",
        ] {
            #expect(text.contains(expected), "\(expected) not in:\n\(text)")
        }
        daemon.signal(SIGTERM)
        let exit = await daemon.waitForExit()
        #expect(exit == 0, "exit \(String(describing: exit)): \(daemon.errorOutput().suffix(3000))")
    }

    @Test("The shipped alert rules pass promtool")
    func alertRules() async throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/prometheus/kioskd.rules.yml").path
        let checked = try await offPool { try Subprocess.run("/usr/bin/promtool", ["check", "rules", rules]) }
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("SUCCESS: 8 rules found"))
    }
}
