#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl

/// A fake systemd notify or journal socket: a datagram socket the test reads the daemon's
/// READY/STATUS/STOPPING messages, or its journal entries, from.
///
/// Like systemd, it takes datagrams as they come (a thread of its own reads them), so the
/// daemon never finds its queue full; `draining: false` leaves them queued until read,
/// as a receiver that has stopped reading would.
public final class NotifySocket: Sendable {
    public let path: String
    private let inbox: Inbox

    public init(path: String, draining: Bool = true) throws {
        self.path = path
        unlink(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard let address = UnixSocketAddress(path: path), address.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        inbox = Inbox(descriptor: descriptor)
        if draining {
            let inbox = self.inbox
            Thread.detachNewThread { inbox.drainUntilClosed() }
        } else {
            inbox.closeWhenDone()
        }
    }

    deinit {
        inbox.stop()
        unlink(path)
    }

    /// Every message received so far, oldest first, as text.
    public func received() -> [String] {
        receivedDatagrams().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every datagram received so far, oldest first, as bytes.
    public func receivedDatagrams() -> [[UInt8]] {
        inbox.readAll()
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

/// The socket's descriptor and what was read from it. The descriptor is closed by whoever
/// is last: the draining thread when it ends, or `stop` when none runs.
private final class Inbox: @unchecked Sendable {
    // @unchecked: `datagrams`, `stopped` and `threadRunning` are only touched under `lock`;
    // the descriptor is immutable and closed once, under `lock`, by the last user.
    let descriptor: Int32
    private let lock = NSLock()
    private var datagrams: [[UInt8]] = []
    private var stopped = false
    private var threadRunning = true

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// No thread reads: `stop` closes the descriptor.
    func closeWhenDone() {
        lock.withLock { threadRunning = false }
    }

    func stop() {
        lock.withLock {
            stopped = true
            if !threadRunning { close(descriptor) }
        }
    }

    /// Every datagram queued now, read into `datagrams`; all of them, oldest first.
    func readAll() -> [[UInt8]] {
        lock.withLock {
            guard !stopped else { return datagrams }
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                datagrams.append(Array(buffer[..<count]))
            }
            return datagrams
        }
    }

    /// Reads datagrams as they come until stopped, then closes the descriptor.
    func drainUntilClosed() {
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&ready, 1, 50)
            let done = lock.withLock { () -> Bool in
                guard stopped else { return false }
                threadRunning = false
                close(descriptor)
                return true
            }
            if done { return }
            _ = readAll()
        }
    }
}
