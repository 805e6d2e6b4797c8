import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskStore
import KioskTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The central outage drill: 50 kiosks, each with its own SQLite outbox and kioskd's
/// forwarder on the production retry policy, against the reference case-service through a
/// long outage on the test clock (down with 503, flapping, then degraded with 500, 429 with
/// Retry-After, 409, 422, commit-then-drop and slow answers), then recovery with all 50
/// draining at once. Each simulated second of the recovery, the centre's request count is
/// read: the peak shows how far the backoff jitter spreads the drain, against the naive
/// figure of every kiosk sending its whole backlog the second the centre returns.
/// `KIOSKD_OUTAGE_MINUTES` (simulated; 10 here) and `KIOSKD_OUTAGE_APPLICATIONS` (per
/// kiosk; 6 here) make the soak version; the figures go to `make soak`'s table.
@Suite("Central outage drill", .serialized)
struct CentralOutageDrillTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let kiosks = 50
    static var outageMinutes: Int { Int(ProcessInfo.processInfo.environment["KIOSKD_OUTAGE_MINUTES"] ?? "") ?? 10 }
    static var perKiosk: Int { Int(ProcessInfo.processInfo.environment["KIOSKD_OUTAGE_APPLICATIONS"] ?? "") ?? 6 }
    /// The clock moves a simulated second at a time: coarser steps would line the kiosks'
    /// deadlines up on the step's grid and make a peak of their own.
    static let outageStep = Duration.seconds(1)

    /// The centre during the outage, by the share of it that has passed: degraded, then
    /// flapping between degraded and down every 20 s, then down (503 with a long
    /// Retry-After) to the end, so the kiosks meet the recovery with a backlog.
    static func faults(at step: Int, of steps: Int) -> FaultSettings {
        let down = FaultSettings(errorRates: ["503": 1.0], retryAfterSeconds: 60)
        let degraded = FaultSettings(
            latencyMilliseconds: 20, errorRates: ["500": 0.15, "429": 0.15, "409": 0.05, "422": 0.02], retryAfterSeconds: 30,
            commitThenDrop: 0.2
        )
        switch Double(step) / Double(steps) {
        case ..<0.2: return degraded
        case ..<0.5: return (step / 20) % 2 == 0 ? degraded : down
        default: return down
        }
    }

    /// Waits until every forwarder sleeps on the clock again: what was due has been sent.
    static func settle(_ clock: TestClock) async {
        await clock.waitForSleepers(kiosks, timeout: .seconds(20))
        // A forwarder can be between its clock sleep and its doorbell: give it a moment.
        try? await Task.sleep(for: .milliseconds(2))
        await clock.waitForSleepers(kiosks, timeout: .seconds(20))
    }

    /// Requests the centre has seen: handled submissions plus injected errors and outages.
    static func requests(_ harness: CaseServiceHarness) async throws -> Int {
        let statistics = try await harness.statistics()
        return statistics.submissions + statistics.injectedErrors
    }

    @Test("50 kiosks through a long central outage with flapping, 5xx, 429, 409, 422, commit-then-drop and slow answers: the drain is spread by jitter, nothing is lost or duplicated")
    func fiftyKiosksThroughAnOutage() async throws {
        let directory = try TemporaryDirectory()
        var tokens: [String: String] = [:]
        for kiosk in 0..<Self.kiosks { tokens["token-\(kiosk)"] = "K-\(kiosk)" }
        try await CaseServiceHarness.withCaseService(.init(tokens: tokens), in: directory) { harness in
            // Given 50 kiosks, each with an outbox holding half its applications, on one test clock
            let clock = TestClock()
            let time = clock.environment()
            var databases: [KioskDatabase] = []
            var forwarders: [Forwarder] = []
            var applications: [[Application]] = []
            for kiosk in 0..<Self.kiosks {
                let database = try KioskDatabase(path: directory.file("kiosk-\(kiosk).sqlite"))
                databases.append(database)
                applications.append(try await ForwarderTests.storeApplications(Self.perKiosk / 2, in: database, time: time))
                let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "token-\(kiosk)")
                var generator = SeededGenerator(seed: UInt64(kiosk + 1))
                let seed = UInt64.random(in: 1...UInt64.max, using: &generator)
                let random = SeededRandom(seed: seed)
                forwarders.append(Forwarder(
                    configuration: Forwarder.Configuration(), store: database, client: client, time: time,
                    random: { random.next() }, logger: Self.quiet
                ))
            }
            // And the centre down before they start
            try await harness.setFaults(FaultSettings(errorRates: ["503": 1.0], retryAfterSeconds: 60))
            let group = ServiceGroup(configuration: .init(services: forwarders, logger: Self.quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await Self.settle(clock)
                // When the outage lasts, its faults change, and the kiosks keep taking applications
                let steps = Self.outageMinutes * 60 / Int(Self.outageStep.components.seconds)
                // Each kiosk's later applications come at random steps of its own (seeded)
                let later = Self.perKiosk - Self.perKiosk / 2
                var arrivals = SeededGenerator(seed: 50)
                let arrivalSteps = (0..<Self.kiosks).map { _ in
                    Set((0..<later).map { _ in Int.random(in: 0..<max(1, steps), using: &arrivals) })
                }
                var current = FaultSettings?.none
                for step in 0..<steps {
                    let settings = Self.faults(at: step, of: steps)
                    if settings != current {
                        try await harness.setFaults(settings)
                        current = settings
                    }
                    for kiosk in 0..<Self.kiosks where arrivalSteps[kiosk].contains(step) && applications[kiosk].count < Self.perKiosk {
                        applications[kiosk] += try await ForwarderTests.storeApplications(1, in: databases[kiosk], time: time)
                        forwarders[kiosk].nudge()
                    }
                    clock.advance(by: Self.outageStep)
                    await Self.settle(clock)
                }
                for kiosk in 0..<Self.kiosks where applications[kiosk].count < Self.perKiosk {
                    applications[kiosk] += try await ForwarderTests.storeApplications(Self.perKiosk - applications[kiosk].count, in: databases[kiosk], time: time)
                }
                // And the centre recovers, with every kiosk's backlog waiting
                let backlog = try databases.reduce(0) { $0 + (try $1.outboxCounts().pending) }
                try await harness.setFaults(FaultSettings())
                var peak = 0
                var peakSecond = 0
                var seconds = 0
                var before = try await Self.requests(harness)
                while try databases.contains(where: { try $0.outboxCounts().pending > 0 }), seconds < 3_600 {
                    clock.advance(by: .seconds(1))
                    await Self.settle(clock)
                    seconds += 1
                    let after = try await Self.requests(harness)
                    if after - before > peak { (peak, peakSecond) = (after - before, seconds) }
                    before = after
                }
                let drained = seconds
                // And a technician requeues the dead letters the centre's 422s left, once it is fixed
                var deadLetters = 0
                for (kiosk, database) in databases.enumerated() {
                    for entry in try await database.outboxSummaries(states: [.dead]) {
                        deadLetters += 1
                        _ = try await database.requeueOutboxEntry(entry.id, at: time.wallNow)
                        forwarders[kiosk].nudge()
                    }
                }
                var requeueSeconds = 0
                while try databases.contains(where: { try $0.outboxCounts().pending > 0 }), requeueSeconds < 600 {
                    clock.advance(by: .seconds(1))
                    await Self.settle(clock)
                    requeueSeconds += 1
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                // Then every application reached the centre exactly once, and each kiosk knows its case
                let statistics = try await harness.statistics()
                let total = applications.reduce(0) { $0 + $1.count }
                var delivered = 0
                var caseNumbers = Set<String>()
                var integrityFailures = 0
                for (kiosk, database) in databases.enumerated() {
                    let counts = try await database.outboxCounts()
                    #expect(counts.pending == 0 && counts.dead == 0, "kiosk \(kiosk): \(counts)")
                    for application in applications[kiosk] {
                        if let found = try await database.application(number: application.number), let caseNumber = found.0.caseNumber {
                            delivered += 1
                            caseNumbers.insert(caseNumber)
                        }
                    }
                    if try !database.integrityCheck() { integrityFailures += 1 }
                }
                let lost = total - delivered
                let duplicated = (statistics.applications - total) + (delivered - caseNumbers.count)
                #expect(lost == 0)
                #expect(duplicated == 0, "centre \(statistics.applications), local \(total), cases \(caseNumbers.count)")
                #expect(statistics.conflicts == 0)
                #expect(integrityFailures == 0)
                // And the faults really happened, and the jitter spread the drain
                #expect(statistics.injectedErrors > 0 && statistics.dropped > 0 && statistics.replays > 0)
                #expect(peak < backlog, "peak \(peak)/s against a backlog of \(backlog)")
                print("central outage: \(Self.kiosks) kiosks, \(total) applications, \(Self.outageMinutes) simulated minutes of outage; backlog at recovery \(backlog) (the naive all-at-once peak); peak \(peak) requests in one simulated second (second \(peakSecond)); drained in \(drained) simulated s; \(deadLetters) dead letters (injected 422) requeued; centre saw \(statistics.submissions) submissions, \(statistics.replays) replays, \(statistics.dropped) dropped answers, \(statistics.injectedErrors) injected errors")
                SoakReport(
                    drill: "central outage 50 kiosks", cycles: Self.outageMinutes, lost: lost, duplicated: duplicated,
                    integrityFailures: integrityFailures, doublePrints: nil, maxRecovery: .seconds(drained)
                ).report()
            }
        }
    }
}

/// A seeded uniform source in 0..<1 for one forwarder's jitter, shared safely between its tasks.
final class SeededRandom: Sendable {
    private let state: Mutex<SeededGenerator>

    init(seed: UInt64) {
        state = Mutex(SeededGenerator(seed: seed))
    }

    func next() -> Double {
        state.withLock { Double.random(in: 0..<1, using: &$0) }
    }
}
