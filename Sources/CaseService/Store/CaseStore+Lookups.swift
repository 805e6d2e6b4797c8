import CaseServiceAPI
import Foundation
import GRDB

extension CaseStore {
    /// Records a rating once; a repeat returns the first record time, a different body
    /// under the same UUID is nil (a conflict).
    func rate(_ rating: Components.Schemas.RatingSubmission, kiosk: String, now: Date) async throws -> (Date, Bool)? {
        let body = try Self.canonicalBody(rating)
        return try await writeAsync { db in
            if let row = try Row.fetchOne(db, sql: "SELECT body, recordedAt FROM ratingRecord WHERE ratingId = ?", arguments: [rating.ratingId]) {
                let stored: String = row["body"]
                return stored == body ? (row["recordedAt"], false) : nil
            }
            try db.execute(
                sql: "INSERT INTO ratingRecord (ratingId, kiosk, body, level, recordedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [rating.ratingId, kiosk, body, rating.level, now]
            )
            return (now, true)
        }
    }

    func bill(kind: String, account: String) async throws -> Components.Schemas.Bill? {
        try await readAsync { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM bill WHERE kind = ? AND account = ?", arguments: [kind, account])
            else { return nil }
            let holder: String = row["holder"]
            return Components.Schemas.Bill(
                kind: .init(rawValue: kind)!, account: account, holderMasked: String(holder.prefix(1)) + "*",
                amountDueFen: row["amountDueFen"], period: row["period"]
            )
        }
    }

    /// The resident with this ID number and name; nil unless both match.
    func resident(idNumber: String, name: String) async throws -> ResidentRow? {
        try await readAsync { db in
            try ResidentRow.filter(Column("idNumber") == idNumber.uppercased() && Column("name") == name).fetchOne(db)
        }
    }
}

/// A row of `resident`: a demo person with insurance and housing fund accounts.
struct ResidentRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resident"
    var idNumber: String
    var name: String
    var insuredSince: String
    var monthsPaid: Int
    var pensionBalanceFen: Int64
    var medicalBalanceFen: Int64
    var lastPaidMonth: String
    var housingBalanceFen: Int64
    var monthlyDepositFen: Int64

    var maskedName: String { String(name.prefix(1)) + String(repeating: "*", count: max(1, name.count - 1)) }
}
