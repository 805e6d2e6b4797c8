import Foundation
import KioskCore
import KioskMetrics
import KioskSigning
import KioskTerminal
import Logging
import ServiceLifecycle

/// Where the daemon runs: the parts of the process environment the composition root reads.
public struct DaemonEnvironment: Sendable {
    /// The process environment (NOTIFY_SOCKET, WATCHDOG_USEC…).
    public var variables: [String: String]
    /// The configuration file, for reloads; nil when running on defaults (demo).
    public var configurationPath: String?
    /// Where the daemon's time comes from: the system's clocks, or a test clock.
    public var timeSource: any TimeSource
    /// The registry swift-metrics was bootstrapped with (`bootstrapMetrics()`, once per
    /// process); nil serves no metrics.
    public var metrics: MetricsRegistry?

    public init(
        variables: [String: String] = ProcessInfo.processInfo.environment, configurationPath: String? = nil,
        timeSource: any TimeSource = SystemTimeSource(), metrics: MetricsRegistry? = nil
    ) {
        self.variables = variables
        self.configurationPath = configurationPath
        self.timeSource = timeSource
        self.metrics = metrics
    }
}

/// Bootstraps swift-metrics with a Prometheus registry for the whole process; call once,
/// in `main`, and hand the registry to `buildDaemon` through `DaemonEnvironment`.
public func bootstrapMetrics() -> MetricsRegistry {
    KioskMetricsSystem.bootstrap()
}

/// The one composition root: builds every service of the daemon from a configuration.
/// `kioskd` runs the returned group; the tests run the very same group.
///
/// Before it returns, the state directory exists, the database is open and migrated, and
/// the control socket is bound, so that the READY sent when the group starts is true.
/// Services start in order and stop in reverse: the database first and last. The parts
/// (store, forwarding, printing, control, terminals) are built by the `make…` functions
/// beside this one, each handed the one time environment.
public func buildDaemon(
    configuration: KioskConfiguration, environment: DaemonEnvironment = DaemonEnvironment(), logger: Logger? = nil
) async throws -> ServiceGroup {
    var logger = logger ?? Logger(label: "kioskd")
    logger.logLevel = configuration.logLevel
    // The loader refused any zone it does not know.
    let time = TimeEnvironment(source: environment.timeSource, timeZone: TimeZone(identifier: configuration.timeZone)!)
    let startedAt = time.now

    // Sessions redraw when what their screens depend on changes: the catalog, the central
    // service's reachability, a printer.
    let changes = ChangeSignal()
    let signalChange: @Sendable () -> Void = { changes.signal() }
    let store = try makeStore(configuration, time: time, logger: logger, onCatalogChange: signalChange)
    let storage = StorageMonitor(
        path: configuration.stateDirectory, minimumFreeMB: configuration.minFreeMB, startedFull: store.startedFull, time: time,
        logger: logger, onChange: signalChange
    )
    store.database.onStorageFull { storage.noteWriteFailed() }
    let forwarding = try makeForwarding(configuration, store: store, time: time, logger: logger, onChange: signalChange)
    let printing = makePrintService(configuration, store: store, time: time, logger: logger, onChange: signalChange)
    let payments = try await makePayments(
        configuration, store: store, forwarding: forwarding, printing: printing, time: time, logger: logger
    )
    let settlement = makeSettlement(
        configuration, store: store, forwarding: forwarding, printing: printing, payments: payments, time: time, logger: logger
    )
    let registry = TerminalRegistry()
    let live = LiveSettings(configuration, onSessionChange: signalChange)
    let reloader = Reloader(
        configurationPath: environment.configurationPath, running: configuration, catalog: store.catalog, live: live, logger: logger
    )
    let control = try await makeControl(
        configuration, activation: SocketActivation(environment: environment.variables), store: store, forwarding: forwarding, printing: printing, payments: payments, settlement: settlement,
        registry: registry, storage: storage, reloader: reloader, startedAt: startedAt, time: time, logger: logger
    )
    live.serve(control.server)
    let terminals = try makeTerminals(
        configuration, store: store, forwarding: forwarding, printing: printing, payments: payments, registry: registry,
        storage: storage, live: live, time: time, changes: changes, logger: logger
    )

    var services: [ServiceGroupConfiguration.ServiceConfiguration] = store.services + forwarding.services
    services.append(.init(service: printing))
    services.append(.init(service: payments.follower))
    services.append(.init(service: settlement))
    services.append(.init(service: storage))
    services.append(.init(service: RetentionService(
        database: store.database, catalog: store.catalog, hashing: SwiftCryptoHashing(),
        days: configuration.privacy.personalDataDays, time: time, logger: logger
    )))
    services.append(.init(service: control.server))
    services.append(.init(service: makeHeartbeat(
        configuration, store: store, forwarding: forwarding, backend: control.backend, time: time, logger: logger
    )))
    if configuration.catalogSource == .central {
        services.append(.init(service: CentralCatalogService(
            client: forwarding.client, store: store.catalog, folder: centralCatalogFolder(configuration),
            interval: .seconds(configuration.catalogPollSeconds), time: time, logger: logger
        )))
    }
    services += terminals
    if let registry = environment.metrics, let address = MetricsAddress(configuration.metricsListen) {
        let kioskID = configuration.kioskID?.value ?? ""
        services.append(.init(service: MetricsEndpoint(
            registry: registry, host: address.host, port: address.port, help: DaemonMetrics.help,
            refresh: { [backend = control.backend] in DaemonMetrics.update(await backend.status(), kioskID: kioskID, now: time.wallNow) },
            onListening: { [backend = control.backend, logger] port in
                let host = address.host.contains(":") ? "[\(address.host)]" : address.host
                backend.metricsURL.set("http://\(host):\(port)/metrics")
                logger.info("metrics served", metadata: ["url": "http://\(host):\(port)/metrics"])
            },
            logger: logger
        // Monitoring is not the kiosk's work: should the endpoint end by itself, the
        // terminals go on.
        ), successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
    }
    let notifier = SystemdNotifier(environment: environment.variables)
    services.append(.init(service: await ReloadService.make(reloader: reloader, notifier: notifier)))
    services.append(.init(service: SystemdNotifyService(
        notifier: notifier, summary: { [backend = control.backend] in await backend.status().summary }, time: time, logger: logger
    )))

    return ServiceGroup(configuration: ServiceGroupConfiguration(
        services: services,
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
