#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl

/// A fake systemd notify or journal socket: a datagram socket the test reads the daemon's
/// READY/STATUS/STOPPING messages, or its journal entries, from.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: `datagrams` is only touched under `lock`; the descriptor is immutable.
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var datagrams: [[UInt8]] = []

    public init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        let descriptor = self.descriptor
        guard let address = UnixSocketAddress(path: path), address.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Every message received so far, oldest first, as text.
    public func received() -> [String] {
        receivedDatagrams().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every datagram received so far, oldest first, as bytes.
    public func receivedDatagrams() -> [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            datagrams.append(Array(buffer[..<count]))
        }
        return datagrams
    }

    /// Waits until a message containing the line `line` (e.g. "READY=1") arrives.
    public func waitFor(_ line: String, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if received().contains(where: { $0.split(separator: "\n").contains(Substring(line)) }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
