#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// The daemon applies `[control] idle_seconds` to its control socket (issue 13: 100
/// half-sent frames stayed open indefinitely).
@Suite("Control limits end to end")
struct ControlLimitsEndToEndTests {
    @Test("kioskd closes a control connection stuck in half a call after [control] idle_seconds, and still serves others")
    func halfSentFrameClosed() async throws {
        // Given kioskd with a one-second idle timeout
        let daemon = try DaemonProcess(extraConfig: "[control]\nidle_seconds = 1\n")
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        let socket = daemon.controlSocket
        let outcome = try await offPool { () -> (String, String) in
            // When a client sends half a call and stops
            let stuck = try VarlinkClient(socketPath: socket, timeoutSeconds: 10)
            try stuck.send(raw: Array(#"{"method":"io.kioskd.Control.Sta"#.utf8))
            let closed: String
            do {
                _ = try stuck.readFrame()
                closed = "answered"
            } catch let error as VarlinkClient.ConnectionError {
                closed = error.description
            }
            // Then the daemon closes it, and a new client is served
            let version = try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status")["version"]?.stringValue ?? ""
            return (closed, version)
        }
        #expect(outcome.0 == "the daemon closed the connection")
        #expect(!outcome.1.isEmpty)
    }
}
