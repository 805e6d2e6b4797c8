import KioskCore
import Logging
import ServiceLifecycle

/// Tells systemd how the daemon is: READY once it runs (the composition root has opened
/// and migrated the database and bound the control socket before any service runs),
/// STATUS lines with the one-line summary, WATCHDOG pings while the daemon answers, and
/// STOPPING when a shutdown begins.
final class SystemdNotifyService: Service, Sendable {
    private let notifier: SystemdNotifier
    private let statusInterval: Duration
    private let summary: @Sendable () async -> String
    private let time: TimeEnvironment
    private let logger: Logger

    init(notifier: SystemdNotifier, statusInterval: Duration = .seconds(5),
         summary: @escaping @Sendable () async -> String, time: TimeEnvironment, logger: Logger) {
        self.time = time
        self.notifier = notifier
        self.statusInterval = statusInterval
        self.summary = summary
        self.logger = logger
    }

    func run() async throws {
        notifier.ready(status: await summary())
        logger.notice("ready", metadata: ["event": .string(LogMessageKind.started.rawValue)])
        // The watchdog is fed from the same loop that computes the status, so a daemon whose
        // actors no longer answer stops feeding it and systemd restarts it.
        let interval = min(statusInterval, notifier.watchdogInterval ?? statusInterval)
        await withGracefulShutdownHandler {
            try? await cancelWhenGracefulShutdown {
                var sinceStatus = Duration.zero
                while !Task.isCancelled {
                    try await self.time.sleep(for: interval)
                    if self.notifier.watchdogInterval != nil {
                        _ = await self.summary()
                        self.notifier.watchdog()
                    }
                    sinceStatus += interval
                    if sinceStatus >= self.statusInterval {
                        self.notifier.status(await self.summary())
                        sinceStatus = .zero
                    }
                }
            }
        } onGracefulShutdown: {
            self.notifier.stopping()
            self.logger.notice("stopping", metadata: ["event": .string(LogMessageKind.stopping.rawValue)])
        }
    }
}
