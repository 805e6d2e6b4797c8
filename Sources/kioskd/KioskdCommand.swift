import ArgumentParser
import Foundation
import KioskCore
import KioskDaemon
import Logging
import ServiceLifecycle

/// `kioskd`: the kiosk daemon. Runs the terminals of one hall until stopped.
@main
struct KioskdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "Drives the self-service kiosk terminals of a service hall.",
        version: KioskVersion.current
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String = ConfigurationLoader.defaultPath

    @Flag(name: .long, help: "Check the configuration file, print what is wrong, and exit (0 valid, 78 invalid).")
    var checkConfig = false

    @Flag(name: .long, help: "Run a demo on this terminal with a fresh state directory and the reference case-service.")
    var demo = false

    @Option(name: .long, help: "With --demo: keep the demo's state in this directory instead of a fresh temporary one.")
    var stateDir: String?

    func validate() throws {
        if stateDir != nil, !demo { throw ValidationError("--state-dir goes with --demo") }
    }

    /// Under systemd, whose journal is standard error, entries go to journald's native socket
    /// with a priority and a MESSAGE_ID each; otherwise lines go to standard error with the
    /// hall's time. The same source of time runs the daemon.
    private static func bootstrapLogging(_ configuration: KioskConfiguration, time: any TimeSource) {
        let zone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: TimeEnvironment.defaultZoneIdentifier)!
        let environment = ProcessInfo.processInfo.environment
        let journal = JournalConnection.standardErrorIsJournal(environment: environment) ? JournalConnection() : nil
        LoggingSystem.bootstrap { label in
            let line = HallLogHandler(label: label, time: time, timeZone: zone)
            guard let journal else { return line }
            return JournalLogHandler(label: label, journal: journal, fallback: line)
        }
    }

    func run() async throws {
        // Whatever the caller's umask, what kioskd creates is its own (PrivateFiles).
        umask(PrivateFiles.processUmask)
        // A SIGHUP (systemctl reload) that comes before the reload service subscribes to it
        // must not kill the daemon (its default action): ignored until then.
        signal(SIGHUP, SIG_IGN)
        if demo {
            try await runDemo()
            return
        }
        let configuration: KioskConfiguration
        do {
            configuration = try ConfigurationLoader.load(path: config)
            try ConfigurationLoader.requireKioskID(configuration, file: config)
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("kioskd: \(error.description)\n".utf8))
            throw ExitCode(ConfigurationError.exitCode)
        }
        if checkConfig {
            do {
                let catalog = try CatalogLoader.load(for: configuration)
                print("\(config): valid, \(configuration.terminals.count) terminal(s), catalog of \(catalog.itemCount) items")
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("kioskd: \(error.description)\n".utf8))
                throw ExitCode(ConfigurationError.exitCode)
            }
            return
        }
        let time = SystemTimeSource()
        Self.bootstrapLogging(configuration, time: time)
        let group: ServiceGroup
        do {
            group = try await buildDaemon(
                configuration: configuration,
                environment: DaemonEnvironment(configurationPath: config, timeSource: time, metrics: bootstrapMetrics())
            )
        } catch let error as ConfigurationError {
            // The catalog is checked while the daemon is built: its errors are configuration errors too.
            try? FileHandle.standardError.write(contentsOf: Data("kioskd: \(error.description)\n".utf8))
            throw ExitCode(ConfigurationError.exitCode)
        }
        try await group.run()
    }

    private func runDemo() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let caseService = executable.deletingLastPathComponent().appendingPathComponent("case-service").path
        let environment = try DemoEnvironment(stateDirectory: stateDir, caseServiceExecutable: caseService)
        defer { environment.shutdown() }
        let time = SystemTimeSource()
        Self.bootstrapLogging(environment.configuration, time: time)
        try? FileHandle.standardError.write(contentsOf: Data((environment.banner + "\n").utf8))
        // Give the reader a moment to see where things are before the screen is taken.
        try await TimeEnvironment(source: time, timeZone: .gmt).sleep(for: .seconds(2))
        // From here on the terminal shows the kiosk; log lines go to the demo's log file.
        let log = open(environment.logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if log >= 0 {
            fchmod(log, 0o600)
            dup2(log, STDERR_FILENO)
            close(log)
        }
        let group = try await buildDaemon(
            configuration: environment.configuration, environment: DaemonEnvironment(timeSource: time, metrics: bootstrapMetrics())
        )
        try await group.run()
    }
}
