import Foundation
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// Reversals in a real SQLite file: a new record that points at the payment, never an
/// edit, once per payment, audited without personal data, and counted by the settlement.
@Suite("Ledger reversals")
struct ReversalStoreTests {
    static let now = LedgerStoreTests.now

    static func audit(_ reason: String) -> @Sendable (LedgerRecord, LedgerRecord) -> AuditRecord {
        { original, reversal in
            AuditRecord(
                at: now, actor: "uid:0", action: "ReversePayment", outcome: "ok",
                detail: "\(reversal.terminal) #\(reversal.sequence) reverses #\(original.sequence); reason: \(LedgerReversal.auditedReason(reason))"
            )
        }
    }

    @Test("A reversal is recorded after the terminal's head, the ledger still verifies, a second reversal and a reversal of a reversal are refused, and it is audited")
    func reversal() async throws {
        // Given two paid water bills on hall-1 and one on hall-2
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let signer = SwiftCryptoLedger.generate()
        let chain = LedgerChain(signer: signer)
        let hall1 = try await LedgerStoreTests.paidOrders(2, in: database, chain: chain)
        _ = try await LedgerStoreTests.paidOrders(1, terminal: "hall-2", in: database, chain: chain)
        let reason = "refunded at the counter, caller 13812345678"
        // When a technician reverses hall-1 #1
        let outcome = try await database.recordReversal(
            terminal: "hall-1", sequence: 1, chain: chain, at: Self.now.addingTimeInterval(60), audit: Self.audit(reason)
        )
        // Then a reversal is appended as hall-1 #3, pointing at #1 with the negated amount, same item and channel
        guard case .recorded(let original, let reversal) = outcome else {
            Issue.record("not recorded: \(outcome)")
            return
        }
        #expect(original == hall1[0].1)
        #expect(reversal.kind == .reversal && reversal.terminal == "hall-1" && reversal.sequence == 3 && reversal.reversalOf == 1)
        #expect(reversal.amountFen == -12_345 && reversal.itemID == original.itemID && reversal.channel == original.channel)
        #expect(reversal.previousHash == hall1[1].1.hash)
        #expect(try await database.ledgerHeads()["hall-1"] == reversal.head)
        // And the whole ledger, heads included, still verifies
        let (records, heads) = try await database.ledgerForVerification(from: 1)
        let verification = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: signer.publicKey).verify(records, expectedHeads: heads)
        #expect(verification.isIntact, "\(verification.breaks)")
        #expect(verification.verifiedCount == 4)
        // When the same payment is reversed again, or the reversal itself / Then nothing is recorded
        let again = try await database.recordReversal(terminal: "hall-1", sequence: 1, chain: chain, at: Self.now, audit: Self.audit(reason))
        #expect(again == .alreadyReversed(original: original, by: reversal))
        let ofReversal = try await database.recordReversal(terminal: "hall-1", sequence: 3, chain: chain, at: Self.now, audit: Self.audit(reason))
        #expect(ofReversal == .notAPayment(reversal))
        // And a sequence both terminals have needs the terminal; an unknown one is none
        let ambiguous = try await database.recordReversal(terminal: nil, sequence: 1, chain: chain, at: Self.now, audit: Self.audit(reason))
        #expect(ambiguous == .ambiguous(terminals: ["hall-1", "hall-2"]))
        #expect(try await database.recordReversal(terminal: nil, sequence: 9, chain: chain, at: Self.now, audit: Self.audit(reason)) == .noSuchRecord)
        #expect(try await database.ledgerRecords().count == 4)
        // And the audit log has one entry, with the phone number in the reason masked
        let audit = try database.recentAudit()
        #expect(audit.count == 1)
        #expect(audit.first?.detail == "hall-1 #3 reverses #1; reason: refunded at the counter, caller ***********")
        #expect(audit.first?.detail.contains("13812345678") == false)
        // And the settlement of the day counts the reversal
        let report = Settlement.report(day: CalendarDate(year: 2026, month: 11, day: 23)!, timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                       records: try await database.ledgerRecords())
        #expect(report.reversalCount == 1 && report.reversalFen == -12_345 && report.paymentCount == 3)
        #expect(report.reversals.first?.reverses == 1)
    }

    @Test("A reversal's reason must be text: empty, too long or with control characters is refused")
    func reasons() {
        #expect(LedgerReversal.reasonProblem("refunded") == nil)
        #expect(LedgerReversal.reasonProblem("   ") != nil)
        #expect(LedgerReversal.reasonProblem(String(repeating: "退", count: 201)) != nil)
        #expect(LedgerReversal.reasonProblem("refund\u{1B}[2J") != nil)
        #expect(LedgerReversal.auditedReason(" order 1234 of 110105194912310021 ") == "order 1234 of ******************")
    }
}
