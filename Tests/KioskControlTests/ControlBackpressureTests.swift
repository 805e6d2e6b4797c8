#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// A local client that never reads its replies (issue 13's hostile client).
@Suite("Control socket backpressure")
struct ControlBackpressureTests {
    /// Connects a non-blocking Unix socket to `path`.
    static func connectNonBlocking(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        return descriptor
    }

    @Test("A client that sends calls and never reads is stopped or closed within a bounded amount, and others are still served")
    func neverReadingClient() async throws {
        try await withControlServer { path in
            // Given a client that pipelines Status calls as fast as the socket takes them
            // and never reads a reply
            let (sent, ended) = try await offPool { () -> (Int, String) in
                let descriptor = try Self.connectNonBlocking(path)
                defer { close(descriptor) }
                let frame = Array("{\"method\":\"io.kioskd.Control.Status\"}".utf8) + [0]
                let batch = [UInt8]((0..<1_000).flatMap { _ in frame })
                var sent = 0
                var stalls = 0
                // When it has pushed up to 64 MiB, or the socket has refused more for 2 s
                // (a partly sent batch goes on where it stopped, so frames stay whole)
                while sent < 64 << 20 {
                    let offset = sent % batch.count
                    let count = batch.withUnsafeBytes {
                        send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                    }
                    if count > 0 {
                        sent += count
                        stalls = 0
                    } else if errno == EAGAIN || errno == EWOULDBLOCK {
                        stalls += 1
                        if stalls > 200 { return (sent, "stopped reading") }
                        usleep(10_000)
                    } else {
                        return (sent, "closed")
                    }
                }
                return (sent, "still reading")
            }
            // Then the daemon stopped taking its calls (or closed it) after a few MiB, not 64
            #expect(ended != "still reading", "\(sent) bytes taken")
            #expect(sent < 16 << 20, "\(sent) bytes taken, \(ended)")
            // And a well-behaved client is still answered
            let status = try await offPool { try VarlinkClient(socketPath: path).call("io.kioskd.Control.Status") }
            #expect(status["version"]?.stringValue == "9.9.9")
        }
    }
}
