#if canImport(Glibc)
import Glibc
#endif

/// How a serial line (or USB-serial adapter) is set up: speed, character size, parity,
/// stop bits and flow control. `baud == 0` leaves the line as the system set it, which is
/// right for consoles and pseudo-terminals.
public struct SerialLine: Sendable, Hashable {
    public enum Parity: String, Sendable, Hashable, CaseIterable {
        case none, even, odd
    }

    public enum FlowControl: String, Sendable, Hashable, CaseIterable {
        /// No flow control; modem lines ignored (CLOCAL).
        case none
        /// RTS/CTS hardware flow control.
        case rtscts
    }

    public var baud: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int
    public var flowControl: FlowControl

    public init(baud: Int = 0, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, flowControl: FlowControl = .none) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    /// Leaves the line's speed and framing alone.
    public static let asFound = SerialLine()

    /// The speeds termios can set, in baud.
    public static let supportedBauds: [Int] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 921_600]

    static func speed(_ baud: Int) -> speed_t? {
        switch baud {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        case 460_800: speed_t(B460800)
        case 921_600: speed_t(B921600)
        default: nil
        }
    }

    /// Sets speed and framing on `settings` (already raw); nothing when `baud` is 0.
    public func apply(to settings: inout termios) {
        guard baud != 0, let speed = Self.speed(baud) else { return }
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        let framing = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        settings.c_cflag &= ~framing
        let size = tcflag_t(dataBits == 7 ? CS7 : CS8)
        settings.c_cflag |= size | tcflag_t(CREAD)
        switch parity {
        case .none:
            settings.c_iflag &= ~tcflag_t(INPCK)
        case .even:
            settings.c_cflag |= tcflag_t(PARENB)
            settings.c_iflag |= tcflag_t(INPCK)
        case .odd:
            settings.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
            settings.c_iflag |= tcflag_t(INPCK)
        }
        if stopBits == 2 { settings.c_cflag |= tcflag_t(CSTOPB) }
        switch flowControl {
        case .none: settings.c_cflag |= tcflag_t(CLOCAL)
        case .rtscts: settings.c_cflag |= tcflag_t(CRTSCTS)
        }
    }
}
