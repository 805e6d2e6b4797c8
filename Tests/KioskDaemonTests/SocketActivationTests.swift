@testable import KioskDaemon
import Testing

@Suite("Socket activation")
struct SocketActivationTests {
    @Test("Descriptors are read from LISTEN_FDS only when LISTEN_PID is this process, by name or alone")
    func environment() {
        let pid: Int32 = 4242
        #expect(SocketActivation(environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "1"], pid: pid).descriptors == ["unknown": 3])
        #expect(SocketActivation(
            environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "terminal:control"], pid: pid
        ).descriptors == ["terminal": 3, "control": 4])
        // Meant for another process (a parent that did not unset them), or malformed
        #expect(SocketActivation(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"], pid: pid).descriptors.isEmpty)
        #expect(SocketActivation(environment: ["LISTEN_PID": "4242", "LISTEN_FDS": "x"], pid: pid).descriptors.isEmpty)
        #expect(SocketActivation(environment: [:], pid: pid).descriptors.isEmpty)
    }
}
