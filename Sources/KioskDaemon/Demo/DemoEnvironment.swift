#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore

/// Everything `kioskd --demo` sets up around the daemon: a state directory (fresh in the
/// temp folder unless given), the reference `case-service` on a free loopback port (its
/// payment orders pay themselves after a few seconds), a private cupsd whose queue keeps
/// every document in the state directory (when run as root with cupsd installed), and one
/// citizen terminal on the terminal the demo was started in.
public final class DemoEnvironment: Sendable {
    public let stateDirectory: String
    public let configuration: KioskConfiguration
    public let caseServiceURL: String
    public let logPath: String
    /// Where the private cupsd keeps what it printed; nil when the demo runs without printing.
    public let printedDirectory: String?
    /// Why the demo runs without printing, for the banner.
    public let printingNote: String?
    private let caseService: Process
    private let cupsScript: String?

    /// Prepares the demo; afterwards `case-service` is running and answering on loopback.
    public init(stateDirectory requested: String?, caseServiceExecutable: String, autoPayAfterSeconds: Int = 8) throws {
        let directory: String
        if let requested {
            directory = requested
            try PrivateFiles.directory(directory)
        } else {
            var template = Array(((NSTemporaryDirectory() as NSString).appendingPathComponent("kioskd-demo.XXXXXX")).utf8CString)
            guard let made = mkdtemp(&template) else { throw DemoError("cannot create a temporary directory") }
            directory = String(cString: made)
        }
        stateDirectory = directory
        logPath = directory + "/kioskd.log"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: caseServiceExecutable)
        // Cases move along every 20 s, so the demo's progress query has something to show.
        // Payment orders pay themselves after a few seconds, so a bill can be paid without a phone.
        process.arguments = [
            "--port", "0", "--database", directory + "/case-service.sqlite", "--advance-every", "20",
            "--auto-pay-after", String(autoPayAfterSeconds),
            // The token names the demo's kiosk id, so its heartbeats are its own.
            "--token", "demo-token=DEMO",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        do {
            try process.run()
        } catch {
            throw DemoError("cannot start \(caseServiceExecutable): \(error)")
        }
        caseService = process
        guard let url = Self.readListeningURL(from: output.fileHandleForReading) else {
            process.terminate()
            throw DemoError("case-service did not start")
        }
        caseServiceURL = url

        var configuration = KioskConfiguration()
        configuration.stateDirectory = directory
        configuration.database = directory + "/kioskd.sqlite"
        configuration.controlSocket = directory + "/control.socket"
        configuration.terminalSocket = directory + "/terminal.socket"
        configuration.central.url = url
        configuration.central.healthIntervalSeconds = 2
        configuration.central.token = "demo-token"
        configuration.central.statusSyncSeconds = 5
        var terminal = KioskConfiguration.Terminal(name: "demo", device: "/dev/tty", profile: .citizen)
        terminal.doubleSizeLines = Self.drawsDoubleSizeLines(ProcessInfo.processInfo.environment)
        configuration.terminals = [terminal]
        configuration.demo = true
        // Any free loopback port: Status tells which.
        configuration.metricsListen = "127.0.0.1:0"
        configuration.kioskID = KioskID("DEMO")
        configuration.hall = HallInfo(name: "示范区政务服务中心 Demo Service Hall", address: "示范区人民路1号", hotline: "12345")

        let (script, note) = Self.startPrivateCUPS(in: directory + "/cups")
        cupsScript = script
        printingNote = note
        if script != nil {
            configuration.printing.server = directory + "/cups/cups.sock"
            configuration.printing.receiptQueue = "healthy"
            configuration.printing.documentQueue = "healthy"
            configuration.printing.pollIntervalMilliseconds = 500
            printedDirectory = directory + "/cups/output"
        } else {
            printedDirectory = nil
        }
        self.configuration = configuration
    }

    /// Starts `scripts/private-cupsd` (found from the working directory, as `make demo`
    /// runs it, or `KIOSKD_PRIVATE_CUPSD`) in `directory`; returns the script, or nil and
    /// why printing is off.
    private static func startPrivateCUPS(in directory: String) -> (String?, String?) {
        let environment = ProcessInfo.processInfo.environment
        let script = environment["KIOSKD_PRIVATE_CUPSD"]
            ?? (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("scripts/private-cupsd")
        guard getuid() == 0 else { return (nil, "not root: the private cupsd needs root, so the demo runs without printing") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/cupsd") else {
            return (nil, "cupsd is not installed (Debian cups-daemon), so the demo runs without printing")
        }
        guard FileManager.default.isExecutableFile(atPath: script) else {
            return (nil, "\(script) not found (run the demo from the repository), so the demo runs without printing")
        }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let status = runToEnd(script, ["start", directory])
        guard status == 0 else {
            return (nil, "the private cupsd did not start (exit \(status)), so the demo runs without printing")
        }
        return (script, nil)
    }

    /// Runs `path` to its end with stdin, stdout and stderr on /dev/null; returns its exit
    /// status (-1 when it could not start or was killed). posix_spawn and waitpid rather
    /// than Foundation's Process: the script leaves cupsd running, and the child is reaped
    /// here, not by a run loop the demo does not turn.
    private static func runToEnd(_ path: String, _ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED: the low 7 bits are 0; WEXITSTATUS: the next byte.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }

    /// Whether the terminal the demo runs in draws DEC double-size lines, as far as its
    /// environment tells: xterm and Konsole announce themselves and draw them; anything
    /// else (VTE, tmux, screen, the console) gets normal-size elder mode.
    public static func drawsDoubleSizeLines(_ environment: [String: String]) -> Bool {
        guard environment["TMUX"] == nil, environment["STY"] == nil else { return false }
        return environment["XTERM_VERSION"] != nil || environment["KONSOLE_VERSION"] != nil
    }

    /// What the demo prints before it takes the screen.
    public var banner: String {
        """
        kioskd \(KioskVersion.current) demo
          state directory: \(stateDirectory)
          database:        \(configuration.databasePath)
          control socket:  \(configuration.controlSocket)
          case-service:    \(caseServiceURL)  (payment orders pay themselves after a few seconds)
          fleet page:      \(caseServiceURL)/fleet  (this kiosk's heartbeats, every \(configuration.central.heartbeatSeconds) s)
          printing:        \(printedDirectory.map { "private cupsd, documents in \($0)" } ?? "off: " + (printingNote ?? ""))
          log:             \(logPath)
        In another terminal:  kioskctl --socket \(configuration.controlSocket) status
        Ctrl-C quits the demo.
        """
    }

    /// Stops `case-service` and the private cupsd.
    public func shutdown() {
        if caseService.isRunning {
            caseService.terminate()
            caseService.waitUntilExit()
        }
        if let cupsScript { _ = Self.runToEnd(cupsScript, ["stop", stateDirectory + "/cups"]) }
    }

    /// Reads the "listening on URL" line case-service prints once it accepts connections.
    private static func readListeningURL(from handle: FileHandle) -> String? {
        var collected = Data()
        while collected.count < 4096 {
            // A throwing read: `availableData` traps on a read error.
            guard let chunk = try? handle.read(upToCount: 1), !chunk.isEmpty else { return nil }
            collected.append(chunk)
            if let text = String(data: collected, encoding: .utf8), let newline = text.firstIndex(of: "\n") {
                let line = text[..<newline]
                guard let range = line.range(of: "http://") else { return nil }
                return String(line[range.lowerBound...])
            }
        }
        return nil
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
