#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskTesting

/// What idle terminals cost: 64 terminals on pseudo-terminals with nobody typing, first on
/// the attract screen, then each in a session on the home menu (its idle deadline armed),
/// measured as the daemon's CPU over a window. Sessions sleep until their next deadline;
/// nothing is polled at a fixed rate.
enum IdleBenchmark {
    static func run(terminals: Int, seconds: Int) async throws {
        // The daemon's own services (printer poll, audit flush, health check, order follower)
        // without any terminal, to tell the terminals' share apart.
        let bare = try DaemonProcess(extraConfig: "")
        guard await bare.waitUntilReady() else { return print("idle: kioskd did not start") }
        try await Task.sleep(for: .seconds(1))
        let baseline = try await measure(pid: bare.process.processIdentifier, ptys: [], seconds: seconds)
        bare.signal(SIGTERM)
        _ = await bare.waitForExit()
        print("  no terminal over \(seconds) s: \(format(baseline.cpu * 1000, 0)) ms CPU (\(format(baseline.cpu / Double(seconds) * 100, 3)) % of a core): the daemon's own services")
        let ptys = try (0..<terminals).map { _ in try PseudoTerminal() }
        let config = ptys.enumerated().map { index, pty in
            "[[terminal]]\nname = \"i\(index)\"\ndevice = \"\(pty.devicePath)\"\n"
        }.joined(separator: "\n") + "\n[session]\nidle_seconds = 3600\nwarning_seconds = 10\n"
        let daemon = try DaemonProcess(extraConfig: config)
        guard await daemon.waitUntilReady() else { return print("idle: kioskd did not start") }
        for pty in ptys { _ = await pty.waitForOutput(containing: "请按任意键开始") }
        for pty in ptys { await pty.waitForQuiet(.milliseconds(300)) }
        let pid = daemon.process.processIdentifier
        let attract = try await measure(pid: pid, ptys: ptys, seconds: seconds)
        for pty in ptys {
            pty.type(" ")
            _ = await pty.waitForOutput(containing: "Rate our service")
        }
        for pty in ptys { await pty.waitForQuiet(.milliseconds(300)) }
        let home = try await measure(pid: pid, ptys: ptys, seconds: seconds)
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit()
        print("  \(terminals) idle terminals over \(seconds) s: attract screen \(format(attract.cpu * 1000, 0)) ms CPU "
            + "(\(format(attract.cpu / Double(seconds) * 100, 3)) % of a core), home menu in session "
            + "\(format(home.cpu * 1000, 0)) ms (\(format(home.cpu / Double(seconds) * 100, 3)) %); "
            + "bytes written while idle: \(attract.bytes + home.bytes)")
    }

    /// The daemon's CPU seconds and the bytes its terminals received over `seconds`.
    private static func measure(pid: Int32, ptys: [PseudoTerminal], seconds: Int) async throws -> (cpu: Double, bytes: Int) {
        let bytesBefore = ptys.reduce(0) { $0 + $1.receivedCount() }
        let before = Bench.cpuSeconds(pid: pid)
        try await Task.sleep(for: .seconds(seconds))
        let cpu = Bench.cpuSeconds(pid: pid) - before
        return (cpu, ptys.reduce(0) { $0 + $1.receivedCount() } - bytesBefore)
    }
}
