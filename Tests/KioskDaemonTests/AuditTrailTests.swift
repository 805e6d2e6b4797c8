import Foundation
import KioskCore
import KioskStore
import KioskTesting
import Logging
import Testing

@testable import KioskDaemon

/// The audit log of control calls stays bounded (issue 13: 50 calls with 900 KiB names
/// added 44.6 MB and control characters were stored as they came): bounded fields,
/// refusals counted per caller and minute, and rows older than `[audit] keep_days`
/// deleted daily on the injected clock. Real SQLite in a temp dir.
@Suite("Audit trail")
struct AuditTrailTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    struct Setup {
        let directory: TemporaryDirectory
        let database: KioskDatabase
        let clock: TestClock
        let trail: AuditTrail
    }

    /// A trail on a fresh database, on a test clock (starting at 11:40:10 UTC).
    static func setup(keepDays: Int = 180) throws -> Setup {
        let directory = try TemporaryDirectory()
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let clock = TestClock(wall: Date(timeIntervalSince1970: 1_795_435_210))
        let trail = AuditTrail(database: database, keepDays: keepDays, time: clock.environment(), logger: quiet)
        return Setup(directory: directory, database: database, clock: clock, trail: trail)
    }

    @Test("Every audited field is bounded in length and has its control characters escaped")
    func fieldsBounded() async throws {
        // Given a trail
        let setup = try Self.setup()
        // When a call with a 5,000-character name carrying an escape sequence is recorded
        let hostile = "io.kioskd.Control.\u{1B}]52;c;SGVsbG8=\u{07}" + String(repeating: "界", count: 5000)
        setup.trail.record(actor: "uid:1000\u{9B}", action: hostile, outcome: "ok\u{202E}")
        await setup.trail.flush()
        // Then the stored row keeps at most the bound, with the escapes spelled out
        let row = try #require(try setup.database.recentAudit().first)
        for field in [row.actor, row.action, row.outcome] {
            #expect(field.utf8.count <= AuditRecord.maximumFieldBytes)
            #expect(field.unicodeScalars.allSatisfy(UntrustedText.isSafe))
        }
        #expect(row.action.hasPrefix("io.kioskd.Control.\\u{1B}]52;c;SGVsbG8=\\u{7}界界"))
        #expect(row.action.hasSuffix("…"))
        #expect(row.actor == "uid:1000\\u{9B}" && row.outcome == "ok\\u{202E}")
    }

    @Test("Refusals are counted: one row per caller, error and minute, written once the minute is over")
    func refusalsCounted() async throws {
        // Given a trail
        let setup = try Self.setup()
        // When one caller is refused 500 times and another twice within a minute, among an ordinary call
        for index in 0..<500 {
            setup.trail.record(actor: "uid:1000", action: "io.kioskd.Control.M\(index)", outcome: "org.varlink.service.PermissionDenied")
        }
        setup.trail.record(actor: "uid:0", action: "io.kioskd.Control.Status", outcome: "ok")
        setup.trail.record(actor: "uid:1001", action: "io.kioskd.Control.Status", outcome: "org.varlink.service.PermissionDenied")
        setup.trail.record(actor: "uid:1001", action: "io.kioskd.Control.Status", outcome: "org.varlink.service.PermissionDenied")
        await setup.trail.flush()
        // Then within the minute only the ordinary call is written
        #expect(try setup.database.auditCount() == 1)
        // When the minute is over
        setup.clock.advance(by: .seconds(60))
        await setup.trail.flush()
        // Then each refused caller has one row with the first method and the count
        let rows = try setup.database.recentAudit().filter { $0.outcome == "org.varlink.service.PermissionDenied" }
        let counted = Dictionary(uniqueKeysWithValues: rows.map { ($0.actor, "\($0.action) \($0.detail)") })
        #expect(counted == ["uid:1000": "io.kioskd.Control.M0 count=500", "uid:1001": "io.kioskd.Control.Status count=2"])
        #expect(try setup.database.auditCount() == 3)
    }

    @Test("Rows older than keep_days are deleted at start and again each day on the injected clock")
    func oldRowsPruned() async throws {
        // Given rows 200 days, 179.5 days and 1 day old, with keep_days 180
        let setup = try Self.setup(keepDays: 180)
        let now = setup.clock.wallNow
        for age in [200.0, 179.5, 1.0] {
            try setup.database.appendAudit(AuditRecord(at: now.addingTimeInterval(-age * 86_400), actor: "uid:0", action: "age \(age)", outcome: "ok"))
        }
        // When the trail starts
        let running = Task { try await setup.trail.run() }
        defer { running.cancel() }
        // Then the row older than 180 days is gone
        #expect(await eventually(within: .seconds(30)) { (try? setup.database.auditCount()) == 2 })
        // When a day passes on the clock
        #expect(await setup.clock.waitForSleepers(1, timeout: .seconds(30)))
        setup.clock.advance(by: .seconds(86_400))
        // Then the row that has now passed 180 days is gone too, and the recent one stays
        #expect(await eventually(within: .seconds(30)) { (try? setup.database.auditCount()) == 1 })
        #expect(try setup.database.recentAudit().map(\.action) == ["age 1.0"])
    }
}
