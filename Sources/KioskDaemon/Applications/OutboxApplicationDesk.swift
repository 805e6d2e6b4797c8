import Foundation
import KioskCore
import KioskForwarding
import KioskStore

/// The terminals' application desk in the daemon: applications and ratings go into the
/// outbox in one transaction each, the forwarder is woken, and progress questions are
/// answered live when the central service answers, else from the last known status.
struct OutboxApplicationDesk: ApplicationDesk {
    let database: KioskDatabase
    let catalog: CatalogStore
    let client: CentralServiceClient
    let forwarder: Forwarder<ContinuousClock>
    /// The hall's time zone: the day in the application number is the hall's day.
    var timeZone = TimeZone.current

    func submit(_ draft: ApplicationDraft, terminal: String) async throws -> AcceptanceSlip {
        let item = catalog.catalog.item(id: draft.itemID)
        let now = Date()
        let today = CalendarDate.of(now, in: timeZone)
        let application = try await database.storeApplication(at: now) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: today, sequence: sequence).value, itemID: draft.itemID,
                terminal: terminal, values: draft.values, subItems: draft.subItems, delivery: draft.delivery,
                consentToGaps: draft.consentToGaps, needsReview: draft.needsReview, submittedAt: now
            )
        }
        forwarder.nudge()
        let nameField = item?.fields.first { $0.holdsPersonalName }
        return AcceptanceSlip(
            applicationNumber: application.number, itemID: draft.itemID,
            itemName: item?.name ?? LocalizedText(chinese: draft.itemID, english: draft.itemID),
            applicantName: nameField.flatMap { draft.values[$0.id] } ?? draft.values["company-name"] ?? "",
            applicantID: applicantID(draft.values, itemID: draft.itemID) ?? "",
            submittedAt: application.submittedAt, timeLimitDays: item?.timeLimitDays ?? 0, kind: item?.kind ?? .promised,
            delivery: draft.delivery.method, terminal: terminal
        )
    }

    /// The number that identifies the applicant: the form's first resident ID (in the
    /// catalog's field order), else the enterprise's credit code.
    func applicantID(_ values: [String: String], itemID: String) -> String? {
        let fields = catalog.catalog.item(id: itemID)?.fields ?? []
        let id = fields.first { $0.type == .residentID && values[$0.id] != nil }.flatMap { values[$0.id] }
        return id ?? fields.first { $0.type == .creditCode }.flatMap { values[$0.id] }
    }

    func rate(_ rating: Rating) async throws {
        try await database.storeRating(rating)
        forwarder.nudge()
    }

    func progress(of query: CaseQuery) async -> CaseProgress? {
        let number = ApplicationNumber(parsing: query.number)?.value ?? query.number.uppercased()
        guard let (local, subItems) = try? database.application(number: number),
              let applicantID = applicantID(local.values, itemID: local.itemID),
              applicantID.uppercased().hasSuffix(query.idSuffix.uppercased()), query.idSuffix.count == 6
        else { return nil }
        if case .success(let live?) = await client.progress(applicationNumber: local.number, caseNumber: nil) {
            var answer = live
            answer.itemID = local.itemID
            return answer
        }
        return CaseProgress(
            applicationNumber: local.number, caseNumber: local.caseNumber, itemID: local.itemID, status: local.status,
            changedAt: local.statusChangedAt ?? local.submittedAt, live: false, subItems: subItems
        )
    }
}

extension OutboxApplicationDesk {
    func insuranceSummary(idNumber: String, name: String) async -> LookupAnswer<InsuranceSummary> {
        await client.insuranceSummary(idNumber: idNumber, name: name)
    }
}
