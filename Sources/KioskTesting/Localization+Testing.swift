import KioskCore
import KioskDaemon

extension Localization {
    /// The shipped strings, as the daemon loads them.
    public static func shipped() throws -> Localization {
        try LocalizationLoader.embedded()
    }
}

extension Catalog {
    /// The catalog built into kioskd.
    public static func shipped() throws -> Catalog {
        try CatalogLoader.builtIn()
    }
}
