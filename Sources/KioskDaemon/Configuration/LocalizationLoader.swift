import KioskCore
import TOMLKit

/// Loads the strings of every screen from `Resources/locales/*.toml`, embedded in the
/// binary at build time so a daemon can never start with its words missing.
public enum LocalizationLoader {
    /// The shipped strings.
    public static func embedded() throws(ConfigurationError) -> Localization {
        Localization(tables: [
            .chinese: try table(PackageResources.zh_CN_toml, file: "Resources/locales/zh-CN.toml"),
            .english: try table(PackageResources.en_toml, file: "Resources/locales/en.toml"),
        ])
    }

    /// Reads a flat `key = "text"` TOML file.
    public static func table(_ bytes: [UInt8], file: String) throws(ConfigurationError) -> [String: String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let root = try TOMLTable.parse(text, file: file)
        let locator = TOMLKeyLocator(source: text)
        var strings: [String: String] = [:]
        for key in root.keys {
            guard let value = root[key]?.string else {
                throw ConfigurationError(file: file, line: locator.line(of: key), key: key, .wrongType(expected: "a string", found: "another type"))
            }
            strings[key] = value
        }
        return strings
    }
}
