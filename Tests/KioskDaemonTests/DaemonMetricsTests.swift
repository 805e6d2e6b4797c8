import Testing

@testable import KioskDaemon

@Suite("Daemon metrics")
struct DaemonMetricsTests {
    @Test("Control calls are counted by the methods the interface declares; any other name is one label, other")
    func controlMethodLabels() {
        // Given the shipped interface's methods
        let methods = DaemonMetrics.controlMethods
        // Then they are its methods and the standard service's, and nothing a client made up
        #expect(methods.isSuperset(of: ["Status", "Reprint", "Terminals", "Backup", "GetInfo"]))
        #expect(!methods.contains("Explode"))
        #expect(methods.allSatisfy { $0.allSatisfy(\.isLetter) })
    }
}
