import Foundation
import KioskCore
import KioskStore
import Logging
import ServiceLifecycle

/// Personal data does not linger: once at start and then every day, applications
/// delivered to the centre more than `[privacy] personal_data_days` ago keep only the
/// masked forms of their personal fields (`PersonalDataRetention`) and a digest of the
/// applicant ID's last six for proofs. Logs counts only.
struct RetentionService: Service {
    let database: KioskDatabase
    let catalog: CatalogStore
    let hashing: any LedgerCrypto
    let days: Int
    let time: TimeEnvironment
    let logger: Logger

    /// How many applications one transaction masks: a long backlog never holds the writer.
    static let batch = 200

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try await time.sleep(for: .seconds(86_400))
            }
        }
    }

    /// Masks every application due now; returns how many were masked.
    @discardableResult
    func sweep() async -> Int {
        let cutoff = time.wallNow.addingTimeInterval(-Double(days) * 86_400)
        var total = 0
        do {
            while true {
                let due = try await database.applicationsToMask(deliveredBefore: cutoff, limit: Self.batch)
                guard !due.isEmpty else { break }
                let masked = try due.map(mask)
                let changed = try await database.maskPersonalData(masked, at: time.wallNow)
                total += changed
                if due.count < Self.batch || changed == 0 { break }
            }
        } catch {
            logger.error("personal data retention failed; tried again tomorrow", metadata: ["masked": "\(total)", "error": "\(error)"])
            return total
        }
        if total > 0 {
            logger.notice("personal data masked after retention", metadata: ["applications": "\(total)", "days": "\(days)"])
        }
        return total
    }

    private func mask(_ record: ApplicationRecord) throws -> MaskedApplication {
        let application = try record.application
        let item = catalog.catalog.item(id: application.itemID)
        let suffix = item?.applicantID(in: application.values).map { String($0.suffix(6)) }
        return MaskedApplication(
            id: record.id,
            values: PersonalDataRetention.masked(application.values, item: item),
            deliveryAddress: PersonalDataRetention.masked(address: record.deliveryAddress),
            applicantProofDigest: suffix.map { ProofDigest.digest($0, salt: record.id, using: hashing) }
        )
    }
}
