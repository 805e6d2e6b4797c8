import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Synchronization
import Testing

/// A stand-in for the kiosk's crypto, so these tests need no key: a digest that folds the
/// bytes into 32, and a "signature" that is the digest itself. Enough for the verifier to
/// find an edit; the real SHA-256 and Ed25519 are tested in KioskPaymentsTests and end
/// to end.
struct ToySigner: LedgerSigner {
    var publicKey: [UInt8] { [] }

    func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        for (index, byte) in bytes.enumerated() { digest[index % 32] = digest[index % 32] &* 31 &+ byte }
        return digest
    }

    func isValidSignature(_ signature: [UInt8], of digest: [UInt8], publicKey: [UInt8]) -> Bool { signature == digest }

    func sign(_ digest: [UInt8]) throws -> [UInt8] { digest }
}

/// The fixed backend's ledger: hall-1 has three payments and a reversal of the second on
/// 2026-11-23 (Asia/Shanghai), hall-2 one payment.
enum FixedLedger {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-11-23T10:00:00+08:00.
    static let morning = Date(timeIntervalSince1970: 1_795_399_200)
    static let day = CalendarDate(year: 2026, month: 11, day: 23)!

    static func records() throws -> [LedgerRecord] {
        let chain = LedgerChain(signer: ToySigner())
        var hall1 = try chain.seal((1...3).map { index in
            LedgerEntry.payment(
                recordedAt: morning.addingTimeInterval(Double(index) * 60), itemID: "bill-water", channel: "wechat",
                amountFen: Int64(index) * 100_000 + 23_450, orderReference: "order-\(index)", maskedAccount: "3101****5678"
            )
        }, terminal: "hall-1")
        hall1.append(try chain.seal(
            .reversal(of: hall1[1], recordedAt: morning.addingTimeInterval(600), orderReference: "reversal-2"),
            terminal: "hall-1", after: hall1[2].head
        ))
        let hall2 = try chain.seal([
            .payment(recordedAt: morning, itemID: "bill-power", channel: "alipay", amountFen: 5_000, orderReference: "order-9",
                     maskedAccount: "张*"),
        ], terminal: "hall-2")
        return hall1 + hall2
    }
}

/// The payment and ledger methods of `FixedBackend`: verify from 1 finds the chain intact;
/// from 3 it is handed a copy whose record 3 was edited.
extension FixedBackend {
    func payments(day: CalendarDate?, unprintedOnly: Bool) async throws -> [PaymentSummary] {
        guard day == nil || day == FixedLedger.day else { return [] }
        let all = [
            PaymentSummary(
                orderNumber: "PO00000002", terminal: "hall-1", sequence: 2, item: "bill-water", channel: "wechat",
                amountFen: 123_450, paidAt: "2026-11-23T10:02:00+08:00", afterSession: true, receiptNumber: "R-000002",
                receiptPrinted: false
            ),
            PaymentSummary(
                orderNumber: "PO00000001", terminal: "hall-1", sequence: 1, item: "bill-water", channel: "wechat",
                amountFen: 123_450, paidAt: "2026-11-23T10:01:00+08:00", afterSession: false, receiptNumber: "R-000001",
                receiptPrinted: true
            ),
        ]
        return unprintedOnly ? all.filter { !$0.receiptPrinted } : all
    }

    func verifyLedger(from: Int64) async throws -> LedgerVerification {
        var records = try FixedLedger.records()
        if from == 3 { records[2].amountFen = 999 }
        let heads = ["hall-1": records[3].head, "hall-2": records[4].head]
        return LedgerVerifier(crypto: ToySigner(), publicKey: []).verify(records, from: from, expectedHeads: heads)
    }

    func ledgerPublicKey() -> String { "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=" }

    func exportLedger(day: CalendarDate) async throws -> LedgerExportReply {
        guard day == FixedLedger.day else { throw ControlExportError("cannot write /state/exports/ledger-\(day).csv: No space left on device") }
        let records = try FixedLedger.records()
        return LedgerExportReply(
            date: day.description, csvPath: "/state/exports/ledger-\(day).csv", keyPath: "/state/exports/ledger-\(day).key",
            records: records.count, heads: LedgerHeadReply.list(["hall-1": records[3].head, "hall-2": records[4].head])
        )
    }

    /// 2026-11-23 is settled and the centre found a mismatch; other past days are
    /// unsettled zero reports; 2026-11-24 and later are still open.
    func settlement(day: CalendarDate?, export: Bool, print: Bool) async throws -> SettlementView {
        let day = day ?? FixedLedger.day
        let closesAt = Settlement.interval(of: day, in: FixedLedger.zone).upperBound.addingTimeInterval(-300)
        if print, day > FixedLedger.day { throw ControlSettlementError(.open, "the books of \(day) close at 23:55") }
        let report = Settlement.report(
            day: day, timeZone: FixedLedger.zone, records: try FixedLedger.records(), unprintedReceipts: 1, paidAfterSessionEnded: 1
        )
        var state = SettlementState(report: report, stage: day > FixedLedger.day ? .open : .unsettled, closesAt: closesAt)
        if day == FixedLedger.day {
            state.stage = .settled
            state.settledAt = closesAt
            state.settledBy = "schedule"
            state.reportHash = String(repeating: "ab", count: 32)
            state.printNumber = "R-000007"
            state.printState = "printed"
            state.forwarding = .forwarded
            state.forwardAttempts = 2
            state.answer = SettlementAnswer(
                result: .mismatch, receivedAt: closesAt.addingTimeInterval(60),
                differences: [.init(itemID: "bill-water", kioskCount: 3, kioskFen: 670_350, centreCount: 4, centreFen: 680_350)],
                orders: [.init(orderReference: "order-7", orderNumber: "PO00000007", itemID: "bill-water", amountFen: 10_000, side: .centreOnly)]
            )
        }
        let printed = print ? PrintOutcome(result: .printed, number: "R-000008") : nil
        return SettlementView(state: state, exportPath: export ? "/state/exports/settlement-\(day).csv" : nil, printed: printed)
    }

    /// hall-1 #1 reverses (as #5); #2 was reversed by #4; #4 is a reversal; sequence 1
    /// without a terminal is on both terminals; 9 does not exist.
    func reversePayment(terminal: String?, sequence: Int64, reason: String, actor: String) async throws -> LedgerReversal {
        let records = try FixedLedger.records()
        let matching = records.filter { $0.sequence == sequence && (terminal == nil || $0.terminal == terminal) }
        guard let original = matching.first else { return .noSuchRecord }
        guard matching.count == 1 else { return .ambiguous(terminals: matching.map(\.terminal)) }
        guard original.kind == .payment else { return .notAPayment(original) }
        if original.terminal == "hall-1", original.sequence == 2 { return .alreadyReversed(original: original, by: records[3]) }
        let reversal = try LedgerChain(signer: ToySigner()).seal(
            .reversal(of: original, recordedAt: FixedLedger.morning.addingTimeInterval(900), orderReference: "reversal:order-1"),
            terminal: original.terminal, after: records[3].head
        )
        return .recorded(original: original, reversal: reversal)
    }
}

@Suite("Payment and ledger control methods")
struct PaymentsControlTests {
    @Test("Payments lists paid orders newest first in snake_case with no account; unprinted and a day filter; a bad date is refused")
    func payments() async throws {
        // Given a backend with two payments on 2026-11-23, the newest one unprinted
        // When Payments is called without filters, unprinted only, for another day and with a bad date
        let replies = try await replies([
            call("Payments"), call("Payments", ["unprinted": .bool(true), "date": .string("2026-11-23")]),
            call("Payments", ["date": .string("2026-11-24")]), call("Payments", ["date": .string("2026-02-30")]),
        ])
        // Then every field is there in snake_case, and no masked account
        let all = try #require(replies[0].parameters?["payments"]?.arrayValue)
        #expect(all.count == 2)
        #expect(all[0]["order_number"] == .string("PO00000002"))
        #expect(all[0]["amount_fen"] == .integer(123_450))
        #expect(all[0]["paid_at"] == .string("2026-11-23T10:02:00+08:00"))
        #expect(all[0]["after_session"] == .bool(true))
        #expect(all[0]["receipt_printed"] == .bool(false))
        #expect(all[0]["masked_account"] == nil)
        // And the filters reach the backend
        #expect(replies[1].parameters?["payments"]?.arrayValue?.count == 1)
        #expect(replies[1].parameters?["date"] == .string("2026-11-23"))
        #expect(replies[2].parameters?["payments"]?.arrayValue == [])
        // And a day that does not exist is an invalid parameter
        #expect(replies[3].error == "org.varlink.service.InvalidParameter")
        #expect(replies[3].parameters?["parameter"] == .string("date"))
    }

    @Test("LedgerVerify answers ok with each terminal's head, or the first break by record and snake_case reason")
    func verify() async throws {
        // Given a backend whose chain is intact from 1 and edited at hall-1 #3 when asked from 3
        // When LedgerVerify is called both ways, and with from 0
        let replies = try await replies([call("LedgerVerify"), call("LedgerVerify", ["from": .integer(3)]), call("LedgerVerify", ["from": .integer(0)])])
        // Then the intact chain is ok, with 5 records and both heads
        let intact = try #require(replies[0].parameters)
        #expect(intact["ok"] == .bool(true))
        #expect(intact["verified"] == .integer(5))
        #expect(intact["heads"]?.arrayValue?.map { $0["terminal"] } == [.string("hall-1"), .string("hall-2")])
        #expect(intact["heads"]?.arrayValue?.first?["sequence"] == .integer(4))
        #expect(intact["breaks"]?.arrayValue == [])
        // And the edited one names hall-1 #3, an edit, in words and as a snake_case code
        let broken = try #require(replies[1].parameters)
        #expect(broken["ok"] == .bool(false))
        let found = try #require(broken["breaks"]?.arrayValue?.first)
        #expect(found["terminal"] == .string("hall-1"))
        #expect(found["sequence"] == .integer(3))
        #expect(found["reason"] == .string("hash_mismatch"))
        #expect(found["description"]?.stringValue?.contains("hash does not match") == true)
        // And a sequence below 1 is refused
        #expect(replies[2].error == "org.varlink.service.InvalidParameter")
    }

    @Test("LedgerKey answers the public key in base64 and the algorithm")
    func key() async throws {
        let replies = try await replies([call("LedgerKey")])
        #expect(replies[0].parameters?["public_key"] == .string("O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik="))
        #expect(replies[0].parameters?["algorithm"] == .string("ed25519"))
    }

    @Test("LedgerExport answers the paths and heads, needs a date, and a failed write is ExportFailed with its reason")
    func export() async throws {
        // Given a backend that can export 2026-11-23 and whose disk is full for any other day
        let replies = try await replies([
            call("LedgerExport", ["date": .string("2026-11-23")]), call("LedgerExport"),
            call("LedgerExport", ["date": .string("2026-11-24")]),
        ])
        // Then the export names both files, the record count and the heads
        let written = try #require(replies[0].parameters)
        #expect(written["csv_path"] == .string("/state/exports/ledger-2026-11-23.csv"))
        #expect(written["key_path"] == .string("/state/exports/ledger-2026-11-23.key"))
        #expect(written["records"] == .integer(5))
        #expect(written["heads"]?.arrayValue?.count == 2)
        // And without a date it is an invalid parameter, and a failed write says why
        #expect(replies[1].error == "org.varlink.service.InvalidParameter")
        #expect(replies[2].error == "io.kioskd.Control.ExportFailed")
        #expect(replies[2].parameters?["message"]?.stringValue?.contains("No space left on device") == true)
    }

    @Test("Settlement answers the day's totals in fen, terminal spans, reversals and counts; export names the CSV")
    func settlement() async throws {
        // Given hall-1's three payments and one reversal and hall-2's payment on 2026-11-23
        let replies = try await replies([
            call("Settlement", ["date": .string("2026-11-23")]), call("Settlement", ["export": .bool(true)]),
            call("Settlement", ["date": .string("2026-11-22")]),
        ])
        // Then the totals add up in fen
        let report = try #require(replies[0].parameters)
        #expect(report["date"] == .string("2026-11-23"))
        #expect(report["time_zone"] == .string("Asia/Shanghai"))
        #expect(report["payment_count"] == .integer(4))
        #expect(report["payment_fen"] == .integer(123_450 + 223_450 + 323_450 + 5_000))
        #expect(report["reversal_fen"] == .integer(-223_450))
        #expect(report["net_fen"] == .integer(123_450 + 323_450 + 5_000))
        #expect(report["unprinted_receipts"] == .integer(1))
        #expect(report["paid_after_session"] == .integer(1))
        #expect(report["export_path"] == nil)
        let water = try #require(report["lines"]?.arrayValue?.first { $0["item"] == .string("bill-water") })
        #expect(water["payment_count"] == .integer(3))
        #expect(water["reversal_count"] == .integer(1))
        // And each terminal's span has its sequences and head, times in the hall's zone
        let hall1 = try #require(report["terminals"]?.arrayValue?.first)
        #expect(hall1["first_sequence"] == .integer(1))
        #expect(hall1["last_sequence"] == .integer(4))
        #expect(hall1["first_at"] == .string("2026-11-23T10:01:00+08:00"))
        #expect(report["reversals"]?.arrayValue?.first?["reverses"] == .integer(2))
        // And export answers where the CSV was written; another day is a zero report
        #expect(replies[1].parameters?["export_path"] == .string("/state/exports/settlement-2026-11-23.csv"))
        #expect(replies[2].parameters?["payment_count"] == .integer(0))
        #expect(replies[2].parameters?["lines"]?.arrayValue == [])
    }

    @Test("Settlement answers where the day stands: settled, printed, forwarded and the centre's mismatch as a fault; an open day cannot be printed")
    func settlementState() async throws {
        // Given 2026-11-23 settled and found a mismatch by the centre, 2026-11-22 unsettled and 2026-11-30 open
        let replies = try await replies([
            call("Settlement", ["date": .string("2026-11-23"), "print": .bool(true)]), call("Settlement", ["date": .string("2026-11-22")]),
            call("Settlement", ["date": .string("2026-11-30")]), call("Settlement", ["date": .string("2026-11-30"), "print": .bool(true)]),
        ])
        // Then the settled day names its state, hash, slip, forwarding and the centre's differences
        let settled = try #require(replies[0].parameters)
        #expect(settled["state"] == .string("settled"))
        #expect(settled["settled_by"] == .string("schedule"))
        #expect(settled["report_hash"]?.stringValue?.count == 64)
        #expect(settled["print"]?["number"] == .string("R-000007"))
        #expect(settled["print"]?["state"] == .string("printed"))
        #expect(settled["printed"]?["number"] == .string("R-000008"))
        #expect(settled["forward"]?["state"] == .string("forwarded"))
        #expect(settled["centre"]?["result"] == .string("mismatch"))
        #expect(settled["fault"] == .string("mismatch"))
        let difference = try #require(settled["centre"]?["differences"]?.arrayValue?.first)
        #expect(difference["item"] == .string("bill-water"))
        #expect(difference["centre_count"] == .integer(4) && difference["kiosk_count"] == .integer(3))
        #expect(settled["centre"]?["orders"]?.arrayValue?.first?["side"] == .string("centre_only"))
        #expect(settled["period_start"] == .string("2026-11-23T00:00:00+08:00"))
        // And the other days say they are unsettled or open, with nothing forwarded
        #expect(replies[1].parameters?["state"] == .string("unsettled"))
        #expect(replies[1].parameters?["forward"] == nil)
        #expect(replies[2].parameters?["state"] == .string("open"))
        // And printing a day whose books are open is refused with when they close
        #expect(replies[3].error == "io.kioskd.Control.SettlementOpen")
    }

    @Test("ReversePayment answers the reversal record; a second reversal, a reversal of a reversal, an unknown or ambiguous sequence and a missing reason are refused")
    func reverse() async throws {
        // Given hall-1 with payments #1-#3 (#2 reversed by #4) and hall-2 with payment #1
        let reason: JSONValue = .string("refunded at the counter")
        let replies = try await replies([
            call("ReversePayment", ["terminal": .string("hall-1"), "sequence": .integer(1), "reason": reason]),
            call("ReversePayment", ["terminal": .string("hall-1"), "sequence": .integer(2), "reason": reason]),
            call("ReversePayment", ["terminal": .string("hall-1"), "sequence": .integer(4), "reason": reason]),
            call("ReversePayment", ["sequence": .integer(9), "reason": reason]),
            call("ReversePayment", ["sequence": .integer(1), "reason": reason]),
            call("ReversePayment", ["terminal": .string("hall-1"), "sequence": .integer(1)]),
            call("ReversePayment", ["terminal": .string("hall-1"), "sequence": .integer(1), "reason": .string("  ")]),
        ])
        // Then the reversal points at the payment with the negated amount
        let recorded = try #require(replies[0].parameters)
        #expect(recorded["terminal"] == .string("hall-1") && recorded["sequence"] == .integer(5) && recorded["reverses"] == .integer(1))
        #expect(recorded["amount_fen"] == .integer(-123_450))
        // And each refusal says why
        #expect(replies[1].error == "io.kioskd.Control.AlreadyReversed")
        #expect(replies[1].parameters?["reversal_sequence"] == .integer(4))
        #expect(replies[2].error == "io.kioskd.Control.NotAPayment")
        #expect(replies[3].error == "io.kioskd.Control.NoSuchRecord")
        #expect(replies[4].error == "io.kioskd.Control.AmbiguousSequence")
        #expect(replies[4].parameters?["terminals"] == .array([.string("hall-1"), .string("hall-2")]))
        #expect(replies[5].error == "org.varlink.service.InvalidParameter")
        #expect(replies[6].parameters?["parameter"] == .string("reason"))
    }

    @Test("The interface description declares the payment methods with snake_case reasons")
    func described() async throws {
        let replies = try await replies([
            VarlinkCall(method: "org.varlink.service.GetInterfaceDescription", parameters: .object(["interface": .string("io.kioskd.Control")])),
        ])
        let text = try #require(replies[0].parameters?["description"]?.stringValue)
        for method in ["Payments(", "LedgerVerify(", "LedgerKey(", "LedgerExport(", "Settlement(", "ReversePayment("] {
            #expect(text.contains("method \(method)"), "\(method)")
        }
        #expect(text.contains("hash_mismatch"))
    }
}

@Suite("Payment and ledger control methods: who may call them")
struct PaymentsAccessTests {
    /// Technicians read through `users`, admins change through `adm` (groups every Debian
    /// system has); callers are users that do not exist, so only their primary group counts.
    let interface = ControlInterface(backend: FixedBackend(), policy: AccessPolicy(readGroup: "users", adminGroup: "adm"))
    let reader = PeerCredentials(pid: 1, uid: 4_000_001, gid: 100)
    let admin = PeerCredentials(pid: 1, uid: 4_000_002, gid: 4)
    let stranger = PeerCredentials(pid: 1, uid: 4_000_003, gid: 65_534)

    /// "ok", or the name of the error the call was answered with.
    func outcome(_ method: String, _ parameters: [String: JSONValue] = [:], as caller: PeerCredentials) async -> String {
        do {
            let reply = try await interface.handle(
                VarlinkCall(method: "io.kioskd.Control.\(method)", parameters: .object(parameters)), caller: caller
            )
            return reply.error ?? "ok"
        } catch let error as VarlinkError {
            return error.name
        } catch {
            return "\(error)"
        }
    }

    @Test("The technicians' group reads payments, the ledger and the settlement; exports, printing and reversals need the admin group; others get nothing")
    func access() async throws {
        let denied = "org.varlink.service.PermissionDenied"
        let day: [String: JSONValue] = ["date": .string("2026-11-23")]
        // Given a technician of the read group / Then every reading method answers, no export is written
        for method in ["Payments", "LedgerVerify", "LedgerKey", "Settlement"] {
            #expect(await outcome(method, as: reader) == "ok", "\(method)")
        }
        #expect(await outcome("LedgerExport", day, as: reader) == denied)
        #expect(await outcome("Settlement", ["export": .bool(true)], as: reader) == denied)
        #expect(await outcome("Settlement", ["print": .bool(true)], as: reader) == denied)
        let reversal: [String: JSONValue] = ["terminal": .string("hall-1"), "sequence": .integer(1), "reason": .string("refund")]
        #expect(await outcome("ReversePayment", reversal, as: reader) == denied)
        // Given an admin / Then both exports are written, the slip printed and the payment reversed
        #expect(await outcome("LedgerExport", day, as: admin) == "ok")
        #expect(await outcome("Settlement", ["export": .bool(true)], as: admin) == "ok")
        #expect(await outcome("Settlement", ["print": .bool(true)], as: admin) == "ok")
        #expect(await outcome("ReversePayment", reversal, as: admin) == "ok")
        // Given a user in neither group / Then even reading is refused
        for method in ["Payments", "LedgerVerify", "LedgerKey", "Settlement"] {
            #expect(await outcome(method, as: stranger) == denied, "\(method)")
        }
    }
}


