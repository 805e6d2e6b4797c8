import Foundation
import KioskCore
import KioskStore
import KioskTesting
import Testing

@Suite("Print jobs in the store")
struct PrintJobStoreTests {
    static let document = PrintDocument(blocks: [.heading("受理回执"), .line("回执号：{number}")])

    @Test("Jobs get consecutive numbers, and their state survives closing and reopening the file")
    func durability() async throws {
        // Given a database file with two recorded jobs, one sent and one a reprint
        let directory = try TemporaryDirectory()
        let path = directory.file("kioskd.sqlite")
        var database: KioskDatabase? = try KioskDatabase(path: path)
        let request = PrintRequest(kind: .acceptanceSlip, reference: "A-1", document: Self.document)
        var first = try await database!.recordPrintJob(request, queue: "kiosk-receipt", reprintOf: nil, at: Date())
        let second = try await database!.recordPrintJob(request, queue: "kiosk-receipt", reprintOf: first.number, at: Date())
        first.state = .sent
        first.cupsJobID = 42
        first.attempts = 1
        try await database!.updatePrintJob(first)
        try database!.close()
        database = nil
        // When it is reopened
        let reopened = try KioskDatabase(path: path)
        // Then both jobs are there as they were written
        #expect(first.number == "R-000001")
        #expect(second.number == "R-000002")
        let stored = try #require(try await reopened.printJob(number: "R-000001"))
        #expect(stored.state == .sent)
        #expect(stored.cupsJobID == 42)
        #expect(stored.document == Self.document)
        #expect(try await reopened.printJob(number: "R-000002")?.reprintOf == "R-000001")
        #expect(try await reopened.printJobs(states: [.queued], limit: 10).map(\.number) == ["R-000002"])
        #expect(try await reopened.printJobs(states: [], limit: 10).map(\.number) == ["R-000002", "R-000001"])
        try reopened.close()
    }
}
