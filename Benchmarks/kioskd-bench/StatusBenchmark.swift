#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting

/// Status over the control socket against the same client talking to a raw NUL-framed echo
/// server on the same kind of socket: the echo is what the socket and framing cost alone.
enum StatusBenchmark {
    static func run(seconds: Double) async throws {
        let daemon = try DaemonProcess(extraConfig: "")
        guard await daemon.waitUntilReady() else {
            print("Status: kioskd did not become ready")
            return
        }
        let socket = daemon.controlSocket
        let call = try VarlinkCall(method: "io.kioskd.Control.Status").frame()
        let prefix = Array(#"{"parameters":"#.utf8)
        // The server's rate: the client sends the call's bytes and reads the reply's, as it
        // does against the echo, so the client's own JSON parsing is not counted.
        let status = try await offPool { try measure(seconds: seconds, socket: socket) { client in
            try client.send(raw: call)
            guard try client.readFrame().starts(with: prefix) else { throw VarlinkClient.ConnectionError(description: "Status failed") }
        } }
        // What a client that parses every reply (kioskctl's VarlinkClient) sees.
        let parsed = try await offPool { try measure(seconds: seconds, socket: socket) { client in
            _ = try client.call(VarlinkCall(method: "io.kioskd.Control.Status"))
        } }
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit()

        let echoPath = daemon.directory.file("echo.socket")
        let server = try EchoServer(path: echoPath)
        let frame = try VarlinkCall(method: "io.kioskd.Control.Status").frame()
        let echo = try await offPool { try measure(seconds: seconds, socket: echoPath) { client in
            try client.send(raw: frame)
            _ = try client.readFrame()
        } }
        server.stop()

        print("control socket, one client, sequential calls for \(format(seconds, 0)) s:")
        print("  Status            \(format(status.rate, 0)) calls/s   p50 \(format(status.p50, 3)) ms   p99 \(format(status.p99, 3)) ms   (goal ≥ 10000/s, p99 ≤ 1 ms)")
        print("  Status, parsed    \(format(parsed.rate, 0)) calls/s   p50 \(format(parsed.p50, 3)) ms   p99 \(format(parsed.p99, 3)) ms   (the client also decodes each reply)")
        print("  raw NUL echo      \(format(echo.rate, 0)) calls/s   p50 \(format(echo.p50, 3)) ms   p99 \(format(echo.p99, 3)) ms")
        print("  Status / echo     \(format(status.rate / echo.rate * 100, 0)) % of the raw socket's rate")
    }

    struct Result: Sendable {
        let rate: Double
        let p50: Double
        let p99: Double
    }

    static func measure(seconds: Double, socket: String, _ call: (VarlinkClient) throws -> Void) throws -> Result {
        let client = try VarlinkClient(socketPath: socket)
        for _ in 0..<200 { try call(client) }  // warm-up
        var latencies: [Double] = []
        latencies.reserveCapacity(200_000)
        let start = monotonicSeconds()
        while monotonicSeconds() - start < seconds {
            let before = monotonicSeconds()
            try call(client)
            latencies.append((monotonicSeconds() - before) * 1000)
        }
        let elapsed = monotonicSeconds() - start
        let p = Percentiles(latencies)
        return Result(rate: Double(latencies.count) / elapsed, p50: p(50), p99: p(99))
    }
}

/// The peer: a Unix-socket server that sends every NUL-terminated frame straight back,
/// one thread per connection, no parsing.
final class EchoServer: @unchecked Sendable {
    // @unchecked: the descriptor is immutable; threads only read it.
    private let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let descriptor = self.descriptor
        guard let address = UnixSocketAddress(path: path), address.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            throw VarlinkClient.ConnectionError(description: "cannot bind \(path)")
        }
        listen(descriptor, 16)
        let listener = descriptor
        Thread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                Thread { Self.echo(connection) }.start()
            }
        }.start()
    }

    private static func echo(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var pending: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[..<count])
            while let end = pending.firstIndex(of: 0) {
                let frame = Array(pending[...end])
                pending.removeSubrange(...end)
                _ = frame.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
        close(connection)
    }

    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        unlink(path)
    }
}
