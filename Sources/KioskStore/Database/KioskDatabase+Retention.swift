import Foundation
import GRDB
import KioskCore

/// One application's personal data as retention leaves it.
public struct MaskedApplication: Sendable, Hashable {
    public var id: String
    public var values: [String: String]
    public var deliveryAddress: String?
    public var applicantProofDigest: String?

    public init(id: String, values: [String: String], deliveryAddress: String?, applicantProofDigest: String?) {
        self.id = id
        self.values = values
        self.deliveryAddress = deliveryAddress
        self.applicantProofDigest = applicantProofDigest
    }
}

extension KioskDatabase {
    /// Up to `limit` applications delivered to the centre before `cutoff` whose personal
    /// fields are still whole, oldest delivery first.
    public func applicationsToMask(deliveredBefore cutoff: Date, limit: Int) async throws -> [ApplicationRecord] {
        try await readAsync { db in
            try ApplicationRecord.fetchAll(db, sql: """
                SELECT a.* FROM application a JOIN outboxEntry o ON o.applicationID = a.id
                WHERE o.state = 'delivered' AND o.deliveredAt < ? AND a.personalDataMaskedAt IS NULL
                ORDER BY o.deliveredAt LIMIT ?
                """, arguments: [cutoff, limit])
        }
    }

    /// Afterwards each application in `masked` holds only its masked values and address and
    /// the proof digest, marked masked at `now`; one transaction, so a crash leaves each
    /// application either whole or masked. Returns how many rows changed.
    @discardableResult
    public func maskPersonalData(_ masked: [MaskedApplication], at now: Date) async throws -> Int {
        let rows = try masked.map { ($0, try ApplicationRecord.encode($0.values)) }
        return try await writeAsync { db in
            var changed = 0
            for (application, valuesJSON) in rows {
                try db.execute(sql: """
                    UPDATE application SET valuesJSON = ?, deliveryAddress = ?, applicantProofDigest = ?,
                                           personalDataMaskedAt = ?
                    WHERE id = ? AND personalDataMaskedAt IS NULL
                    """, arguments: [valuesJSON, application.deliveryAddress, application.applicantProofDigest, now, application.id])
                changed += db.changesCount
            }
            return changed
        }
    }

    /// The proof digest of the application with `id` once retention masked it; nil while its
    /// personal data is whole (check the ID itself then).
    public func applicantProofDigest(applicationID id: String) async throws -> String? {
        try await readAsync { db in
            try String.fetchOne(db, sql: "SELECT applicantProofDigest FROM application WHERE id = ?", arguments: [id])
        }
    }
}
