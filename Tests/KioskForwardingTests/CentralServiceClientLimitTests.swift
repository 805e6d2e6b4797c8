import Foundation
import KioskCore
import KioskForwarding
import KioskTesting
import Testing

/// kioskd's lookups against the real case-service now that it enforces the contract's
/// lengths: what a citizen typed that the contract cannot hold is answered 400, and kioskd
/// still reads it as "no such case / account / person", as when the centre answered 404.
@Suite("Central service client and the contract's limits", .serialized)
struct CentralServiceClientLimitTests {
    @Test("An over-long case number, application number, account or name is not found, not an outage")
    func overLongLookupsAreNotFound() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given kioskd's client and values longer than the contract's maxLength
            let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let long = String(repeating: "9", count: 40)
            // When it looks them up
            let byCase = await client.progress(applicationNumber: nil, caseNumber: long)
            let byApplication = await client.progress(applicationNumber: long, caseNumber: nil)
            let bill = await client.bill(kind: .water, account: long)
            let person = await client.insuranceSummary(idNumber: "11010519491231002X", name: String(repeating: "张", count: 41), proof: .card)
            // Then each is "not found", as before the limits were enforced
            #expect(byCase == .success(nil))
            #expect(byApplication == .success(nil))
            #expect(bill == .notFound)
            #expect(person == .notFound)
        }
    }
}
