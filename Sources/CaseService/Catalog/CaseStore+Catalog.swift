import CaseServiceAPI
import Crypto
import Foundation
import GRDB

/// The catalog versions the centre published, newest last; kiosks are served the newest.
extension CaseStore {
    static func registerCatalogMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-catalog-releases") { db in
            try db.create(table: "catalogRelease") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("version", .text).notNull()
                t.column("filesJSON", .text).notNull()
                t.column("publishedAt", .datetime).notNull()
            }
        }
    }

    /// Afterwards `files` are the published catalog (a new release unless they are the
    /// newest one's already); returns the release in force.
    func publishCatalog(_ files: [Components.Schemas.CatalogFile], now: Date) async throws -> Components.Schemas.CatalogRelease {
        let digest = Self.catalogDigest(files)
        let sorted = files.sorted { $0.name < $1.name }
        let filesJSON = try Self.json(sorted)
        let publishedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return try await writeAsync { db in
            if let newest = try Self.newestCatalog(db), newest.sha256 == digest { return newest }
            try db.execute(
                sql: "INSERT INTO catalogRelease (version, filesJSON, publishedAt) VALUES (?, ?, ?)",
                arguments: ["sha256:" + digest, filesJSON, publishedAt]
            )
            return Components.Schemas.CatalogRelease(version: "sha256:" + digest, sha256: digest, publishedAt: publishedAt, files: sorted)
        }
    }

    /// The newest published catalog, or nil before the first.
    func newestCatalog() async throws -> Components.Schemas.CatalogRelease? {
        try await readAsync { db in try Self.newestCatalog(db) }
    }

    private static func newestCatalog(_ db: Database) throws -> Components.Schemas.CatalogRelease? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalogRelease ORDER BY sequence DESC LIMIT 1") else { return nil }
        let version: String = row["version"]
        let filesJSON: String = row["filesJSON"]
        let files = try JSONDecoder().decode([Components.Schemas.CatalogFile].self, from: Data(filesJSON.utf8))
        return Components.Schemas.CatalogRelease(
            version: version, sha256: String(version.dropFirst("sha256:".count)), publishedAt: row["publishedAt"], files: files
        )
    }

    /// The hex SHA-256 of `files`, each in name order as its name, a NUL byte, its UTF-8
    /// text and a NUL byte (as kioskd computes a catalog's version).
    static func catalogDigest(_ files: [Components.Schemas.CatalogFile]) -> String {
        var hash = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            hash.update(data: Array(file.name.utf8) + [0] + Array(file.text.utf8) + [0])
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
