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

    @Test("A serial line's settings carry speed, character size, parity, stop bits and flow control")
    func serialLineSettings() {
        // Given raw settings / When a 9600 7E2 line with RTS/CTS is applied
        var settings = termios()
        TTYDevice.makeRaw(&settings)
        SerialLine(baud: 9600, dataBits: 7, parity: .even, stopBits: 2, flowControl: .rtscts).apply(to: &settings)
        // Then the settings say so
        #expect(cfgetospeed(&settings) == speed_t(B9600) && cfgetispeed(&settings) == speed_t(B9600))
        #expect(settings.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS7))
        #expect(settings.c_cflag & tcflag_t(PARENB) != 0 && settings.c_cflag & tcflag_t(PARODD) == 0)
        #expect(settings.c_iflag & tcflag_t(INPCK) != 0)
        #expect(settings.c_cflag & tcflag_t(CSTOPB) != 0 && settings.c_cflag & tcflag_t(CRTSCTS) != 0)
        // When an 115200 8O1 line without flow control is applied over it
        SerialLine(baud: 115_200, parity: .odd).apply(to: &settings)
        // Then the earlier framing is gone and the modem lines are ignored
        #expect(cfgetospeed(&settings) == speed_t(B115200))
        #expect(settings.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(settings.c_cflag & tcflag_t(PARODD) != 0 && settings.c_cflag & tcflag_t(CLOCAL) != 0)
        #expect(settings.c_cflag & tcflag_t(CRTSCTS) == 0 && settings.c_cflag & tcflag_t(CSTOPB) == 0)
        // And "as found" changes nothing
        let untouched = settings
        SerialLine.asFound.apply(to: &settings)
        #expect(settings.c_cflag == untouched.c_cflag && settings.c_iflag == untouched.c_iflag)
    }

    @Test("A device opened as a serial line gets the speed; restore puts the old one back")
    func serialLineOnADevice() throws {
        // Given a device (Linux's pty driver keeps the speed it is given but forces CS8
        // without parity, so only the speed can be read back from a pseudo-terminal)
        let pty = try PseudoTerminal()
        let device = try TTYDevice.open(path: pty.devicePath)
        var before = try #require(device.currentSettings())
        // When it is opened at 9600 baud
        try device.enterRawMode(line: SerialLine(baud: 9600))
        var raw = try #require(device.currentSettings())
        // Then the line runs at 9600, and after restore at its old speed
        #expect(cfgetospeed(&raw) == speed_t(B9600))
        device.restore()
        var after = try #require(device.currentSettings())
        #expect(cfgetospeed(&after) == cfgetospeed(&before))
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
