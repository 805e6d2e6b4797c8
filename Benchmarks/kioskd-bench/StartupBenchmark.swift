#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskStore
import KioskTesting

/// Start to READY: from launching kioskd to the READY=1 datagram on a fake notify socket,
/// with a database already holding `rows` audit records.
enum StartupBenchmark {
    static func run(rows: Int, runs: Int) async throws {
        let directory = try TemporaryDirectory(prefix: "kioskd-bench")
        let databasePath = directory.file("kioskd.sqlite")
        let seeded = try KioskDatabase(path: databasePath)
        let batch = (0..<rows).map { index in
            AuditRecord(at: Date(), actor: "uid:0", action: "io.kioskd.Control.Status", outcome: index % 100 == 0 ? "denied" : "ok")
        }
        try await seeded.appendAudit(batch)
        let count = try seeded.auditCount()
        try seeded.close()
        let size = (try FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0

        var times: [Double] = []
        for run in 0..<runs {
            if let ready = try startToReady(directory: directory, databasePath: databasePath, run: run) { times.append(ready * 1000) }
        }
        let p = Percentiles(times)
        print("start to READY, database of \(count) records (\(size / 1024) KiB), \(times.count) runs:")
        print("  p50 \(format(p(50))) ms   min \(format(p(0))) ms   max \(format(p(100))) ms   (goal ≤ 100 ms)")
    }

    /// Seconds from launching kioskd on `databasePath` (state in `directory`, no terminals,
    /// no printers) to its READY=1 datagram; nil when it did not come within 30 s.
    static func startToReady(directory: TemporaryDirectory, databasePath: String, run: Int) throws -> Double? {
        let config = directory.file("kioskd-\(run).toml")
        try """
            [daemon]
            state_directory = "\(directory.path)"
            database = "\(databasePath)"
            control_socket = "\(directory.file("control.socket"))"
            terminal_socket = "\(directory.file("terminal.socket"))"
            log_level = "warning"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let notify = try NotifySocket(path: directory.file("notify-\(run).socket"))
        let process = Process()
        process.executableURL = BuiltProducts.directory.appendingPathComponent("kioskd")
        process.arguments = ["--config", config]
        process.environment = ["NOTIFY_SOCKET": notify.path]
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        let start = monotonicSeconds()
        try process.run()
        var ready: Double?
        while monotonicSeconds() - start < 30 {
            if notify.received().contains(where: { $0.hasPrefix("READY=1") }) {
                ready = monotonicSeconds() - start
                break
            }
            usleep(200)
        }
        process.terminate()
        let deadline = monotonicSeconds() + 5
        while process.isRunning, monotonicSeconds() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return ready
    }
}
