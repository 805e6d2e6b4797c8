import Foundation

/// A private CUPS scheduler for a test, started by `scripts/private-cupsd` in a temporary
/// directory, with the queues healthy, nopaper, failing and hanging. Use it through
/// `withPrivateCUPS`, which stops it (by PID, through the script) whether the test passes,
/// fails or throws.
public final class PrivateCUPS: Sendable {
    public let directory: TemporaryDirectory
    /// The scheduler's Unix socket.
    public let socketPath: String

    /// The `[printing]` section that points kioskd at this cupsd's `healthy` queue for both
    /// roles and polls it quickly: what the end-to-end tests that print start kioskd with.
    public var healthyPrintingConfig: String {
        """
        [printing]
        server = "\(socketPath)"
        receipt_queue = "healthy"
        document_queue = "healthy"
        poll_interval_ms = 200
        wait_seconds = 3
        """
    }
    /// Its loopback port.
    public let port: Int32

    /// The script, found from this source file's place in the repository.
    public static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/private-cupsd").path
    }()

    /// True when a private scheduler can run here: root (cupsd drops to lp itself) and
    /// cupsd installed.
    public static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/cupsd")
    }

    private init(directory: TemporaryDirectory, port: Int32) {
        self.directory = directory
        socketPath = directory.file("cups.sock")
        self.port = port
    }

    /// Starts a scheduler; afterwards it answers IPP and its queues exist.
    public static func start() async throws -> PrivateCUPS {
        let directory = try TemporaryDirectory(prefix: "kioskd-cups")
        let output = try await offPool { try Self.runScript(["start", directory.path]) }
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("port=") }), let port = Int32(line.dropFirst(5)) else {
            _ = try? await offPool { try Self.runScript(["stop", directory.path]) }
            throw ScriptError(output: output)
        }
        return PrivateCUPS(directory: directory, port: port)
    }

    /// Stops the scheduler and everything it started.
    public func stop() async {
        let path = directory.path
        _ = try? await offPool { try Self.runScript(["stop", path]) }
    }

    /// Makes `queue` print from now on: its backend turns healthy, its reasons are
    /// cleared and it is enabled (as hall staff loading paper, then pressing resume).
    public func heal(_ queue: String) async throws {
        let path = directory.path
        _ = try await offPool { try Self.runScript(["heal", path, queue]) }
    }

    /// Makes `queue`'s backend healthy without touching CUPS: the paper is loaded, but the
    /// stopped queue stays stopped until someone resumes it.
    public func loadPaper(_ queue: String) throws {
        try Data().write(to: URL(fileURLWithPath: directory.file("heal/\(queue)")))
    }

    /// Stops the scheduler (TERM, as `systemctl stop cups`), keeping its queues and jobs
    /// for `restart`.
    public func halt() async throws {
        let path = directory.path
        _ = try await offPool { try Self.runScript(["stop", path]) }
    }

    /// Kills the scheduler outright (SIGKILL to cupsd alone: a running backend is left
    /// to itself), keeping what it wrote for `restart`.
    public func crash() async throws {
        let path = directory.path
        _ = try await offPool { try Self.runScript(["crash", path]) }
    }

    /// Starts the scheduler again after `halt` or `crash`, on the same socket, port,
    /// queues and jobs; afterwards it answers IPP.
    public func restart() async throws {
        let path = directory.path
        _ = try await offPool { try Self.runScript(["restart", path]) }
    }

    /// Stops `queue` as `cupsdisable` does (a technician pausing it); it keeps its jobs.
    public func disable(_ queue: String) async throws {
        let socket = socketPath
        try await offPool { try Self.runTool("/usr/sbin/cupsdisable", ["-h", socket, queue]) }
    }

    /// Starts `queue` again as `cupsenable` does.
    public func enable(_ queue: String) async throws {
        let socket = socketPath
        try await offPool { try Self.runTool("/usr/sbin/cupsenable", ["-h", socket, queue]) }
    }

    /// Points `queue` at the test backend's `mode` (healthy, slow, offline, nopaper,
    /// failing, hanging): `offline` is a device that does not answer, `slow` one that
    /// takes a second per job.
    public func setDevice(_ queue: String, mode: String) async throws {
        let socket = socketPath
        try await offPool { try Self.runTool("/usr/sbin/lpadmin", ["-h", socket, "-p", queue, "-v", "kiosktest:/\(mode)"]) }
    }

    /// Every run of the backend that put a job on paper, in order: CUPS's job id and the
    /// job's title. A job CUPS ran twice to the end is here twice.
    public func paper() -> [(job: Int, title: String)] {
        let text = (try? String(contentsOfFile: directory.file("printed.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, let job = Int(fields[0]) else { return nil }
            return (job, String(fields[1]))
        }
    }

    /// What the healthy backend received, by file name ("healthy-3.data"), sorted by job id.
    public func printed(queue: String) -> [(job: Int, bytes: [UInt8])] {
        let folder = directory.file("output")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (Int, [UInt8])? in
            guard name.hasPrefix("\(queue)-"), name.hasSuffix(".data"),
                  let id = Int(name.dropFirst(queue.count + 1).dropLast(5)),
                  let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return (id, [UInt8](data))
        }.sorted { $0.0 < $1.0 }
    }

    /// The job titles the backend saw (from its .meta files), for checks on job names.
    public func printedTitles(queue: String) -> [String] {
        let folder = directory.file("output")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("\(queue)-") && $0.hasSuffix(".meta") }.compactMap { name in
            (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("title=") }.map { String($0.dropFirst(6)) }
        }
    }

    /// The backend's log: one line per run, e.g. "queue=nopaper job=2 mode=nopaper result=exit-4".
    public func backendLog() -> String {
        (try? String(contentsOfFile: directory.file("backend.log"), encoding: .utf8)) ?? ""
    }

    /// Waits (polling, off the cooperative pool's clock) until `condition` holds or
    /// `timeout` passes; returns whether it held.
    public func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }

    public struct ScriptError: Error, CustomStringConvertible {
        public let output: String
        public var description: String { "private-cupsd failed: \(output)" }
    }

    /// Runs a CUPS command-line tool; throws with its output when it fails.
    static func runTool(_ path: String, _ arguments: [String]) throws {
        let (status, output) = try Subprocess.run(path, arguments)
        guard status == 0 else { throw ScriptError(output: "\(path) \(arguments.joined(separator: " ")): \(output)") }
    }

    /// Runs the script and returns what it printed; throws when it fails.
    @discardableResult
    static func runScript(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["PRIVATE_CUPSD_LOGLEVEL"] = "warn"
        let (status, output) = try Subprocess.run(script, arguments, environment: environment)
        guard status == 0 else { throw ScriptError(output: output) }
        return output
    }
}

/// Runs `body` with a private CUPS scheduler and stops it afterwards, also when `body`
/// throws.
public func withPrivateCUPS<T: Sendable>(_ body: (PrivateCUPS) async throws -> T) async throws -> T {
    let cups = try await PrivateCUPS.start()
    do {
        let result = try await body(cups)
        await cups.stop()
        return result
    } catch {
        await cups.stop()
        throw error
    }
}
