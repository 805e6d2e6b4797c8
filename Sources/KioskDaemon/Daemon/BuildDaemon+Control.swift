import Foundation
import KioskControl
import KioskCore
import KioskPrinting
import KioskTerminal
import Logging

/// The control socket, bound, and the backend that answers it.
struct DaemonControl {
    let server: VarlinkServer
    let backend: DaemonBackend
}

/// Binds the Varlink control socket (creating its folder), or serves the one systemd
/// passed in (`kioskd.socket`); every call is audited.
func makeControl(
    _ configuration: KioskConfiguration, activation: SocketActivation, store: DaemonStore, forwarding: DaemonForwarding, printing: PrintService,
    payments: DaemonPayments, settlement: SettlementService, registry: TerminalRegistry, storage: StorageMonitor,
    reloader: Reloader, startedAt: MonotonicInstant, time: TimeEnvironment, logger: Logger
) async throws -> DaemonControl {
    let backend = DaemonBackend(
        startedAt: startedAt, time: time, registry: registry, central: forwarding.central,
        database: store.database, forwarder: forwarding.forwarder, printing: printing,
        ledgerKey: payments.key, stateDirectory: configuration.stateDirectory, settlement: settlement,
        audit: store.audit, storage: storage, reloader: reloader, logger: logger, kioskID: configuration.kioskID?.value ?? ""
    )
    let passedIn = activation.controlSocket
    if passedIn == nil {
        let socketDirectory = (configuration.controlSocket as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
    }
    let audit = store.audit
    let server = try await VarlinkServer.bind(
        socketPath: configuration.controlSocket, listeningDescriptor: passedIn,
        info: VarlinkServiceInfo(vendor: "kioskd", product: "kioskd", version: KioskVersion.current, url: "https://kioskd.invalid/"),
        interfaces: [ControlInterface(backend: backend, policy: configuration.accessPolicy)],
        maximumFrameLength: configuration.control.maxMessageBytes,
        limits: configuration.connectionLimits,
        observer: { peer, method, outcome in
            audit.record(actor: peer.description, action: method, outcome: outcome)
            DaemonMetrics.controlCall(method: method, outcome: outcome)
        },
        logger: logger
    )
    if passedIn != nil {
        logger.info("control socket passed in by systemd", metadata: ["descriptor": "\(passedIn ?? -1)"])
    } else {
        logger.info("control socket bound", metadata: ["path": .string(configuration.controlSocket)])
    }
    return DaemonControl(server: server, backend: backend)
}

extension KioskConfiguration {
    /// Who may read and who may change, on the control and terminal sockets.
    var accessPolicy: AccessPolicy {
        AccessPolicy(readGroup: control.readGroup, adminGroup: control.adminGroup)
    }

    /// `[control]`'s idle time and connection caps.
    var connectionLimits: ConnectionLimits {
        ConnectionLimits(
            idleTimeout: .seconds(control.idleSeconds), total: control.maxConnections, perUser: control.maxConnectionsPerUser
        )
    }
}
