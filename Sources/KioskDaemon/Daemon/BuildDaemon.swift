import Foundation
import KioskControl
import KioskCore
import KioskForwarding
import KioskStore
import KioskTerminal
import Logging
import ServiceLifecycle

/// Where the daemon runs: the parts of the process environment the composition root reads.
public struct DaemonEnvironment: Sendable {
    /// The process environment (NOTIFY_SOCKET, WATCHDOG_USEC…).
    public var variables: [String: String]
    /// The configuration file, for reloads; nil when running on defaults (demo).
    public var configurationPath: String?

    public init(variables: [String: String] = ProcessInfo.processInfo.environment, configurationPath: String? = nil) {
        self.variables = variables
        self.configurationPath = configurationPath
    }
}

/// The one composition root: builds every service of the daemon from a configuration.
/// `kioskd` runs the returned group; the tests run the very same group.
///
/// Before it returns, the state directory exists, the database is open and migrated, and
/// the control socket is bound, so that the READY sent when the group starts is true.
/// Services start in order and stop in reverse: the database first and last.
public func buildDaemon(
    configuration: KioskConfiguration, environment: DaemonEnvironment = DaemonEnvironment(), logger: Logger? = nil
) async throws -> ServiceGroup {
    var logger = logger ?? Logger(label: "kioskd")
    logger.logLevel = configuration.logLevel
    let startedAt = ContinuousClock.now

    try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
    let database = try KioskDatabase(path: configuration.databasePath)
    try database.registerTerminals(
        configuration.terminals.map { ($0.name, $0.profile.rawValue, $0.device) }, at: Date()
    )
    logger.info("database open", metadata: ["path": .string(configuration.databasePath)])

    let localization = try LocalizationLoader.embedded()
    let catalog = CatalogStore(try CatalogLoader.load(for: configuration))
    logger.info("catalog loaded", metadata: ["items": "\(catalog.catalog.itemCount)"])
    let registry = TerminalRegistry()
    let central = CentralServiceMonitor(
        baseURL: configuration.central.url, interval: .seconds(configuration.central.healthIntervalSeconds), logger: logger
    )
    let forwarding = configuration.forwarding
    // One connection per request in flight, and a few for the terminals' live queries.
    let connection = CentralServiceConnection(connections: forwarding.parallelism + 4)
    // The loader refused any url that does not parse.
    let client = CentralServiceClient(
        baseURL: URL(string: configuration.central.url)!, token: configuration.central.token, httpClient: connection.httpClient,
        timeout: .seconds(forwarding.requestTimeoutSeconds)
    )
    let forwarder = Forwarder(
        configuration: .init(
            retry: RetryPolicy(
                base: .milliseconds(forwarding.retryBaseMilliseconds), cap: .seconds(forwarding.retryCapSeconds)
            ),
            maxAge: .seconds(forwarding.maxAgeDays * 86_400), parallelism: forwarding.parallelism,
            breakerThreshold: forwarding.breakerThreshold, breakerOpenFor: .seconds(forwarding.breakerOpenSeconds)
        ),
        store: database, client: client, clock: ContinuousClock(), logger: logger
    )
    let statusSync = StatusSync(
        store: database, client: client, interval: .seconds(configuration.central.statusSyncSeconds),
        clock: ContinuousClock(), logger: logger
    )
    // A citizen waits for live answers: a shorter timeout than the forwarder's.
    let queryClient = CentralServiceClient(
        baseURL: URL(string: configuration.central.url)!, token: configuration.central.token,
        httpClient: connection.httpClient, timeout: .seconds(3)
    )
    let desk = OutboxApplicationDesk(database: database, catalog: catalog, client: queryClient, forwarder: forwarder)
    let audit = AuditTrail(database: database, logger: logger)
    let printing = makePrintService(configuration, database: database, logger: logger)
    let backend = DaemonBackend(
        startedAt: startedAt, registry: registry, central: central, database: database, forwarder: forwarder, printing: printing
    )

    let socketDirectory = (configuration.controlSocket as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
    let control = try await VarlinkServer.bind(
        socketPath: configuration.controlSocket,
        info: VarlinkServiceInfo(vendor: "kioskd", product: "kioskd", version: KioskVersion.current, url: "https://kioskd.invalid/"),
        interfaces: [
            ControlInterface(
                backend: backend,
                policy: AccessPolicy(readGroup: configuration.control.readGroup, adminGroup: configuration.control.adminGroup)
            ),
        ],
        maximumFrameLength: configuration.control.maxMessageBytes,
        observer: { peer, method, outcome in audit.record(actor: peer.description, action: method, outcome: outcome) },
        logger: logger
    )
    logger.info("control socket bound", metadata: ["path": .string(configuration.controlSocket)])

    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: DatabaseService(database: database, logger: logger)),
        .init(service: audit),
        .init(service: connection),
        .init(service: central),
        .init(service: forwarder),
        .init(service: statusSync),
        .init(service: printing),
        .init(service: control),
    ]
    let sessionLogger = logger
    /// One terminal's session, for a configured device or a tty handed over by
    /// `kioskctl attach` (`attached`).
    @Sendable func makeSession(_ terminal: KioskConfiguration.Terminal, attached: Int32? = nil) -> TerminalSession<ContinuousClock> {
        var sessionConfiguration = TerminalSessionConfiguration(
            name: terminal.name, devicePath: terminal.device, profile: terminal.profile,
            renderOptions: RenderOptions(
                asciiOnly: terminal.asciiOnly, colors: terminal.colors, doubleSizeLines: terminal.doubleSizeLines
            ),
            fallbackSize: TerminalSize(columns: terminal.columns, rows: terminal.rows),
            quitOnInterrupt: configuration.demo,
            escapeTimeout: .milliseconds(configuration.session.escapeTimeoutMilliseconds),
            idleTimeout: .seconds(configuration.session.idleSeconds),
            idleWarning: .seconds(configuration.session.warningSeconds),
            elderIdleFactor: configuration.session.elderIdleFactor,
            serialLine: SerialLine(
                baud: terminal.baud, dataBits: terminal.dataBits, parity: SerialLine.Parity(rawValue: terminal.parity) ?? .none,
                stopBits: terminal.stopBits, flowControl: SerialLine.FlowControl(rawValue: terminal.flowControl) ?? .none
            ),
            askSize: terminal.askSize
        )
        sessionConfiguration.attachedDescriptor = attached
        return TerminalSession(
            configuration: sessionConfiguration,
            view: MenuView(localization: localization, terminalName: terminal.name),
            sources: MenuSources(
                catalog: { catalog.catalog },
                // Services that end with a slip are gated by the receipt printer's real state.
                availability: {
                    ServiceAvailability(centralService: central.status.reachability != .unreachable, printer: printing.canPrint(.receipt))
                }
            ),
            registry: registry, ports: SessionPorts(journal: database, applications: desk, printer: printing),
            clock: ContinuousClock(), logger: sessionLogger
        )
    }
    for terminal in configuration.terminals {
        let session = makeSession(terminal)
        // In the demo, Ctrl-C ends the session and with it the daemon; a kiosk's sessions
        // only end when the daemon stops.
        services.append(.init(service: session, successTerminationBehavior: configuration.demo ? .gracefullyShutdownGroup : .ignore))
    }
    try FileManager.default.createDirectory(
        atPath: (configuration.terminalSocket as NSString).deletingLastPathComponent, withIntermediateDirectories: true
    )
    let attach = try TerminalAttachService(
        socketPath: configuration.terminalSocket,
        policy: AccessPolicy(readGroup: configuration.control.readGroup, adminGroup: configuration.control.adminGroup),
        registry: registry, configuredNames: Set(configuration.terminals.map(\.name)), logger: logger
    ) { request, profile, descriptor in
        var terminal = KioskConfiguration.Terminal(name: request.terminal, device: request.device, profile: profile)
        terminal.device = "attached:" + UntrustedText(request.device).sanitized
        terminal.doubleSizeLines = request.doubleSizeLines ?? false
        return makeSession(terminal, attached: descriptor)
    }
    services.append(.init(service: attach))
    logger.info("terminal socket bound", metadata: ["path": .string(configuration.terminalSocket)])
    let notifier = SystemdNotifier(environment: environment.variables)
    services.append(.init(service: ReloadService(configurationPath: environment.configurationPath, catalog: catalog, notifier: notifier, logger: logger)))
    services.append(.init(service: SystemdNotifyService(
        notifier: notifier,
        summary: { await backend.status().summary },
        logger: logger
    )))

    return ServiceGroup(configuration: ServiceGroupConfiguration(
        services: services,
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
