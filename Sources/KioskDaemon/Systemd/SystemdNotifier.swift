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

    /// Sends one datagram; failures are ignored because the daemon must run on without systemd.
    public func send(_ message: String) {
        guard let socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard let address = UnixSocketAddress(path: socketPath) else { return }
        let bytes = Array(message.utf8)
        _ = address.withSockaddr { socketAddress, length in
            bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
        }
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
