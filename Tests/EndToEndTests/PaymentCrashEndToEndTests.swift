#if canImport(Glibc)
import Glibc
#endif
import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// kill -9 while kioskd records payments the centre confirmed: however often it dies, every
/// payment taken ends in the ledger exactly once, the chain verifies and the centre hears of
/// each once. `KIOSKD_PAYMENT_CYCLES` sets the number of kills (50 here, 1,000 in `make soak`);
/// the figures go to `make soak`'s table: lost and duplicated payments, integrity failures
/// (breaks in the chain and a failed `integrity_check`), and the time from the last restart
/// to READY with the outbox drained.
@Suite("Payments survive kill -9", .serialized)
struct PaymentCrashEndToEndTests {
    static var cycles: Int { Int(ProcessInfo.processInfo.environment["KIOSKD_PAYMENT_CYCLES"] ?? "") ?? 50 }

    @Test("Killed at random points while recording confirmations, kioskd loses and duplicates no payment")
    func killNineWhileRecording() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given open orders a previous run of kioskd created (in its database and at the
            // centre): two are paid before each kill, so some are always being recorded
            let state = try TemporaryDirectory(prefix: "kioskd-e2e")
            let key = try LedgerKeyFile.loadOrCreate(path: state.file("ledger.key"))
            let orders = try await openOrders(2 * Self.cycles + 10, databasePath: state.file("kioskd.sqlite"), harness: harness) {
                $0 % 2 == 0 ? "hall-1" : "hall-2"
            }
            // When payers pay them a few at a time while kioskd is killed at random points
            var generator = SeededGenerator(seed: 11)
            var paid = 0
            for _ in 0..<Self.cycles {
                for id in orders[paid..<min(orders.count, paid + 2)] { try await harness.pay(orderID: id) }
                paid = min(orders.count, paid + 2)
                let daemon = try DaemonProcess(centralURL: harness.url, token: "demo-token", reusing: state)
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...400, using: &generator)))
                daemon.signal(SIGKILL)
                _ = await daemon.waitForExit()
            }
            for id in orders[paid...] { try await harness.pay(orderID: id) }
            // And started once more, to the end
            let restarted = ContinuousClock.now
            let last = try DaemonProcess(centralURL: harness.url, token: "demo-token", reusing: state)
            #expect(await last.waitUntilReady())
            #expect(await eventually(within: .seconds(60)) {
                (try? await SQLiteShell.query(last.databasePath, "SELECT COUNT(*) FROM outboxEntry WHERE state = 'pending'")) == ["0"]
            })
            let recovery = restarted.duration(to: .now)
            last.signal(SIGTERM)
            #expect(await last.waitForExit() == 0)
            // Then every payment is in the ledger once, each terminal's sequence has no gap,
            // the chain and signatures verify, the file is intact, and the centre heard of each once
            let reopened = try KioskDatabase(path: state.file("kioskd.sqlite"))
            let records = try await reopened.ledgerRecords()
            #expect(records.count == orders.count)
            #expect(Set(records.map(\.orderReference)) == Set(orders.map { $0.uuidString.lowercased() }))
            for terminal in ["hall-1", "hall-2"] {
                let sequences = records.filter { $0.terminal == terminal }.map(\.sequence)
                #expect(sequences == Array(1...Int64(sequences.count)))
            }
            let verification = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: key.publicKey)
                .verify(records, expectedHeads: try await reopened.ledgerHeads())
            #expect(verification.isIntact, "\(verification.breaks)")
            #expect(try reopened.integrityCheck())
            #expect(try await reopened.unfinishedOrders().isEmpty)
            #expect(try await harness.statistics().paymentReports == orders.count)
            // The figures for make soak's table
            let expected = Set(orders.map { $0.uuidString.lowercased() })
            let recorded = Set(records.map(\.orderReference))
            SoakReport(
                drill: "payments kill -9", cycles: Self.cycles, lost: expected.subtracting(recorded).count,
                duplicated: records.count - recorded.count,
                integrityFailures: verification.breaks.count + ((try? reopened.integrityCheck()) == true ? 0 : 1),
                doublePrints: nil, maxRecovery: recovery
            ).report()
        }
    }
}
