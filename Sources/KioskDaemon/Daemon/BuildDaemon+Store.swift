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
    /// The disk was full at start (the reserve had to be released, or a write failed).
    let startedFull: Bool
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
    let ballast = StorageBallast(stateDirectory: configuration.stateDirectory)
    let database: KioskDatabase
    var startedFull = false
    do {
        database = try KioskDatabase(path: configuration.databasePath)
    } catch where ballast.exists && ballast.release() {
        // The disk is full (SQLite could not even open its WAL index): start on the reserve,
        // out of service, rather than exit and leave the terminals blank.
        logger.critical("database could not open; storage reserve released to start", metadata: ["error": "\(error)"])
        startedFull = true
        database = try KioskDatabase(path: configuration.databasePath)
    }
    do {
        try database.registerTerminals(
            configuration.terminals.map { ($0.name, $0.profile.rawValue, $0.device) }, at: time.wallNow
        )
    } catch where KioskDatabase.isStorageFull(error) {
        // A full disk must not keep the kiosk from starting: it starts out of service and
        // records the terminals at the next start with room.
        logger.critical("terminals not recorded: storage full", metadata: ["error": "\(error)"])
        startedFull = true
    }
    logger.info("database open", metadata: ["path": .string(configuration.databasePath)])
    let localization = try LocalizationLoader.embedded()
    // The local catalog is always read and checked: it is in force until the centre's is.
    let (local, localVersion) = try CatalogLoader.loadVersioned(for: configuration)
    let catalog = if let kept = keptCentralCatalog(configuration, logger: logger) {
        CatalogStore(kept.catalog, version: CatalogVersionReport(source: .central, version: kept.version), onChange: onCatalogChange)
    } else {
        CatalogStore(local, version: CatalogVersionReport(source: .local, version: localVersion), onChange: onCatalogChange)
    }
    logger.info("catalog loaded", metadata: [
        "items": "\(catalog.catalog.itemCount)", "version": .string(catalog.version.version),
        "source": .string(catalog.version.source.rawValue),
    ])
    return DaemonStore(
        database: database, catalog: catalog, audit: AuditTrail(database: database, keepDays: configuration.audit.keepDays, time: time, logger: logger),
        startedFull: startedFull, localization: localization, logger: logger
    )
}
