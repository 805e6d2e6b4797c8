import Foundation
import KioskDaemon
import KioskTesting
import Testing

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test("Messages arrive as datagrams on NOTIFY_SOCKET")
    func datagrams() async throws {
        let directory = try TemporaryDirectory()
        let socket = try NotifySocket(path: directory.file("notify"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        notifier.ready(status: "2/2 terminals open\nsecond line")
        notifier.stopping()
        #expect(await socket.waitFor("STOPPING=1", timeout: .seconds(2)))
        #expect(socket.received() == ["READY=1\nSTATUS=2/2 terminals open second line", "STOPPING=1"])
    }

    @Test("The watchdog interval is half of WATCHDOG_USEC, and only for this process")
    func watchdog() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogInterval == .seconds(15))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: [:]).watchdogInterval == nil)
    }

    @Test("Without NOTIFY_SOCKET nothing is sent and nothing fails")
    func noSocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketPath == nil)
        notifier.ready(status: "x")
    }
}
