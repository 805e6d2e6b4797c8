import Foundation
import KioskCore
import KioskStore
import Logging
import ServiceLifecycle

/// The daemon's state: the database (open and migrated), the catalog in force, and the
/// audit trail of control calls.
struct DaemonStore {
    let database: KioskDatabase
    let catalog: CatalogStore
    let audit: AuditTrail
    let localization: Localization
    let logger: Logger

    /// The database opens first and closes last.
    var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        [.init(service: DatabaseService(database: database, logger: logger)), .init(service: audit)]
    }
}

/// Creates the state directory (0700) and the database file (0600, with its journals),
/// opens and migrates the database, records the configured terminals, and loads the
/// catalog and the screens' strings; throws what stops the start.
func makeStore(
    _ configuration: KioskConfiguration, time: TimeEnvironment, logger: Logger,
    onCatalogChange: @escaping @Sendable () -> Void
) throws -> DaemonStore {
    try PrivateFiles.directory(configuration.stateDirectory)
    try PrivateFiles.database(configuration.databasePath)
    let database = try KioskDatabase(path: configuration.databasePath)
    try database.registerTerminals(
        configuration.terminals.map { ($0.name, $0.profile.rawValue, $0.device) }, at: time.wallNow
    )
    logger.info("database open", metadata: ["path": .string(configuration.databasePath)])
    let localization = try LocalizationLoader.embedded()
    let catalog = CatalogStore(try CatalogLoader.load(for: configuration), onChange: onCatalogChange)
    logger.info("catalog loaded", metadata: ["items": "\(catalog.catalog.itemCount)"])
    return DaemonStore(
        database: database, catalog: catalog, audit: AuditTrail(database: database, keepDays: configuration.audit.keepDays, time: time, logger: logger),
        localization: localization, logger: logger
    )
}
