import Foundation
import KioskDaemon
import KioskTesting
import Testing

@Suite("systemd notify protocol", .timeLimit(.minutes(1)))
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

    @Test("A receiver that stops reading loses messages but never holds the sender (a blocking send once stopped shutdown for good)")
    func fullQueueNeverBlocks() async throws {
        // Given a notify socket nobody reads
        let directory = try TemporaryDirectory()
        let socket = try NotifySocket(path: directory.file("notify"), draining: false)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        // When far more STATUS lines are sent than its queue holds (Linux: 10 datagrams by
        // default, 512 with systemd's sysctl, and the receive buffer's bytes)
        let sent = (0..<2_000).map { notifier.send("STATUS=line \($0)") }
        // Then every call returned (the test would hang otherwise), the first ones arrived,
        // and the excess was refused at once instead of waiting
        #expect(sent.prefix(5).allSatisfy { $0 })
        #expect(sent.contains(false))
        #expect(socket.received().first == "STATUS=line 0")
        // And once the receiver reads again, the next message arrives
        #expect(notifier.send("STOPPING=1"))
        #expect(socket.received().last == "STOPPING=1")
    }

    @Test("Without NOTIFY_SOCKET nothing is sent and nothing fails")
    func noSocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketPath == nil)
        notifier.ready(status: "x")
    }
}
