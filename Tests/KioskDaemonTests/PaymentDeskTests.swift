import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskSigning
import KioskStore
import KioskTesting
import Logging
import ServiceLifecycle
import Testing

@testable import KioskDaemon

/// The payment desk against the real case-service over loopback and a real SQLite ledger:
/// money taken is recorded once, whoever sees the confirmation first.
@Suite("Payment desk", .serialized)
struct PaymentDeskTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    struct Setup {
        let desk: LedgerPaymentDesk
        let database: KioskDatabase
        let printer: RecordingSlipPrinter
        let clock: TestClock
        let client: CentralServiceClient
    }

    static func setup(_ harness: CaseServiceHarness, in directory: TemporaryDirectory) throws -> Setup {
        let clock = TestClock()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let printer = RecordingSlipPrinter()
        let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
        let desk = LedgerPaymentDesk(
            database: database, client: client, chain: LedgerChain(signer: SwiftCryptoLedger.generate()), printer: printer,
            time: clock.environment(), logger: quiet
        )
        return Setup(desk: desk, database: database, printer: printer, clock: clock, client: client)
    }

    @Test("A water bill paid on the phone is recorded once, its receipt printed once, and reported to the centre once")
    func paidOnce() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given the demo water account and an order for what is due
            let setup = try Self.setup(harness, in: directory)
            guard case .found(let bill) = await setup.desk.bill(kind: .water, account: "3100000001") else {
                Issue.record("no bill")
                return
            }
            #expect(bill.amountDueFen == 12_345 && bill.holderMasked == "张*")
            let order = try #require(await setup.desk.createOrder(for: bill, terminal: "hall-1"))
            #expect(order.state == .created && order.payURL.hasSuffix(order.number))
            // When the session asks before and after the citizen paid on the phone
            #expect(await setup.desk.follow(orderID: order.id)?.outcome == .open)
            #expect(try await harness.pay(orderID: order.id))
            let paid = try #require(await setup.desk.follow(orderID: order.id))
            let again = try #require(await setup.desk.follow(orderID: order.id))
            // Then it is recorded as the terminal's first payment, once, with one receipt
            #expect(paid.outcome == .paid && paid.sequence == 1 && paid.print?.result == .printed)
            #expect(again.sequence == 1 && again.print == PrintOutcome(result: .printed, number: "R-000001"))
            #expect(setup.printer.prepared.count == 1)
            guard case .paymentReceipt(let receipt)? = setup.printer.prepared.first else {
                Issue.record("no receipt")
                return
            }
            #expect(receipt.receiptNumber == order.number && receipt.sequence == 1 && receipt.maskedAccount == "******0001")
            #expect(try await setup.database.ledgerRecords().count == 1)
            // And the job printed is the one recorded with the payment, by its number, marked printed on the order
            #expect(await setup.printer.printedRecorded == ["R-000001"])
            #expect(await setup.printer.printed.isEmpty)
            let job = try #require(try await setup.database.printJob(number: "R-000001"))
            #expect(job.kind == .paymentReceipt && job.reference == order.number && job.queue == "recording")
            let recorded = try #require(try await setup.database.order(id: order.id))
            #expect(recorded.receiptNumber == "R-000001" && recorded.receiptPrinted)
            // And the forwarder reports it to the centre exactly once
            let forwarder = Forwarder(configuration: .init(), store: setup.database, client: setup.client, time: .system, logger: Self.quiet)
            let group = ServiceGroup(configuration: .init(services: [forwarder], logger: Self.quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(await eventually { (try? setup.database.outboxCounts().delivered) == 1 })
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try await harness.statistics().paymentReports == 1)
        }
    }

    @Test("A payment confirmed after the citizen left is recorded by the follower, its receipt left for a reprint")
    func paidAfterTheSession() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            let setup = try Self.setup(harness, in: directory)
            guard case .found(let bill) = await setup.desk.bill(kind: .gas, account: "3100000003") else {
                Issue.record("no bill")
                return
            }
            let order = try #require(await setup.desk.createOrder(for: bill, terminal: "hall-2"))
            // Given the session was wiped (nobody follows the order) and the payer paid
            setup.clock.advance(by: LedgerPaymentDesk.sessionLease + .seconds(1))
            try await harness.pay(orderID: order.id, channel: "alipay")
            // When the follower reconciles
            #expect(await setup.desk.reconcile() == 0)
            // Then the payment is in the ledger, marked as after the session, with no receipt printed
            let recorded = try #require(try await setup.database.order(id: order.id))
            #expect(recorded.orderState == .paid && recorded.afterSession && recorded.channel == "alipay")
            #expect(await setup.printer.printed.isEmpty)
            #expect(setup.printer.prepared.isEmpty)
            #expect(await setup.printer.printedRecorded.isEmpty)
            #expect(try await setup.database.printJobs(states: [], limit: 10).isEmpty)
            #expect(recorded.receiptNumber == nil)
            #expect(try await setup.database.paidOrders(unprinted: true).map(\.id) == [order.id.uuidString.lowercased()])
        }
    }

    @Test("An order followed by its session is left to the session; cancelled and expired orders record nothing")
    func cancelledAndExpired() async throws {
        let directory = try TemporaryDirectory()
        // Two seconds: long enough to create and cancel an order on a loaded machine, short enough to wait out.
        let configuration = CaseServiceApplication.Configuration(payments: PaymentSettings(orderLifetime: 2))
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            let setup = try Self.setup(harness, in: directory)
            guard case .found(let bill) = await setup.desk.bill(kind: .electricity, account: "3100000002") else {
                Issue.record("no bill")
                return
            }
            // Given two orders, one cancelled by the citizen
            let cancelled = try #require(await setup.desk.createOrder(for: bill, terminal: "hall-1"))
            let expiring = try #require(await setup.desk.createOrder(for: bill, terminal: "hall-1"))
            #expect(await setup.desk.cancel(orderID: cancelled.id)?.outcome == .cancelled)
            // And a pay attempt on the cancelled order is refused by the centre
            #expect(try await harness.pay(orderID: cancelled.id) == false)
            // When the session still follows the other, the follower leaves it alone
            #expect(await setup.desk.reconcile() == 1)
            // When its time runs out at the centre / Then it is expired
            #expect(await eventually { await setup.desk.follow(orderID: expiring.id)?.outcome == .expired })
            // And nothing is in the ledger
            #expect(try await setup.database.ledgerRecords().isEmpty)
            #expect(try await setup.database.unfinishedOrders().isEmpty)
        }
    }

    @Test("A hostile account string never reaches the centre")
    func hostileAccount() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            let setup = try Self.setup(harness, in: directory)
            #expect(await setup.desk.bill(kind: .water, account: "31000'; DROP TABLE bill;--") == .notFound)
            #expect(try await harness.statistics().injectedErrors == 0)
        }
    }
}
