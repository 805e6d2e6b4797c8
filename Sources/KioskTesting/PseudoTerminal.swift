#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore

/// A real pseudo-terminal for tests: the test holds the master side and plays the
/// terminal (reads what the daemon draws, types keys); the daemon opens `devicePath`.
public final class PseudoTerminal: @unchecked Sendable {
    // @unchecked: `received` is only touched under `lock`; the descriptor is immutable.
    public let master: Int32
    public let devicePath: String
    private let lock = NSLock()
    private var received: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens a new pseudo-terminal pair with the given window size.
    public init(size: TerminalSize = .minimum) throws {
        // posix_openpt/ptsname need _XOPEN_SOURCE, which Swift's Glibc module does not
        // define; the same steps through /dev/ptmx and its ioctls (Linux, devpts).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.setLock, &unlock) == 0, ioctl(master, Self.getNumber, &number) == 0 else {
            throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        devicePath = "/dev/pts/\(number)"
        try resize(to: size)
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
    }

    /// TIOCSPTLCK and TIOCGPTN (`_IOW('T', 0x31, int)`, `_IOR('T', 0x30, unsigned int)`),
    /// function-like macros Swift does not import; the values of x86-64 and arm64 Linux.
    private static let setLock = UInt(0x4004_5431)
    private static let getNumber = UInt(0x8004_5430)

    deinit {
        close(master)
    }

    /// Changes the window size the daemon sees.
    public func resize(to size: TerminalSize) throws {
        var window = winsize(ws_row: UInt16(size.rows), ws_col: UInt16(size.columns), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &window) == 0 else {
            throw Failure(description: "cannot set the window size")
        }
    }

    /// Types bytes as if from the keyboard.
    /// Waits (1 ms at a time, 5 s at most) while the line is full; gives up when nobody
    /// holds the device any more, so a test can never hang on a daemon that stopped.
    public func type(_ bytes: [UInt8]) {
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
                continue
            }
            guard errno == EAGAIN || errno == EINTR, waits < 5000 else { return }
            waits += 1
            usleep(1000)
        }
    }

    public func type(_ text: String) { type(Array(text.utf8)) }

    /// Types as much of `bytes` as the line takes now, without waiting; returns how many
    /// (0 while the line is full, -1 when nobody holds the device any more).
    public func typeWithoutWaiting(_ bytes: [UInt8]) -> Int {
        let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        if written >= 0 { return written }
        return errno == EAGAIN || errno == EINTR ? 0 : -1
    }

    /// Reads whatever the daemon has written so far (without waiting) and returns
    /// everything received since the pseudo-terminal was opened.
    @discardableResult
    public func drain() -> [UInt8] {
        readAvailable { $0 }
    }

    /// Like `drain()`, but returns only how many bytes were received in all, without
    /// copying them (for polling loops that measure latency).
    public func receivedCount() -> Int {
        readAvailable { $0.count }
    }

    /// Appends what can be read now to `received`, then passes it to `body` under the lock.
    private func readAvailable<R>(_ body: ([UInt8]) -> R) -> R {
        var chunk = [UInt8](repeating: 0, count: 65536)
        lock.lock()
        defer { lock.unlock() }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received.append(contentsOf: chunk[..<count])
        }
        return body(received)
    }

    /// Waits until the bytes received contain `needle` (as UTF-8), up to `timeout`: generous,
    /// since `make test` runs suites side by side on two cores with daemons, cupsd and
    /// case-service in other processes; it returns as soon as the bytes are there, and
    /// false at once when the waiting task is cancelled.
    public func waitForOutput(containing needle: String, timeout: Duration = .seconds(30)) async -> Bool {
        let bytes = Array(needle.utf8)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !Task.isCancelled {
            let all = drain()
            if all.count >= bytes.count, Self.contains(all, bytes) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits until nothing new has arrived for `quiet`, up to `timeout`.
    public func waitForQuiet(_ quiet: Duration = .milliseconds(200), timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        var count = drain().count
        var lastChange = ContinuousClock.now
        while ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
            let now = drain().count
            if now != count {
                count = now
                lastChange = ContinuousClock.now
            } else if ContinuousClock.now - lastChange >= quiet {
                return
            }
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }
}
