#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskTesting
import Testing

/// The bank branch's enterprise-opening desk on a real pseudo-terminal: the desk's title,
/// the licence rule, capital in 万元 reaching the centre in fen, pickup at this branch, the
/// slip from the private cupsd's spool listing each sub-item, and progress by name.
@Suite("Bank desk end to end", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct BankDeskEndToEndTests {
    @Test("A clerk opens a company at the bank desk: sub-items by name on screen, at the centre and on the slip")
    func enterpriseOpeningAtTheBankDesk() async throws {
        let directory = try TemporaryDirectory()
        try await withPrivateCUPS { cups in
            try await CaseServiceHarness.withCaseService(in: directory) { harness in
                // Given kioskd with one enterprise terminal in a branch named in [hall]
                let pty = try PseudoTerminal()
                let daemon = try DaemonProcess(
                    extraConfig: """
                        \(cups.healthyPrintingConfig)

                        [hall]
                        name = "示例银行海淀支行"

                        [[terminal]]
                        name = "bank-1"
                        device = "\(pty.devicePath)"
                        profile = "enterprise"
                        """,
                    centralURL: harness.url, token: "demo-token"
                )
                #expect(await daemon.waitUntilReady())
                // Then the welcome and the title are the desk's, with the branch's name
                #expect(await pty.waitForOutput(containing: "欢迎办理企业开办"))
                pty.type(" ")
                #expect(await pty.waitForOutput(containing: "企业开办服务专区"))
                await pty.waitForQuiet()
                var screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
                #expect(screen.contains("示例银行海淀支行 · 企业开办服务专区"))
                #expect(!screen.contains("24小时"))
                // When the clerk picks seal engraving and the bank account without the licence
                pty.type("1")
                #expect(await pty.waitForOutput(containing: "住房公积金登记"))
                pty.type("2 3\r")
                // Then it is refused in both languages
                #expect(await pty.waitForOutput(containing: "印章刻制需要营业执照"))
                #expect(await pty.waitForOutput(containing: "choose 1 as well"))
                // When the licence is added and the rest typed, capital in 万元
                pty.type("\u{7F}\u{7F}\u{7F}1 2 3\r")
                #expect(try await Self.screen(of: pty, shows: "企业名称"))
                pty.type("北京示例科技有限公司\r")
                #expect(try await Self.screen(of: pty, shows: "企业住所"))
                pty.type("北京市海淀区中关村大街1号\r")
                #expect(try await Self.screen(of: pty, shows: "注册资本（万元）"))
                pty.type("50\r")
                #expect(try await Self.screen(of: pty, shows: "经营范围"))
                pty.type("软件开发\r")
                #expect(try await Self.screen(of: pty, shows: "法定代表人姓名"))
                pty.type("张三\r")
                #expect(try await Self.screen(of: pty, shows: "法定代表人身份证号"))
                pty.type("11010519491231002X\r")
                #expect(try await Self.screen(of: pty, shows: "联系手机"))
                pty.type("13812345678\r")
                // Then pickup is at this branch
                #expect(await pty.waitForOutput(containing: "到本网点领取"))
                pty.type("1")
                #expect(await pty.waitForOutput(containing: "请核对"))
                await pty.waitForQuiet()
                screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
                #expect(screen.contains("办理事项：营业执照、印章刻制、银行开户"))
                #expect(screen.contains("注册资本：50 万元"))
                #expect(screen.contains("领取方式：到本网点领取"))
                pty.type("\r")
                #expect(await pty.waitForOutput(containing: "申请已受理"))
                // And the centre gets the capital exactly, in fen, and the sub-items by key
                var caseNumber: String?
                for _ in 0..<100 where caseNumber == nil {
                    try await Task.sleep(for: .milliseconds(100))
                    caseNumber = try await SQLiteShell.query(daemon.databasePath, "SELECT caseNumber FROM application WHERE caseNumber IS NOT NULL").first
                }
                let sent = try await SQLiteShell.query(
                    harness.databasePath,
                    "SELECT json_extract(body, '$.fields.\"registered-capital\"'), json_extract(body, '$.subItems') FROM caseRecord"
                )
                #expect(sent == ["50000000|[\"business-licence\",\"seal-engraving\",\"bank-account\"]"], "\(sent)")
                // And the slip, read back from the spool, lists each sub-item with its department and pickup at the branch
                #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
                let raw = directory.file("slip.escpos")
                try Data(try #require(cups.printed(queue: "healthy").first?.bytes)).write(to: URL(fileURLWithPath: raw))
                let slip = try await offPool { try Subprocess.run("/usr/bin/iconv", ["-c", "-f", "GB18030", "-t", "UTF-8", raw]).output }
                #expect(slip.contains("包含事项 Services included："))
                #expect(slip.contains("· 营业执照 Business licence（市场监督管理局）"))
                #expect(slip.contains("· 印章刻制 Seal engraving（公安局）"))
                #expect(slip.contains("· 银行开户 Bank account（开户银行）"))
                #expect(slip.contains("到本网点领取"))
                #expect(slip.contains("示例银行海淀支行"))
                #expect(!slip.contains("bank-account") && !slip.contains("11010519491231002X"))
                // When the centre moves the bank account on and the clerk asks for progress
                try await harness.advance(caseNumber: try #require(caseNumber), subItem: "bank-account")
                pty.type("0")
                #expect(await pty.waitForOutput(containing: "企业开办服务专区"))
                pty.type("3")
                #expect(await pty.waitForOutput(containing: "申请编号或办件编号"))
                let number = try #require(try await SQLiteShell.query(daemon.databasePath, "SELECT number FROM application").first)
                pty.type(number + "\r31002x\r")
                // Then the sub-items are named, never by their ids
                #expect(await pty.waitForOutput(containing: "实时"))
                await pty.waitForQuiet()
                screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
                #expect(screen.contains("· 营业执照：已受理"), "\(screen)")
                #expect(screen.contains("· 银行开户：审核中"), "\(screen)")
                #expect(!screen.contains("bank-account") && !screen.contains("business-licence"))
                daemon.signal(SIGTERM)
                #expect(await daemon.waitForExit() == 0)
            }
        }
    }

    /// True once the emulated screen shows `needle`: for labels that share their start
    /// with the label before, which the diff renderer does not send again.
    static func screen(of pty: PseudoTerminal, shows needle: String, timeout: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            await pty.waitForQuiet(.milliseconds(200))
            if try await ScreenEmulator.screen(after: pty.drain()).lines.contains(where: { $0.contains(needle) }) { return true }
        }
        return false
    }
}
