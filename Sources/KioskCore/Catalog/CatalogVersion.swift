/// A catalog's version: `sha256:` and the lowercase hex SHA-256 of its files, each in name
/// order as its file name (without folders), a NUL byte, its UTF-8 text and a NUL byte.
/// The same files give the same version wherever they are read from (a folder, the
/// built-in catalog, the centre), so a kiosk and the centre can tell whether they hold
/// the same catalog.
public enum CatalogVersion {
    public static func of(files: [(name: String, text: String)], sha256: ([UInt8]) -> [UInt8]) -> String {
        var bytes: [UInt8] = []
        for file in files.map({ (name: baseName($0.name), text: $0.text) }).sorted(by: { $0.name < $1.name }) {
            bytes += Array(file.name.utf8) + [0] + Array(file.text.utf8) + [0]
        }
        return "sha256:" + LedgerHex.encode(sha256(bytes))
    }

    private static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// One catalog file as text: its name (`person-01-birth.toml`) and its TOML.
public struct CatalogFileText: Sendable, Hashable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}
