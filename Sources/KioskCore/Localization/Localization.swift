/// The user-facing strings of every screen, per language, loaded from
/// `Resources/locales/`. Code refers to strings by key only, so every word a citizen
/// reads can be reviewed and translated in one place.
public struct Localization: Sendable {
    private let tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// The string for `key` in `language`; falls back to Chinese, then to the key itself so
    /// a missing translation is visible instead of blank.
    public func text(_ key: String, _ language: Language) -> String {
        tables[language]?[key] ?? tables[.chinese]?[key] ?? key
    }

    /// Keys present in one language but not in another, for tests and `--check-config`.
    public var missingKeys: [Language: Set<String>] {
        let all = tables.values.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        var missing: [Language: Set<String>] = [:]
        for language in Language.allCases {
            let absent = all.subtracting(tables[language]?.keys ?? [:].keys)
            if !absent.isEmpty { missing[language] = absent }
        }
        return missing
    }
}
