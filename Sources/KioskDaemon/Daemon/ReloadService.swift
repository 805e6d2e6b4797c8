#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import UnixSignals

/// Handles SIGHUP (`systemctl reload kioskd`): reads the configuration file and the
/// catalog again without touching running sessions. A valid catalog replaces the one in
/// force (sessions show it from their next screen); a broken file is logged with its
/// file, line and key, and what was running stays in force.
struct ReloadService: Service {
    let configurationPath: String?
    let catalog: CatalogStore
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
        do {
            let configuration = try configurationPath.map { path throws(ConfigurationError) in try ConfigurationLoader.load(path: path) }
                ?? KioskConfiguration()
            let fresh = try CatalogLoader.load(for: configuration)
            catalog.replace(with: fresh)
            logger.notice("reloaded: catalog of \(fresh.itemCount) items in \(fresh.stages.count) stages")
        } catch {
            logger.error("not reloaded, previous configuration and catalog stay: \(error.description)")
        }
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
