import Foundation
import KioskControl
import KioskCore
import KioskPrinting
import KioskQRCode
import KioskTerminal
import Logging
import ServiceLifecycle

/// One session per configured terminal, and the terminal socket through which `kioskctl
/// attach` hands over more.
func makeTerminals(
    _ configuration: KioskConfiguration, store: DaemonStore, forwarding: DaemonForwarding, printing: PrintService,
    payments: DaemonPayments, registry: TerminalRegistry, storage: StorageMonitor, live: LiveSettings, time: TimeEnvironment,
    changes: ChangeSignal,
    logger: Logger
) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
    let central = forwarding.central
    let catalog = store.catalog
    let sources = MenuSources(
        catalog: { catalog.catalog },
        // Services that end with a slip are gated by the receipt printer's real state.
        availability: {
            ServiceAvailability(
                centralService: central.status.reachability != .unreachable, printer: printing.canPrint(.receipt),
                storage: storage.state
            )
        },
        idleTiming: { live.idleTiming },
        changes: changes
    )
    // Cards read on a terminal's reader go to that terminal's session only.
    let identityCards = IdentityCardHub()
    let ports = SessionPorts(
        journal: MeteredSessionJournal(base: store.database), applications: forwarding.desk, printer: printing, payments: payments.desk, qrCodes: LibQREncoder(),
        identity: HallIdentityPort(cards: identityCards, client: forwarding.queryClient, time: time)
    )
    let localization = store.localization
    let sizeWatcher = WindowSizeWatcher(time: time)
    /// One terminal's session, for a configured device or a tty handed over by
    /// `kioskctl attach` (`attached`).
    @Sendable func makeSession(_ terminal: KioskConfiguration.Terminal, attached: Int32? = nil) -> TerminalSession {
        var sessionConfiguration = configuration.sessionConfiguration(for: terminal)
        sessionConfiguration.attachedDescriptor = attached
        var terminalPorts = ports
        terminalPorts.printer = AuditedSlipPrinter(base: printing, audit: store.audit, terminal: terminal.name)
        return TerminalSession(
            configuration: sessionConfiguration, view: MenuView(
                localization: localization, terminalName: terminal.name, hallTime: time.format, hallName: configuration.hall.name
            ),
            sources: sources, registry: registry, ports: terminalPorts, time: time, sizeWatcher: sizeWatcher, logger: logger
        )
    }

    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: sizeWatcher)]
    services += configuration.terminals.map { terminal -> ServiceGroupConfiguration.ServiceConfiguration in
        // In the demo, Ctrl-C ends the session and with it the daemon; a kiosk's sessions
        // only end when the daemon stops.
        .init(service: makeSession(terminal), successTerminationBehavior: configuration.demo ? .gracefullyShutdownGroup : .ignore)
    }
    try FileManager.default.createDirectory(
        atPath: (configuration.terminalSocket as NSString).deletingLastPathComponent, withIntermediateDirectories: true
    )
    let attach = try TerminalAttachService(
        socketPath: configuration.terminalSocket, policy: configuration.accessPolicy,
        configuredNames: Set(configuration.terminals.map(\.name)), logger: logger,
        onDetached: { name in registry.update(name) { $0.state = .closed } }
    ) { request, profile, descriptor in
        var terminal = KioskConfiguration.Terminal(name: request.terminal, device: request.device, profile: profile)
        terminal.device = "attached:" + UntrustedText(request.device).sanitized
        terminal.doubleSizeLines = request.doubleSizeLines ?? false
        return makeSession(terminal, attached: descriptor)
    }
    services.append(.init(service: attach))
    for terminal in configuration.terminals {
        guard let reader = terminal.idReader else { continue }
        let line = SerialLine(baud: terminal.idReaderBaud)
        services.append(.init(service: IDCardReaderService(
            configuration: .init(terminal: terminal.name, devicePath: reader, line: line), hub: identityCards, time: time, logger: logger
        )))
    }
    logger.info("terminal socket bound", metadata: ["path": .string(configuration.terminalSocket)])
    return services
}

extension KioskConfiguration {
    /// How the session of `terminal` lays out, times out and opens its device.
    func sessionConfiguration(for terminal: Terminal) -> TerminalSessionConfiguration {
        TerminalSessionConfiguration(
            name: terminal.name, devicePath: terminal.device, profile: terminal.profile,
            renderOptions: RenderOptions(asciiOnly: terminal.asciiOnly, colors: terminal.colors, doubleSizeLines: terminal.doubleSizeLines),
            fallbackSize: TerminalSize(columns: terminal.columns, rows: terminal.rows),
            quitOnInterrupt: demo,
            escapeTimeout: .milliseconds(session.escapeTimeoutMilliseconds),
            idleTimeout: .seconds(session.idleSeconds),
            idleWarning: .seconds(session.warningSeconds),
            elderIdleFactor: session.elderIdleFactor,
            serialLine: SerialLine(
                baud: terminal.baud, dataBits: terminal.dataBits, parity: SerialLine.Parity(rawValue: terminal.parity) ?? .none,
                stopBits: terminal.stopBits, flowControl: SerialLine.FlowControl(rawValue: terminal.flowControl) ?? .none
            ),
            askSize: terminal.askSize
        )
    }
}
