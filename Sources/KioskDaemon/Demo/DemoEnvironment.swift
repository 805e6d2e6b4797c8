import Foundation
import KioskCore

/// Everything `kioskd --demo` sets up around the daemon: a state directory (fresh in the
/// temp folder unless given), the reference `case-service` on a free loopback port, and
/// one citizen terminal on the terminal the demo was started in.
public final class DemoEnvironment: Sendable {
    public let stateDirectory: String
    public let configuration: KioskConfiguration
    public let caseServiceURL: String
    public let logPath: String
    private let caseService: Process

    /// Prepares the demo; afterwards `case-service` is running and answering on loopback.
    public init(stateDirectory requested: String?, caseServiceExecutable: String) throws {
        let directory: String
        if let requested {
            directory = requested
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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
        process.arguments = ["--port", "0", "--database", directory + "/case-service.sqlite", "--advance-every", "20"]
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
        self.configuration = configuration
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
          case-service:    \(caseServiceURL)
          log:             \(logPath)
        In another terminal:  kioskctl --socket \(configuration.controlSocket) status
        Ctrl-C quits the demo.
        """
    }

    /// Stops `case-service`.
    public func shutdown() {
        if caseService.isRunning {
            caseService.terminate()
            caseService.waitUntilExit()
        }
    }

    /// Reads the "listening on URL" line case-service prints once it accepts connections.
    private static func readListeningURL(from handle: FileHandle) -> String? {
        var collected = Data()
        while collected.count < 4096 {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
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
