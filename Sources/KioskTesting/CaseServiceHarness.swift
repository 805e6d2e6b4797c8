import AsyncHTTPClient
import CaseService
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The reference case-service running in this process on a free loopback port, with its
/// own SQLite file, reached over real HTTP. `withCaseService` stops it afterwards, whatever
/// the body did.
public struct CaseServiceHarness: Sendable {
    public let url: String
    public let databasePath: String

    /// Runs `body` with a case-service started from `configuration` (its port and
    /// database are chosen here).
    public static func withCaseService<T: Sendable>(
        _ configuration: CaseServiceApplication.Configuration = .init(), in directory: TemporaryDirectory,
        _ body: @Sendable (CaseServiceHarness) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.port = 0
        let path = configuration.databasePath ?? directory.file("case-service.sqlite")
        configuration.databasePath = path
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let application = try CaseServiceApplication.build(
            configuration: configuration, logger: Logger(label: "case-service", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { url in continuation.yield(url) }
        let group = ServiceGroup(
            configuration: .init(services: [application], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        )
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = urls.makeAsyncIterator()
            guard let url = await iterator.next() else { throw HarnessError(message: "case-service did not start") }
            let harness = CaseServiceHarness(url: url, databasePath: path)
            do {
                let result = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Sets the fault switches (PUT /admin/faults).
    public func setFaults(_ settings: FaultSettings) async throws {
        var request = HTTPClientRequest(url: url + "/admin/faults")
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(settings)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw HarnessError(message: "faults not set: \(response.status)") }
    }

    /// The fleet as JSON (GET /admin/fleet).
    public func fleetJSON() async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/admin/fleet"), timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }

    /// What the service has seen (GET /admin/stats).
    public func statistics() async throws -> CaseServiceStatistics {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/admin/stats"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(CaseServiceStatistics.self, from: Data(buffer: body))
    }

    /// Returns once the injected faults have struck `times` times (errors answered or
    /// answers dropped), or throws after `timeout` of real time: tests clear a fault once it
    /// has happened instead of sleeping for a guessed while.
    public func waitUntilFaultsStruck(times: Int = 3, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let statistics = try await statistics()
            if statistics.injectedErrors + statistics.dropped >= times { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError(message: "the faults did not strike \(times) times")
    }

    /// The payer paid order `id` (POST /admin/payment-orders/{id}/pay); false when the
    /// service refused (a cancelled order) or does not know it.
    @discardableResult
    public func pay(orderID: UUID, channel: String = "wechat") async throws -> Bool {
        var request = HTTPClientRequest(url: url + "/admin/payment-orders/\(orderID.uuidString.lowercased())/pay?channel=\(channel)")
        request.method = .POST
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status == .ok
    }

    /// The one-time code sent last (GET /admin/identity/last-code); nil when none was.
    public func lastCode() async throws -> String? {
        try await Self.lastCode(baseURL: url)
    }

    /// The one-time code a case-service at `baseURL` sent last; nil when none was.
    public static func lastCode(baseURL: String) async throws -> String? {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/admin/identity/last-code"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { return nil }
        struct LastCode: Decodable { var code: String }
        return try JSONDecoder().decode(LastCode.self, from: Data(buffer: body)).code
    }

    /// Moves a case one status along, or to `status` (POST /admin/cases/…/advance).
    public func advance(caseNumber: String, to status: String? = nil, subItem: String? = nil) async throws {
        var query: [String] = []
        if let status { query.append("status=\(status)") }
        if let subItem { query.append("subItem=\(subItem)") }
        var request = HTTPClientRequest(
            url: url + "/admin/cases/\(caseNumber)/advance" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        )
        request.method = .POST
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw HarnessError(message: "advance failed: \(response.status)") }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
