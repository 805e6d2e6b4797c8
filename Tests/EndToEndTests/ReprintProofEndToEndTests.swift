#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskTesting
import Testing

/// Paper stays with its owner: the next citizen cannot reprint someone's acceptance slip by
/// typing its number, only with the last six characters of the applicant's ID. Real
/// daemon, real pseudo-terminal, real case-service, private cupsd.
@Suite("Reprint proof end to end", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct ReprintProofEndToEndTests {
    @Test("The next citizen reprints another's acceptance slip only with the ID's last six; every try is audited")
    func reprintNeedsProofInTheNextSession() async throws {
        let directory = try TemporaryDirectory()
        try await withPrivateCUPS { cups in
            try await CaseServiceHarness.withCaseService(in: directory) { harness in
                // Given a citizen who applied and got an acceptance slip (R-000001), then left
                let pty = try PseudoTerminal()
                let daemon = try DaemonProcess(
                    extraConfig: """
                        \(cups.healthyPrintingConfig)

                        [[terminal]]
                        name = "hall-1"
                        device = "\(pty.devicePath)"
                        """,
                    centralURL: harness.url, token: "demo-token"
                )
                #expect(await daemon.waitUntilReady())
                try await Self.apply(pty)
                #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
                var left = false
                for _ in 0..<6 where !left {
                    pty.type("\u{1B}")
                    await pty.waitForQuiet(.milliseconds(300))
                    left = try await ScreenEmulator.screen(after: pty.drain()).lines.joined().contains("请按任意键开始")
                }
                #expect(left)
                // When the next citizen opens 补打回执 and types 1
                pty.type(" ")
                #expect(await pty.waitForOutput(containing: "Rate our service"))
                let reprintDigit = String(ServiceItem.homeMenu(for: .citizen).firstIndex(of: .reprint)! + 1)
                pty.type(reprintDigit)
                #expect(await pty.waitForOutput(containing: "打印号："))
                pty.type("1\r")
                // Then the screen asks for proof instead of printing
                #expect(await pty.waitForOutput(containing: "不是本次办理打印的"))
                #expect(await pty.waitForOutput(containing: "申请人证件号码后6位"))
                // When a wrong suffix is typed
                pty.type("123456\r")
                // Then it is refused and nothing prints; what was typed shows only as stars
                #expect(await pty.waitForOutput(containing: "与该凭证不符"))
                let screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
                #expect(!screen.contains("123456"))
                // When the applicant's own suffix is typed
                pty.type("31002x\r")
                // Then the copy prints as R-000002, marked as a reprint of R-000001
                #expect(await pty.waitForOutput(containing: "R-000002"))
                #expect(await cups.wait { cups.printed(queue: "healthy").count == 2 })
                #expect(try await SQLiteShell.query(daemon.databasePath, "SELECT reprintOf FROM printJob WHERE number = 'R-000002'") == ["R-000001"])
                // And both tries are in the audit log with the job number, never the proof
                var audit: [String] = []
                for _ in 0..<50 where audit.count < 3 {
                    try await Task.sleep(for: .milliseconds(200))
                    audit = try await SQLiteShell.query(
                        daemon.databasePath, "SELECT actor || ' ' || action || ' ' || outcome FROM auditEntry WHERE action LIKE 'reprint%' ORDER BY id"
                    )
                }
                #expect(audit == [
                    "terminal hall-1 reprint R-000001 proof-required R-000001 (no proof)",
                    "terminal hall-1 reprint R-000001 proof-rejected R-000001 (proof typed)",
                    "terminal hall-1 reprint R-000001 printed R-000002 (proof typed)",
                ], "\(audit)")
                let everything = try await SQLiteShell.query(daemon.databasePath, "SELECT * FROM auditEntry").joined()
                #expect(!everything.contains("31002X") && !everything.contains("123456"))
                daemon.signal(SIGTERM)
                #expect(await daemon.waitForExit() == 0)
            }
        }
    }

    /// From the attract screen through the pension claim to "申请已受理", as the applicant
    /// with ID 11010519491231002X.
    static func apply(_ pty: PseudoTerminal) async throws {
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        var menu = MenuState(profile: .citizen)
        let context = MenuContext(catalog: try Catalog.shipped())
        _ = menu.handle(.key(.enter), context: context)
        let applyDigit = Character(String(menu.items.firstIndex(of: .apply)! + 1))
        pty.type(String(applyDigit))
        _ = menu.handle(.key(.character(applyDigit)), context: context)
        #expect(await pty.waitForOutput(containing: "也可在办事指南中按"))
        let index = try #require(menu.entries(in: context).firstIndex(of: .applyItem("resident-pension-claim")))
        pty.type(String(repeating: "\u{1B}[B", count: index))
        await pty.waitForQuiet()
        pty.type("\r")
        #expect(await pty.waitForOutput(containing: "第 1/2 项"))
        pty.type("11010519491231002X\r")
        #expect(await pty.waitForOutput(containing: "手机号码"))
        pty.type("13812345678\r")
        #expect(await pty.waitForOutput(containing: "领取方式"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "请核对"))
        pty.type("\r")
        #expect(await pty.waitForOutput(containing: "申请已受理"))
        await pty.waitForQuiet()
    }
}
