#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskTesting

/// Many terminals on pseudo-terminals driven by scripted users: each user moves the home
/// menu's highlight down and up. Reports keystroke-to-last-byte latency, bytes per screen
/// change against the changed cells' own bytes, and the daemon's CPU and peak RSS.
enum TerminalBenchmark {
    static func run(terminals: Int, keystrokes: Int) async throws {
        let ptys = try (0..<terminals).map { _ in try PseudoTerminal() }
        let config = ptys.enumerated().map { index, pty in
            "[[terminal]]\nname = \"b\(index)\"\ndevice = \"\(pty.devicePath)\"\n"
        }.joined(separator: "\n") + "\n[session]\nidle_seconds = 3600\nwarning_seconds = 10\n"
        let daemon = try DaemonProcess(extraConfig: config.replacingOccurrences(of: "log_level = \"debug\"", with: ""))
        guard await daemon.waitUntilReady() else { return print("terminals: kioskd did not start") }
        for pty in ptys {
            _ = await pty.waitForOutput(containing: "请按任意键开始")
            pty.type(" ")
            _ = await pty.waitForOutput(containing: "Rate our service")
        }
        for pty in ptys { await pty.waitForQuiet(.milliseconds(100)) }
        // What one highlight move costs: the frame of a down key, learned once.
        let down = Array("\u{1B}[B".utf8), up = Array("\u{1B}[A".utf8)
        let frameSizes = try await offPool { () -> [(Int, Int)] in
            ptys.map { pty in
                let before = pty.drain().count
                pty.type(down)
                usleep(100_000)
                let afterDown = pty.drain().count
                pty.type(up)
                usleep(100_000)
                return (afterDown - before, pty.drain().count - afterDown)
            }
        }
        let frameSize = frameSizes[0]
        let cpuBefore = cpuSeconds(pid: daemon.process.processIdentifier)
        let latencies = try await offPool { () -> [Double] in
            // One thread plays every user in turn, so keystrokes on different terminals overlap
            // only as much as the daemon lets them.
            var samples: [Double] = []
            var offsets = ptys.map { $0.drain().count }
            for stroke in 0..<keystrokes {
                for (index, pty) in ptys.enumerated() {
                    let isDown = stroke % 2 == 0
                    let expected = isDown ? frameSizes[index].0 : frameSizes[index].1
                    let start = monotonicSeconds()
                    pty.type(isDown ? down : up)
                    while pty.drain().count < offsets[index] + expected, monotonicSeconds() - start < 0.5 { usleep(20) }
                    samples.append((monotonicSeconds() - start) * 1000)
                    offsets[index] = pty.drain().count
                }
            }
            return samples
        }
        let cpu = cpuSeconds(pid: daemon.process.processIdentifier) - cpuBefore
        let rss = peakRSSKiB(pid: daemon.process.processIdentifier)
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit()
        // The changed cells of one move: two item rows whose highlight swaps.
        let cellBytes = changedCellBytes()
        let p = Percentiles(latencies)
        print("  \(String(terminals).padding(toLength: 3, withPad: " ", startingAt: 0)) terminals: keystroke to last byte p50 \(format(p(50), 2)) ms, p99 \(format(p(99), 2)) ms; "
            + "CPU \(format(cpu / Double(latencies.count) * 1_000_000, 0)) µs/keystroke; peak RSS \(rss / 1024) MiB; "
            + "bytes per move \(frameSize.0) vs changed cells \(cellBytes) (ratio \(format(Double(frameSize.0) / Double(cellBytes), 2)))")
    }

    /// The UTF-8 bytes of the cells that differ between two home screens one move apart.
    static func changedCellBytes() -> Int {
        guard let localization = try? Localization.shipped() else { return 1 }
        let view = MenuView(localization: localization, terminalName: "b0")
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        let before = view.render(state)
        _ = state.handle(.key(.down))
        let after = view.render(state)
        var bytes = 0
        for index in after.cells.indices where after.cells[index] != before.cells[index] {
            bytes += max(1, after.cells[index].text.utf8.count)
        }
        return max(1, bytes)
    }

    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func peakRSSKiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
