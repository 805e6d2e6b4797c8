import CaseService
import Hummingbird
import KioskCore
import KioskForwarding
import KioskTesting
import Logging
import ServiceLifecycle
import Testing

@Suite("Central service monitor")
struct CentralServiceMonitorTests {
    @Test("The real case-service on loopback is reachable; a closed port is not")
    func reachability() async throws {
        // Given the reference case-service on a free loopback port
        let directory = try TemporaryDirectory()
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let application = try CaseServiceApplication.build(
            configuration: .init(port: 0, databasePath: directory.file("case.sqlite"))
        ) { url in continuation.yield(url) }
        let group = ServiceGroup(configuration: .init(services: [application], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = urls.makeAsyncIterator()
            let url = try #require(await iterator.next())
            // When the monitor checks it, and a port where nothing listens
            let monitor = CentralServiceMonitor(baseURL: url, time: .system, logger: Logger(label: "test"))
            let down = CentralServiceMonitor(baseURL: "http://127.0.0.1:9", time: .system, logger: Logger(label: "test"))
            // Then the first is reachable and the second is not
            #expect(monitor.status.reachability == .unknown)
            #expect(await monitor.check() == .reachable)
            #expect(await down.check() == .unreachable)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
