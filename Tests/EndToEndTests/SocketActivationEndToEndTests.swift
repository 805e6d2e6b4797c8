#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// Socket activation as `kioskd.socket` does it, with systemd's own
/// `systemd-socket-activate`: it binds the control socket, waits for a connection, then
/// starts kioskd with the socket as descriptor 3 (`LISTEN_FDS`, `LISTEN_FDNAMES=control`).
@Suite("Socket activation end to end", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
struct SocketActivationEndToEndTests {
    @Test("The first call on a socket systemd holds starts kioskd, which answers it on the passed socket")
    func firstCallStartsTheDaemon() async throws {
        // Given systemd-socket-activate holding the control socket for kioskd, not started yet
        let directory = try TemporaryDirectory(prefix: "kioskd-activation")
        let socket = directory.file("activated.socket")
        let daemon = try DaemonProcess(
            reusing: directory,
            launcher: ["/usr/bin/systemd-socket-activate", "--listen=\(socket)", "--fdname=control", "-E", "NOTIFY_SOCKET"]
        )
        defer { daemon.signal(SIGTERM) }
        #expect(await eventually(within: .seconds(10)) { FileManager.default.fileExists(atPath: socket) })
        // When a technician calls Status on it
        let status = try await offPool { try VarlinkClient(socketPath: socket, timeoutSeconds: 30).call("io.kioskd.Control.Status") }
        // Then kioskd started, answered on the passed socket, and says so in its log
        #expect(status["kiosk_id"] == .string("E2E-1"))
        #expect(await daemon.waitUntilReady())
        #expect(daemon.errorOutput().contains("control socket passed in by systemd"))
        // And it did not bind its own [daemon] control_socket
        #expect(!FileManager.default.fileExists(atPath: daemon.controlSocket))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(20)) == 0)
    }
}
