#if canImport(Glibc)
import Glibc
#endif
import KioskCore
import KioskTerminal
import KioskTesting
import Testing

@Suite("Terminal device")
struct TTYDeviceTests {
    @Test("Raw mode turns off signals, flow control, line editing, echo and break; restore puts them back")
    func rawModeAndRestore() throws {
        // Given a fresh pseudo-terminal in its default (cooked) settings
        let pty = try PseudoTerminal()
        let device = try TTYDevice.open(path: pty.devicePath)
        let before = try #require(device.currentSettings())
        #expect(before.c_lflag & tcflag_t(ISIG | ICANON | ECHO) != 0)
        // When raw mode is entered
        try device.enterRawMode()
        let raw = try #require(device.currentSettings())
        // Then every escape hatch is closed
        #expect(raw.c_lflag & tcflag_t(ISIG) == 0)
        #expect(raw.c_lflag & tcflag_t(ICANON) == 0)
        #expect(raw.c_lflag & tcflag_t(ECHO) == 0)
        #expect(raw.c_lflag & tcflag_t(IEXTEN) == 0)
        #expect(raw.c_iflag & tcflag_t(IXON) == 0)
        #expect(raw.c_iflag & tcflag_t(BRKINT) == 0)
        #expect(raw.c_iflag & tcflag_t(ICRNL) == 0)
        // And restoring gives back exactly what was there
        device.restore()
        let after = try #require(device.currentSettings())
        #expect(after.c_lflag == before.c_lflag)
        #expect(after.c_iflag == before.c_iflag)
        #expect(after.c_oflag == before.c_oflag)
    }

    @Test("The window size comes from the device")
    func windowSize() throws {
        let pty = try PseudoTerminal(size: TerminalSize(columns: 132, rows: 43))
        let device = try TTYDevice.open(path: pty.devicePath)
        #expect(device.windowSize() == TerminalSize(columns: 132, rows: 43))
    }

    @Test("A path that is not a terminal is refused with a clear error")
    func notATerminal() {
        #expect(throws: TerminalError.self) { try TTYDevice.open(path: "/dev/null") }
        #expect(throws: TerminalError.self) { try TTYDevice.open(path: "/nonexistent/tty") }
    }
}
