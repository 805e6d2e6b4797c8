import TOMLKit

extension TOMLTable {
    /// The TOML document `text`, or a syntax `ConfigurationError` naming `file` and the line.
    ///
    /// Two kinds of text are refused before toml++ sees them. A NUL: TOMLKit hands the
    /// text over as a C string, which ends there, so the file would load as far as the NUL
    /// and quietly drop the rest (TOML allows no NUL anywhere). And a table header without
    /// a key (`[` alone on a line), on which toml++ aborts the process (`TOMLHeaderGuard`).
    static func parse(_ text: String, file: String) throws(ConfigurationError) -> TOMLTable {
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].count { $0 == UInt8(ascii: "\n") } + 1
            throw ConfigurationError(file: file, line: line, key: "", .syntax("a NUL character, which TOML allows nowhere"))
        }
        if let line = TOMLHeaderGuard.firstFatalHeader(in: text) {
            throw ConfigurationError(file: file, line: line, key: "", .syntax("a table header needs a key after its [ or [["))
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, line: error.source.begin.line, key: "", .syntax(error.description))
        } catch {
            throw ConfigurationError(file: file, line: 0, key: "", .syntax(String(describing: error)))
        }
    }
}
