import KioskCore
import KioskPrinting
import Testing

@Suite("CUPS server")
struct CUPSServerTests {
    @Test("A scheduler that does not answer is a fault for the engineer, not a crash")
    func unreachable() {
        // Given a loopback port nothing listens on
        let server = CUPSServer(host: "127.0.0.1", port: 9)
        // When a queue's condition is asked
        let condition = server.condition(ofQueue: "receipt", timeoutMilliseconds: 500)
        // Then it says CUPS is unreachable and who must act
        #expect(!condition.canPrint)
        #expect(condition.responsible == .engineer)
        #expect(condition.reasons == ["cups-unreachable"])
    }

    @Test("A socket path is used as given")
    func socketPath() {
        #expect(CUPSServer.system.description == "/run/cups/cups.sock")
        #expect(CUPSServer(host: "127.0.0.1", port: 6310).description == "127.0.0.1:6310")
        let missing = CUPSServer(host: "/nonexistent/cups.sock", port: 0)
        #expect(missing.condition(ofQueue: "x", timeoutMilliseconds: 200).reasons == ["cups-unreachable"])
    }
}
