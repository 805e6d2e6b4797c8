#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskTesting
import Testing

/// Proving identity by a one-time code by SMS: the citizen on a pseudo-terminal, the real
/// daemon, the real case-service binary over loopback (whose admin route plays the phone).
@Suite("One-time code end to end", .serialized)
struct OneTimeCodeEndToEndTests {
    static let id = "11010519491231002X"

    /// Types `keys` one at a time, letting the screen settle after each; returns the screen.
    func press(_ pty: PseudoTerminal, _ keys: [String]) async throws -> String {
        for key in keys {
            pty.type(key)
            await pty.waitForQuiet(.milliseconds(150))
        }
        return try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
    }

    /// The screen once `text` is on it (or the last one after about 20 s).
    func screen(_ pty: PseudoTerminal, showing text: String) async throws -> String {
        var screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
        for _ in 0..<80 where !screen.contains(text) {
            try await Task.sleep(for: .milliseconds(250))
            screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
        }
        return screen
    }

    @Test("Social insurance is refused without proof and shown after a code by SMS; the proof ends with the session; no ID or phone is logged")
    func lookupAfterACode() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given kioskd with a citizen terminal and the centre
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(extraConfig: """
                [[terminal]]
                name = "hall-1"
                device = "\(pty.devicePath)"
                profile = "citizen"
                """, centralURL: service.url, token: service.token)
            #expect(await daemon.waitUntilReady())
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            // When the citizen chooses social insurance without proof
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "Rate our service"))
            pty.type("3")
            var screen = try await self.screen(pty, showing: "将身份证放在阅读器上")
            // Then the two ways are offered and nothing of anyone is shown
            #expect(screen.contains("将身份证放在阅读器上") && screen.contains("1  短信验证码"), "\(screen)")
            // And the centre itself refuses a lookup whose proof it did not issue
            let refused = try await service.send(
                "POST", "/v1/social-insurance/summary", headers: ["Content-Type": "application/json"],
                body: #"{"idNumber":"\#(Self.id)","name":"张三","proof":{"method":"one-time-code","token":"made-up"}}"#
            )
            #expect(refused.status == 403 && refused.headers["content-type"]?.hasPrefix("application/problem+json") == true, "\(refused.headers) \(refused.body)")
            // When the citizen asks for a code by SMS for the ID
            _ = try await press(pty, ["1"])
            pty.type(Self.id + "\r")
            screen = try await self.screen(pty, showing: "验证码已发送至")
            // Then the screen shows the masked phone and the resend countdown
            #expect(screen.contains("验证码已发送至 138****5678"), "\(screen)")
            #expect(screen.contains("秒后可重新获取验证码"), "\(screen)")
            // When the citizen types the code the phone received
            let code = try #require(try await CaseServiceHarness.lastCode(baseURL: service.url))
            pty.type(code + "\r")
            screen = try await self.screen(pty, showing: "身份已核验")
            // Then the insurance form opens with the proved ID; the name completes the lookup
            #expect(screen.contains(Self.id), "\(screen)")
            _ = try await press(pty, ["\r"])
            pty.type("张三\r")
            screen = try await self.screen(pty, showing: "参保时间")
            // And the summary is shown, masked
            #expect(screen.contains("参保时间") && screen.contains("张*"), "\(screen)")
            // When the citizen leaves (the session ends) and the next person asks the same
            _ = try await press(pty, ["\u{1B}", "\u{1B}"])
            screen = try await self.screen(pty, showing: "请按任意键开始")
            #expect(screen.contains("请按任意键开始"), "\(screen)")
            _ = try await press(pty, [" "])
            pty.type("3")
            screen = try await self.screen(pty, showing: "将身份证放在阅读器上")
            // Then the proof is gone with the session: proof is asked for again
            #expect(screen.contains("将身份证放在阅读器上"), "\(screen)")
            // And the log says a code was requested and checked, never whose
            daemon.signal(SIGTERM)
            let exit = await daemon.waitForExit()
            #expect(exit == 0, "exit \(String(describing: exit)): \(daemon.errorOutput().suffix(1500))")
            let log = daemon.errorOutput()
            #expect(log.contains("one-time code requested") && log.contains("one-time code checked"))
            for secret in [Self.id, "张三", "13800005678", "138****5678"] {
                #expect(!log.contains(secret), "the log holds \(secret)")
            }
        }
    }
}

/// 参保证明 on paper: a person proved by a code prints the summary on the document printer
/// of a private cupsd; the PDF is read back.
@Suite(
    "Insurance certificate end to end", .serialized,
    .enabled(if: PrivateCUPS.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"))
)
struct InsuranceCertificateEndToEndTests {
    @Test("After a code, 1 on the summary prints a masked certificate with the hall's name, the time and its verification number")
    func certificatePrints() async throws {
        try await withPrivateCUPS { cups in
            try await CaseServiceProcess.withCaseServiceProcess { service in
                // Given kioskd with a hall name, a healthy document printer and the centre
                let pty = try PseudoTerminal()
                let daemon = try DaemonProcess(extraConfig: """
                    [hall]
                    name = "朝阳区政务服务中心"

                    \(cups.healthyPrintingConfig)

                    [[terminal]]
                    name = "hall-1"
                    device = "\(pty.devicePath)"
                    profile = "citizen"
                    """, centralURL: service.url, token: service.token)
                #expect(await daemon.waitUntilReady())
                #expect(await pty.waitForOutput(containing: "请按任意键开始"))
                let e2e = OneTimeCodeEndToEndTests()
                // And a person proved by a code, their summary on screen
                pty.type(" ")
                #expect(await pty.waitForOutput(containing: "Rate our service"))
                _ = try await e2e.press(pty, ["3", "1"])
                pty.type(OneTimeCodeEndToEndTests.id + "\r")
                _ = try await e2e.screen(pty, showing: "验证码已发送至")
                let code = try #require(try await CaseServiceHarness.lastCode(baseURL: service.url))
                pty.type(code + "\r")
                _ = try await e2e.screen(pty, showing: "身份已核验")
                _ = try await e2e.press(pty, ["\r"])
                pty.type("张三\r")
                var screen = try await e2e.screen(pty, showing: "参保时间")
                #expect(screen.contains("按 1 打印参保证明"), "\(screen)")
                // When the citizen presses 1
                pty.type("1")
                screen = try await e2e.screen(pty, showing: "打印号 R-000001")
                // Then the certificate prints on the document printer, masked, with the hall, the time and its number
                #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
                let pdf = try #require(cups.printed(queue: "healthy").first?.bytes)
                let directory = try TemporaryDirectory()
                let path = directory.file("certificate.pdf")
                try Data(pdf).write(to: URL(fileURLWithPath: path))
                let text = try await offPool { try Subprocess.run("/usr/bin/pdftotext", [path, "-"]).output }
                for expected in ["参保证明", "张*", "1101**********002X", "朝阳区政务服务中心", "核验号 Verification No.：R-000001"] {
                    #expect(text.contains(expected), "\(expected) missing from:\n\(text)")
                }
                #expect(!text.contains(OneTimeCodeEndToEndTests.id))
                // And the CUPS job is named without personal data
                #expect(cups.printedTitles(queue: "healthy") == ["kioskd insurance-certificate R-000001"])
                daemon.signal(SIGTERM)
                #expect(await daemon.waitForExit() == 0)
            }
        }
    }
}
