import AsyncHTTPClient
import NIOPosix
import ServiceLifecycle

/// The HTTP client kioskd talks to the central service with, as a service: its connection
/// pool is sized for the forwarder's parallelism (AsyncHTTPClient's shared client keeps 8
/// connections per host), and it is shut down after the services using it have stopped.
public final class CentralServiceConnection: Service, Sendable {
    public let httpClient: HTTPClient

    public init(connections: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections)
        )
        httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public func run() async throws {
        // Waits for the shutdown; the services that use the client are listed after this
        // one, so they have stopped by the time it closes.
        try? await gracefulShutdown()
        try await httpClient.shutdown()
    }
}
