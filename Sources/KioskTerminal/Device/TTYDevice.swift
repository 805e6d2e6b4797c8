#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KioskCore

/// An open terminal device: a serial line, a virtual console, a pseudo-terminal, or the
/// daemon's own controlling terminal.
///
/// The settings found at open are kept, and `restore()` puts them back; the session
/// calls it on every exit path so a terminal is never left in raw mode.
public final class TTYDevice: Sendable {
    /// The path it was opened from, for logs and Status.
    public let path: String
    /// The descriptor the daemon owns. Reads and writes go through a duplicate handed to
    /// the event loop; this one stays open to restore the settings afterwards.
    public let descriptor: Int32
    private let original: termios

    private init(path: String, descriptor: Int32, original: termios) {
        self.path = path
        self.descriptor = descriptor
        self.original = original
    }

    /// Opens a terminal device without making it the daemon's controlling terminal and
    /// without waiting for carrier on a serial line.
    public static func open(path: String) throws(TerminalError) -> TTYDevice {
        let descriptor = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw TerminalError(.open(path: path, errno: errno)) }
        guard isatty(descriptor) == 1 else {
            Glibc.close(descriptor)
            throw TerminalError(.notATerminal(path: path))
        }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw TerminalError(.settings(path: path, errno: code))
        }
        return TTYDevice(path: path, descriptor: descriptor, original: settings)
    }

    /// Takes a copy of a descriptor handed over by `kioskctl attach`: the caller keeps its
    /// own; the settings found now are the ones `restore()` puts back.
    public static func adopt(descriptor: Int32, path: String) throws(TerminalError) -> TTYDevice {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw TerminalError(.open(path: path, errno: errno)) }
        guard isatty(copy) == 1 else {
            Glibc.close(copy)
            throw TerminalError(.notATerminal(path: path))
        }
        _ = fcntl(copy, F_SETFL, fcntl(copy, F_GETFL) | O_NONBLOCK)
        var settings = termios()
        guard tcgetattr(copy, &settings) == 0 else {
            let code = errno
            Glibc.close(copy)
            throw TerminalError(.settings(path: path, errno: code))
        }
        return TTYDevice(path: path, descriptor: copy, original: settings)
    }

    /// Puts the terminal into kiosk raw mode: no signals from Ctrl-C/Z/\ (ISIG off), no
    /// Ctrl-S/Ctrl-Q flow control (IXON/IXOFF off), no line editing (ICANON, IEXTEN off),
    /// no echo, no Break-to-interrupt (BRKINT off, breaks ignored), no output processing,
    /// 8-bit characters. Every byte typed reaches the daemon as input. A serial line also
    /// gets the configured speed and framing.
    public func enterRawMode(line: SerialLine = .asFound) throws(TerminalError) {
        var settings = original
        Self.makeRaw(&settings)
        line.apply(to: &settings)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            throw TerminalError(.settings(path: path, errno: errno))
        }
    }

    /// The raw-mode transformation, exposed for tests that check each flag.
    public static func makeRaw(_ settings: inout termios) {
        settings.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INLCR | IGNCR | ISTRIP | IXON | IXOFF | IXANY | PARMRK | INPCK)
        settings.c_iflag |= tcflag_t(IGNBRK)
        settings.c_oflag &= ~tcflag_t(OPOST)
        settings.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN)
        settings.c_cflag &= ~tcflag_t(CSIZE | PARENB)
        settings.c_cflag |= tcflag_t(CS8 | CREAD)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
    }

    /// The settings currently in force on the device.
    public func currentSettings() -> termios? {
        var settings = termios()
        return tcgetattr(descriptor, &settings) == 0 ? settings : nil
    }

    /// Puts back the settings the terminal had when it was opened.
    public func restore() {
        var settings = original
        _ = tcsetattr(descriptor, TCSANOW, &settings)
    }

    /// The size the kernel knows for this terminal, or nil when it reports none (serial
    /// lines usually do not).
    public func windowSize() -> TerminalSize? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }

    /// Writes all of `bytes` to the device, waiting while it is busy. Used for the last
    /// words to a terminal after its event-loop channel is closed.
    public func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        var attempts = 0
        while offset < bytes.count, attempts < 1000 {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EINTR {
                attempts += 1
                usleep(1000)
            } else {
                return
            }
        }
    }

    /// A new descriptor for the same open device, for the event loop to own and close.
    public func duplicateDescriptor() throws(TerminalError) -> Int32 {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw TerminalError(.open(path: path, errno: errno)) }
        return copy
    }

    deinit {
        Glibc.close(descriptor)
    }
}
