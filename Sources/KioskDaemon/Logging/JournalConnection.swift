#if canImport(Glibc)
import Glibc
#endif
import KioskControl

/// A datagram socket to journald's native socket, shared by every log handler of the process.
///
/// `sendto` on one datagram socket from several threads is safe (each call is one whole
/// datagram), and the descriptor never changes after `init`, so the type is Sendable.
public final class JournalConnection: Sendable {
    /// Where journald listens for native entries.
    public static let systemPath = "/run/systemd/journal/socket"

    public let path: String
    /// `SYSLOG_IDENTIFIER` of every entry.
    public let identifier: String
    private let descriptor: Int32

    /// Nil when no socket can be made or the path does not fit an address.
    public init?(path: String = JournalConnection.systemPath, identifier: String = "kioskd") {
        guard UnixSocketAddress(path: path) != nil else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.identifier = identifier
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Sends one entry without waiting; false when journald did not take it (then the
    /// caller writes it to standard error). A journald slow to read must not stop the
    /// thread that logs: it may be one of the cooperative pool's two.
    public func send(_ datagram: [UInt8]) -> Bool {
        guard let address = UnixSocketAddress(path: path) else { return false }
        let sent = address.withSockaddr { socketAddress, length in
            datagram.withUnsafeBytes {
                sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), socketAddress, length)
            }
        }
        return sent == datagram.count
    }

    /// Whether standard error is the journal's stream: systemd sets `JOURNAL_STREAM` to the
    /// stream's device and inode ("DEV:INO"), and they match only while stderr is still it
    /// (not redirected by a wrapper), as `sd_journal_stream_fd`'s documentation advises.
    public static func standardErrorIsJournal(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
