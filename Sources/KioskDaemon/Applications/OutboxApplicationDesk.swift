import Foundation
import KioskCore
import KioskForwarding
import KioskStore

/// The terminals' application desk in the daemon: connects the store, the forwarder and the
/// central service's client. Applications and ratings go into the outbox in one transaction
/// each and the forwarder is woken; progress questions are answered live when the central
/// service answers, else from the last known status. What the slip says, who the applicant
/// is and how answers merge are KioskCore's rules.
struct OutboxApplicationDesk: ApplicationDesk {
    let database: KioskDatabase
    let catalog: CatalogStore
    let client: CentralServiceClient
    let forwarder: Forwarder
    /// Part of every number issued here, so that no two kiosks issue the same one.
    let kioskID: KioskID?
    /// Checks a proof against an application whose ID retention has masked.
    let hashing: any LedgerCrypto
    /// The hall's time: the day in the application number is the hall's day.
    let time: TimeEnvironment

    func submit(_ draft: ApplicationDraft, terminal: String) async throws -> AcceptanceSlip {
        let now = time.wallNow
        let today = CalendarDate.of(now, in: time.timeZone)
        // The token itself is a secret of the session: only its digest is stored and sent.
        let proof: ApplicationProof? = switch draft.proof {
        case nil: nil
        case .card: ApplicationProof(method: .card)
        case .code(let token): ApplicationProof(method: .code, tokenDigest: LedgerHex.encode(hashing.sha256(Array(token.utf8))))
        }
        let application = try await database.storeApplication(at: now) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: today, kiosk: kioskID, sequence: sequence).value, itemID: draft.itemID,
                terminal: terminal, values: draft.values, subItems: draft.subItems, delivery: draft.delivery,
                consentToGaps: draft.consentToGaps, needsReview: draft.needsReview, submittedAt: now,
                identityProof: proof
            )
        }
        forwarder.nudge()
        return AcceptanceSlip(application: application, catalog: catalog.catalog)
    }

    func rate(_ rating: Rating) async throws {
        try await database.storeRating(rating)
        forwarder.nudge()
    }

    func progress(of query: CaseQuery) async -> CaseProgress? {
        let number = ApplicationNumber(parsing: query.number)?.value ?? query.number.uppercased()
        guard let (local, subItems) = try? await database.application(number: number) else {
            // Not this kiosk's: the centre knows every kiosk's applications.
            guard query.idSuffix.count == 6, case .success(let found?) = await client.findApplication(number: number, idSuffix: query.idSuffix)
            else { return nil }
            return found
        }
        let applicationID = local.id.uuidString.lowercased()
        let digest = try? await database.applicantProofDigest(applicationID: applicationID)
        let applicantID = catalog.catalog.item(id: local.itemID)?.applicantID(in: local.values)
        guard query.isProved(by: applicantID, proofDigest: digest, applicationID: applicationID, using: hashing) else { return nil }
        var live: CaseProgress?
        if case .success(let answer?) = await client.progress(applicationNumber: local.number, caseNumber: nil) { live = answer }
        return CaseProgress.merged(live: live, local: local, subItems: subItems)
    }

    func insuranceSummary(idNumber: String, name: String, proof: IdentityCredential) async -> LookupAnswer<InsuranceSummary> {
        await client.insuranceSummary(idNumber: idNumber, name: name, proof: proof)
    }
}
