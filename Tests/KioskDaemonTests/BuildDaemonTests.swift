import Foundation
import KioskCore
import KioskDaemon
import KioskTesting
import Logging
import ServiceLifecycle
import Testing

/// The composition root in this process: the very group `kioskd` runs, on a temp database
/// and a test clock, so its timers are driven instead of waited for.
@Suite("Daemon built in-process", .serialized)
struct BuildDaemonTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A configuration with everything in `directory`, one terminal on `pty`, no central
    /// service and no CUPS.
    static func configuration(in directory: TemporaryDirectory, pty: PseudoTerminal) -> KioskConfiguration {
        var configuration = KioskConfiguration()
        configuration.stateDirectory = directory.path
        configuration.controlSocket = directory.file("control.socket")
        configuration.terminalSocket = directory.file("terminal.socket")
        configuration.central.url = "http://127.0.0.1:9"
        configuration.printing.server = directory.file("no-cups.sock")
        configuration.terminals = [KioskConfiguration.Terminal(name: "hall-1", device: pty.devicePath)]
        return configuration
    }

    @Test("Built with the test clock, the daemon resets an idle terminal when the clock passes 90 s, and shuts down gracefully")
    func idleResetOnTheTestClock() async throws {
        // Given the daemon's service group on a test clock, with a citizen on the home menu
        let directory = try TemporaryDirectory(prefix: "kioskd-build")
        let pty = try PseudoTerminal(size: TerminalSize(columns: 80, rows: 24))
        let clock = TestClock()
        let group = try await buildDaemon(
            configuration: Self.configuration(in: directory, pty: pty),
            environment: DaemonEnvironment(variables: [:], timeSource: clock), logger: Self.quiet
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "办事指南"))
            // When 69 s pass on the test clock, nothing is wiped; when 90 s have passed, the session ends
            clock.advance(by: .seconds(69))
            await pty.waitForQuiet()
            #expect(!(await pty.waitForOutput(containing: "\u{1B}[3J", timeout: .milliseconds(100))))
            clock.advance(by: .seconds(1))
            #expect(await pty.waitForOutput(containing: "还需要更多时间吗"))
            clock.advance(by: .seconds(20))
            // Then the screen and scrollback are wiped and the session is recorded as ended by idling
            #expect(await pty.waitForOutput(containing: "\u{1B}[3J"))
            #expect(await eventually {
                (try? await SQLiteShell.query(directory.file("kioskd.sqlite"), "SELECT endReason FROM session")) == ["idle"]
            })
            // And the group stops when asked, every service with it
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("Built with the test clock, the daemon's STATUS line tells today's payments, and at settlement_time the day is settled, printed and forwarded")
    func settlesOnTheTestClock() async throws {
        let directory = try TemporaryDirectory(prefix: "kioskd-build")
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given the daemon's whole service group at 12:42 on the 23rd, the centre on loopback and a fake notify socket
            let pty = try PseudoTerminal(size: TerminalSize(columns: 80, rows: 24))
            let clock = TestClock()
            let notify = try NotifySocket(path: directory.file("notify.socket"))
            var configuration = Self.configuration(in: directory, pty: pty)
            configuration.central.url = harness.url
            configuration.central.token = "demo-token"
            let group = try await buildDaemon(
                configuration: configuration,
                environment: DaemonEnvironment(variables: ["NOTIFY_SOCKET": notify.path], timeSource: clock), logger: Self.quiet
            )
            let database = directory.file("kioskd.sqlite")
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(await notify.waitFor("READY=1"))
                #expect(notify.received().joined().contains("payments today 0 ¥0.00"), "\(notify.received())")
                // When the clock passes 23:55 Beijing time (15:55 UTC), a day without payments
                let closing = Date(timeIntervalSince1970: 1_795_449_300)
                #expect(await clock.waitForSleepers(3))
                clock.advance(by: .seconds(closing.timeIntervalSince(clock.wallNow)))
                // Then the 23rd is settled by the schedule, its slip recorded for the receipt printer, and matched by the centre
                let settled = await eventually {
                    (try? await SQLiteShell.query(database, "SELECT day, settledBy, forwardState, centreResult FROM settlement"))
                        == ["2026-11-23|schedule|forwarded|matched"]
                }
                let rows = try await SQLiteShell.query(database, "SELECT * FROM settlement")
                #expect(settled, "\(rows) at \(clock.wallNow)")
                #expect(try await SQLiteShell.query(database, "SELECT kind, reference FROM printJob") == ["daily-settlement|settlement/2026-11-23"])
                let statistics = try await harness.statistics()
                #expect(statistics.settlements == 1)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
