import Foundation

/// Reads a database the way a technician would, with Debian's `sqlite3` shell in read-only
/// mode: an independent check of what kioskd wrote, from outside its process.
public enum SQLiteShell {
    /// The output lines of `sql` against the file at `path` (columns joined by `|`).
    public static func query(_ path: String, _ sql: String) async throws -> [String] {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = ["-readonly", path, sql]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readAll()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }
}
