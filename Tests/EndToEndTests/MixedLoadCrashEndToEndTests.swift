#if canImport(Glibc)
import Glibc
#endif
import CaseService
import Foundation
import KioskControl
import KioskCore
import KioskForwarding
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// kill -9 at random points under a mixed load: a citizen submitting an application on a
/// pseudo-terminal (its acceptance slip printing through a private cupsd), payers paying
/// orders the kiosk follows, and a technician's tool calling Status, Jobs and ListOutbox.
/// `KIOSKD_MIXED_CYCLES` sets the number of kills (50 here, 1,000 in `make soak`). After
/// the last restart: every application a screen acknowledged is in the database, the
/// centre has each once, every paid order is in the ledger once and the chain verifies,
/// `integrity_check` passes, and no print job came out twice.
@Suite("Mixed load survives kill -9", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct MixedLoadCrashEndToEndTests {
    static var cycles: Int { Int(ProcessInfo.processInfo.environment["KIOSKD_MIXED_CYCLES"] ?? "") ?? 50 }

    /// Types an application for the resident pension claim, as far as it gets before the kill.
    static func apply(_ pty: PseudoTerminal, applyKey: String, downs: Int) async -> Bool {
        guard await pty.waitForOutput(containing: "请按任意键开始", timeout: .seconds(10)) else { return false }
        pty.type(" ")
        guard await pty.waitForOutput(containing: "Rate our service", timeout: .seconds(5)) else { return false }
        pty.type(applyKey)
        guard await pty.waitForOutput(containing: "也可在办事指南中按", timeout: .seconds(5)) else { return false }
        pty.type(String(repeating: "\u{1B}[B", count: downs))
        await pty.waitForQuiet(.milliseconds(100))
        pty.type("\r")
        guard await pty.waitForOutput(containing: "第 1/2 项", timeout: .seconds(5)) else { return false }
        pty.type("11010519491231002X\r")
        guard await pty.waitForOutput(containing: "手机号码", timeout: .seconds(5)) else { return false }
        pty.type("13812345678\r")
        guard await pty.waitForOutput(containing: "领取方式", timeout: .seconds(5)) else { return false }
        pty.type("1")
        guard await pty.waitForOutput(containing: "请核对", timeout: .seconds(5)) else { return false }
        pty.type("\r")
        return await pty.waitForOutput(containing: "申请已受理", timeout: .seconds(5))
    }

    @Test("Killed at random points under applications, payments, prints and control calls, kioskd loses, duplicates and double-prints nothing")
    func killNineUnderMixedLoad() async throws {
        let directory = try TemporaryDirectory()
        try await withPrivateCUPS { cups in
            try await CaseServiceHarness.withCaseService(in: directory) { harness in
                // Given a kiosk's state with open orders its previous run created, here and at the centre
                let state = try TemporaryDirectory(prefix: "kioskd-e2e")
                let key = try LedgerKeyFile.loadOrCreate(path: state.file("ledger.key"))
                let orders = try await openOrders(Self.cycles + 5, databasePath: state.file("kioskd.sqlite"), harness: harness) { _ in "hall-2" }
                // And the menu's keys for the pension claim
                var menu = MenuState(profile: .citizen)
                let context = MenuContext(catalog: try Catalog.shipped())
                _ = menu.handle(.key(.enter), context: context)
                let applyKey = String(menu.items.firstIndex(of: .apply)! + 1)
                _ = menu.handle(.key(.character(Character(applyKey))), context: context)
                let downs = try #require(menu.entries(in: context).firstIndex(of: .applyItem("resident-pension-claim")))
                // When, cycle after cycle, a citizen applies, a payer pays, a technician polls,
                // and kioskd is killed at a random moment
                var generator = SeededGenerator(seed: 23)
                var acknowledged: [String] = []
                var paid = 0
                var maxRecovery: Duration = .zero
                for _ in 0..<Self.cycles {
                    let pty = try PseudoTerminal()
                    let daemon = try DaemonProcess(
                        extraConfig: "\(cups.healthyPrintingConfig)\n\n[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n",
                        centralURL: harness.url, token: "demo-token", reusing: state
                    )
                    let started = ContinuousClock.now
                    guard await daemon.waitUntilReady() else {
                        let lines = daemon.errorOutput().split(separator: "\n").map { String($0.prefix(300)) }
                        Issue.record("not ready after a kill -9:\n\(lines.suffix(40).joined(separator: "\n"))")
                        daemon.signal(SIGKILL)
                        _ = await daemon.waitForExit()
                        break
                    }
                    maxRecovery = max(maxRecovery, started.duration(to: .now))
                    if paid < orders.count {
                        _ = try await harness.pay(orderID: orders[paid])
                        paid += 1
                    }
                    let socket = daemon.controlSocket
                    let poll = Task {
                        while !Task.isCancelled {
                            _ = try? await offPool {
                                let control = try VarlinkClient(socketPath: socket, timeoutSeconds: 2)
                                for method in ["Status", "Jobs", "ListOutbox"] { _ = try? control.call("io.kioskd.Control.\(method)") }
                            }
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    let killAfter = Duration.milliseconds(Int.random(in: 50...1_500, using: &generator))
                    // The kill comes at its moment, wherever the citizen is
                    let citizen = Task { await Self.apply(pty, applyKey: applyKey, downs: downs) }
                    try await Task.sleep(for: killAfter)
                    daemon.signal(SIGKILL)
                    _ = await daemon.waitForExit()
                    citizen.cancel()
                    let outcome = await citizen.value
                    poll.cancel()
                    // A screen that said 申请已受理 acknowledged its application
                    let shown = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
                    if outcome || shown.contains("申请已受理") { acknowledged.append(shown) }
                }
                // And kioskd is started once more and left to finish
                for id in orders[paid...] { _ = try await harness.pay(orderID: id) }
                let restarted = ContinuousClock.now
                let last = try DaemonProcess(
                    extraConfig: "\(cups.healthyPrintingConfig)\n", centralURL: harness.url, token: "demo-token", reusing: state
                )
                #expect(await last.waitUntilReady())
                #expect(await eventually(within: .seconds(60)) {
                    let pending = try? await SQLiteShell.query(last.databasePath, "SELECT COUNT(*) FROM outboxEntry WHERE state = 'pending'")
                    let printing = try? await SQLiteShell.query(last.databasePath, "SELECT COUNT(*) FROM printJob WHERE state IN ('queued', 'sent')")
                    return pending == ["0"] && printing == ["0"]
                })
                maxRecovery = max(maxRecovery, restarted.duration(to: .now))
                last.signal(SIGTERM)
                #expect(await last.waitForExit() == 0)
                // Then every acknowledged application is in the database, and at the centre once
                let numbers = try await SQLiteShell.query(last.databasePath, "SELECT number FROM application")
                let lost = acknowledged.filter { screen in !numbers.contains { screen.contains($0) } }.count
                #expect(lost == 0, "\(lost) of \(acknowledged.count) acknowledged applications are not in the database")
                let statistics = try await harness.statistics()
                let duplicated = statistics.applications - numbers.count
                #expect(duplicated == 0 && Set(numbers).count == numbers.count, "\(statistics.applications) at the centre for \(numbers.count) here")
                #expect(try await SQLiteShell.query(last.databasePath, "SELECT COUNT(*) FROM application WHERE caseNumber IS NULL") == ["0"])
                // And every paid order is in the ledger once, the chain verifies, the file is intact
                let reopened = try KioskDatabase(path: state.file("kioskd.sqlite"))
                let records = try await reopened.ledgerRecords()
                let verification = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: key.publicKey)
                    .verify(records, expectedHeads: try await reopened.ledgerHeads())
                #expect(records.count == orders.count && Set(records.map(\.orderReference)).count == orders.count)
                #expect(verification.isIntact, "\(verification.breaks)")
                let intact = (try? reopened.integrityCheck()) == true
                #expect(intact)
                // And no print job came out twice
                let titles = cups.printedTitles(queue: "healthy")
                let doublePrints = titles.count - Set(titles).count
                #expect(doublePrints == 0, "\(titles)")
                print("mixed load: \(acknowledged.count) of \(Self.cycles) applications acknowledged before their kill, "
                      + "\(numbers.count) stored, \(records.count) payments, \(titles.count) print jobs printed")
                SoakReport(
                    drill: "mixed load kill -9", cycles: Self.cycles, lost: lost + (orders.count - Set(records.map(\.orderReference)).count),
                    duplicated: max(0, duplicated) + (records.count - Set(records.map(\.orderReference)).count),
                    integrityFailures: verification.breaks.count + (intact ? 0 : 1), doublePrints: doublePrints, maxRecovery: maxRecovery
                ).report()
            }
        }
    }
}
