import Foundation
import KioskCore
import KioskPrinting
import KioskSigning
import Logging
import ServiceLifecycle

/// Payments: the kiosk's signing key, the payment desk the terminals use, and the follower
/// that records confirmations no session waits for.
struct DaemonPayments {
    let key: LedgerKeyFile
    let desk: LedgerPaymentDesk
    let follower: OrderFollower
}

/// Loads (or at first start creates, mode 0600) the ledger key in the state directory and
/// reconciles the orders a previous run left open with the centre, so READY comes after
/// every payment the centre confirmed meanwhile is in the ledger.
func makePayments(
    _ configuration: KioskConfiguration, store: DaemonStore, forwarding: DaemonForwarding, printing: PrintService,
    time: TimeEnvironment, logger: Logger
) async throws -> DaemonPayments {
    let key = try LedgerKeyFile.loadOrCreate(path: configuration.ledgerKeyPath)
    if key.created { logger.notice("ledger key created", metadata: ["path": .string(configuration.ledgerKeyPath)]) }
    let desk = LedgerPaymentDesk(
        database: store.database, client: forwarding.queryClient, chain: LedgerChain(signer: key.signer), printer: printing,
        time: time, logger: logger
    )
    let open = await desk.reconcile()
    if open > 0 { logger.notice("payment orders still open after reconciling", metadata: ["open": "\(open)"]) }
    return DaemonPayments(key: key, desk: desk, follower: OrderFollower(desk: desk, time: time))
}

extension KioskConfiguration {
    /// The kiosk's Ed25519 ledger key: `ledger.key` in the state directory.
    var ledgerKeyPath: String {
        (stateDirectory as NSString).appendingPathComponent("ledger.key")
    }
}

/// Asks the centre about open orders no session follows (the citizen left, the session was
/// wiped, the daemon restarted) every few seconds, so money taken is always recorded.
struct OrderFollower: Service {
    let desk: LedgerPaymentDesk
    let time: TimeEnvironment
    var interval: Duration = .seconds(5)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await time.sleep(for: interval)
                await desk.reconcile()
            }
        }
    }
}
