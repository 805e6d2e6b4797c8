import KioskCore
import Synchronization

/// The catalog in force. Sessions read it on every screen; a reload replaces it whole,
/// and only with a catalog that passed validation.
final class CatalogStore: Sendable {
    private let current: Mutex<Catalog>

    init(_ catalog: Catalog) {
        current = Mutex(catalog)
    }

    var catalog: Catalog { current.withLock { $0 } }

    func replace(with catalog: Catalog) {
        current.withLock { $0 = catalog }
    }
}

extension CatalogLoader {
    /// The catalog a configuration names: its folder, or the built-in one.
    public static func load(for configuration: KioskConfiguration) throws(ConfigurationError) -> Catalog {
        configuration.catalogDirectory.isEmpty ? try builtIn() : try load(directory: configuration.catalogDirectory)
    }
}
