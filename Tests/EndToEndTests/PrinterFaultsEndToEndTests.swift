#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

/// The printer faults drill: kioskd prints through a private cupsd while the scheduler is
/// stopped, killed mid-job, its queue disabled and its device unreachable, each followed by
/// its repair. Every fault is seen in Status and logged once as `event=printer-fault`, every
/// repair logged as `event=printer-recovered`, and at the end every job is on paper exactly
/// once. `KIOSKD_PRINTER_FAULT_ROUNDS` sets how many rounds of the four faults run (1 here,
/// more in `make soak`); the figures go to `make soak`'s table.
@Suite("Printer faults drill", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct PrinterFaultsEndToEndTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["KIOSKD_PRINTER_FAULT_ROUNDS"] ?? "") ?? 1 }
    /// kioskd's `[printing] no_progress_seconds` in the drill: the bound for seeing a fault.
    static let noProgressSeconds = 3

    enum Fault: String, CaseIterable {
        case stopped = "cupsd stopped"
        case killedMidJob = "cupsd killed mid-job"
        case disabled = "queue disabled"
        case unreachable = "device unreachable"
    }

    func config(_ pty: PseudoTerminal, _ cups: PrivateCUPS) -> String {
        """
        [printing]
        server = "\(cups.socketPath)"
        receipt_queue = "healthy"
        document_queue = "healthy"
        poll_interval_ms = 200
        no_progress_seconds = \(Self.noProgressSeconds)
        resume = "manual"
        wait_seconds = 0

        [[terminal]]
        name = "hall-1"
        device = "\(pty.devicePath)"
        profile = "citizen"
        """
    }

    func call(_ daemon: DaemonProcess, _ method: String, _ parameters: JSONValue = .object([:])) async throws -> JSONValue {
        let socket = daemon.controlSocket
        return try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.\(method)", parameters: parameters) }
    }

    /// The document printer's condition severity in Status ("ok", "warning", "fault").
    func severity(_ daemon: DaemonProcess) async -> String? {
        let status = try? await call(daemon, "Status")
        let document = status?["printers"]?.arrayValue?.first { $0["role"] == .string("document") }
        return document?["condition"]?["severity"]?.stringValue
    }

    /// A technician reprints the first guide: a new job, answered at once (wait_seconds = 0).
    func reprint(_ daemon: DaemonProcess) async throws -> String {
        let answer = try await call(daemon, "Reprint", .object(["number": .string("R-000001")]))
        return answer["number"]?.stringValue ?? ""
    }

    /// Job numbers by state, from the database as a technician's sqlite3 reads it.
    func jobStates(_ daemon: DaemonProcess) async throws -> [String: String] {
        let rows = try await SQLiteShell.query(daemon.databasePath, "SELECT number, state FROM printJob")
        var states: [String: String] = [:]
        for row in rows {
            let fields = row.split(separator: "|")
            if fields.count == 2 { states[String(fields[0])] = String(fields[1]) }
        }
        return states
    }

    /// Polls until `condition` holds; returns how long it took, nil when it never did.
    func timeUntil(within timeout: Duration, _ condition: () async -> Bool) async -> Duration? {
        let start = ContinuousClock.now
        while start.duration(to: .now) < timeout {
            if await condition() { return start.duration(to: .now) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    func count(_ log: String, _ event: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("event=\(event)") }.count
    }

    @Test("Printer faults in turn (cupsd stopped, killed mid-job, queue disabled, device unreachable): each is seen and logged, printing resumes, every job prints exactly once")
    func printerFaults() async throws {
        try await withPrivateCUPS { cups in
            // Given kioskd printing guides through a private cupsd, and a first guide a citizen printed
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(extraConfig: config(pty, cups))
            #expect(await daemon.waitUntilReady())
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            for key in [" ", "1", "2", "1", "\r"] {
                pty.type(key)
                await pty.waitForQuiet(.milliseconds(300))
            }
            #expect(await cups.wait { cups.paper().count == 1 })
            var maxDetection = Duration.zero
            var maxRecovery = Duration.zero
            var faults = 0
            for _ in 0..<Self.rounds {
                for fault in Fault.allCases {
                    faults += 1
                    let logBefore = daemon.errorOutput()
                    // When jobs are printing and the fault strikes
                    for _ in 0..<2 { _ = try await reprint(daemon) }
                    switch fault {
                    case .stopped:
                        try await cups.halt()
                    case .killedMidJob:
                        try await cups.setDevice("healthy", mode: "slow")
                        let slowRuns = cups.backendLog().components(separatedBy: "result=slow").count
                        _ = try await reprint(daemon)
                        #expect(await cups.wait { cups.backendLog().components(separatedBy: "result=slow").count > slowRuns })
                        try await cups.crash()
                    case .disabled:
                        try await cups.disable("healthy")
                    case .unreachable:
                        try await cups.setDevice("healthy", mode: "offline")
                    }
                    let struck = ContinuousClock.now
                    // And more jobs come while it lasts (the unreachable device is found by the first)
                    for _ in 0..<2 { _ = try await reprint(daemon) }
                    // Then Status shows the fault within no_progress_seconds
                    let seen = await timeUntil(within: .seconds(Self.noProgressSeconds)) { await severity(daemon) == "fault" }
                    #expect(seen != nil, "\(fault.rawValue) not seen in Status")
                    maxDetection = max(maxDetection, struck.duration(to: .now))
                    // And the log says so once, at warning
                    let during = String(daemon.errorOutput().dropFirst(logBefore.count))
                    #expect(count(during, "printer-fault") >= 1, "\(fault.rawValue): \(during)")
                    #expect(during.split(separator: "\n").filter { $0.contains("event=printer-fault") }.allSatisfy { $0.contains(" warning ") })
                    // When it is repaired
                    switch fault {
                    case .stopped:
                        try await cups.restart()
                    case .killedMidJob:
                        try await cups.restart()
                        try await cups.setDevice("healthy", mode: "healthy")
                    case .disabled:
                        try await cups.enable("healthy")
                    case .unreachable:
                        try await cups.setDevice("healthy", mode: "healthy")
                        _ = try await call(daemon, "Resume", .object(["role": .string("document")]))
                    }
                    let repaired = ContinuousClock.now
                    // Then every job recorded so far prints and the printer is fine again
                    let recovered = await timeUntil(within: .seconds(30)) {
                        let states = (try? await jobStates(daemon)) ?? [:]
                        guard !states.isEmpty, states.values.allSatisfy({ $0 == "printed" }) else { return false }
                        return await severity(daemon) == "ok"
                    }
                    let left = recovered == nil ? ((try? await jobStates(daemon)) ?? [:]).filter { $0.value != "printed" } : [:]
                    #expect(recovered != nil, "\(fault.rawValue): not printed \(left)")
                    maxRecovery = max(maxRecovery, repaired.duration(to: .now))
                    let after = String(daemon.errorOutput().dropFirst(logBefore.count))
                    #expect(after.split(separator: "\n").contains { $0.contains(" notice ") && $0.contains("event=printer-recovered") },
                            "\(fault.rawValue): no recovery logged")
                    print("printer fault \(fault.rawValue): seen after \(seen.map { "\($0)" } ?? "never"), printing again \(repaired.duration(to: .now)) after the repair, \(count(after, "printer-fault")) fault lines")
                }
            }
            // Then every job kioskd recorded is on paper exactly once, and nothing else is
            try await Task.sleep(for: .seconds(1))
            let states = try await jobStates(daemon)
            let titles = cups.paper().map(\.title)
            let numbers = Set(states.keys)
            let printedNumbers = titles.compactMap { $0.split(separator: " ").last.map(String.init) }
            let lost = numbers.subtracting(printedNumbers).count
            var copies: [String: Int] = [:]
            for number in printedNumbers { copies[number, default: 0] += 1 }
            let doublePrints = copies.values.reduce(0) { $0 + max(0, $1 - 1) }
            // A job CUPS was handed twice (two CUPS ids for one kioskd job), printed or not
            let submissions = Dictionary(grouping: cups.paper(), by: \.title).mapValues { Set($0.map(\.job)).count }
            let duplicated = submissions.values.reduce(0) { $0 + max(0, $1 - 1) }
            #expect(lost == 0, "lost: \(numbers.subtracting(printedNumbers).sorted())")
            #expect(doublePrints == 0, "\(copies.filter { $0.value > 1 })")
            #expect(Set(printedNumbers).isSubset(of: numbers))
            #expect(states.values.allSatisfy { $0 == "printed" }, "\(states)")
            daemon.signal(SIGTERM)
            let exit = await daemon.waitForExit()
            #expect(exit == 0, "kioskd exited \(exit.map(String.init) ?? "not within 60 s"): \(daemon.errorOutput().split(separator: "\n").suffix(15).joined(separator: "\n"))")
            let integrity = try await SQLiteShell.query(daemon.databasePath, "PRAGMA integrity_check")
            #expect(integrity == ["ok"])
            print("printer faults: \(faults) faults, \(numbers.count) jobs, longest until seen \(maxDetection), longest repair to all printed \(maxRecovery)")
            SoakReport(
                drill: "printer faults", cycles: faults, lost: lost, duplicated: duplicated,
                integrityFailures: integrity == ["ok"] ? 0 : 1, doublePrints: doublePrints, maxRecovery: maxRecovery
            ).report()
        }
    }
}
