#if canImport(Glibc)
import Glibc
#endif

/// A Unix-domain socket address for `bind`, `connect` and `sendto`: a path, or an
/// abstract name written with a leading "@" (as systemd's NOTIFY_SOCKET does).
public struct UnixSocketAddress {
    private var storage = sockaddr_un()
    /// The address length to pass with it: a path counts its NUL, an abstract name does not.
    public let length: socklen_t

    /// Nil when the path does not fit `sun_path`.
    public init?(path: String) {
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: storage.sun_path) else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in raw.copyBytes(from: bytes) }
        length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
    }

    /// Calls `body` with the address as the C socket calls take it.
    public func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
