#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import KioskControl
import KioskCore
import KioskStore
import KioskTesting

/// Store-and-forward under an outage: applications pile up in the outbox while the
/// central service is down, then drain when it comes up. Compared with the same endpoint's
/// raw capacity under wrk (distinct UUIDs, so the server does the same work per request).
enum OutboxBenchmark {
    static func run(applications count: Int) async throws {
        let state = try TemporaryDirectory(prefix: "kioskd-bench-outbox")
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)"

        // 1. Into the outbox, one transaction each, as the terminals do.
        let database = try KioskDatabase(path: state.file("kioskd.sqlite"))
        let storeStart = monotonicSeconds()
        for _ in 0..<count {
            _ = try await database.storeApplication(at: Date()) { sequence in
                Application(
                    id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                    itemID: "resident-pension-claim", terminal: "bench",
                    values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"], subItems: [], delivery: .pickup,
                    consentToGaps: false, needsReview: false, submittedAt: Date()
                )
            }
        }
        let storeSeconds = monotonicSeconds() - storeStart
        try database.close()

        // 2. kioskd starts with the central service down: nothing is delivered.
        let daemon = try DaemonProcess(centralURL: url, token: "demo-token", reusing: state)
        guard await daemon.waitUntilReady() else {
            print("outbox: kioskd did not become ready")
            return
        }
        try await Task.sleep(for: .seconds(2))
        let socket = daemon.controlSocket
        let before = try await pending(socket)

        // 3. The central service comes up; time until the outbox is empty.
        let service = try CaseServiceProcess(port: port, database: state.file("case-service.sqlite"))
        let upAt = monotonicSeconds()
        var firstDelivery: Double?
        var left = before
        while left > 0, monotonicSeconds() - upAt < 300 {
            // Status counts the outbox: asked 10 times a second so the measuring stays cheap.
            try await Task.sleep(for: .milliseconds(100))
            left = try await pending(socket)
            if firstDelivery == nil, left < before { firstDelivery = monotonicSeconds() }
        }
        let drained = monotonicSeconds()
        let kioskdCPU = Bench.cpuSeconds(pid: daemon.process.processIdentifier)
        let serviceCPU = Bench.cpuSeconds(pid: service.process.processIdentifier)
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit()
        let statistics = try await service.statistics()
        let caseNumbers = try await SQLiteShell.query(daemon.databasePath, "SELECT COUNT(DISTINCT caseNumber) FROM application").first ?? "?"

        // 4. The endpoint's raw capacity with wrk, on a fresh database.
        service.stop()
        let raw = try CaseServiceProcess(port: try freePort(), database: state.file("case-service-raw.sqlite"))
        let wrkRate = try await raw.wrkSubmissions(seconds: 5, connections: 16, scriptDirectory: state.path)
        raw.stop()

        let drainSeconds = drained - upAt
        let flowSeconds = drained - (firstDelivery ?? upAt)
        print("store-and-forward of \(count) applications (central service down, then up; goal ≥ 1000/s):")
        print("  stored           \(format(Double(count) / storeSeconds, 0)) applications/s, one SQLite transaction each (synchronous=FULL)")
        print("  pending at up    \(before) (nothing delivered while down)")
        print("  drained in       \(format(drainSeconds, 2)) s after the service came up (\(format(Double(count) / drainSeconds, 0))/s), "
            + "\(format(flowSeconds, 2)) s from the first delivery (\(format(Double(count) / flowSeconds, 0))/s)")
        print("  at the centre    \(statistics.applications) applications, \(statistics.submissions) submissions, "
            + "\(statistics.replays) repeats; duplicates \(statistics.applications - count) (must be 0); distinct case numbers here \(caseNumbers)")
        print("  CPU while draining: kioskd \(format(kioskdCPU, 1)) s, case-service \(format(serviceCPU, 1)) s (2 cores, \(format(drainSeconds * 2, 1)) core-s available)")
        if let wrkRate {
            print("  raw endpoint     \(format(wrkRate, 0)) submissions/s (wrk, 16 connections, distinct UUIDs)")
            print("  kioskd / raw     \(format(Double(count) / flowSeconds / wrkRate * 100, 0)) %")
        } else {
            print("  raw endpoint     wrk not found (make bench installs it)")
        }
    }

    static func pending(_ socket: String) async throws -> Int {
        let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        return Int(status["outbox"]?["pending"]?.integerValue ?? 0)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

}

/// The built `case-service` in its own process on a fixed loopback port.
final class CaseServiceProcess {
    let process = Process()
    let url: String

    init(port: Int, database: String) throws {
        url = "http://127.0.0.1:\(port)"
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "case-service"))
        process.arguments = ["--port", String(port), "--database", database]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The first line says it listens.
        _ = output.fileHandleForReading.readSome()
    }

    func statistics() async throws -> (applications: Int, submissions: Int, replays: Int) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/admin/stats"), timeout: .seconds(5))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (object["applications"] as? Int ?? 0, object["submissions"] as? Int ?? 0, object["replays"] as? Int ?? 0)
    }

    /// Submissions per second wrk gets from the endpoint, each with a fresh UUID; nil
    /// without wrk.
    func wrkSubmissions(seconds: Int, connections: Int, scriptDirectory: String) async throws -> Double? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { return nil }
        let script = scriptDirectory + "/submit.lua"
        try """
            math.randomseed(os.time())
            local counter = 0
            local function uuid()
              local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
              return (string.gsub(t, "[xy]", function(c)
                local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
                return string.format("%x", v)
              end))
            end
            request = function()
              counter = counter + 1
              local id = uuid()
              local body = '{"applicationId":"' .. id .. '","applicationNumber":"W' .. id .. '","itemId":"resident-pension-claim",' ..
                '"submittedAt":"2026-11-23T10:00:00Z","fields":{"applicant-id":"11010519491231002X","mobile":"13812345678"},' ..
                '"subItems":[],"delivery":{"method":"pickup"},"consentToGaps":false,"manualReview":false}'
              return wrk.format("POST", "/v1/applications", {
                ["Content-Type"] = "application/json", ["Authorization"] = "Bearer demo-token", ["Idempotency-Key"] = id
              }, body)
            end
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let wrk = Process()
        wrk.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        wrk.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "-s", script, url]
        let output = Pipe()
        wrk.standardOutput = output
        try wrk.run()
        let handle = output.fileHandleForReading
        let text = try await offPool { String(decoding: handle.readAll(), as: UTF8.self) }
        wrk.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }) else { return nil }
        let created = (try? await statistics().applications) ?? 0
        let rate = Double(line.split(separator: " ").last ?? "") ?? 0
        // Only requests that created a case count (wrk also counts errors).
        return created > 0 ? min(rate, Double(created) / Double(seconds)) : rate
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
