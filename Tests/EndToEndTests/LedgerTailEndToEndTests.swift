import Foundation
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// kioskd's start-up check of each terminal's ledger tail, on a real database changed
/// behind its back with the sqlite3 shell.
@Suite("Ledger tails checked at start")
struct LedgerTailEndToEndTests {
    @Test("A tail cut with the shell and a ledger signed by another key are logged at start, and kioskd still gets READY",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func tailsAtStart() async throws {
        // Given a state directory whose ledger key signed hall-1's payments, while hall-2's
        // were signed by a key that is not the kiosk's
        let state = try TemporaryDirectory(prefix: "kioskd-e2e")
        let path = state.file("kioskd.sqlite")
        let kioskKey = try LedgerKeyFile.loadOrCreate(path: state.file("ledger.key"))
        let database = try KioskDatabase(path: path)
        let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")
        let at = Date(timeIntervalSince1970: 1_795_408_920)
        for (terminal, signer) in [("hall-1", kioskKey.signer), ("hall-2", SwiftCryptoLedger.generate())] {
            for _ in 0..<3 {
                let id = UUID()
                try await database.beginOrder(id: id, bill: bill, terminal: terminal, at: at)
                try await database.updateOrder(id: id, number: nil, expiresAt: at.addingTimeInterval(300), state: .open)
                _ = try await database.recordPayment(
                    orderID: id, channel: "wechat", paidAt: at, afterSession: false, chain: LedgerChain(signer: signer), at: at
                )
            }
        }
        try database.close()
        // And hall-1's last record deleted past its trigger
        let cut = try Subprocess.run("/usr/bin/sqlite3", [
            path, "DROP TRIGGER ledgerRecord_noDelete; DELETE FROM ledgerRecord WHERE terminal = 'hall-1' AND sequence = 3",
        ])
        #expect(cut.status == 0)
        // When kioskd starts on it
        let daemon = try DaemonProcess(reusing: state)
        defer { daemon.signal(SIGTERM) }
        // Then it gets READY, and its log names both terminals and what is wrong
        #expect(await daemon.waitUntilReady())
        let log = try String(contentsOfFile: daemon.logPath, encoding: .utf8)
        let cutLine = log.split(separator: "\n").first { $0.contains("ledger head does not match the last record") }
        let keyLine = log.split(separator: "\n").first { $0.contains("does not verify with the kiosk key") }
        #expect(cutLine?.contains("terminal=hall-1") == true && cutLine?.contains("headSequence=3") == true
            && cutLine?.contains("lastSequence=2") == true, "\(log)")
        #expect(keyLine?.contains("terminal=hall-2") == true && keyLine?.contains("bad_signature") == true
            || keyLine?.contains("bad-signature") == true, "\(log)")
    }
}
