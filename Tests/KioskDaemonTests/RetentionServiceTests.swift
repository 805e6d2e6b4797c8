import Foundation
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Logging
import Testing

@testable import KioskDaemon

/// Retention against a real SQLite file, read back by the sqlite3 shell, with the test clock.
@Suite("Personal data retention")
struct RetentionServiceTests {
    static let applicantID = "11010519491231002X"

    /// Stores a pension claim by 张三 (ID, phone, delivery address) on `clock`'s day, and
    /// marks it delivered to the centre then when `delivered`.
    static func storeClaim(_ database: KioskDatabase, clock: TestClock, delivered: Bool) async throws -> Application {
        let now = clock.wallNow
        let application = try await database.storeApplication(at: now) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, kiosk: KioskID("T1"), sequence: sequence).value,
                itemID: "resident-pension-claim", terminal: "hall-1",
                values: ["applicant-id": applicantID, "mobile": "13812345678", "note-name": "张三丰"], subItems: [],
                delivery: Delivery(method: .ems, address: "北京市朝阳区建国路88号院3号楼"), consentToGaps: false,
                needsReview: false, submittedAt: now
            )
        }
        if delivered {
            let entry = try #require(try await database.dueEntries(at: now, limit: 10).first { $0.payload.key == application.id })
            try await database.record([.delivered(id: entry.id, receipt: nil, at: now)])
        }
        return application
    }

    @Test("An application delivered more than personal_data_days ago keeps only masked data; proofs still hold")
    func masksAfterTheRetentionPeriod() async throws {
        // Given a claim delivered on day 0, and one never delivered (the centre was down)
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        let database = try KioskDatabase(path: path)
        let clock = TestClock()
        let delivered = try await Self.storeClaim(database, clock: clock, delivered: true)
        let pending = try await Self.storeClaim(database, clock: clock, delivered: false)
        let service = RetentionService(
            database: database, catalog: CatalogStore(try Catalog.shipped()), hashing: SwiftCryptoHashing(), days: 30,
            time: clock.environment(), logger: Logger(label: "test")
        )
        // When 29 days have passed / Then nothing is masked yet
        clock.advance(by: .seconds(29 * 86_400))
        #expect(await service.sweep() == 0)
        // When 31 days have passed
        clock.advance(by: .seconds(2 * 86_400))
        // Then the delivered claim is masked, once, and the pending one is whole
        #expect(await service.sweep() == 1)
        #expect(await service.sweep() == 0)
        let rows = try await SQLiteShell.query(path, "SELECT number, valuesJSON, deliveryAddress FROM application ORDER BY sequence")
        #expect(rows.count == 2)
        #expect(rows[0] == "\(delivered.number)|{\"applicant-id\":\"1101**********002X\",\"mobile\":\"138****5678\",\"note-name\":\"张**\"}|北京市朝阳区****")
        #expect(rows[1].contains(Self.applicantID) && rows[1].contains(pending.number))
        // And nothing of the delivered claim's personal data is left anywhere in the file
        let dump = try await SQLiteShell.query(path, "SELECT * FROM application WHERE number = '\(delivered.number)'").joined()
        #expect(!dump.contains(Self.applicantID) && !dump.contains("13812345678") && !dump.contains("建国路"))
        // And the ID's last six still prove the application (a wrong six does not)
        let id = delivered.id.uuidString.lowercased()
        let digest = try #require(try await database.applicantProofDigest(applicationID: id))
        let query = CaseQuery(number: delivered.number, idSuffix: "31002x")
        #expect(query.isProved(by: "1101**********002X", proofDigest: digest, applicationID: id, using: SwiftCryptoHashing()))
        let wrong = CaseQuery(number: delivered.number, idSuffix: "310021")
        #expect(!wrong.isProved(by: "1101**********002X", proofDigest: digest, applicationID: id, using: SwiftCryptoHashing()))
    }

    @Test("Masking keeps what is not personal and masks what the catalog no longer declares")
    func maskingRules() throws {
        let item = try #require(try Catalog.shipped().item(id: "resident-pension-claim"))
        let masked = PersonalDataRetention.masked(
            ["applicant-id": Self.applicantID, "mobile": "13812345678", "gone-field": "王小明"], item: item
        )
        #expect(masked == ["applicant-id": "1101**********002X", "mobile": "138****5678", "gone-field": "王**"])
        #expect(PersonalDataRetention.masked(address: "北京市朝阳区建国路88号") == "北京市朝阳区****")
        #expect(PersonalDataRetention.masked(address: nil) == nil)
    }
}
