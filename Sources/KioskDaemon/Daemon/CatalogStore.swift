import KioskCore
import KioskSigning
import Synchronization

/// The catalog in force. Sessions read it on every screen; a reload replaces it whole,
/// and only with a catalog that passed validation.
final class CatalogStore: Sendable {
    private let current: Mutex<(catalog: Catalog, version: CatalogVersionReport)>
    /// Called after the catalog was replaced (sessions read it again).
    private let onChange: @Sendable () -> Void

    init(_ catalog: Catalog, version: CatalogVersionReport = CatalogVersionReport(source: .local, version: "unknown"),
         onChange: @escaping @Sendable () -> Void = {}) {
        current = Mutex((catalog, version))
        self.onChange = onChange
    }

    var catalog: Catalog { current.withLock { $0.catalog } }

    /// Where the catalog in force came from, its version, and the last refused one.
    var version: CatalogVersionReport { current.withLock { $0.version } }

    /// Afterwards `catalog` is in force with `version`; a version from the centre refused
    /// before is no longer reported once a good one from the centre is applied.
    func replace(with catalog: Catalog, version: String, source: CatalogVersionReport.Source) {
        current.withLock { current in
            current.catalog = catalog
            current.version.version = version
            current.version.source = source
            if source == .central {
                current.version.refusedVersion = nil
                current.version.refusedReason = nil
            }
        }
        onChange()
    }

    /// Afterwards `version` is reported as refused, for `reason`; the catalog in force stays.
    func noteRefused(version: String, reason: String) {
        current.withLock { current in
            current.version.refusedVersion = version
            current.version.refusedReason = reason
        }
    }
}

extension CatalogLoader {
    /// The catalog a configuration names: its folder, or the built-in one.
    public static func load(for configuration: KioskConfiguration) throws(ConfigurationError) -> Catalog {
        try loadVersioned(for: configuration).catalog
    }

    /// The catalog a configuration names and its version (`CatalogVersion`).
    static func loadVersioned(for configuration: KioskConfiguration) throws(ConfigurationError) -> (catalog: Catalog, version: String) {
        let files = configuration.catalogDirectory.isEmpty ? builtInFileTexts : try files(inDirectory: configuration.catalogDirectory)
        return (try load(files: files), CatalogVersion.of(files: files, sha256: SwiftCryptoHashing().sha256))
    }
}
