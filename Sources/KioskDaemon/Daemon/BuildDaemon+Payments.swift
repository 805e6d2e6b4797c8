import Foundation
import KioskCore
import KioskPrinting
import KioskSigning
import KioskStore
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
    await checkLedgerTails(store.database, key: key, logger: logger)
    let open = await desk.reconcile()
    if open > 0 { logger.notice("payment orders still open after reconciling", metadata: ["open": "\(open)"]) }
    return DaemonPayments(key: key, desk: desk, follower: OrderFollower(desk: desk, time: time))
}

/// Checks each terminal's ledger head against its last record, and that record's hash and
/// signature against the kiosk's key: a few lookups whatever the ledger's length (no full
/// verify at start; `kioskctl ledger verify` does that). A tail cut off or appended
/// without its head, or a key file that is not the one that signed the ledger, is logged
/// as an error for technicians; the daemon still starts, since refusing would stop
/// payments without mending anything.
func checkLedgerTails(_ database: KioskDatabase, key: LedgerKeyFile, logger: Logger) async {
    let tails: [LedgerTail]
    do {
        tails = try await database.ledgerTails()
    } catch {
        return logger.error("ledger tails not readable", metadata: ["error": "\(error)"])
    }
    let verifier = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: key.signer.publicKey)
    for tail in tails {
        guard tail.agrees, let last = tail.last else {
            logger.error("ledger head does not match the last record: run kioskctl ledger verify", metadata: [
                "terminal": "\(UntrustedText(tail.terminal).sanitized)",
                "headSequence": "\(tail.head?.sequence ?? 0)", "lastSequence": "\(tail.last?.sequence ?? 0)",
                "event": .string(LogMessageKind.ledgerMismatch.rawValue),
            ])
            continue
        }
        if let found = verifier.verify([last], from: last.sequence).firstBreak {
            logger.error("last ledger record does not verify with the kiosk key: run kioskctl ledger verify", metadata: [
                "terminal": "\(UntrustedText(tail.terminal).sanitized)", "sequence": "\(found.sequence)",
                "reason": "\(found.reason.code)", "event": .string(LogMessageKind.ledgerMismatch.rawValue),
            ])
        }
    }
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
