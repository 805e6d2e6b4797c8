#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

/// The built `kioskd` driving a real pseudo-terminal, read back through pyte.
@Suite("kioskd on a pseudo-terminal", .serialized)
struct HomeMenuEndToEndTests {
    func terminalConfig(_ pty: PseudoTerminal, name: String = "hall-1") -> String {
        """
        [[terminal]]
        name = "\(name)"
        device = "\(pty.devicePath)"
        profile = "citizen"
        """
    }

    @Test("The home menu appears in Chinese with aligned English labels, and a digit opens a service")
    func homeMenu() async throws {
        // Given kioskd started on a fresh pseudo-terminal
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: terminalConfig(pty))
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))

        // When a citizen presses a key
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        await pty.waitForQuiet()

        // Then an independent emulator shows the home menu
        let screen = try await ScreenEmulator.screen(after: pty.drain())
        let lines = screen.lines
        #expect(lines[1].hasPrefix("│ 24小时自助服务终端"))
        #expect(lines[1].hasSuffix("hall-1 │"))
        #expect(lines[6] == "│  ▶ 1  办事指南          Service guide                                        │")
        // (Whether the item is dimmed depends on the first health check of the absent
        // central service having finished; the label and its alignment do not.)
        #expect(lines[8].hasPrefix("│    3  社保公积金查询    Social insurance & housing fund"))
        #expect(lines[22] == "│ F2 English · Esc 结束 · 0 返回首页                                           │")
        // And the lines mixing Chinese and ASCII are aligned: English labels start in one
        // column and the right border stands in the last column on every row.
        for row in 3...20 {
            #expect(screen.columns(of: "│", inRow: row) == [0, 79], "row \(row)")
        }
        let labelColumns = (6...12).map { row in screen.cells[row].firstIndex { $0.first?.isASCII == true && $0.first?.isLetter == true } }
        #expect(Set(labelColumns).count == 1)
        #expect(labelColumns.first == 26)

        // When the citizen presses 2
        pty.type("2")
        #expect(await pty.waitForOutput(containing: "申请编号或办件编号"))
        await pty.waitForQuiet()
        let chosen = try await ScreenEmulator.screen(after: pty.drain())
        // Then the case progress query is shown, asking for the number
        #expect(chosen.lines[1].hasPrefix("│ 办件进度"))
        #expect(chosen.lines[5].contains("申请编号或办件编号"))

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("Elder mode on a terminal configured for DEC double-size lines shows a large title and large choices")
    func elderModeLargeGlyphs() async throws {
        // Given kioskd on a pseudo-terminal configured with double_size_lines
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: terminalConfig(pty) + "\ndouble_size_lines = true\n")
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        await pty.waitForQuiet()
        // (normal mode uses no line attributes at all)
        #expect(try await ScreenEmulator.screen(after: pty.drain()).lineSizes.allSatisfy { $0 == "single" })

        // When the citizen turns elder mode on
        pty.type("8")
        #expect(await pty.waitForOutput(containing: "退出长辈模式"))
        await pty.waitForQuiet()

        // Then an independent emulator shows the title and each entry as double-height
        // lines, written within their half-width rows, inside the frame
        var screen = try await ScreenEmulator.screen(after: pty.drain())
        #expect(Array(screen.lineSizes[1...2]) == ["double-height-top", "double-height-bottom"])
        for row in [6, 8, 10, 12, 14] {
            #expect(Array(screen.lineSizes[row...(row + 1)]) == ["double-height-top", "double-height-bottom"], "row \(row)")
        }
        #expect(screen.overflow.isEmpty)
        #expect(screen.lines[1].hasPrefix("│ 2 4 小  时  "))
        #expect(screen.lines[6].contains("办  事  指  南"))
        #expect(screen.lines[6] == screen.lines[7])
        #expect(screen.lines[18].contains("8  退出长辈模式"))
        for row in 0..<24 { #expect(screen.lines[row].first == "┌" || screen.lines[row].first == "│" || screen.lines[row].first == "├" || screen.lines[row].first == "└", "row \(row)") }

        // When a touch lands on the lower half of the third entry
        pty.type("\u{1B}[<0;20;12M\u{1B}[<0;20;12m")
        #expect(await pty.waitForOutput(containing: "社保"))
        await pty.waitForQuiet()
        screen = try await ScreenEmulator.screen(after: pty.drain())
        // Then the insurance lookup opens, its title still large
        #expect(screen.lines[1].contains("社  保"))
        #expect(screen.lineSizes[1] == "double-height-top")

        // When the citizen goes home (the Home key: in a form 0 is a digit) and leaves
        // elder mode
        pty.type("\u{1B}[H")
        #expect(await pty.waitForOutput(containing: "退出长辈模式"))
        await pty.waitForQuiet()
        pty.type("8")
        #expect(await pty.waitForOutput(containing: "长辈模式"))
        await pty.waitForQuiet()
        // Then every line is normal again and the home menu reads as before
        screen = try await ScreenEmulator.screen(after: pty.drain())
        #expect(screen.lineSizes.allSatisfy { $0 == "single" })
        #expect(screen.lines[6] == "│  ▶ 1  办事指南          Service guide                                        │")

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("Ctrl-C, Ctrl-Z, Ctrl-\\ and Ctrl-S arrive as plain input and the daemon keeps running")
    func rawModeLockdown() async throws {
        // Given a kiosk-mode terminal on the home menu
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: terminalConfig(pty))
        #expect(await daemon.waitUntilReady())
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))

        // When the escape keys are pressed
        pty.type([0x03, 0x1A, 0x1C, 0x13])
        try await Task.sleep(for: .milliseconds(500))

        // Then the daemon still runs and counted them as input
        #expect(daemon.process.isRunning)
        let socket = daemon.controlSocket
        let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        let terminal = try #require(status["terminals"]?.arrayValue?.first)
        #expect(terminal["bytes_in"] == .integer(5))
        #expect(terminal["screen"] == .string("home"))
        // And output is not frozen by Ctrl-S: the next key still changes the screen
        pty.type("7")
        #expect(await pty.waitForOutput(containing: "为本次"))
        await pty.waitForQuiet()
        #expect(try await ScreenEmulator.screen(after: pty.drain()).lines[1].hasPrefix("│ 服务评价"))

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("A terminal resized during a session is measured by the daemon's size watcher and drawn again at its new size")
    func resizedDuringASession() async throws {
        // Given a citizen on the home menu of an 80×24 terminal
        let pty = try PseudoTerminal(size: TerminalSize(columns: 80, rows: 24))
        let daemon = try DaemonProcess(extraConfig: terminalConfig(pty))
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        await pty.waitForQuiet()
        _ = pty.drain()
        // When the window grows to 100×30, with nobody typing
        try pty.resize(to: TerminalSize(columns: 100, rows: 30))
        // Then within the watcher's second the menu is drawn again, 100 columns wide
        var screen = try await ScreenEmulator.screen(after: [], columns: 100, rows: 30)
        for _ in 0..<40 {
            try await Task.sleep(for: .milliseconds(100))
            screen = try await ScreenEmulator.screen(after: pty.drain(), columns: 100, rows: 30)
            if screen.lines.first?.hasSuffix("┐") == true, screen.lines.first?.count == 100 { break }
        }
        #expect(screen.lines.first?.count == 100)
        #expect(screen.lines.first?.hasPrefix("┌") == true && screen.lines.first?.hasSuffix("┐") == true)
        #expect(screen.lines[29].hasPrefix("└"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("SIGTERM restores the terminal's original settings")
    func restoresTerminal() async throws {
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: terminalConfig(pty))
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        // The slave side is back in cooked mode with signals and echo.
        let slave = open(pty.devicePath, O_RDWR | O_NOCTTY)
        defer { close(slave) }
        var settings = termios()
        #expect(tcgetattr(slave, &settings) == 0)
        #expect(settings.c_lflag & tcflag_t(ISIG | ICANON | ECHO) == tcflag_t(ISIG | ICANON | ECHO))
        #expect(settings.c_iflag & tcflag_t(IXON) != 0)
        // And the screen was cleared on the way out.
        #expect(await pty.waitForOutput(containing: "\u{1B}[?25h"))
    }
}

@Suite("Terminal size from the terminal")
struct AskedSizeEndToEndTests {
    @Test func aTerminalThatReportsNoSizeIsAskedAndDrawnAtItsAnswer() async throws {
        // Given a terminal whose device reports no size (like a serial line), set to ask
        let pty = try PseudoTerminal(size: TerminalSize(columns: 0, rows: 0))
        let daemon = try DaemonProcess(extraConfig: """
            [[terminal]]
            name = "serial-1"
            device = "\(pty.devicePath)"
            ask_size = true
            """)
        #expect(await daemon.waitUntilReady())
        // When the daemon asks with a cursor position request
        #expect(await pty.waitForOutput(containing: "\u{1B}[999;999H\u{1B}[6n"))
        await pty.waitForQuiet()
        _ = pty.drain()
        // And the terminal answers that it is 100 columns by 30 rows
        pty.type("\u{1B}[30;100R")
        // Then the daemon lays out for that size, and the answer was not taken as a key
        await pty.waitForQuiet()
        let socket = daemon.controlSocket
        let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        let terminal = try #require(status["terminals"]?.arrayValue?.first)
        #expect(terminal["columns"] == .integer(100) && terminal["rows"] == .integer(30))
        #expect(terminal["screen"] == .string("attract"))
        // And the home menu is drawn 100 columns wide
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "┌" + String(repeating: "─", count: 98) + "┐"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
