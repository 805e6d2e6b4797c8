#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import UnixSignals

/// Handles SIGHUP (`systemctl reload kioskd`): reads the configuration file again and
/// reports whether it is valid, without touching running sessions. A broken file is
/// logged with its file, line and key, and the running configuration stays in force.
struct ReloadService: Service {
    let configurationPath: String?
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                notifier.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())
                reload()
                notifier.send("READY=1")
            }
        }
    }

    private func reload() {
        guard let configurationPath else {
            logger.notice("reload requested; running on embedded defaults, nothing to read")
            return
        }
        do {
            _ = try ConfigurationLoader.load(path: configurationPath)
            logger.notice("configuration checked on reload", metadata: ["file": .string(configurationPath)])
        } catch {
            logger.error("configuration not reloaded: \(error.description)")
        }
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
