import Foundation
import KioskCore
import KioskPrinting
import Logging

/// The daily settlement: when each day's books close (`[payments] settlement_time` in the
/// hall's zone) the day is settled, its slip printed on the receipt printer and the
/// settlement forwarded to the centre with the forwarder's client and backoff.
func makeSettlement(
    _ configuration: KioskConfiguration, store: DaemonStore, forwarding: DaemonForwarding, printing: PrintService,
    payments: DaemonPayments, time: TimeEnvironment, logger: Logger
) -> SettlementService {
    SettlementService(
        database: store.database, client: forwarding.client, printer: printing,
        schedule: SettlementSchedule(time: configuration.payments.settlementTime, timeZone: time.timeZone),
        crypto: payments.key.signer, terminals: configuration.terminals.map(\.name),
        retry: RetryPolicy(
            base: .milliseconds(configuration.forwarding.retryBaseMilliseconds),
            cap: .seconds(configuration.forwarding.retryCapSeconds)
        ),
        time: time, logger: logger
    )
}
