#if canImport(Glibc)
import Glibc
#endif
import CaseService
import Foundation
import KioskControl
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// The daily settlement and reversals through a real kioskd, kioskctl and the real
/// case-service: a day missed while kioskd was stopped is settled at start and forwarded,
/// the centre's mismatch shows in `kioskctl settlement` and `kioskctl status`, and a
/// technician reverses a payment once.
@Suite("kioskd settlement end to end", .serialized)
struct SettlementEndToEndTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func kioskctl(_ daemon: DaemonProcess, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        try await run("kioskctl", ["--socket", daemon.controlSocket] + arguments)
    }

    /// Records a paid water bill on hall-1 at `at` in the database kioskd will open, for an
    /// order the centre never created (so the centre cannot match it).
    func seedPayment(in directory: TemporaryDirectory, at: Date) async throws {
        let key = try LedgerKeyFile.loadOrCreate(path: directory.file("ledger.key"))
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let id = UUID()
        let bill = Bill(kind: .water, account: "310100125678", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")
        try await database.beginOrder(id: id, bill: bill, terminal: "hall-1", at: at)
        try await database.updateOrder(id: id, number: "PO09999999", expiresAt: at.addingTimeInterval(900), state: .open)
        _ = try await database.recordPayment(orderID: id, channel: "wechat", paidAt: at, afterSession: false, chain: LedgerChain(signer: key.signer), at: at)
        try await database.setReceipt(orderID: id, number: "R-000099", printed: true)
        try database.close()
    }

    @Test("A day missed while stopped is settled at start and forwarded; the centre's mismatch is a FAULT in kioskctl settlement and status; a reversal is recorded once and verify passes")
    func missedDayMismatchAndReversal() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a state directory whose ledger has a payment 26 hours ago, of a day whose books have closed,
            // for an order the centre does not know
            let state = try TemporaryDirectory(prefix: "kioskd-e2e")
            let paidAt = Date().addingTimeInterval(-26 * 3600)
            try await seedPayment(in: state, at: paidAt)
            let day = SettlementSchedule(timeZone: Self.shanghai).day(containing: paidAt).description
            // When kioskd starts on it with the centre reachable
            let daemon = try DaemonProcess(centralURL: harness.url, token: "demo-token", reusing: state)
            #expect(await daemon.waitUntilReady())
            // Then the day is settled at start and the centre answers
            var reply = JSONValue.null
            #expect(await eventually(within: .seconds(20)) {
                guard let settled = try? await kioskctl(daemon, ["settlement", day, "--json"]),
                      let value = try? JSONDecoder().decode(JSONValue.self, from: Data(settled.output.utf8))
                else { return false }
                reply = value
                return value["forward"]?["state"] == .string("forwarded")
            }, "\(reply)")
            #expect(reply["state"] == .string("settled") && reply["settled_by"] == .string("start"))
            #expect(reply["payment_count"] == .integer(1) && reply["report_hash"]?.stringValue?.count == 64)
            // And the centre found the order unknown: a mismatch, a fault with the order named
            #expect(reply["fault"] == .string("mismatch"))
            // (kioskctl --json prints the wire's snake_case; its table keeps the word kiosk-only)
            #expect(reply["centre"]?["orders"]?.arrayValue?.first?["side"] == .string("kiosk_only"))
            #expect(reply["centre"]?["differences"]?.arrayValue?.first?["kiosk_fen"] == .integer(12_345))
            let text = try await kioskctl(daemon, ["settlement", day])
            #expect(text.status == 0, "\(text.errors)")
            #expect(text.output.contains("centre answered mismatch"), "\(text.output)")
            #expect(text.output.contains("FAULT: the centre's paid orders differ from this kiosk's payments"), "\(text.output)")
            #expect(text.output.contains("bill-water"), "\(text.output)")
            #expect(text.output.contains(": kiosk-only"), "\(text.output)")
            // And status shows the fault and today's payments in ¥
            let status = try await kioskctl(daemon, ["status"])
            #expect(status.output.contains("FAULT: settlement \(day) mismatch"), "\(status.output)")
            #expect(status.output.contains("payments today ("), "\(status.output)")
            #expect(try await harness.statistics().settlements >= 1)

            // When a technician reverses the payment, with a phone number in the reason
            let reversed = try await kioskctl(daemon, ["ledger", "reverse", "1", "--reason", "refunded, caller 13812345678"])
            // Then it is recorded as hall-1 #2 with the negated amount
            #expect(reversed.status == 0, "\(reversed.errors)")
            #expect(reversed.output.contains("reversed hall-1 #1 as #2: bill-water wechat -¥123.45"), "\(reversed.output)")
            // And a second reversal, and a reversal of the reversal, are refused
            let again = try await kioskctl(daemon, ["ledger", "reverse", "1", "--reason", "again"])
            #expect(again.status == 1 && again.errors.contains("AlreadyReversed"), "\(again.errors)")
            let ofReversal = try await kioskctl(daemon, ["ledger", "reverse", "2", "--terminal", "hall-1", "--reason", "undo"])
            #expect(ofReversal.status == 1 && ofReversal.errors.contains("NotAPayment"), "\(ofReversal.errors)")
            // And the ledger still verifies
            let verify = try await kioskctl(daemon, ["ledger", "verify"])
            #expect(verify.status == 0 && verify.output.contains("ledger intact: 2 records verified"), "\(verify.output)")
            // And the audit log has the reversal without the phone number
            let audit = try await SQLiteShell.query(daemon.databasePath, "SELECT detail FROM auditEntry WHERE detail LIKE '%reverses%'")
            #expect(audit.count == 1 && audit.first?.contains("reason: refunded, caller ***********") == true, "\(audit)")
            #expect(!(audit.first?.contains("13812345678") ?? true))
            // And today's settlement so far counts the reversal
            let today = try await kioskctl(daemon, ["settlement", "--json"])
            let open = try JSONDecoder().decode(JSONValue.self, from: Data(today.output.utf8))
            #expect(open["state"] == .string("open") && open["reversal_count"] == .integer(1), "\(today.output)")
            #expect(open["reversals"]?.arrayValue?.first?["reverses"] == .integer(1))
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
    }

    @Test("The slip of a settled day comes out of the receipt printer through CUPS, bilingual, GB18030, and --print prints it again", .enabled(if: PrivateCUPS.isAvailable))
    func slipThroughCUPS() async throws {
        try await withPrivateCUPS { cups in
            let directory = try TemporaryDirectory()
            try await CaseServiceHarness.withCaseService(in: directory) { harness in
                // Given a ledger with a payment of a day whose books closed while kioskd was stopped, and a healthy receipt printer
                let state = try TemporaryDirectory(prefix: "kioskd-e2e")
                // An hour before the last closing: exactly one day closed since, whatever the hour.
                let lastClosing = SettlementSchedule(timeZone: Self.shanghai).nextClosing(after: Date().addingTimeInterval(-86_400)).at
                let paidAt = lastClosing.addingTimeInterval(-3600)
                try await seedPayment(in: state, at: paidAt)
                let day = SettlementSchedule(timeZone: Self.shanghai).day(containing: paidAt).description
                let config = cups.healthyPrintingConfig
                // When kioskd starts
                let daemon = try DaemonProcess(extraConfig: config, centralURL: harness.url, token: "demo-token", reusing: state)
                #expect(await daemon.waitUntilReady())
                // Then the day's slip prints: its day, totals, the terminal's sequences, the report's hash, bilingual
                #expect(await cups.wait { !cups.printed(queue: "healthy").isEmpty })
                let raw = directory.file("slip.escpos")
                try Data(try #require(cups.printed(queue: "healthy").first?.bytes)).write(to: URL(fileURLWithPath: raw))
                let text = try await offPool { try Subprocess.run("/usr/bin/iconv", ["-c", "-f", "GB18030", "-t", "UTF-8", raw]).output }
                #expect(text.contains("日结单") && text.contains("Daily Settlement"), "\(text)")
                #expect(text.contains("日期 Day：\(day)"), "\(text)")
                #expect(text.contains("bill-water wechat ×1 ¥123.45"), "\(text)")
                #expect(text.contains("缴费 Payments：1  ¥123.45"), "\(text)")
                #expect(text.contains("hall-1 #1–#1 "), "\(text)")
                #expect(text.contains("校验码 Report hash："), "\(text)")
                #expect(!text.contains("310100125678") && !text.contains("5678"), "no account on the slip")
                // And the settlement records the printed job
                #expect(await eventually {
                    let reply = try? await run("kioskctl", ["--socket", daemon.controlSocket, "settlement", day, "--json"])
                    let value = reply.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.output.utf8)) }
                    return value?["print"]?["state"] == .string("printed")
                })
                // When a technician prints it again / Then a second copy comes out
                let again = try await run("kioskctl", ["--socket", daemon.controlSocket, "settlement", day, "--print"])
                #expect(again.status == 0, "\(again.errors)")
                #expect(again.output.contains("printed: R-000002"), "\(again.output)")
                #expect(await cups.wait { cups.printed(queue: "healthy").count == 2 })
                daemon.signal(SIGTERM)
                #expect(await daemon.waitForExit() == 0)
            }
        }
    }
}
