import AsyncHTTPClient
import KioskCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Keeps track of whether the central case service answers, by asking its health check
/// at a fixed interval. Status and the systemd STATUS line read `status`.
public final class CentralServiceMonitor: Service, Sendable {
    public let baseURL: String
    private let interval: Duration
    private let timeout: Duration
    private let httpClient: HTTPClient
    private let time: TimeEnvironment
    private let logger: Logger
    /// Called after the reachability changed (sessions redraw what it gates).
    private let onChange: @Sendable () -> Void
    /// Written by the checks, read by every Status call: a lock, not an actor hop.
    private let reachability = Mutex(CentralServiceStatus.Reachability.unknown)

    public init(baseURL: String, interval: Duration = .seconds(10), timeout: Duration = .seconds(3),
                httpClient: HTTPClient = .shared, time: TimeEnvironment, logger: Logger,
                onChange: @escaping @Sendable () -> Void = {}) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.interval = interval
        self.timeout = timeout
        self.httpClient = httpClient
        self.time = time
        self.logger = logger
        self.onChange = onChange
    }

    /// What is known now; "unknown" until the first check has finished.
    public var status: CentralServiceStatus {
        CentralServiceStatus(url: baseURL, reachability: reachability.withLock { $0 })
    }

    /// Checks the health endpoint once; afterwards `status` says what it answered.
    @discardableResult
    public func check() async -> CentralServiceStatus.Reachability {
        let now = await Self.probe(url: baseURL + "/health", timeout: timeout, client: httpClient)
        let before = reachability.withLock { value in
            defer { value = now }
            return value
        }
        if now != before {
            if now == .reachable {
                logger.notice("central service \(now.rawValue)", metadata: ["url": .string(baseURL), "event": .string(LogMessageKind.centralReachable.rawValue)])
            } else {
                logger.warning("central service \(now.rawValue)", metadata: ["url": .string(baseURL), "event": .string(LogMessageKind.centralUnreachable.rawValue)])
            }
            onChange()
        }
        return now
    }

    public func run() async throws {
        // Ends quietly at shutdown: the cancelled sleep is the normal way out.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try await self.time.sleep(for: self.interval)
            }
        }
    }

    private static func probe(url: String, timeout: Duration, client: HTTPClient) async -> CentralServiceStatus.Reachability {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let seconds = Int64(timeout.components.seconds) * 1000 + Int64(timeout.components.attoseconds / 1_000_000_000_000_000)
            let response = try await client.execute(request, timeout: .milliseconds(seconds))
            _ = try await response.body.collect(upTo: 64 * 1024)
            return response.status == .ok ? .reachable : .unreachable
        } catch {
            return .unreachable
        }
    }
}
