#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The client side of the terminal socket: hands a tty to kioskd and waits until kioskd
/// gives it back. Blocking; `kioskctl attach` runs it on its main thread.
public enum AttachClient {
    public enum Outcome: Sendable, Hashable {
        /// kioskd drove the tty and handed it back (restored) for `reason`.
        case detached(reason: String?)
        /// kioskd did not take the tty.
        case refused(reason: String)
        /// The connection closed after kioskd took the tty, without a word: it stopped.
        case closed
    }

    public struct ConnectionError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects to `socketPath`, sends `request` with `tty` attached, and returns once the
    /// attachment is over.
    public static func attach(tty: Int32, request: AttachRequest, socketPath: String) throws -> Outcome {
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0, let address = UnixSocketAddress(path: socketPath),
              address.withSockaddr({ connect(socket, $0, $1) }) == 0
        else {
            throw ConnectionError(description: "cannot connect to \(socketPath): \(String(cString: strerror(errno)))")
        }
        defer { close(socket) }
        try DescriptorPassing.send(Array(try JSONEncoder().encode(request)) + [0x0A], descriptor: tty, over: socket)
        // The first reply says whether kioskd took the tty; the next one comes when it gives it back.
        var pending: [UInt8] = []
        var attached = false
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            pending += buffer.prefix(count)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                guard let reply = try? JSONDecoder().decode(AttachReply.self, from: Data(line)) else { continue }
                if reply.attached {
                    attached = true
                } else if reply.detached {
                    return .detached(reason: reply.reason)
                } else {
                    return .refused(reason: reply.reason ?? "refused")
                }
            }
        }
        return attached ? .closed : .refused(reason: "kioskd closed the connection")
    }
}
