#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// The control socket against a hostile local user (issue 13): every attack of
/// `scripts/hostile-control-clients` at once, run as `nobody` so that the per-user and
/// total caps apply, while a technician's monitor (root) calls Status.
@Suite(
    "Hostile control clients end to end", .serialized,
    // Becoming nobody takes root; setpriv is util-linux's.
    .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
)
struct HostileControlEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/hostile-control-clients").path

    /// The resident set size of process `pid`, in KiB, from /proc.
    static func residentKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test("Never-reading, slowloris, 2,000-connection, churning, oversized and binary clients neither grow kioskd nor stop a technician's Status")
    func hostileClients() async throws {
        // Given kioskd with its default control limits, its socket reachable by other users
        let daemon = try DaemonProcess()
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        chmod(daemon.directory.path, 0o755)
        // And the attack script where nobody can read it (a checkout may be private to root)
        let script = daemon.directory.file("hostile-control-clients")
        try FileManager.default.copyItem(atPath: Self.script, toPath: script)
        chmod(script, 0o755)
        let socket = daemon.controlSocket
        let pid = daemon.process.processIdentifier
        let before = Self.residentKiB(pid)
        // And a technician's monitor, connected before the attack, calling Status every 100 ms
        let seconds = 8
        async let calls = offPool { () -> (latencies: [Double], failures: Int) in
            let monitor = try VarlinkClient(socketPath: socket, timeoutSeconds: 30)
            var latencies: [Double] = []
            var failures = 0
            let end = ContinuousClock.now + .seconds(seconds + 1)
            while ContinuousClock.now < end {
                let started = ContinuousClock.now
                if (try? monitor.call("io.kioskd.Control.Status"))?["version"] == nil { failures += 1 }
                let took = started.duration(to: .now)
                latencies.append(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                Thread.sleep(forTimeInterval: 0.1)
            }
            return (latencies, failures)
        }
        try await Task.sleep(for: .milliseconds(500))
        // When nobody runs every attack at once for 8 s
        let attack = try await offPool {
            try Subprocess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", script, socket, "\(seconds)"])
        }
        let outcome = attack
        let after = Self.residentKiB(pid)
        let monitored = try await calls
        // Then every attack started and was held off
        #expect(outcome.status == 0, "\(outcome.output)")
        let last = outcome.output.split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
        let report = (try? JSONDecoder().decode(JSONValue.self, from: Data(last.utf8))) ?? .null
        #expect(report != .null, "\(outcome.output)")
        print("hostile clients: \(outcome.output)")
        let neverReader = report["never_reader"]
        #expect(neverReader?["closed_by_server"] == .bool(true) || (neverReader?["bytes_sent"]?.integerValue ?? .max) < 16 << 20,
                "a client that never reads was let write \(String(describing: neverReader))")
        #expect((report["flood"]?["kept_open_by_server"]?.integerValue ?? .max) <= 32, "one user kept more than its share open")
        #expect(report["oversized"]?["closed_by_server"] == .bool(true))
        #expect(report["binary"]?["closed_by_server"] == .integer(20))
        // And the technician's Status was answered every time, promptly
        let sorted = monitored.latencies.sorted()
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print(String(format: "Status under attack: %d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms; kioskd RSS %d KiB before, %d KiB after",
                     sorted.count, sorted[sorted.count / 2] * 1000, p99 * 1000, (sorted.last ?? 0) * 1000, before, after))
        #expect(monitored.failures == 0)
        #expect(sorted.count >= 20 && (sorted.last ?? 99) < 2.0, "a Status call took \(sorted.last ?? 0) s")
        // And kioskd did not grow (410 MB in 57 s before the cap on unread replies)
        #expect(after - before < 64 * 1024, "RSS grew from \(before) KiB to \(after) KiB")
        // And once the attackers are gone, nobody may connect and call again: their places were freed
        let probe = try await offPool {
            try Subprocess.run("/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
                "import socket,sys; s=socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1]); "
                    + "s.sendall(b'{\"method\":\"org.varlink.service.GetInfo\"}\\0'); print(s.recv(4096).decode())",
                socket,
            ])
        }
        #expect(probe.status == 0 && probe.output.contains("kioskd"), "\(probe.output)")
    }
}
