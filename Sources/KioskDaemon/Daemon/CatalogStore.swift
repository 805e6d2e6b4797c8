import KioskCore
import Synchronization

/// The catalog in force. Sessions read it on every screen; a reload replaces it whole,
/// and only with a catalog that passed validation.
final class CatalogStore: Sendable {
    private let current: Mutex<Catalog>
    /// Called after the catalog was replaced (sessions read it again).
    private let onChange: @Sendable () -> Void

    init(_ catalog: Catalog, onChange: @escaping @Sendable () -> Void = {}) {
        current = Mutex(catalog)
        self.onChange = onChange
    }

    var catalog: Catalog { current.withLock { $0 } }

    func replace(with catalog: Catalog) {
        current.withLock { $0 = catalog }
        onChange()
    }
}

extension CatalogLoader {
    /// The catalog a configuration names: its folder, or the built-in one.
    public static func load(for configuration: KioskConfiguration) throws(ConfigurationError) -> Catalog {
        configuration.catalogDirectory.isEmpty ? try builtIn() : try load(directory: configuration.catalogDirectory)
    }
}
