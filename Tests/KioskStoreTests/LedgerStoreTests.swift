import Foundation
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// The ledger in a real SQLite file: append-only, one record per paid order, checked by the
/// verifier and by Debian's sqlite3 shell from outside.
@Suite("Ledger store")
struct LedgerStoreTests {
    static let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")
    static let now = Date(timeIntervalSince1970: 1_795_408_920)

    /// A database with `count` paid orders on `terminal`, recorded through `chain`.
    static func paidOrders(_ count: Int, terminal: String = "hall-1", in database: KioskDatabase, chain: LedgerChain) async throws
        -> [(UUID, LedgerRecord)]
    {
        var recorded: [(UUID, LedgerRecord)] = []
        for index in 0..<count {
            let id = UUID()
            try await database.beginOrder(id: id, bill: bill, terminal: terminal, at: now)
            try await database.updateOrder(id: id, number: "PO\(index)", expiresAt: now.addingTimeInterval(300), state: .open)
            let record = try await database.recordPayment(
                orderID: id, channel: "wechat", paidAt: now, afterSession: false, chain: chain, at: now.addingTimeInterval(Double(index))
            )
            recorded.append((id, record))
        }
        return recorded
    }

    @Test("A paid order is recorded once: the record, its terminal's head, the order and the report to the centre together")
    func recordedOnce() async throws {
        // Given an open order in a fresh database and a signing key
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        let (id, first) = try #require(try await Self.paidOrders(1, in: database, chain: chain).first)
        // When the confirmation is recorded again (a session and the follower both saw it)
        let again = try await database.recordPayment(orderID: id, channel: "wechat", paidAt: Self.now, afterSession: true, chain: chain, at: Self.now)
        // Then there is one record, the first, sequence 1 after the genesis hash
        #expect(again == first)
        #expect(first.sequence == 1 && first.previousHash == LedgerChain.genesisHash)
        #expect(try await database.ledgerRecords().count == 1)
        #expect(try await database.ledgerHeads() == ["hall-1": first.head])
        // And the order is paid with its sequence, the account masked, and one report queued
        let order = try #require(try await database.order(id: id))
        #expect(order.orderState == .paid && order.ledgerSequence == 1 && order.maskedAccount == "******0001")
        let due = try await database.dueEntries(at: Self.now.addingTimeInterval(60), limit: 10)
        #expect(due.count == 1)
        guard case .payment(let report) = due.first?.payload else {
            Issue.record("expected a payment report")
            return
        }
        #expect(report.orderID == id && report.sequence == 1 && report.hash == first.hash && report.amountFen == 12_345)
    }

    /// An open order "PO-R" on hall-1 in `database`.
    static func openOrder(in database: KioskDatabase) async throws -> UUID {
        let id = UUID()
        try await database.beginOrder(id: id, bill: bill, terminal: "hall-1", at: now)
        try await database.updateOrder(id: id, number: "PO-R", expiresAt: now.addingTimeInterval(300), state: .open)
        return id
    }

    /// The receipt of a sealed record, as the desk has the printer render it: it needs the
    /// record's sequence and hash.
    static let receipt: @Sendable (LedgerRecord) -> PreparedPrint? = { record in
        PreparedPrint(
            request: PrintRequest(kind: .paymentReceipt, reference: "PO-R", document: PrintDocument(blocks: [
                .line("流水号 \(record.sequence) 校验码 \(record.hash.prefix(16))"), .line("打印号 {number}"),
            ])),
            queue: "kiosk-receipt"
        )
    }

    /// What of a payment is in `database`: records, print jobs, the order, due reports.
    static func contents(_ database: KioskDatabase, order id: UUID) async throws
        -> (records: Int, jobs: [PrintJob], order: PaymentOrderRecord?, reports: Int)
    {
        (
            try await database.ledgerRecords().count, try await database.printJobs(states: [], limit: 10),
            try await database.order(id: id), try await database.dueEntries(at: now.addingTimeInterval(60), limit: 10).count
        )
    }

    @Test("One call records the payment and its receipt together: ledger record, print job, the order's receipt number, the report")
    func receiptInTheSameTransaction() async throws {
        // Given an open order, and a slip printed before (so the receipt gets the next number)
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        let id = try await Self.openOrder(in: database)
        let slip = PrintRequest(kind: .acceptanceSlip, reference: "A-1", document: PrintDocument(blocks: [.line("{number}")]))
        _ = try await database.recordPrintJob(slip, queue: "kiosk-receipt", reprintOf: nil, at: Self.now)
        // When the payment is recorded with its receipt
        let recorded = try await database.recordPayment(
            orderID: id, channel: "wechat", paidAt: Self.now, afterSession: false, chain: chain, at: Self.now, receipt: Self.receipt
        )
        // Then the receipt is the next print job, queued (not sent yet), rendered from the sealed record
        #expect(recorded.isNew && recorded.record.sequence == 1)
        let job = try #require(recorded.receipt)
        #expect(job.number == "R-000002" && job.kind == .paymentReceipt && job.state == .queued && job.queue == "kiosk-receipt")
        let stored = try #require(try await database.printJob(number: "R-000002"))
        #expect(stored == job)
        #expect(stored.document.blocks.first == .line("流水号 1 校验码 \(recorded.record.hash.prefix(16))"))
        // And the order is paid with that receipt number, not printed, and one report is queued
        let (records, jobs, order, reports) = try await Self.contents(database, order: id)
        #expect(records == 1 && jobs.count == 2 && reports == 1)
        #expect(order?.orderState == .paid && order?.ledgerSequence == 1)
        #expect(order?.receiptNumber == "R-000002" && order?.receiptPrinted == false)
        // When the same confirmation is recorded again
        let again = try await database.recordPayment(
            orderID: id, channel: "wechat", paidAt: Self.now, afterSession: false, chain: chain, at: Self.now
        ) { _ in
            Issue.record("a receipt was asked for a payment already recorded")
            return nil
        }
        // Then it is the same record, with no second receipt
        #expect(!again.isNew && again.record == recorded.record && again.receipt == nil)
        #expect(try await database.printJobs(states: [], limit: 10).count == 2)
    }

    struct RenderingFailed: Error {}

    @Test("A failure inside the payment's transaction leaves no ledger record, head, print job, receipt number or report")
    func receiptFailureRollsBack() async throws {
        // Given an open order
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        let id = try await Self.openOrder(in: database)
        // When the receipt cannot be made after the record was sealed and appended
        await #expect(throws: RenderingFailed.self) {
            try await database.recordPayment(
                orderID: id, channel: "wechat", paidAt: Self.now, afterSession: false, chain: chain, at: Self.now
            ) { _ in throw RenderingFailed() }
        }
        // Then nothing of the payment is there: the order is still open for the follower to retry
        let (records, jobs, order, reports) = try await Self.contents(database, order: id)
        #expect(records == 0 && jobs.isEmpty && reports == 0)
        #expect(try await database.ledgerHeads().isEmpty)
        #expect(order?.orderState == .open && order?.ledgerSequence == nil && order?.receiptNumber == nil)
        #expect(try await database.unfinishedOrders().map(\.id) == [id.uuidString.lowercased()])
    }

    @Test("A write failing last in the payment's transaction (the outbox) takes the record and the receipt's job with it", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func outboxFailureRollsBack() async throws {
        // Given an open order, and an outbox that refuses every insert (as a full disk would)
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        let first = try KioskDatabase(path: path)
        let id = try await Self.openOrder(in: first)
        try first.close()
        let full = try Subprocess.run("/usr/bin/sqlite3", [
            path, "CREATE TRIGGER outboxFull BEFORE INSERT ON outboxEntry BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        ])
        #expect(full.status == 0)
        let database = try KioskDatabase(path: path)
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        // When the payment is recorded with its receipt
        await #expect(throws: (any Error).self) {
            try await database.recordPayment(
                orderID: id, channel: "wechat", paidAt: Self.now, afterSession: false, chain: chain, at: Self.now, receipt: Self.receipt
            )
        }
        // Then neither the record nor the print job nor the receipt number is there
        let (records, jobs, order, reports) = try await Self.contents(database, order: id)
        #expect(records == 0 && jobs.isEmpty && reports == 0)
        #expect(order?.orderState == .open && order?.receiptNumber == nil)
        try database.close()
        // When the outbox takes inserts again and the follower retries
        #expect(try Subprocess.run("/usr/bin/sqlite3", [path, "DROP TRIGGER outboxFull"]).status == 0)
        let healed = try KioskDatabase(path: path)
        let recorded = try await healed.recordPayment(
            orderID: id, channel: "wechat", paidAt: Self.now, afterSession: false, chain: chain, at: Self.now, receipt: Self.receipt
        )
        // Then all of it is written, the receipt with the first print number
        #expect(recorded.record.sequence == 1 && recorded.receipt?.number == "R-000001")
        let after = try await Self.contents(healed, order: id)
        #expect(after.records == 1 && after.jobs.count == 1 && after.reports == 1 && after.order?.receiptNumber == "R-000001")
    }

    @Test("Each terminal has its own chain without gaps, and the whole ledger verifies")
    func chainsVerify() async throws {
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let signer = SwiftCryptoLedger.generate()
        let chain = LedgerChain(signer: signer)
        _ = try await Self.paidOrders(3, terminal: "hall-1", in: database, chain: chain)
        _ = try await Self.paidOrders(2, terminal: "hall-2", in: database, chain: chain)
        let records = try await database.ledgerRecords()
        #expect(records.filter { $0.terminal == "hall-1" }.map(\.sequence) == [1, 2, 3])
        #expect(records.filter { $0.terminal == "hall-2" }.map(\.sequence) == [1, 2])
        let verification = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: signer.publicKey)
            .verify(records, expectedHeads: try await database.ledgerHeads())
        #expect(verification.isIntact)
        #expect(verification.verifiedCount == 5)
    }

    @Test("The sqlite3 shell cannot edit or delete a record; with the trigger dropped, the edit is found", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func appendOnly() async throws {
        // Given three payments
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        let database = try KioskDatabase(path: path)
        let signer = SwiftCryptoLedger.generate()
        _ = try await Self.paidOrders(3, in: database, chain: LedgerChain(signer: signer))
        try database.close()
        // When someone edits or deletes a record with the sqlite3 shell / Then the triggers refuse
        let edit = try Subprocess.run("/usr/bin/sqlite3", [path, "UPDATE ledgerRecord SET amountFen = 1 WHERE sequence = 2"])
        #expect(edit.status != 0 && edit.output.contains("append-only"))
        let delete = try Subprocess.run("/usr/bin/sqlite3", [path, "DELETE FROM ledgerRecord WHERE sequence = 3"])
        #expect(delete.status != 0 && delete.output.contains("append-only"))
        // When the trigger is dropped first and the amount edited
        let forced = try Subprocess.run("/usr/bin/sqlite3", [
            path, "DROP TRIGGER ledgerRecord_noUpdate; UPDATE ledgerRecord SET amountFen = 1 WHERE sequence = 2",
        ])
        #expect(forced.status == 0)
        // Then the verifier names the edited record and why
        let reopened = try KioskDatabase(path: path)
        let verification = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: signer.publicKey)
            .verify(try await reopened.ledgerRecords(), expectedHeads: try await reopened.ledgerHeads())
        #expect(verification.firstBreak?.sequence == 2)
        #expect(verification.firstBreak?.reason.code == "hash-mismatch")
    }

    @Test("Each terminal's tail is its head row beside its last record; a tail cut with the shell no longer agrees", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func tails() async throws {
        // Given payments on two terminals
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        let database = try KioskDatabase(path: path)
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        let one = try await Self.paidOrders(3, terminal: "hall-1", in: database, chain: chain)
        let two = try await Self.paidOrders(2, terminal: "hall-2", in: database, chain: chain)
        // When the tails are read / Then both agree, each with its last record
        let tails = try await database.ledgerTails()
        #expect(tails.map(\.terminal) == ["hall-1", "hall-2"])
        #expect(tails.allSatisfy { $0.agrees })
        #expect(tails.map { $0.last?.hash } == [one[2].1.hash, two[1].1.hash])
        try database.close()
        // When the last record of hall-1 is deleted past its trigger
        let cut = try Subprocess.run("/usr/bin/sqlite3", [path, "DROP TRIGGER ledgerRecord_noDelete; DELETE FROM ledgerRecord WHERE terminal = 'hall-1' AND sequence = 3"])
        #expect(cut.status == 0)
        // Then hall-1's head names a record that is gone, and hall-2 still agrees
        let reopened = try KioskDatabase(path: path)
        let after = try await reopened.ledgerTails()
        #expect(after.map(\.agrees) == [false, true])
        #expect(after.first?.head?.sequence == 3 && after.first?.last?.sequence == 2)
    }

    @Test("Existing outbox entries survive the migration that adds payment reports")
    func outboxMigration() async throws {
        // Given an application and a rating queued, then a payment
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        _ = try await database.storeApplication(at: Self.now) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                itemID: "hukou-newborn", terminal: "t1", values: ["mobile": "13812345678"], subItems: [], delivery: .pickup,
                consentToGaps: false, needsReview: false, submittedAt: Self.now
            )
        }
        _ = try await Self.paidOrders(1, in: database, chain: LedgerChain(signer: SwiftCryptoLedger.generate()))
        // Then both are pending, each with its kind
        let kinds = try await database.dueEntries(at: Self.now.addingTimeInterval(60), limit: 10).map(\.payload.kind)
        #expect(kinds == [.application, .payment])
        #expect(try database.integrityCheck())
    }
}
