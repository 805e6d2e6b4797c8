import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskStore
import KioskTesting
import Logging
import ServiceLifecycle
import Testing

/// The forwarder against the real case-service over loopback and a real SQLite outbox.
@Suite("Forwarder", .serialized)
struct ForwarderTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Fast retries so a test takes seconds; the policy's shape is the production one.
    static let configuration = Forwarder.Configuration(
        retry: RetryPolicy(base: .milliseconds(50), cap: .milliseconds(400)), batchSize: 16, parallelism: 4,
        breakerThreshold: 3, breakerOpenFor: .milliseconds(200), idlePoll: .milliseconds(200)
    )

    static func storeApplications(
        _ count: Int, in database: KioskDatabase, values: [String: String] = [:], time: TimeEnvironment = .system
    ) async throws -> [Application] {
        var stored: [Application] = []
        for _ in 0..<count {
            let now = time.wallNow
            let application = try await database.storeApplication(at: now) { sequence in
                Application(
                    id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                    itemID: "hukou-newborn", terminal: "t1",
                    values: values.isEmpty ? ["applicant-id": "11010519491231002X", "mobile": "13812345678"] : values,
                    subItems: [], delivery: .pickup, consentToGaps: false, needsReview: false, submittedAt: now
                )
            }
            stored.append(application)
        }
        return stored
    }

    /// Runs a forwarder until the outbox has nothing pending (or `limit` passes).
    static func drain(_ database: KioskDatabase, url: String, limit: Duration = .seconds(30),
                      configuration: Forwarder.Configuration = configuration, time: TimeEnvironment = .system,
                      whileRunning: @Sendable () async throws -> Void = {}) async throws {
        let client = CentralServiceClient(baseURL: URL(string: url)!, token: "demo-token")
        let forwarder = Forwarder(configuration: configuration, store: database, client: client, time: time, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [forwarder], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await whileRunning()
            let deadline = ContinuousClock.now + limit
            while try await database.outboxCounts().pending > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Every application stored locally reached the centre exactly once and knows its case.
    static func expectExactlyOnce(_ applications: [Application], database: KioskDatabase, harness: CaseServiceHarness) async throws {
        let counts = try await database.outboxCounts()
        #expect(counts.pending == 0 && counts.dead == 0 && counts.delivered == applications.count)
        let statistics = try await harness.statistics()
        #expect(statistics.applications == applications.count)
        var caseNumbers = Set<String>()
        for application in applications {
            let (local, _) = try #require(try await database.application(number: application.number))
            let caseNumber = try #require(local.caseNumber)
            caseNumbers.insert(caseNumber)
            #expect(local.status == .accepted)
        }
        #expect(caseNumbers.count == applications.count)
    }

    @Test(arguments: [
        ("outage", FaultSettings(outageSeconds: 1.0)),
        ("503 with Retry-After", FaultSettings(errorRates: ["503": 0.6], retryAfterSeconds: 1)),
        ("429", FaultSettings(errorRates: ["429": 0.6], retryAfterSeconds: 1)),
        ("500", FaultSettings(errorRates: ["500": 0.5])),
        ("commit then drop", FaultSettings(commitThenDrop: 0.6)),
        ("latency", FaultSettings(latencyMilliseconds: 150)),
    ])
    func everyApplicationArrivesExactlyOnceUnderTheFault(_ name: String, _ faults: FaultSettings) async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given 24 applications in the outbox and a central service with the fault on
            let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            let applications = try await Self.storeApplications(24, in: database)
            try await harness.setFaults(faults)
            // When the forwarder drains it, and the fault clears once it has struck
            try await Self.drain(database, url: harness.url) {
                if name != "latency" { try await harness.waitUntilFaultsStruck() }
                try await harness.setFaults(FaultSettings())
            }
            // Then every application is at the centre exactly once, with its case number here
            try await Self.expectExactlyOnce(applications, database: database, harness: harness)
            // And the fault really happened on the way
            let statistics = try await harness.statistics()
            switch name {
            case "commit then drop": #expect(statistics.dropped > 0 && statistics.replays > 0)
            case "latency": break
            default: #expect(statistics.injectedErrors > 0)
            }
        }
    }

    @Test func aRefusedApplicationBecomesADeadLetterWithItsReasonAndCanBeRequeued() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given an application already delivered from one kiosk database
            let first = try KioskDatabase(path: directory.file("first.sqlite"))
            let original = try await Self.storeApplications(1, in: first)
            try await Self.drain(first, url: harness.url)
            // And a second database holding the same UUID with a different body
            let second = try KioskDatabase(path: directory.file("second.sqlite"))
            _ = try await second.storeApplication(at: Date()) { _ in
                var changed = original[0]
                changed.values["mobile"] = "13900000000"
                return changed
            }
            // When it is forwarded
            try await Self.drain(second, url: harness.url)
            // Then the centre refused it (422) and it is a dead letter with that reason
            let counts = try await second.outboxCounts()
            #expect(counts.dead == 1 && counts.pending == 0)
            let dead = try #require(try await second.outboxSummaries(states: [.dead]).first)
            #expect(dead.lastError?.hasPrefix("422") == true)
            #expect(dead.reference == original[0].number)
            // And nothing of the applicant is in what technicians see
            #expect(!"\(dead)".contains("13900000000") && !"\(dead)".contains("11010519491231002X"))
            // When a technician requeues it / Then it is pending again, then dead again
            #expect(try await second.requeueOutboxEntry(dead.id, at: Date()))
            #expect(try await second.outboxCounts().pending == 1)
            #expect(try await second.requeueOutboxEntry(dead.id, at: Date()) == false)
            try await Self.drain(second, url: harness.url)
            #expect(try await second.outboxCounts().dead == 1)
            #expect(try await harness.statistics().applications == 1)
        }
    }

    @Test func entriesOlderThanTheAgeLimitBecomeDeadLettersWithoutBeingSent() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given an application queued longer ago than the limit, on the test clock
            let clock = TestClock()
            let time = clock.environment()
            let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            _ = try await Self.storeApplications(1, in: database, time: time)
            clock.advance(by: .seconds(2))
            var configuration = Self.configuration
            configuration.maxAge = .seconds(1)
            // When the forwarder sees it
            try await Self.drain(database, url: harness.url, configuration: configuration, time: time)
            // Then it is dead with the reason, and the centre never saw it
            let dead = try #require(try await database.outboxSummaries(states: [.dead]).first)
            #expect(dead.lastError?.hasPrefix("expired") == true)
            #expect(try await harness.statistics().submissions == 0)
        }
    }

    @Test("Backoff and the breaker run on the test clock: nothing is retried until the clock moves, then everything arrives once")
    func backoffAndBreakerFollowTheTestClock() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given three applications, a centre answering every submission with 503 (Retry-After 1 s),
            // and a forwarder on the test clock whose breaker opens after three failures for 10 s
            let clock = TestClock()
            let time = clock.environment()
            let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            let applications = try await Self.storeApplications(3, in: database, time: time)
            try await harness.setFaults(FaultSettings(errorRates: ["503": 1.0], retryAfterSeconds: 1))
            let configuration = Forwarder.Configuration(
                retry: RetryPolicy(base: .seconds(1), cap: .seconds(8)), batchSize: 16, parallelism: 1, breakerThreshold: 3,
                breakerOpenFor: .seconds(10), idlePoll: .seconds(5)
            )
            let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let forwarder = Forwarder(configuration: configuration, store: database, client: client, time: time, logger: Self.quiet)
            let group = ServiceGroup(configuration: .init(services: [forwarder], logger: Self.quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // When the forwarder has tried each once
                let tried = await eventually { (try? await harness.statistics().injectedErrors) == 3 }
                #expect(tried)
                // Then the breaker holds back, each entry waits at least the Retry-After and at most the cap
                #expect(await clock.waitForSleepers())
                #expect(forwarder.isHoldingBack)
                for entry in try await database.dueEntries(at: time.wallDate(after: .seconds(8)), limit: 10) {
                    #expect(entry.attempts == 1)
                }
                #expect(try await database.dueEntries(at: time.wallDate(after: .milliseconds(999)), limit: 10).isEmpty)
                // And without the clock moving nothing more is sent
                #expect(try await harness.statistics().injectedErrors == 3)
                #expect(try await database.outboxCounts().pending == 3)
                // When the centre heals and the breaker's 10 s pass on the test clock
                try await harness.setFaults(FaultSettings())
                clock.advance(by: .seconds(10))
                // Then a probe goes through, the breaker closes, and the rest follow: each exactly once
                let drained = await clock.drive(step: .seconds(1), limit: .seconds(30)) {
                    (try? database.outboxCounts().pending) == 0
                }
                #expect(drained)
                #expect(!forwarder.isHoldingBack)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            try await Self.expectExactlyOnce(applications, database: database, harness: harness)
            #expect(try await harness.statistics().injectedErrors == 3)
        }
    }

    @Test func statusChangesArePulledByCursorAndKeptForOfflineAnswers() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given two delivered applications
            let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            let applications = try await Self.storeApplications(2, in: database)
            try await Self.drain(database, url: harness.url)
            let caseNumber = try #require(try await database.application(number: applications[0].number)?.0.caseNumber)
            // When the centre moves one case to under review, then approved, and the kiosk pulls
            try await harness.advance(caseNumber: caseNumber)
            try await harness.advance(caseNumber: caseNumber)
            let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let sync = StatusSync(store: database, client: client, interval: .seconds(60), time: .system, logger: Self.quiet)
            let applied = await sync.pull()
            // Then the local copy says approved, with the time of the change; the other is accepted
            #expect(applied >= 4)
            #expect(try await database.application(number: applications[0].number)?.0.status == .approved)
            #expect(try await database.application(number: applications[1].number)?.0.status == .accepted)
            #expect(try await database.statusCursor() > 0)
            // And a second pull finds nothing new
            #expect(await sync.pull() == 0)
        }
    }

    @Test func anotherKiosksTokenSeesNothingAndAnUnknownTokenIsRefused() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(.init(tokens: ["a-token": "a", "b-token": "b"]), in: directory) { harness in
            let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
            let applications = try await Self.storeApplications(1, in: database)
            let a = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "a-token")
            let b = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "b-token")
            let stranger = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "nope")
            #expect(await stranger.submit(applications[0], now: Date()) == .retry(reason: "401 token refused", retryAfter: nil, outage: false))
            guard case .delivered = await a.submit(applications[0], now: Date()) else {
                Issue.record("not delivered")
                return
            }
            #expect(try await a.progress(applicationNumber: applications[0].number, caseNumber: nil).get() != nil)
            #expect(try await b.progress(applicationNumber: applications[0].number, caseNumber: nil).get() == nil)
        }
    }
}
