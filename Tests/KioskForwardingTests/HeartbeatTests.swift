import CaseService
import CaseServiceAPI
import Foundation
import KioskCore
import KioskTesting
import Logging
import Synchronization
import Testing

@testable import KioskForwarding

/// A status whose terminals hold what must never leave the kiosk: a last error quoting an
/// ID number, a name and a phone, the screen of a form, a device path.
private func statusWithPersonalData(oldestPendingAt: Date?) -> DaemonStatus {
    var terminal = TerminalStatus(
        name: "hall-1", profile: .citizen, device: "/dev/pts/7", state: .failed, screen: "form", columns: 80, rows: 24,
        bytesIn: 12, bytesOut: 3400, errors: 2, lastError: "bad input 11010519491231002X 张三 13812345678", locked: false
    )
    terminal.screen = "service:resident-pension-claim"
    let printer = PrinterStatus(
        role: .receipt, queue: "kiosk-receipt", state: .stopped,
        condition: PrinterCondition(severity: .fault, responsible: .hallStaff, reasons: ["media-empty"]), pendingJobs: 1, failedJobs: 2
    )
    return DaemonStatus(
        version: "0.1.0", uptimeSeconds: 3723, terminals: [terminal, TerminalStatus(name: "desk-2", profile: .enterprise, device: "/dev/ttyS1", state: .open)],
        central: CentralServiceStatus(url: "http://127.0.0.1:8086", reachability: .reachable),
        outbox: OutboxCounts(pending: 3, delivered: 10, dead: 1, oldestPendingAt: oldestPendingAt),
        printers: [printer],
        payments: PaymentsStatus(
            day: "2026-11-23", count: 4, totalFen: 123_450, unprintedReceipts: 1, lastSettled: "2026-11-22",
            settlementFaults: [.init(day: "2026-11-21", fault: .mismatch)]
        ),
        storage: StorageStatus(state: .low, freeMB: 10, minFreeMB: 64), kioskID: "HALL-1"
    )
}

@Suite("Heartbeat content")
struct HeartbeatContentTests {
    let sentAt = Date(timeIntervalSince1970: 1_795_408_920)
    let catalog = CatalogVersionReport(source: .local, version: "sha256:" + String(repeating: "ab", count: 32))

    func contractJSON(_ heartbeat: Heartbeat) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(CentralServiceClient.contract(heartbeat)), as: UTF8.self)
    }

    @Test("A heartbeat carries states, counts, names, ages and hashes, never a terminal's last error, screen, device or payment sums")
    func noPersonalData() throws {
        // Given a status with personal data in a terminal's last error and screen
        let status = statusWithPersonalData(oldestPendingAt: sentAt.addingTimeInterval(-754))
        let head = LedgerHead(sequence: 42, hash: String(repeating: "0f", count: 32))
        // When the heartbeat is made and written as the contract's JSON
        let heartbeat = Heartbeat(
            status: status, hall: "示范区政务服务中心", interval: .seconds(60), sentAt: sentAt, ledgerHeads: ["hall-1": head], catalog: catalog
        )
        let json = try contractJSON(heartbeat)
        // Then none of the personal data, the screen, the device or the day's sums is in it
        for secret in ["11010519491231002X", "张三", "13812345678", "bad input", "pension", "/dev/", "123450", "3400"] {
            #expect(!json.contains(secret), "\(secret) leaked: \(json)")
        }
        // And what the centre needs is there
        #expect(heartbeat.kioskID == "HALL-1" && heartbeat.hall == "示范区政务服务中心" && heartbeat.intervalSeconds == 60)
        #expect(heartbeat.terminals.map(\.name) == ["hall-1", "desk-2"] && heartbeat.terminals[0].state == .failed)
        #expect(heartbeat.printers.first?.responsible == .hallStaff && heartbeat.printers.first?.reasons == ["media-empty"])
        #expect(heartbeat.outbox == .init(pending: 3, dead: 1, oldestPendingSeconds: 754))
        #expect(heartbeat.payments?.lastSettledDay == "2026-11-22" && heartbeat.payments?.unprintedReceipts == 1)
        #expect(heartbeat.storage == .low)
        #expect(heartbeat.ledgerHeads == [.init(terminal: "hall-1", head: head)])
        for fragment in [#""responsible":"hall-staff""#, #""state":"failed""#, #""hash":"0f0f"#, #""oldestPendingSeconds":754"#,
                         #""storage":"low""#, #""fault":"mismatch""#, #""source":"local""#] {
            #expect(json.contains(fragment), "\(fragment) missing: \(json)")
        }
    }

    @Test("Outside text is stripped of control characters and every list and string is cut to the contract's limits")
    func limits() {
        // Given CUPS reasons with escape sequences, too many and too long, and a long hall name
        var status = statusWithPersonalData(oldestPendingAt: nil)
        status.printers[0].condition.reasons = ["\u{1B}[2Jmedia-jam\u{07}"] + (0..<30).map { "reason-\($0)-" + String(repeating: "x", count: 100) }
        // When the heartbeat is made
        let heartbeat = Heartbeat(
            status: status, hall: String(repeating: "厅", count: 100), interval: .seconds(200_000), sentAt: sentAt, ledgerHeads: [:],
            catalog: catalog
        )
        // Then the reasons are clean and within 16 × 64, the hall within 80, the interval within a day
        let reasons = heartbeat.printers[0].reasons
        #expect(reasons.first == "[2Jmedia-jam" && reasons.count == 16 && reasons.allSatisfy { $0.unicodeScalars.count <= 64 })
        #expect(heartbeat.hall?.count == 80 && heartbeat.intervalSeconds == 86_400)
        // And an empty hall name and an empty outbox are left out
        let plain = Heartbeat(status: status, hall: "", interval: .seconds(60), sentAt: sentAt, ledgerHeads: [:], catalog: catalog)
        #expect(plain.hall == nil && plain.outbox.oldestPendingSeconds == nil)
    }

    @Test("Every state kioskd knows has the contract's value of the same name")
    func enumsMatch() {
        // Given every case of KioskCore's enums / Then the contract has each raw value
        for state in TerminalStatus.State.allCases {
            #expect(Components.Schemas.HeartbeatTerminal.StatePayload(rawValue: state.rawValue) != nil)
        }
        for profile in TerminalProfile.allCases {
            #expect(Components.Schemas.HeartbeatTerminal.ProfilePayload(rawValue: profile.rawValue) != nil)
        }
        for role in PrintRole.allCases { #expect(Components.Schemas.HeartbeatPrinter.RolePayload(rawValue: role.rawValue) != nil) }
        for state in PrinterState.allCases { #expect(Components.Schemas.HeartbeatPrinter.StatePayload(rawValue: state.rawValue) != nil) }
        for severity in [PrinterCondition.Severity.ok, .warning, .fault] {
            #expect(Components.Schemas.HeartbeatPrinter.SeverityPayload(rawValue: severity.rawValue) != nil)
        }
        for responsible in PrinterCondition.Responsible.allCases {
            #expect(Components.Schemas.HeartbeatPrinter.ResponsiblePayload(rawValue: responsible.rawValue) != nil)
        }
        for storage in StorageState.allCases { #expect(Components.Schemas.Heartbeat.StoragePayload(rawValue: storage.rawValue) != nil) }
        for fault in SettlementFault.allCases {
            #expect(Components.Schemas.SettlementFaultReport.FaultPayload(rawValue: fault.rawValue) != nil)
        }
        for source in CatalogVersionReport.Source.allCases {
            #expect(Components.Schemas.HeartbeatCatalog.SourcePayload(rawValue: source.rawValue) != nil)
        }
    }
}

@Suite("Heartbeats to the real case-service")
struct HeartbeatServiceTests {
    @Test("Heartbeats reach the fleet at start and every interval; one the centre refuses is logged, not retried sooner, and the next gets through")
    func heartbeatsEveryInterval() async throws {
        let directory = try TemporaryDirectory()
        let configuration = CaseServiceApplication.Configuration(tokens: ["hall-token": "HALL-1"])
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            // Given a heartbeat service every 60 s on a test clock, against the real case-service
            let clock = TestClock()
            let time = clock.environment()
            let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "hall-token", timeout: .seconds(5))
            let made = Counter()
            let service = HeartbeatService(
                client: client, interval: .seconds(60), time: time, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { sentAt in
                made.increment()
                return Heartbeat(
                    status: statusWithPersonalData(oldestPendingAt: nil), hall: "Hall A", interval: .seconds(60), sentAt: sentAt,
                    ledgerHeads: [:], catalog: CatalogVersionReport(source: .local, version: "sha256:abc")
                )
            }
            // When it runs
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await service.run() }
                // Then the first heartbeat goes at start and the centre keeps it
                #expect(await eventually { service.last?.accepted == true })
                #expect(await clock.waitForSleepers(1))
                #expect(made.value == 1)
                let fleet = try await harness.fleetJSON()
                #expect(fleet.contains(#""kioskId":"HALL-1""#) && fleet.contains(#""name":"Hall A""#))
                // When the centre answers 503 at the next interval
                try await harness.setFaults(FaultSettings(errorRates: ["503": 1.0]))
                clock.advance(by: .seconds(60))
                // Then that heartbeat is not accepted, says why, and nothing is sent before the next interval
                #expect(await eventually { service.last?.outcome == "503 unavailable" })
                #expect(await clock.waitForSleepers(1))
                #expect(made.value == 2 && service.last?.accepted == false)
                // When the centre is back and the interval passes / Then the next one is accepted
                try await harness.setFaults(FaultSettings())
                clock.advance(by: .seconds(60))
                #expect(await eventually { service.last?.accepted == true })
                #expect(made.value == 3)
                tasks.cancelAll()
            }
        }
    }
}

/// Counts calls from any task.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
