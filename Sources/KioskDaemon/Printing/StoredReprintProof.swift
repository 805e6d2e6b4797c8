import Foundation
import KioskCore
import KioskStore

/// Checks a citizen's proof for reprinting another session's slip against what the kiosk
/// stored: an acceptance slip asks for the last six characters of the applicant's ID (the
/// application's own value, as progress queries do), a payment receipt for the account
/// number (its salted digest, `ProofDigest`), both still after retention masked the data.
/// Guides and settlements are not personal and need no proof.
struct StoredReprintProof: ReprintProofChecker {
    let database: KioskDatabase
    let catalog: CatalogStore
    let hashing: any LedgerCrypto

    func holds(_ proof: String, for job: PrintJob) async -> Bool {
        switch job.kind {
        case .acceptanceSlip:
            guard let (application, _) = try? await database.application(number: job.reference) else { return false }
            let applicationID = application.id.uuidString.lowercased()
            let digest = try? await database.applicantProofDigest(applicationID: applicationID)
            let applicantID = catalog.catalog.item(id: application.itemID)?.applicantID(in: application.values)
            return CaseQuery(number: application.number, idSuffix: proof)
                .isProved(by: applicantID, proofDigest: digest, applicationID: applicationID, using: hashing)
        case .paymentReceipt:
            guard let order = try? await database.order(receipt: job.reference, printNumber: job.reprintOf ?? job.number),
                  let stored = order.accountDigest
            else { return false }
            return ProofDigest.digest(proof, salt: order.id, using: hashing) == stored
        // A certificate is reprinted only in the session that printed it: no proof typed at
        // a terminal is as strong as the card or code that opened the lookup.
        case .serviceGuide, .dailySettlement, .insuranceCertificate:
            return false
        }
    }
}
