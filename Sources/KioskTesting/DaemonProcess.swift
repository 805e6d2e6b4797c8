#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A `kioskd` started from the built binary for an end-to-end test, with its own state
/// directory, control socket and fake notify socket.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked: Process is thread-safe for the calls made here (run, terminate, status).
    public let directory: TemporaryDirectory
    public let process = Process()
    public let notify: NotifySocket
    public let configPath: String
    public let controlSocket: String
    public let terminalSocket: String
    public let databasePath: String
    /// The daemon's stderr (its log) goes to a file, so a chatty daemon never blocks on
    /// a full pipe nobody reads.
    public var logPath: String { directory.file("kioskd.log") }

    /// Writes a configuration (`[daemon]` paths in a temp dir, `[central]` with `centralURL`
    /// and `token`, then `extraConfig`) and starts kioskd with it. `extraConfig` holds
    /// further tables, e.g. `[[terminal]]` entries. With `reusing`, the daemon starts on the
    /// state directory of an earlier one (a restart after a crash). With `stateSubdirectory`,
    /// the state (and the database in it) lives in that folder of the temp dir, which kioskd
    /// creates itself. With `umask`, kioskd starts under that umask (through `/bin/sh`).
    /// `daemonConfig` holds more keys of the `[daemon]` table, `centralConfig` of `[central]`.
    public init(
        extraConfig: String = "", arguments: [String] = [], environment: [String: String] = [:],
        centralURL: String = "http://127.0.0.1:9", token: String = "", reusing: TemporaryDirectory? = nil,
        stateSubdirectory: String? = nil, umask: mode_t? = nil, daemonConfig: String = "", centralConfig: String = "",
        launcher: [String] = []
    ) throws {
        let directory = try reusing ?? TemporaryDirectory(prefix: "kioskd-e2e")
        self.directory = directory
        configPath = directory.file("kioskd.toml")
        controlSocket = directory.file("control.socket")
        terminalSocket = directory.file("terminal.socket")
        let stateDirectory = stateSubdirectory.map { directory.file($0) } ?? directory.path
        databasePath = (stateDirectory as NSString).appendingPathComponent("kioskd.sqlite")
        let config = """
            [daemon]
            kiosk_id = "E2E-1"
            state_directory = "\(stateDirectory)"
            database = "\(databasePath)"
            control_socket = "\(controlSocket)"
            terminal_socket = "\(terminalSocket)"
            log_level = "debug"
            \(daemonConfig)

            [central]
            url = "\(centralURL)"
            token = "\(token)"
            status_sync_seconds = 1
            \(centralConfig)

            [metrics]
            listen = "127.0.0.1:0"

            [forwarding]
            retry_base_ms = 100
            retry_cap_seconds = 1
            breaker_open_seconds = 1
            request_timeout_seconds = 1

            \(extraConfig)
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        notify = try NotifySocket(path: directory.file("notify.socket"))
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let script = "umask \(String(umask, radix: 8)); exec \"$0\" \"$@\""
            process.arguments = ["-c", script, BuiltProducts.path(of: "kioskd"), "--config", configPath] + arguments
        } else if let program = launcher.first {
            // A program that starts kioskd itself, e.g. systemd-socket-activate.
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [BuiltProducts.path(of: "kioskd"), "--config", configPath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "kioskd"))
            process.arguments = ["--config", configPath] + arguments
        }
        var variables = ProcessInfo.processInfo.environment
        variables["NOTIFY_SOCKET"] = notify.path
        variables.merge(environment) { $1 }
        process.environment = variables
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        _ = FileManager.default.createFile(atPath: directory.file("kioskd.log"), contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory.file("kioskd.log"))
        try process.run()
    }

    /// Waits for READY=1 on the notify socket.
    /// A daemon still running without READY says where it is stuck (`stuckReport`).
    public func waitUntilReady(timeout: Duration = .seconds(30)) async -> Bool {
        if await notify.waitFor("READY=1", timeout: timeout) { return true }
        if exitStatus() == nil { print(stuckReport()) }
        return false
    }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end, up to `timeout`; returns its exit status, or nil if
    /// it is still running. Generous: a stop closes the database, whose last fsync can
    /// wait behind the disk's writeback for many seconds on a machine that just built.
    public func waitForExit(timeout: Duration = .seconds(60)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while exitStatus() == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if let status = exitStatus() { return status }
        // Still running: say where it is stuck, for the test's output (and CI's).
        print(stuckReport())
        return nil
    }

    /// What a daemon that does not end shows: its threads' stacks (through gdb, when
    /// installed) and the last lines of its log, which at debug level name the services
    /// that have stopped.
    public func stuckReport() -> String {
        let pid = process.processIdentifier
        var report = "kioskd (pid \(pid)) is stuck; its log ends:\n"
        report += errorOutput().split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
        // Through Subprocess (a file, not a pipe another test's process could inherit).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb"),
           let (_, text) = try? Subprocess.run("/usr/bin/gdb", ["-p", String(pid), "-batch", "-nx", "-ex", "thread apply all bt 25"]) {
            report += "\nits threads:\n" + text.split(separator: "\n").filter { $0.hasPrefix("#") || $0.hasPrefix("Thread") }.joined(separator: "\n")
        }
        return report
    }

    /// What the daemon wrote to stderr (its log), once it has exited.
    public func errorOutput() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The exit status once the daemon has ended (the signal's number if one ended it, as
    /// Foundation gives it), or nil while it runs.
    ///
    /// Read from /proc as well: Foundation learns of a child's end when a socket the child
    /// held closes, and a process another test spawned at the same moment can inherit that
    /// socket and keep it open; kioskd had long exited 0 when a test, waiting on
    /// Foundation, reported it still running.
    public func exitStatus() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // The state is the first field after the name; the exit code (wait status) the last.
        guard fields.first == "Z", let code = fields.last.flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            return nil
        }
        return code & 0x7F == 0 ? (code >> 8) & 0xFF : code & 0x7F
    }

    deinit {
        // Killed without waiting: the wait could be the one that never learns of the end.
        if exitStatus() == nil { kill(process.processIdentifier, SIGKILL) }
    }
}
