#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle
import UnixSignals

/// Handles SIGHUP (`systemctl reload kioskd`): reloads through the `Reloader`, as the
/// `Reload` method does, without touching running sessions. A valid catalog replaces the
/// one in force (each terminal shows it between sessions); the log says what changed and
/// what needs a restart; a broken file is logged with its file, line and key, and what was
/// running stays in force.
///
/// The SIGHUP handler is installed when the service is made (`make`), before the group
/// runs and so before READY: a reload asked for right after READY is never lost, and a
/// SIGHUP can never kill the daemon with its default action.
struct ReloadService: Service {
    let reloader: Reloader
    let notifier: SystemdNotifier
    let signals: UnixSignalsSequence

    static func make(reloader: Reloader, notifier: SystemdNotifier) async -> ReloadService {
        ReloadService(reloader: reloader, notifier: notifier, signals: await UnixSignalsSequence(trapping: .sighup))
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                notifier.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())
                // The Reloader logs the outcome either way.
                _ = try? reloader.reload()
                notifier.send("READY=1")
            }
        }
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
