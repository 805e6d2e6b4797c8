import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskTesting
import Testing

/// Progress at another kiosk: the real case-service over loopback, two kiosks' tokens.
@Suite("Finding any kiosk's application at the centre")
struct FindApplicationContractTests {
    @Test("Another kiosk finds an application by its number or case number with the ID's last six; nothing without them")
    func anotherKioskFindsIt() async throws {
        let directory = try TemporaryDirectory()
        let configuration = CaseServiceApplication.Configuration(tokens: ["demo-token": "hall-a", "other-token": "hall-b"])
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            // Given an application submitted by kiosk A
            let kioskA = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let kioskB = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "other-token")
            let number = ApplicationNumber(date: CalendarDate(year: 2026, month: 12, day: 2)!, kiosk: KioskID("HALL-A"), sequence: 1).value
            let application = Application(
                id: UUID(), number: number, itemID: "resident-pension-claim", terminal: "hall-1",
                values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"], subItems: [],
                delivery: Delivery(method: .pickup, address: nil), consentToGaps: false, needsReview: false, submittedAt: Date()
            )
            guard case .delivered(let receipt) = await kioskA.submit(application, now: Date()) else {
                Issue.record("not delivered")
                return
            }
            // When kiosk B asks with the number and the ID's last six (in any case, without dashes)
            let byNumber = await kioskB.findApplication(number: number.replacingOccurrences(of: "-", with: "").lowercased(), idSuffix: "31002x")
            // Then it gets the case, with the item, live
            guard case .success(let found?) = byNumber else {
                Issue.record("not found: \(byNumber)")
                return
            }
            #expect(found.applicationNumber == number && found.itemID == "resident-pension-claim" && found.live)
            // And by case number too
            let byCase = await kioskB.findApplication(number: receipt?.caseNumber ?? "", idSuffix: "31002X")
            guard case .success(let sameCase?) = byCase else {
                Issue.record("not found by case number: \(byCase)")
                return
            }
            #expect(sameCase.applicationNumber == number)
            // When the suffix is wrong, or the number unknown / Then nothing is found, alike
            guard case .success(nil) = await kioskB.findApplication(number: number, idSuffix: "310021"),
                  case .success(nil) = await kioskB.findApplication(number: "A261202-NOPE-00001-K", idSuffix: "31002X")
            else {
                Issue.record("found without proof")
                return
            }
        }
    }
}
