#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskTesting
import Testing

/// A resident ID card reader on its own serial line (a pseudo-terminal played by
/// `SimulatedIDCardReader`) beside the citizen's terminal (another pseudo-terminal), with
/// the real daemon in between.
@Suite("ID card reader end to end", .serialized)
struct IDCardReaderEndToEndTests {
    @Test("A card read after garbage, a bad checksum and a card taken away mid-read fills the application form; nothing of it is logged")
    func cardFillsTheInsuranceForm() async throws {
        // Given a terminal with an ID card reader whose first answers are garbage and a card taken away mid-read
        let terminal = try PseudoTerminal()
        let reader = try SimulatedIDCardReader()
        let daemon = try DaemonProcess(extraConfig: """
            [[terminal]]
            name = "hall-1"
            device = "\(terminal.devicePath)"
            id_reader = "\(reader.pty.devicePath)"
            id_reader_baud = 115200
            """)
        #expect(await daemon.waitUntilReady())
        #expect(await terminal.waitForOutput(containing: "请按任意键开始"))
        // When the citizen opens the pension claim's form (an application: no central service needed)
        terminal.type(" ")
        #expect(await terminal.waitForOutput(containing: "Rate our service"))
        var menu = MenuState(profile: .citizen)
        let context = MenuContext(catalog: try Catalog.shipped())
        _ = menu.handle(.key(.enter), context: context)
        let applyDigit = Character(String(menu.items.firstIndex(of: .apply)! + 1))
        terminal.type(String(applyDigit))
        _ = menu.handle(.key(.character(applyDigit)), context: context)
        #expect(await terminal.waitForOutput(containing: "也可在办事指南中按"))
        let index = try #require(menu.entries(in: context).firstIndex(of: .applyItem("resident-pension-claim")))
        terminal.type(String(repeating: "\u{1B}[B", count: index))
        await terminal.waitForQuiet()
        terminal.type("\r")
        #expect(await terminal.waitForOutput(containing: "本人身份证号"))
        await terminal.waitForQuiet(.milliseconds(300))
        // And a card is laid down but taken away mid-read, then read with a bad checksum, after garbage
        reader.behave(.removedMidRead)
        reader.place(IDCardReaderEndToEndTests.card)
        #expect(await Self.eventually { reader.commands.contains(.read) })
        reader.behave(.badChecksum)
        reader.place(IDCardReaderEndToEndTests.card)
        let reads = reader.commands.filter { $0 == .read }.count
        #expect(await Self.eventually { reader.commands.filter { $0 == .read }.count > reads })
        await terminal.waitForQuiet(.milliseconds(300))
        #expect(!String(decoding: terminal.drain(), as: UTF8.self).contains("已从身份证读入"))
        reader.behave(.garbage)
        // Then nothing was filled by the broken reads; the garbage-prefixed answer is read
        #expect(await terminal.waitForOutput(containing: "已从身份证读入"))
        let screen = try await ScreenEmulator.screen(after: terminal.drain()).lines.joined(separator: "\n")
        #expect(screen.contains("11010519491231002X"), "\(screen)")
        // And the log says a card was read, never whose
        daemon.signal(SIGTERM)
        let exit = await daemon.waitForExit()
        #expect(exit == 0, "exit \(String(describing: exit)): \(daemon.errorOutput().suffix(1500))")
        let log = daemon.errorOutput()
        #expect(log.contains("ID card read"))
        #expect(!log.contains("11010519491231002X") && !log.contains("张三丰") && !log.contains("建国路"))
    }

    @Test("A reader that is silent is reported, and the terminal keeps working")
    func silentReader() async throws {
        // Given a reader that never answers
        let terminal = try PseudoTerminal()
        let reader = try SimulatedIDCardReader()
        reader.behave(.silent)
        let daemon = try DaemonProcess(extraConfig: """
            [[terminal]]
            name = "hall-1"
            device = "\(terminal.devicePath)"
            id_reader = "\(reader.pty.devicePath)"
            """)
        #expect(await daemon.waitUntilReady())
        // Then the terminal still works, and the log says the reader does not answer
        #expect(await terminal.waitForOutput(containing: "请按任意键开始"))
        terminal.type(" ")
        #expect(await terminal.waitForOutput(containing: "Rate our service"))
        #expect(await Self.eventually(timeout: .seconds(20)) {
            (try? String(contentsOfFile: daemon.logPath, encoding: .utf8))?.contains("ID card reader does not answer") == true
        })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    static let card = CardIdentity(
        name: "张三丰", sex: "1", ethnicity: "01", birthDate: CalendarDate(year: 1949, month: 12, day: 31)!,
        address: "北京市朝阳区建国路88号", idNumber: "11010519491231002X", authority: "北京市公安局朝阳分局",
        validFrom: "20200101", validUntil: "长期"
    )

    static func eventually(timeout: Duration = .seconds(15), _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
