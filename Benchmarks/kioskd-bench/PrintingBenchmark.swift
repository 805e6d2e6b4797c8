#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskPrinting
import KioskTesting

/// Print submission: `jobs` small receipts through kioskd's libcups path (encode ESC/POS,
/// Create-Job + Send-Document on one reused connection) and through `lp` (one process per
/// job, as a shell script would print), to the same private cupsd. The queue is disabled
/// while submitting, so backend runs do not compete for the two cores; between the two
/// runs every job is purged.
enum PrintingBenchmark {
    static func run(jobs: Int) async throws {
        print("print submission, \(jobs) small receipts to a private cupsd over its socket (goal: libcups ≥ 5× lp):")
        guard PrivateCUPS.isAvailable, FileManager.default.isExecutableFile(atPath: "/usr/bin/lp") else {
            print("  skipped: needs root, cups-daemon and cups-client")
            return
        }
        try await withPrivateCUPS { cups in
            let socket = cups.socketPath
            _ = try Subprocess.run("/usr/sbin/cupsdisable", ["-h", socket, "healthy"])
            let document = PrintDocument(blocks: [
                .heading("缴费凭证"), .rule, .line("凭证号 Receipt No.：P-000001"), .line("缴费项目：水费 Water"), .heading("¥123.45"),
                .line("手机号 Phone：138****5678"), .line("打印号 Print No.：{number}"),
            ])
            let encoder = ReceiptEncoder()

            // kioskd's path
            let client = CUPSClient(server: CUPSServer(host: socket, port: 0))
            var libcups: [Double] = []
            var encoding: [Double] = []
            let libcupsStart = monotonicSeconds()
            for index in 1...jobs {
                let number = PrintNumber.make(Int64(index))
                let start = monotonicSeconds()
                let bytes = encoder.encode(document.finalized(number: number, reprintOf: nil))
                encoding.append((monotonicSeconds() - start) * 1000)
                _ = try await client.submit(queue: "healthy", name: "kioskd payment-receipt \(number)", format: "application/vnd.cups-raw", data: bytes)
                libcups.append((monotonicSeconds() - start) * 1000)
            }
            let libcupsTotal = monotonicSeconds() - libcupsStart
            _ = try Subprocess.run("/usr/bin/cancel", ["-h", socket, "-a", "-x", "healthy"])

            // lp: one process per job, the file written first (not timed)
            let directory = try TemporaryDirectory(prefix: "kioskd-bench-lp")
            var files: [String] = []
            for index in 1...jobs {
                let path = directory.file("receipt-\(index).bin")
                try Data(encoder.encode(document.finalized(number: PrintNumber.make(Int64(index)), reprintOf: nil))).write(to: URL(fileURLWithPath: path))
                files.append(path)
            }
            var lp: [Double] = []
            let lpStart = monotonicSeconds()
            for (index, path) in files.enumerated() {
                let start = monotonicSeconds()
                let result = try await offPool {
                    try Subprocess.run("/usr/bin/lp", ["-h", socket, "-d", "healthy", "-o", "raw", "-t", "kioskd bench \(index)", path])
                }
                guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["lp": result.output]) }
                lp.append((monotonicSeconds() - start) * 1000)
            }
            let lpTotal = monotonicSeconds() - lpStart
            _ = try Subprocess.run("/usr/bin/cancel", ["-h", socket, "-a", "-x", "healthy"])

            let a = Percentiles(libcups), b = Percentiles(lp)
            let rateA = Double(jobs) / libcupsTotal, rateB = Double(jobs) / lpTotal
            print("  libcups (kioskd): \(format(rateA, 0)) jobs/s   per job p50 \(format(a(50), 2)) ms  p99 \(format(a(99), 2)) ms")
            print("    of which ESC/POS + GB18030 encoding p50 \(format(Percentiles(encoding)(50), 2)) ms")
            print("  lp:               \(format(rateB, 0)) jobs/s   per job p50 \(format(b(50), 2)) ms  p99 \(format(b(99), 2)) ms")
            print("  ratio: \(format(rateA / rateB, 1))× faster per job (goal ≥ 5×)")
        }
    }
}
