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
