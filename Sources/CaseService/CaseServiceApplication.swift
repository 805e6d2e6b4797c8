import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore

/// The reference implementation of the central case service's contract, used by the
/// demo, the tests and the benchmarks. It listens on loopback only.
public enum CaseServiceApplication {
    public struct Configuration: Sendable {
        /// The TCP port; 0 picks a free one (printed once listening).
        public var port: Int
        /// The SQLite file; nil keeps the data in a temporary file.
        public var databasePath: String?

        public init(port: Int = 8086, databasePath: String? = nil) {
            self.port = port
            self.databasePath = databasePath
        }
    }

    /// Builds the service. `onListening` receives the base URL once connections are
    /// accepted (with the real port when 0 was asked).
    public static func build(
        configuration: Configuration, logger: Logger = Logger(label: "case-service"),
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let path = configuration.databasePath ?? NSTemporaryDirectory() + "/case-service-\(UUID().uuidString).sqlite"
        let store = try CaseStore(path: path)
        let router = Router()
        router.get("/health") { _, _ -> Response in
            let healthy = (try? store.isHealthy()) ?? false
            let body = healthy ? #"{"status":"ok"}"# : #"{"status":"database-unavailable"}"#
            return Response(
                status: healthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body))
            )
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: configuration.port), serverName: "case-service"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                await onListening("http://127.0.0.1:\(port)")
            },
            logger: logger
        )
    }
}

/// The case service's database. The contract's tables arrive with the forwarding work;
/// for now the store proves the file opens and answers.
final class CaseStore: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = GRDB.Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
    }

    func isHealthy() throws -> Bool {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT 1") == 1 }
    }
}
