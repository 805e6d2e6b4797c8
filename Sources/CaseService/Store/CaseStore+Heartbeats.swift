import CaseServiceAPI
import Foundation
import GRDB

/// Kiosks' heartbeats: the latest of each kiosk, and when it arrived. The fleet view is
/// made from them.
extension CaseStore {
    static func registerHeartbeatMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-heartbeats") { db in
            try db.create(table: "heartbeat") { t in
                t.primaryKey("kiosk", .text)
                t.column("body", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
            }
        }
    }

    /// A kiosk's latest heartbeat and when the centre received it.
    struct StoredHeartbeat: Sendable {
        let kiosk: String
        let receivedAt: Date
        let heartbeat: Components.Schemas.Heartbeat
    }

    /// Afterwards `heartbeat` is `kiosk`'s latest, received `now` (whole seconds, as the
    /// service writes every time); returns that time.
    func recordHeartbeat(_ heartbeat: Components.Schemas.Heartbeat, kiosk: String, now: Date) async throws -> Date {
        let receivedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let body = try Self.json(heartbeat)
        try await writeAsync { db in
            try db.execute(
                sql: """
                    INSERT INTO heartbeat (kiosk, body, receivedAt) VALUES (?, ?, ?)
                    ON CONFLICT (kiosk) DO UPDATE SET body = excluded.body, receivedAt = excluded.receivedAt
                    """,
                arguments: [kiosk, body, receivedAt]
            )
        }
        return receivedAt
    }

    /// Every kiosk's latest heartbeat, in kiosk order. A row that no longer decodes (it
    /// cannot, short of an edit by hand) is left out rather than failing the fleet view.
    func latestHeartbeats() async throws -> [StoredHeartbeat] {
        try await readAsync { db in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try Row.fetchAll(db, sql: "SELECT kiosk, body, receivedAt FROM heartbeat ORDER BY kiosk").compactMap { row in
                let body: String = row["body"]
                guard let heartbeat = try? decoder.decode(Components.Schemas.Heartbeat.self, from: Data(body.utf8)) else { return nil }
                return StoredHeartbeat(kiosk: row["kiosk"], receivedAt: row["receivedAt"], heartbeat: heartbeat)
            }
        }
    }
}
