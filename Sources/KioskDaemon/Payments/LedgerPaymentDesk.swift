import Foundation
import KioskCore
import KioskForwarding
import KioskStore
import Logging

/// The terminals' payment desk in the daemon: connects the central service's client, the
/// store's ledger, the signer and the receipt printer. Payment rules (what is recorded,
/// when a receipt prints) are stated here once, for the sessions and the order follower
/// alike.
///
/// An actor, so an order concluded by a session and by the follower at the same moment is
/// recorded and printed once: `recordPayment` is idempotent per order, and the receipt is
/// printed only by whoever records it first.
actor LedgerPaymentDesk: PaymentDesk {
    let database: KioskDatabase
    let client: CentralServiceClient
    let chain: LedgerChain
    let printer: (any SlipPrinter)?
    let time: TimeEnvironment
    let logger: Logger
    /// When a session last asked about each open order: the follower leaves those alone.
    private var followedBySession: [UUID: MonotonicInstant] = [:]

    /// How long an order counts as followed by its session after the session last asked.
    static let sessionLease: Duration = .seconds(10)

    init(
        database: KioskDatabase, client: CentralServiceClient, chain: LedgerChain, printer: (any SlipPrinter)?,
        time: TimeEnvironment, logger: Logger
    ) {
        self.database = database
        self.client = client
        self.chain = chain
        self.printer = printer
        self.time = time
        self.logger = logger
    }

    nonisolated func bill(kind: BillKind, account: String) async -> LookupAnswer<Bill> {
        // A hostile string never reaches the centre.
        guard BillKind.accountProblem(account) == nil else { return .notFound }
        return await client.bill(kind: kind, account: account)
    }

    func createOrder(for bill: Bill, terminal: String) async -> PaymentOrder? {
        let id = UUID()
        do {
            // Written before the centre is asked; a full disk stops here, before any charge.
            let digest = ProofDigest.digest(bill.account, salt: id.uuidString, using: chain.signer)
            try await database.beginOrder(id: id, bill: bill, terminal: terminal, at: time.wallNow, accountDigest: digest)
        } catch {
            logger.error("payment order not recorded; none created", metadata: ["error": "\(error)"])
            return nil
        }
        switch await client.createOrder(id: id, for: bill) {
        case .created(let order):
            try? await database.updateOrder(id: id, number: order.number, expiresAt: order.expiresAt, state: .open)
            followedBySession[id] = time.now
            logger.notice("payment order created", metadata: ["order": "\(order.number)", "terminal": "\(terminal)"])
            return order
        case .refused(let reason):
            try? await database.updateOrder(id: id, number: nil, expiresAt: nil, state: .void)
            logger.warning("payment order refused", metadata: ["reason": "\(UntrustedText(reason).sanitized)"])
            return nil
        case .unavailable:
            // It may exist at the centre: the follower asks until it knows.
            logger.warning("payment order not confirmed by the central service; followed in the background")
            return nil
        }
    }

    func follow(orderID: UUID) async -> PaymentResult? {
        followedBySession[orderID] = time.now
        guard let order = await client.order(id: orderID) else { return nil }
        return await conclude(order, afterSession: false)
    }

    func cancel(orderID: UUID) async -> PaymentResult? {
        followedBySession[orderID] = time.now
        guard let order = await client.cancelOrder(id: orderID) else { return nil }
        return await conclude(order, afterSession: false)
    }

    /// Asks the centre about every unfinished order no session follows now, and concludes
    /// those that ended: payments that came after their session are recorded (their receipt
    /// waits for a reprint), orders the centre never created are void. Returns how many
    /// orders are still unfinished.
    @discardableResult
    func reconcile() async -> Int {
        guard let unfinished = try? await database.unfinishedOrders() else { return 0 }
        var open = 0
        for record in unfinished {
            guard let id = record.orderID else { continue }
            if let last = followedBySession[id], last.duration(to: time.now) < Self.sessionLease {
                open += 1
                continue
            }
            followedBySession[id] = nil
            guard let order = await client.order(id: id) else {
                if record.orderState == .creating, record.createdAt.addingTimeInterval(3600) < time.wallNow {
                    // Never confirmed and long gone: the centre would have expired it.
                    try? await database.updateOrder(id: id, number: nil, expiresAt: nil, state: .void)
                } else {
                    open += 1
                }
                continue
            }
            let result = await conclude(order, afterSession: true)
            if result?.outcome == .open { open += 1 }
        }
        return open
    }

    /// Records what the centre says became of `order`.
    private func conclude(_ order: PaymentOrder, afterSession: Bool) async -> PaymentResult? {
        switch order.state {
        case .created:
            return PaymentResult(order: order, outcome: .open)
        case .cancelled:
            followedBySession[order.id] = nil
            try? await database.updateOrder(id: order.id, number: order.number, expiresAt: order.expiresAt, state: .cancelled)
            return PaymentResult(order: order, outcome: .cancelled)
        case .expired:
            followedBySession[order.id] = nil
            try? await database.updateOrder(id: order.id, number: order.number, expiresAt: order.expiresAt, state: .expired)
            return PaymentResult(order: order, outcome: .expired)
        case .paid:
            followedBySession[order.id] = nil
            return await recordPaid(order, afterSession: afterSession)
        }
    }

    /// Money taken is always recorded. A receipt prints only for a session there to take
    /// it, and only with the payment's first recording: then its print job is written in
    /// the ledger record's transaction (from the sealed record, and it becomes the order's
    /// receipt number), and sent once that transaction committed. A crash in between
    /// leaves a receipt that did not print, reprintable, like one paid after the session:
    /// the print service does not send it after the restart.
    private func recordPaid(_ order: PaymentOrder, afterSession: Bool) async -> PaymentResult? {
        let before = try? await database.order(id: order.id)
        var receipt: (@Sendable (LedgerRecord) -> PreparedPrint?)?
        if !afterSession, before?.ledgerSequence == nil, before?.receiptNumber == nil, let printer {
            receipt = { record in
                let itemName = Self.itemName(record.itemID) ?? LocalizedText(chinese: record.itemID, english: record.itemID)
                return printer.prepare(.paymentReceipt(PaymentReceipt(order: order, record: record, itemName: itemName)))
            }
        }
        let recorded: RecordedPayment
        do {
            recorded = try await database.recordPayment(
                orderID: order.id, channel: order.channel ?? "unknown", paidAt: order.paidAt ?? time.wallNow,
                afterSession: afterSession, chain: chain, at: time.wallNow, receipt: receipt
            )
        } catch {
            // Not recorded: the order stays unfinished and the follower tries again.
            logger.error("payment not recorded in the ledger; retried", metadata: ["order": "\(order.number)", "error": "\(error)"])
            return nil
        }
        let record = recorded.record
        if recorded.isNew {
            logger.notice("payment recorded", metadata: [
                "order": "\(order.number)", "terminal": "\(record.terminal)", "sequence": "\(record.sequence)",
                "afterSession": "\(afterSession)", "receipt": "\(recorded.receipt?.number ?? "")",
            ])
        }
        let print: PrintOutcome
        if let job = recorded.receipt, let printer {
            print = await printer.printRecorded(number: job.number)
            try? await database.setReceipt(orderID: order.id, number: job.number, printed: print.result == .printed)
        } else if !recorded.isNew, let current = try? await database.order(id: order.id), let number = current.receiptNumber {
            // Recorded before (by this call's twin): its receipt is told as it stands.
            print = PrintOutcome(result: current.receiptPrinted ? .printed : .waiting, number: number)
        } else if recorded.isNew, receipt != nil {
            // The print service has no receipt printer.
            print = PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "no-printer")
        } else {
            // Nobody is at the terminal for it: it waits for a reprint by a technician.
            print = PrintOutcome(result: .failed, number: "")
        }
        return .paid(order, sequence: record.sequence, print: print)
    }

    /// The printed name of a bill kind's ledger item ("bill-water" → 水费 / Water bill).
    static func itemName(_ itemID: String) -> LocalizedText? {
        guard itemID.hasPrefix("bill-"), let kind = BillKind(rawValue: String(itemID.dropFirst(5))) else { return nil }
        switch kind {
        case .water: return LocalizedText(chinese: "水费", english: "Water bill")
        case .electricity: return LocalizedText(chinese: "电费", english: "Electricity bill")
        case .gas: return LocalizedText(chinese: "燃气费", english: "Gas bill")
        case .property: return LocalizedText(chinese: "物业费", english: "Property fee")
        }
    }
}
