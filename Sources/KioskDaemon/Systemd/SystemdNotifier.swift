#if canImport(Glibc)
import Glibc
#endif
import KioskControl

/// Speaks systemd's notify protocol without libsystemd: one datagram per message to the
/// socket named in `NOTIFY_SOCKET` (a path, or an abstract name starting with "@").
/// Without `NOTIFY_SOCKET` every call does nothing, as when run outside systemd.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?
    /// Half of `WATCHDOG_USEC`, when systemd asked this process for watchdog pings.
    public let watchdogInterval: Duration?

    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 {
            let forUs = environment["WATCHDOG_PID"].flatMap { Int32($0) }.map { $0 == getpid() } ?? true
            if forUs { interval = .microseconds(microseconds / 2) }
        }
        watchdogInterval = interval
    }

    /// Sends `READY=1` and a STATUS line in one datagram.
    public func ready(status: String) { send("READY=1\nSTATUS=\(Self.oneLine(status))") }
    public func status(_ text: String) { send("STATUS=\(Self.oneLine(text))") }
    public func stopping() { send("STOPPING=1") }
    public func reloading(monotonicMicroseconds: UInt64) { send("RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds)") }
    public func watchdog() { send("WATCHDOG=1") }

    /// Sends one datagram, without ever waiting; returns whether it was sent. Failures are
    /// otherwise ignored: the daemon must run on without systemd.
    ///
    /// A receiver whose queue is full (Linux queues 10 datagrams per socket by default)
    /// loses the message instead of holding the caller: systemd reads its socket at once,
    /// but a blocking send to one that did not held a thread of the cooperative pool (one
    /// of two on a two-core kiosk) for good, and with it every later STATUS and shutdown.
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard let address = UnixSocketAddress(path: socketPath) else { return false }
        let bytes = Array(message.utf8)
        let sent = address.withSockaddr { socketAddress, length in
            bytes.withUnsafeBytes {
                sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), socketAddress, length)
            }
        }
        return sent == bytes.count
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
