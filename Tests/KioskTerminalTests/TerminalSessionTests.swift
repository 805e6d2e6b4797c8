import Foundation
import KioskCore
import KioskTerminal
import KioskTesting
import Logging
import ServiceLifecycle
import Testing

@Suite("Terminal session")
struct TerminalSessionTests {
    func makeSession(_ pty: PseudoTerminal, name: String = "t1", journal: InMemorySessionJournal, registry: TerminalRegistry) throws
        -> TerminalSession
    {
        TerminalSession(
            configuration: TerminalSessionConfiguration(name: name, devicePath: pty.devicePath, profile: .citizen),
            view: MenuView(localization: try Localization.shipped(), terminalName: name),
            sources: .fixed(try Catalog.shipped()), registry: registry, ports: SessionPorts(journal: journal), time: .system, logger: Logger(label: "test")
        )
    }

    @Test("A session draws the attract screen, starts on a key, ends on Escape and wipes the scrollback")
    func journey() async throws {
        // Given a session on a real pseudo-terminal
        let pty = try PseudoTerminal()
        let journal = InMemorySessionJournal()
        let registry = TerminalRegistry()
        let session = try makeSession(pty, journal: journal, registry: registry)
        let group = ServiceGroup(configuration: .init(services: [session], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            // When a citizen presses a key and later Escape
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "办事指南"))
            pty.type([0x1B])
            // Then the session is recorded and the screen and scrollback are wiped
            #expect(await pty.waitForOutput(containing: "\u{1B}[3J"))
            await pty.waitForQuiet()
            #expect(await journal.entries == [.started(terminal: "t1"), .ended(terminal: "t1", reason: .citizenLeft)])
            let status = registry.all
            #expect(status.first?.state == .open)
            #expect(status.first?.bytesIn == 2)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(registry.all.first?.state == .closed)
    }

    @Test("When a session ends, the jobs it printed are handed to the printer to hold before the screen is wiped")
    func sessionEndHandsItsJobsToBeHeld() async throws {
        // Given a session with a printer, in which a citizen printed a guide
        let pty = try PseudoTerminal()
        let printer = RecordingSlipPrinter()
        let registry = TerminalRegistry()
        let session = TerminalSession(
            configuration: TerminalSessionConfiguration(name: "t1", devicePath: pty.devicePath, profile: .citizen),
            view: MenuView(localization: try Localization.shipped(), terminalName: "t1"),
            sources: .fixed(try Catalog.shipped()), registry: registry, ports: SessionPorts(printer: printer), time: .system,
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(configuration: .init(services: [session], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            for key in [" ", "1", "2", "1", "\r"] {
                pty.type(key)
                await pty.waitForQuiet(.milliseconds(300))
            }
            #expect(await pty.waitForOutput(containing: "R-000001"))
            #expect(await printer.printed.count == 1)
            // When the citizen leaves (Escape until the session ends)
            var wiped = false
            for _ in 0..<6 where !wiped {
                pty.type([0x1B])
                wiped = await pty.waitForOutput(containing: "\u{1B}[3J", timeout: .seconds(2))
            }
            // Then the printer was asked to hold the session's job
            #expect(wiped)
            #expect(await printer.heldRequests == [["R-000001"]])
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("A device that cannot be opened is reported as failed and retried, without stopping other sessions")
    func failingDevice() async throws {
        let pty = try PseudoTerminal()
        let registry = TerminalRegistry()
        let journal = InMemorySessionJournal()
        let good = try makeSession(pty, name: "good", journal: journal, registry: registry)
        let bad = TerminalSession(
            configuration: TerminalSessionConfiguration(
                name: "bad", devicePath: "/dev/pts/does-not-exist", profile: .citizen,
                reopenDelay: (.milliseconds(10), .milliseconds(40))
            ),
            view: MenuView(localization: try Localization.shipped(), terminalName: "bad"),
            sources: .fixed(try Catalog.shipped()), registry: registry, ports: SessionPorts(journal: journal), time: .system, logger: Logger(label: "test")
        )
        let group = ServiceGroup(configuration: .init(services: [good, bad], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            try await Task.sleep(for: .milliseconds(300))
            let statuses = registry.all
            let badStatus = try #require(statuses.first { $0.name == "bad" })
            #expect(badStatus.state == .failed)
            #expect(badStatus.errors >= 2)
            #expect(badStatus.lastError?.contains("cannot open") == true)
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "办事指南"))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
