import KioskStore
import Logging
import ServiceLifecycle

/// Owns the open database for the life of the daemon. It is the first service, so it is
/// stopped last: when it closes the database, every other service has stopped writing.
struct DatabaseService: Service {
    let database: KioskDatabase
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try database.close()
            logger.info("database closed", metadata: ["path": .string(database.path)])
        } catch {
            logger.error("cannot close the database", metadata: ["error": "\(error)"])
        }
    }
}
