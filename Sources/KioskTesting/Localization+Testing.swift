import Foundation
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

extension PrintTemplates {
    /// The shipped print templates, as the daemon loads them, in the halls' time zone.
    public static func shipped() -> PrintTemplates {
        TemplateLoader.embedded(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    }
}
