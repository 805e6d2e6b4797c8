import Foundation
import KioskCore
import KioskForwarding
import Logging

/// The heartbeat to the centre every `[central] heartbeat_seconds`: made from the same
/// snapshot as Status, with each terminal's ledger head and the catalog version, and sent
/// with a client of its own whose timeout is shorter than the interval, so a slow centre
/// never stacks heartbeats up. Status shows how the latest one went.
func makeHeartbeat(
    _ configuration: KioskConfiguration, store: DaemonStore, forwarding: DaemonForwarding, backend: DaemonBackend,
    time: TimeEnvironment, logger: Logger
) -> HeartbeatService {
    let interval = Duration.seconds(configuration.central.heartbeatSeconds)
    // The loader refused any url that does not parse.
    let client = CentralServiceClient(
        baseURL: URL(string: configuration.central.url)!, token: configuration.central.token,
        httpClient: forwarding.connection.httpClient, timeout: .seconds(min(10, max(1, configuration.central.heartbeatSeconds - 1)))
    )
    let hall = configuration.hall.name
    let database = store.database
    let catalog = store.catalog
    return HeartbeatService(
        client: client, interval: interval, time: time, logger: logger,
        onOutcome: { [lastHeartbeat = backend.lastHeartbeat] last in lastHeartbeat.set(last) }
    ) { sentAt in
        let heads = (try? await database.ledgerHeads()) ?? [:]
        return Heartbeat(
            status: await backend.status(), hall: hall, interval: interval, sentAt: sentAt, ledgerHeads: heads,
            catalog: catalog.version
        )
    }
}
