#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskStore
import KioskTesting

/// `make bench`: measures the walking skeleton's numbers against their peers and prints
/// both in one run. Timing lives here, never in the unit tests.
@main
struct Bench {
    static func main() async throws {
        let bin = BuiltProducts.directory.path
        // `kioskd-bench outbox status` runs only those; no names runs everything.
        let chosen = Set(CommandLine.arguments.dropFirst())
        func wanted(_ name: String) -> Bool { chosen.isEmpty || chosen.contains(name) }
        print("kioskd benchmarks (binaries in \(bin), \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        if wanted("startup") {
            print("")
            try await StartupBenchmark.run(rows: 100_000, runs: 10)
        }
        if wanted("status") {
            print("")
            try await StatusBenchmark.run(seconds: 3)
        }
        if wanted("printing") {
            print("")
            try await PrintingBenchmark.run(jobs: 200)
        }
        if wanted("outbox") {
            print("")
            try await OutboxBenchmark.run(applications: 10_000)
        }
        // `payments` runs both parts; `payments-durable` or `payments-ledger` one of them.
        if wanted("payments") || chosen.contains("payments-durable") || chosen.contains("payments-ledger") {
            print("")
            try await PaymentsBenchmark.run(
                payments: chosen.contains("payments-ledger") ? 0 : 2_000, ledger: chosen.contains("payments-durable") ? 0 : 1_000_000
            )
        }
        if wanted("idle") {
            print("")
            print("idle terminals (goal ≤ 0.2 % of a core for 64; before this design, 4.2 % release, polled at 10 Hz):")
            try await IdleBenchmark.run(terminals: 64, seconds: 30)
        }
        if wanted("terminals") {
            print("")
            print("terminals on pseudo-terminals, scripted users moving the menu highlight (goal p99 ≤ 5 ms at 64, RSS ≤ 64 MB, byte ratio ≤ 1.5):")
            for count in [1, 16, 64] {
                try await TerminalBenchmark.run(terminals: count, keystrokes: count == 1 ? 200 : count == 16 ? 20 : 6)
            }
        }
        // `terminals-flood` alone, or with every terminal benchmark.
        if wanted("terminals") || chosen.contains("terminals-flood") {
            print("")
            print("64 terminals, one flooded with random bytes at full speed (goal: the other 63's p99 ≤ 5 ms):")
            try await TerminalBenchmark.run(terminals: 64, keystrokes: 10, flooding: true)
        }
    }
}

extension Bench {
    /// User + system CPU seconds a running process has used, from /proc (fields 14 and 15
    /// of `stat`, man 5 proc).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = procFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A file of /proc, read with plain reads: its size is 0 to stat, and Foundation's
    /// whole-file read of one now and then failed (a CPU figure of "nan").
    static func procFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// Percentiles of a sample, in the sample's unit.
struct Percentiles {
    let sorted: [Double]
    init(_ values: [Double]) { sorted = values.sorted() }
    func callAsFunction(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Prints a line at once, unbuffered, so progress shows even when output goes to a file.
func print(_ line: String = "") {
    try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
}
