#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Synchronization

/// Many terminals on pseudo-terminals driven by scripted users: each user moves the home
/// menu's highlight down and up. Reports keystroke-to-last-byte latency, bytes per screen
/// change against the changed cells' own bytes, and the daemon's CPU and peak RSS. With
/// `flooding`, the first terminal is flooded with random bytes at full speed the whole
/// time, and only the others' keystrokes are measured.
enum TerminalBenchmark {
    static func run(terminals: Int, keystrokes: Int, flooding: Bool = false) async throws {
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
        // The first health check of the (absent) central service changes what is
        // available and redraws every menu; frames are learned only after that.
        let socket = daemon.controlSocket
        for _ in 0..<100 {
            let status = try? await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
            if status?["central"]?["reachability"]?.stringValue != "unknown" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        for pty in ptys { await pty.waitForQuiet(.milliseconds(200)) }
        // What one highlight move costs: the frames of a down and an up key, learned three
        // times per terminal; the first move after the menu was drawn sends more (seen: 292
        // bytes, then 164 every time), so the last two are used, and a terminal whose last
        // two differ is reported.
        let down = Array("\u{1B}[B".utf8), up = Array("\u{1B}[A".utf8)
        let learned = try await offPool { () -> [[Int]] in
            ptys.map { pty in
                (0..<3).flatMap { _ -> [Int] in
                    let before = pty.receivedCount()
                    pty.type(down)
                    usleep(100_000)
                    let afterDown = pty.receivedCount()
                    pty.type(up)
                    usleep(100_000)
                    return [afterDown - before, pty.receivedCount() - afterDown]
                }
            }
        }
        let unstable = learned.filter { $0[2] != $0[4] || $0[3] != $0[5] }.count
        let frameSizes = learned.map { ($0[4], $0[5]) }
        let frameSize = frameSizes[0]
        let flood = flooding ? Flood(master: ptys[0].master) : nil
        let measured = flooding ? Array(1..<terminals) : Array(0..<terminals)
        if let flood {
            flood.start()
            // Let the flood fill the line and the daemon's input first.
            try await Task.sleep(for: .milliseconds(500))
        }
        let cpuBefore = Bench.cpuSeconds(pid: daemon.process.processIdentifier)
        let (latencies, timeouts) = try await offPool { () -> ([Double], Int) in
            // One thread plays every user in turn, so keystrokes on different terminals overlap
            // only as much as the daemon lets them.
            var samples: [Double] = []
            var offsets = ptys.map { $0.receivedCount() }
            var timeouts = 0
            for stroke in 0..<keystrokes {
                for index in measured {
                    let pty = ptys[index]
                    let isDown = stroke % 2 == 0
                    let expected = isDown ? frameSizes[index].0 : frameSizes[index].1
                    let start = monotonicSeconds()
                    pty.type(isDown ? down : up)
                    while pty.receivedCount() < offsets[index] + expected, monotonicSeconds() - start < 0.5 { usleep(20) }
                    if monotonicSeconds() - start >= 0.5 { timeouts += 1 }
                    samples.append((monotonicSeconds() - start) * 1000)
                    offsets[index] = pty.receivedCount()
                }
            }
            return (samples, timeouts)
        }
        let cpu = Bench.cpuSeconds(pid: daemon.process.processIdentifier) - cpuBefore
        let flooded = await flood?.stop()
        let alive = kill(daemon.process.processIdentifier, 0) == 0
        let rss = peakRSSKiB(pid: daemon.process.processIdentifier)
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit()
        // The changed cells of one move: two item rows whose highlight swaps.
        let cellBytes = changedCellBytes()
        let p = Percentiles(latencies)
        if let flooded {
            print("  \(terminals) terminals, b0 flooded with random bytes (\(format(Double(flooded.bytes) / flooded.seconds / 1_048_576, 1)) MiB/s written, "
                + "\(format(Double(flooded.echoed) / flooded.seconds / 1024, 0)) KiB/s drawn back; kioskd \(alive ? "alive" : "DIED")): "
                + "the other \(measured.count): keystroke to last byte p50 \(format(p(50), 2)) ms, p99 \(format(p(99), 2)) ms, max \(format(p(100), 2)) ms "
                + "over \(latencies.count) keystrokes; CPU \(format(cpu / flooded.seconds * 100, 0)) % of a core; peak RSS \(rss / 1024) MiB"
                + (unstable + timeouts > 0 ? "; \(unstable) terminals with unstable frames, \(timeouts) waits hit the 0.5 s cap" : ""))
            return
        }
        print("  \(String(terminals).padding(toLength: 3, withPad: " ", startingAt: 0)) terminals: keystroke to last byte p50 \(format(p(50), 2)) ms, p99 \(format(p(99), 2)) ms; "
            + "CPU \(format(cpu / Double(latencies.count) * 1_000_000, 0)) µs/keystroke; peak RSS \(rss / 1024) MiB; "
            + "bytes per move \(frameSize.0) vs changed cells \(cellBytes) (ratio \(format(Double(frameSize.0) / Double(cellBytes), 2)))"
            + (unstable + timeouts > 0 ? "; \(unstable) terminals with unstable frames, \(timeouts) waits hit the 0.5 s cap" : ""))
    }

    /// Writes random bytes to a pseudo-terminal's master as fast as the line takes them, and
    /// reads (and drops) what the daemon draws back, on a thread of its own until stopped.
    final class Flood: Sendable {
        let master: Int32
        let stopping = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let echoed = Atomic<Int>(0)
        let done = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let finished = Atomic<Bool>(false)
        let started = Mutex<Double>(0)

        init(master: Int32) {
            self.master = master
        }

        func start() {
            started.withLock { $0 = monotonicSeconds() }
            Thread.detachNewThread { [self] in
                var generator = SeededGenerator(seed: 64)
                var chunk = [UInt8](repeating: 0, count: 4096)
                var offset = chunk.count
                var sink = [UInt8](repeating: 0, count: 65536)
                // A new chunk only once the last is all written: making 4 KiB of random
                // bytes for every try at a full line took the flooder's CPU from kioskd's two
                // cores (p99 5–9 ms then, 0.3–0.7 ms with the flooder waiting in poll, which
                // however fed kioskd only as fast as the pty woke it). Tries again after
                // 100 µs, so the line is never empty for long.
                while !stopping.load(ordering: .relaxed) {
                    if offset == chunk.count {
                        for index in chunk.indices { chunk[index] = UInt8.random(in: 0...255, using: &generator) }
                        offset = 0
                    }
                    let count = chunk[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
                    if count > 0 {
                        offset += count
                        written.add(count, ordering: .relaxed)
                    }
                    while true {
                        let got = sink.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                        if got <= 0 { break }
                        echoed.add(got, ordering: .relaxed)
                    }
                    if count <= 0 { usleep(100) }
                }
                finished.store(true, ordering: .releasing)
                done.withLock { $0?.resume(); $0 = nil }
            }
        }

        /// Stops the thread; returns what it wrote and read, and over how long.
        func stop() async -> (bytes: Int, echoed: Int, seconds: Double) {
            stopping.store(true, ordering: .relaxed)
            await withCheckedContinuation { continuation in
                let resumeNow = done.withLock { waiter -> Bool in
                    if finished.load(ordering: .acquiring) { return true }
                    waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            let seconds = monotonicSeconds() - started.withLock { $0 }
            return (written.load(ordering: .relaxed), echoed.load(ordering: .relaxed), seconds)
        }
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
        for row in 0..<after.size.rows {
            for column in 0..<after.size.columns where !after.sameCell(row: row, column: column, in: before) {
                bytes += max(1, after.text(of: after[row, column]).utf8.count)
            }
        }
        return max(1, bytes)
    }

    static func peakRSSKiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
