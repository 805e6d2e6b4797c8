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

/// The daily settlement against the real case-service over loopback and a real SQLite
/// file, its schedule driven by the test clock: settled at the closing, printed,
/// forwarded once whatever the centre does, and a disagreement kept as a fault.
@Suite("Settlement service", .serialized)
struct SettlementServiceTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    struct Setup {
        let directory: TemporaryDirectory
        let database: KioskDatabase
        let clock: TestClock
        let printer: RecordingSlipPrinter
        let desk: LedgerPaymentDesk
        let client: CentralServiceClient
        let signer: SwiftCryptoLedger
        let schedule: SettlementSchedule

        var time: TimeEnvironment { TimeEnvironment(source: clock, timeZone: schedule.timeZone) }

        /// A settlement service on this setup's database (a new one, as after a restart, when
        /// `database` is given).
        func service(database: KioskDatabase? = nil) -> SettlementService {
            SettlementService(
                database: database ?? self.database, client: client, printer: printer, schedule: schedule, crypto: signer,
                terminals: ["hall-1"], retry: RetryPolicy(base: .milliseconds(200), cap: .seconds(1)), time: time,
                random: { 0.5 }, logger: SettlementServiceTests.quiet
            )
        }

        /// Pays `account`'s bill of `kind` at the centre and has the desk record it, as a session does.
        @discardableResult
        func pay(_ kind: BillKind, _ account: String, harness: CaseServiceHarness) async throws -> PaymentOrder {
            guard case .found(let bill) = await desk.bill(kind: kind, account: account) else { throw SetupError.noBill }
            guard let order = await desk.createOrder(for: bill, terminal: "hall-1") else { throw SetupError.noOrder }
            try await harness.pay(orderID: order.id)
            guard await desk.follow(orderID: order.id)?.outcome == .paid else { throw SetupError.notPaid }
            return order
        }

        /// The stored settlement of `day`.
        func settled(_ day: CalendarDate) async -> SettlementRecord? {
            try? await database.settlement(day: day)?.record
        }
    }

    enum SetupError: Error { case noBill, noOrder, notPaid }

    static func setup(
        _ harness: CaseServiceHarness, in directory: TemporaryDirectory, wall: Date = Date(timeIntervalSince1970: 1_795_408_920),
        time settlementTime: SettlementTime = .standard
    ) throws -> Setup {
        let clock = TestClock(wall: wall)
        let schedule = SettlementSchedule(time: settlementTime, timeZone: shanghai)
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let printer = RecordingSlipPrinter()
        let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
        let signer = SwiftCryptoLedger.generate()
        let desk = LedgerPaymentDesk(
            database: database, client: client, chain: LedgerChain(signer: signer), printer: printer,
            time: TimeEnvironment(source: clock, timeZone: shanghai), logger: quiet
        )
        return Setup(
            directory: directory, database: database, clock: clock, printer: printer, desk: desk, client: client, signer: signer,
            schedule: schedule
        )
    }

    /// Runs `service` in a service group while `body` runs, then shuts it down gracefully.
    static func running(_ service: SettlementService, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [service], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// The settlement slips the printer was asked for.
    static func slips(_ printer: RecordingSlipPrinter) async -> [DailySettlement] {
        await printer.printed.compactMap { if case .dailySettlement(let slip) = $0 { slip } else { nil } }
    }

    @Test("At settlement_time on the test clock the day is settled, not a second before; a day without payments is a zero report, printed and matched")
    func scheduledZeroDay() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given the service running at 12:42 Beijing time on the 23rd, nothing paid, books closing at 23:55
            let setup = try Self.setup(harness, in: directory)
            let day = CalendarDate(year: 2026, month: 11, day: 23)!
            let closing = setup.schedule.closing(of: day)
            try await Self.running(setup.service()) {
                #expect(await setup.clock.waitForSleepers())
                // When the clock reaches 23:54:59 / Then nothing is settled
                setup.clock.advance(by: .seconds(closing.timeIntervalSince(setup.clock.wallNow) - 1))
                #expect(await setup.clock.waitForSleepers())
                #expect(await setup.settled(day) == nil)
                #expect(try await SQLiteShell.query(directory.file("kioskd.sqlite"), "SELECT COUNT(*) FROM settlement") == ["0"])
                // When it reaches 23:55 / Then the 23rd is settled by the schedule as a zero report
                setup.clock.advance(by: .seconds(1))
                #expect(await eventually { await setup.settled(day)?.forwardState == "forwarded" })
                let record = try #require(await setup.settled(day))
                #expect(record.settledBy == "schedule" && record.paymentCount == 0 && record.paymentFen == 0)
                #expect(record.settledAt == closing && record.centreResult == "matched")
                #expect(record.periodStart == setup.schedule.closing(of: day.adding(days: -1)) && record.periodEnd == closing)
                // And its slip was printed once, with no totals, and recorded
                let slips = await Self.slips(setup.printer)
                #expect(slips.count == 1 && slips.first?.count == 0 && slips.first?.day == "2026-11-23")
                #expect(record.printNumber == "R-000001" && record.printResult == "printed")
                // And the service sleeps until the 24th closes
                #expect(await setup.clock.waitForSleepers())
                #expect(await setup.settled(day.adding(days: 1)) == nil)
            }
            #expect(try await harness.statistics().settlements == 1)
        }
    }

    @Test("A day's payments are settled, forwarded and matched by the centre; settling the day again changes nothing")
    func forwardedAndMatched() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a water and a gas bill paid and recorded on the 23rd
            let setup = try Self.setup(harness, in: directory)
            try await setup.pay(.water, "3100000001", harness: harness)
            try await setup.pay(.gas, "3100000003", harness: harness)
            let day = CalendarDate(year: 2026, month: 11, day: 23)!
            let service = setup.service()
            try await Self.running(service) {
                // When the books close
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(setup.schedule.closing(of: day).timeIntervalSince(setup.clock.wallNow)))
                // Then the centre answers matched, and the day holds both payments
                #expect(await eventually { await setup.settled(day)?.centreResult == "matched" })
                let record = try #require(await setup.settled(day))
                #expect(record.paymentCount == 2 && record.paymentFen == 12_345 + 6_420 && record.forwardAttempts == 1)
                let state = try record.state(closesAt: setup.schedule.closing(of: day))
                #expect(state.fault == nil && state.answer?.differences == [])
                #expect(state.report.payments.count == 2 && state.report.terminals.first?.lastSequence == 2)
                // And the slip carries both lines, the sequences and the report's hash
                let slip = try #require(await Self.slips(setup.printer).first)
                #expect(slip.count == 2 && slip.paymentFen == 18_765 && slip.spans.first?.lastSequence == 2)
                #expect(slip.reportHash == record.reportHash)
                // When a technician settles the day again / Then the stored settlement is returned as it was, nothing printed
                let again = try await service.settle(day, by: "technician")
                #expect(again.record == record && again.printed == nil)
                #expect(await Self.slips(setup.printer).count == 1)
            }
            #expect(try await harness.statistics().settlements == 1)
        }
    }

    @Test("An order paid at the centre that kioskd never recorded is a mismatch with its item and order, shown as a fault in Status")
    func mismatch() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given the test clock at the real time (the centre stamps payments with it) and books closing
            // twelve hours away, so the day's period holds this moment
            let now = Date()
            let hour = Calendar(identifier: .gregorian).dateComponents(in: Self.shanghai, from: now).hour!
            let setup = try Self.setup(harness, in: directory, wall: now, time: SettlementTime(hour: (hour + 12) % 24, minute: 0)!)
            // And one water bill recorded, and an electricity order paid by the admin call that no session followed
            try await setup.pay(.water, "3100000001", harness: harness)
            guard case .found(let bill) = await setup.desk.bill(kind: .electricity, account: "3100000002"),
                  let unseen = await setup.desk.createOrder(for: bill, terminal: "hall-1")
            else {
                Issue.record("no order")
                return
            }
            #expect(try await harness.pay(orderID: unseen.id))
            let day = setup.schedule.day(containing: now)
            try await Self.running(setup.service()) {
                // When the books close
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(setup.schedule.closing(of: day).timeIntervalSince(setup.clock.wallNow)))
                // Then the centre answers mismatch: one electricity bill more than the kiosk, named by its number
                #expect(await eventually { await setup.settled(day)?.forwardState == "forwarded" })
                let record = try #require(await setup.settled(day))
                let state = try record.state(closesAt: setup.schedule.closing(of: day))
                #expect(state.answer?.result == .mismatch && state.fault == .mismatch)
                #expect(state.answer?.differences == [
                    SettlementAnswer.ItemDifference(itemID: "bill-electricity", kioskCount: 0, kioskFen: 0, centreCount: 1, centreFen: 28_760),
                ])
                #expect(state.answer?.orders.map(\.orderNumber) == [unseen.number])
                #expect(state.answer?.orders.first?.side == .centreOnly)
                // And Status carries the fault for technicians and systemd
                let open = setup.schedule.day(containing: setup.clock.wallNow)
                let payments = try await setup.database.paymentsStatus(day: open, period: setup.schedule.period(of: open))
                #expect(payments.settlementFaults == [PaymentsStatus.Fault(day: day.description, fault: .mismatch)])
                #expect(payments.lastSettled == day.description)
                let status = DaemonStatus(
                    version: "t", uptimeSeconds: 0, terminals: [], central: CentralServiceStatus(url: harness.url), payments: payments
                )
                #expect(status.summary.hasSuffix("payments today 0 ¥0.00, settlement \(day) mismatch"), "\(status.summary)")
            }
        }
    }

    @Test("With the centre offline the settlement waits; after a restart and the centre's return it is forwarded once")
    func offlineThenBack() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a paid water bill and a centre that answers 503 to everything
            let setup = try Self.setup(harness, in: directory)
            try await setup.pay(.water, "3100000001", harness: harness)
            let day = CalendarDate(year: 2026, month: 11, day: 23)!
            try await harness.setFaults(FaultSettings(errorRates: ["503": 1.0]))
            // When the books close
            try await Self.running(setup.service()) {
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(setup.schedule.closing(of: day).timeIntervalSince(setup.clock.wallNow)))
                // Then the day is settled and waits for the centre, having been tried
                #expect(await eventually { (await setup.settled(day)?.forwardAttempts ?? 0) >= 1 })
                let waiting = try #require(await setup.settled(day))
                #expect(waiting.forwardState == "pending" && waiting.forwardError == "503 unavailable")
                // And it is tried again after its backoff, still waiting
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(1))
                #expect(await eventually { (await setup.settled(day)?.forwardAttempts ?? 0) >= 2 })
            }
            // When kioskd restarts (a new database connection and service) and the centre is back
            try await harness.setFaults(FaultSettings())
            let reopened = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            setup.clock.advance(by: .seconds(2))
            try await Self.running(setup.service(database: reopened)) {
                // Then the waiting settlement is forwarded at start and matched
                #expect(await eventually { (try? await reopened.settlement(day: day)?.record.centreResult) == "matched" })
            }
            // And the centre holds it once, with no repeat, and the slip was printed once
            let statistics = try await harness.statistics()
            #expect(statistics.settlements == 1 && statistics.settlementRepeats == 0 && statistics.injectedErrors >= 2)
            #expect(await Self.slips(setup.printer).count == 1)
        }
    }

    @Test("An answer lost after the centre stored the day: the retry gets the same answer and the centre keeps one settlement")
    func sameDayTwice() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a paid bill and a centre that commits every settlement and then drops its answer
            let setup = try Self.setup(harness, in: directory)
            try await setup.pay(.water, "3100000001", harness: harness)
            let day = CalendarDate(year: 2026, month: 11, day: 23)!
            try await harness.setFaults(FaultSettings(commitThenDrop: 1.0))
            try await Self.running(setup.service()) {
                // When the books close, the first answer is lost
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(setup.schedule.closing(of: day).timeIntervalSince(setup.clock.wallNow)))
                try await harness.waitUntilFaultsStruck(times: 1)
                try await harness.setFaults(FaultSettings())
                #expect(await eventually { (await setup.settled(day)?.forwardAttempts ?? 0) >= 1 })
                // And when the retry comes
                #expect(await setup.clock.waitForSleepers())
                setup.clock.advance(by: .seconds(1))
                // Then it is answered matched, on the second try
                #expect(await eventually { await setup.settled(day)?.centreResult == "matched" })
                #expect(await setup.settled(day)?.forwardAttempts == 2)
            }
            // And the centre stored the day once and answered the repeat with its first answer
            let statistics = try await harness.statistics()
            #expect(statistics.settlements == 1 && statistics.settlementRepeats == 1 && statistics.dropped == 1)
        }
    }

    @Test("Days that closed while kioskd was stopped are settled at start, each with its own payments, never a day before the kiosk existed")
    func missedDaysAtStart() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a kiosk first started on the 21st, with a water bill paid on the 22nd
            let setup = try Self.setup(harness, in: directory, wall: Date(timeIntervalSince1970: 1_795_408_920 - 2 * 86_400))
            try setup.database.registerTerminals([("hall-1", "citizen", "/dev/null")], at: setup.clock.wallNow)
            setup.clock.advance(by: .seconds(86_400))
            try await setup.pay(.water, "3100000001", harness: harness)
            // When kioskd was stopped until 12:42 on the 25th, then starts
            setup.clock.advance(by: .seconds(3 * 86_400))
            try await Self.running(setup.service()) {
                // Then the 21st to the 24th are settled at start, oldest first, and forwarded
                let days = (21...24).map { CalendarDate(year: 2026, month: 11, day: $0)! }
                #expect(await eventually {
                    var forwarded = 0
                    for day in days where await setup.settled(day)?.centreResult == "matched" { forwarded += 1 }
                    return forwarded == 4
                })
                for day in days {
                    let record = await setup.settled(day)
                    #expect(record?.settledBy == "start", "\(day)")
                    #expect(record?.paymentCount == (day.day == 22 ? 1 : 0), "\(day)")
                }
                // And nothing before the kiosk existed, nor the 25th, whose books are open
                #expect(await setup.settled(CalendarDate(year: 2026, month: 11, day: 20)!) == nil)
                #expect(await setup.settled(CalendarDate(year: 2026, month: 11, day: 25)!) == nil)
                #expect(await Self.slips(setup.printer).map(\.day) == days.map(\.description))
            }
        }
    }
}
