import Foundation
import KioskCore
import KioskForwarding
import KioskSigning
import Logging
import ServiceLifecycle

/// Everything that talks to the central case service: the health monitor, the outbox
/// forwarder, the status sync, and the terminals' application desk.
struct DaemonForwarding {
    let connection: CentralServiceConnection
    let central: CentralServiceMonitor
    let forwarder: Forwarder
    let statusSync: StatusSync
    let desk: OutboxApplicationDesk
    /// For the citizen's live questions (progress, insurance, bills, orders): a short timeout.
    let queryClient: CentralServiceClient
    /// For deliveries (the forwarder's, the settlements'): the configured request timeout.
    let client: CentralServiceClient

    var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        [.init(service: connection), .init(service: central), .init(service: forwarder), .init(service: statusSync)]
    }
}

/// The central service's client and the services that use it; `onChange` is called when
/// the service's reachability changes.
func makeForwarding(
    _ configuration: KioskConfiguration, store: DaemonStore, time: TimeEnvironment, logger: Logger,
    onChange: @escaping @Sendable () -> Void
) throws -> DaemonForwarding {
    let forwarding = configuration.forwarding
    let central = CentralServiceMonitor(
        baseURL: configuration.central.url, interval: .seconds(configuration.central.healthIntervalSeconds), time: time,
        logger: logger, onChange: onChange
    )
    // One connection per request in flight, a few for the terminals' live queries, and one
    // for the heartbeat.
    let connection = CentralServiceConnection(connections: forwarding.parallelism + 5)
    // The loader refused any url that does not parse.
    let baseURL = URL(string: configuration.central.url)!
    let client = CentralServiceClient(
        baseURL: baseURL, token: configuration.central.token, httpClient: connection.httpClient,
        timeout: .seconds(forwarding.requestTimeoutSeconds)
    )
    let forwarder = Forwarder(
        configuration: .init(
            retry: RetryPolicy(base: .milliseconds(forwarding.retryBaseMilliseconds), cap: .seconds(forwarding.retryCapSeconds)),
            maxAge: .seconds(forwarding.maxAgeDays * 86_400), parallelism: forwarding.parallelism,
            breakerThreshold: forwarding.breakerThreshold, breakerOpenFor: .seconds(forwarding.breakerOpenSeconds)
        ),
        store: MeteredOutboxStore(base: store.database), client: client, time: time, logger: logger
    )
    let statusSync = StatusSync(
        store: store.database, client: client, interval: .seconds(configuration.central.statusSyncSeconds), time: time,
        logger: logger
    )
    // A citizen waits for live answers: a shorter timeout than the forwarder's.
    let queryClient = CentralServiceClient(
        baseURL: baseURL, token: configuration.central.token, httpClient: connection.httpClient, timeout: .seconds(3)
    )
    let desk = OutboxApplicationDesk(
        database: store.database, catalog: store.catalog, client: queryClient, forwarder: forwarder,
        kioskID: configuration.kioskID, hashing: SwiftCryptoHashing(), time: time
    )
    return DaemonForwarding(
        connection: connection, central: central, forwarder: forwarder, statusSync: statusSync, desk: desk, queryClient: queryClient,
        client: client
    )
}
