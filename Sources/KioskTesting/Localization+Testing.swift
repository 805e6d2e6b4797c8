import KioskCore
import KioskDaemon

extension Localization {
    /// The shipped strings, as the daemon loads them.
    public static func shipped() throws -> Localization {
        try LocalizationLoader.embedded()
    }
}
