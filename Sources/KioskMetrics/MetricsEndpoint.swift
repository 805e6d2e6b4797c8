import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// kioskd's metrics in Prometheus's text format, on `GET /metrics` at `[metrics] listen`
/// (loopback by default). Counters and histograms are recorded where their events happen
/// through swift-metrics' API; gauges of the daemon's state (terminals, outbox, printers,
/// payments, storage) are set from a fresh status just before each scrape, by `refresh`.
public struct MetricsEndpoint: Service {
    public let registry: PrometheusCollectorRegistry
    let host: String
    let port: Int
    let refresh: @Sendable () async -> Void
    let onListening: @Sendable (Int) async -> Void
    let logger: Logger
    /// The `# HELP` text of each metric family, by name.
    let help: [String: String]

    public init(
        registry: PrometheusCollectorRegistry, host: String, port: Int, help: [String: String] = [:],
        refresh: @escaping @Sendable () async -> Void, onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        logger: Logger
    ) {
        self.registry = registry
        self.help = help
        self.host = host
        self.port = port
        self.refresh = refresh
        self.onListening = onListening
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        router.get("/metrics") { [registry, refresh, help] _, _ -> Response in
            await refresh()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            let text = Self.withHelp(registry.emitToString(), help: help)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "kioskd-metrics"),
            onServerRunning: { [onListening, port] channel in
                await onListening(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
        do {
            // No signals of its own: it stops when the daemon's group reaches it, in order.
            try await application.runService(gracefulShutdownSignals: [])
        } catch {
            // Metrics are for monitoring: a taken port must not stop the kiosk's terminals.
            logger.error("metrics not served", metadata: ["error": "\(error)", "port": "\(port)"])
            try? await gracefulShutdown()
        }
    }
}

extension MetricsEndpoint {
    /// The exposition text with a `# HELP` line before each family's `# TYPE` line. The
    /// help is added here, not through swift-metrics (whose factory registers no help text,
    /// and swift-prometheus refuses a family's help changing once registered).
    static func withHelp(_ text: String, help: [String: String]) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst("# TYPE ".count).split(separator: " ").first,
               let words = help[String(name)] {
                lines.append("# HELP \(name) \(words)")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// The process's one metrics system: swift-metrics bootstrapped with a Prometheus factory.
/// Bootstrapping is once per process (kioskd's `main`); tests that build daemons in-process
/// leave it alone, and their metrics go nowhere.
public enum KioskMetricsSystem {
    /// Afterwards every swift-metrics counter, gauge and timer of the process is recorded in
    /// the returned registry.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Keystrokes to frames: sub-millisecond to a second.
        factory.durationHistogramBuckets["kioskd_keystroke_to_frame_seconds"] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }
}

/// The registry the process's metrics are recorded in (swift-prometheus's).
public typealias MetricsRegistry = PrometheusCollectorRegistry
