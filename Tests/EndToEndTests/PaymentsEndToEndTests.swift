#if canImport(Glibc)
import Glibc
#endif
import CaseService
import Foundation
import KioskCore
import KioskTesting
import Testing

/// A citizen pays a water bill on a pseudo-terminal: kioskd, the real case-service over
/// loopback, a private cupsd, and the QR code read back from the screen by zbarimg.
@Suite("Payments end to end", .serialized, .enabled(if: PrivateCUPS.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg")))
struct PaymentsEndToEndTests {
    func config(_ pty: PseudoTerminal, _ cups: PrivateCUPS) -> String {
        """
        \(cups.healthyPrintingConfig)

        [[terminal]]
        name = "hall-1"
        device = "\(pty.devicePath)"
        profile = "citizen"
        """
    }

    /// Types `keys` one at a time, letting the screen settle after each; returns the screen.
    func press(_ pty: PseudoTerminal, _ keys: [String]) async throws -> ScreenEmulator.Screen {
        for key in keys {
            pty.type(key)
            await pty.waitForQuiet(.milliseconds(250))
        }
        return try await ScreenEmulator.screen(after: pty.drain())
    }

    /// The screen once `text` is on it (or the last one after `attempts` looks).
    func screen(_ pty: PseudoTerminal, showing text: String, attempts: Int = 80) async throws -> ScreenEmulator.Screen {
        var screen = try await ScreenEmulator.screen(after: pty.drain())
        for _ in 0..<attempts where !screen.lines.joined().contains(text) {
            try await Task.sleep(for: .milliseconds(250))
            screen = try await ScreenEmulator.screen(after: pty.drain())
        }
        return screen
    }

    @Test("A water bill paid through the QR code on screen is recorded in the ledger and its receipt prints with the ledger's data")
    func payAWaterBill() async throws {
        try await withPrivateCUPS { cups in
            let directory = try TemporaryDirectory()
            try await CaseServiceHarness.withCaseService(in: directory) { harness in
                // Given kioskd with a citizen terminal, the centre and a healthy receipt printer
                let pty = try PseudoTerminal()
                let daemon = try DaemonProcess(extraConfig: config(pty, cups), centralURL: harness.url, token: "demo-token")
                #expect(await daemon.waitUntilReady())
                #expect(await pty.waitForOutput(containing: "请按任意键开始"))
                // When the citizen chooses 生活缴费 → 水费 and types the account
                _ = try await press(pty, [" ", "4", "1"])
                var screen = try await press(pty, Array("3100000001").map(String.init) + ["\r"])
                screen = try await self.screen(pty, showing: "¥123.45")
                // Then the bill shows the masked holder and the amount
                #expect(screen.lines.joined().contains("张*"))
                #expect(screen.lines.joined().contains("******0001"))
                // When the citizen confirms
                pty.type("\r")
                screen = try await self.screen(pty, showing: "PO")
                // Then a QR code is on screen that a phone can read: the order's pay URL
                let qrLines = screen.lines[3..<20].map { line in String(line.dropFirst(3).prefix(34)) }
                let image = directory.file("screen-qr.pgm")
                try HalfBlockImage.pgm(from: qrLines, scale: 4).write(to: URL(fileURLWithPath: image))
                let decoded = try Subprocess.run("/usr/bin/zbarimg", ["--quiet", "--raw", "--nodbus", image])
                #expect(decoded.status == 0)
                let url = decoded.output.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(url.hasPrefix("https://pay.kioskd.invalid/o/PO"))
                #expect(screen.lines.joined().contains(String(url.split(separator: "/").last ?? "")))
                // When the payer pays on the phone
                let orderID = try #require(try await SQLiteShell.query(daemon.databasePath, "SELECT id FROM paymentOrder").first)
                #expect(try await harness.pay(orderID: try #require(UUID(uuidString: orderID))))
                // Then the terminal says it is paid, with the ledger's sequence
                screen = try await self.screen(pty, showing: "缴费成功")
                #expect(screen.lines.joined().contains("缴费成功"))
                #expect(screen.lines.joined().contains("流水号：1"))
                // And the ledger has the record, and the receipt printed with it: ESC/POS, GB18030,
                // the order number, the masked account and a printer-drawn QR of the verification data
                let ledger = try await SQLiteShell.query(daemon.databasePath, "SELECT terminal, sequence, amountFen, hash FROM ledgerRecord")
                #expect(ledger.count == 1)
                let fields = ledger.first?.split(separator: "|").map(String.init) ?? []
                #expect(fields.prefix(3) == ["hall-1", "1", "12345"])
                #expect(await cups.wait { !cups.printed(queue: "healthy").isEmpty })
                let bytes = try #require(cups.printed(queue: "healthy").first?.bytes)
                // The paper's text read back with Debian's iconv, independent of kioskd's encoder
                let raw = directory.file("receipt.escpos")
                try Data(bytes).write(to: URL(fileURLWithPath: raw))
                let text = try await offPool { try Subprocess.run("/usr/bin/iconv", ["-c", "-f", "GB18030", "-t", "UTF-8", raw]).output }
                #expect(text.contains("缴费凭证"))
                #expect(text.contains("户号 Account：******0001"))
                #expect(text.contains("流水号 Seq.：1"))
                #expect(!text.contains("3100000001"))
                // The QR code is drawn by the printer (GS ( k) and holds the verification data
                #expect(text.contains("\u{1D}(k"))
                #expect(text.contains("KIOSKD1|hall-1|1|12345|\(fields.last ?? "")"))
                // And the payment is reported to the centre once
                #expect(await eventually { (try? await harness.statistics().paymentReports) == 1 })
                daemon.signal(SIGTERM)
                #expect(await daemon.waitForExit() == 0)
            }
        }
    }
}
