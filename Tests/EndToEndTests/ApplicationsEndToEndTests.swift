#if canImport(Glibc)
import Glibc
#endif
import CaseService
import Foundation
import KioskControl
import KioskCore
import KioskStore
import KioskTesting
import Testing

/// Applications from a real pseudo-terminal to the real case-service over loopback, with
/// the daemon's real SQLite file in between.
@Suite("Applications end to end", .serialized)
struct ApplicationsEndToEndTests {
    @Test func aCitizensApplicationTravelsFromTheMenuToTheCentreExactlyOnce() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given a daemon with one terminal and the central service answering
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(
                extraConfig: "[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n",
                centralURL: harness.url, token: "demo-token"
            )
            #expect(await daemon.waitUntilReady())
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            // When a citizen opens "submit an application" and picks the pension claim
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "Rate our service"))
            var menu = MenuState(profile: .citizen)
            let context = MenuContext(catalog: try Catalog.shipped())
            _ = menu.handle(.key(.enter), context: context)
            pty.type(String(menu.items.firstIndex(of: .apply)! + 1))
            _ = menu.handle(.key(.character(Character(String(menu.items.firstIndex(of: .apply)! + 1)))), context: context)
            // (The diff renderer sends only what changed: needles avoid text shared with the
            // screen before.)
            #expect(await pty.waitForOutput(containing: "也可在办事指南中按"))
            let index = try #require(menu.entries(in: context).firstIndex(of: .applyItem("resident-pension-claim")))
            pty.type(String(repeating: "\u{1B}[B", count: index))
            await pty.waitForQuiet()
            pty.type("\r")
            #expect(await pty.waitForOutput(containing: "第 1/2 项"))
            // And types the ID number with a mistake, sees the error, corrects it
            pty.type("110105194912310021\r")
            #expect(await pty.waitForOutput(containing: "校验位不正确"))
            pty.type("\u{7F}X\r")
            #expect(await pty.waitForOutput(containing: "手机号码"))
            pty.type("13812345678\r")
            #expect(await pty.waitForOutput(containing: "领取方式"))
            pty.type("1")
            #expect(await pty.waitForOutput(containing: "请核对"))
            pty.type("\r")
            // Then the screen says accepted and shows the application number
            #expect(await pty.waitForOutput(containing: "申请已受理"))
            await pty.waitForQuiet()
            let number = try #require(try await SQLiteShell.query(daemon.databasePath, "SELECT number FROM application").first)
            let screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
            #expect(screen.contains(number))
            #expect(!screen.contains("11010519491231002X"))
            // And the application reaches the centre once, with a case number back here
            var caseNumber: String?
            for _ in 0..<100 where caseNumber == nil {
                try await Task.sleep(for: .milliseconds(100))
                caseNumber = try await SQLiteShell.query(daemon.databasePath, "SELECT caseNumber FROM application WHERE caseNumber IS NOT NULL").first
            }
            #expect(caseNumber?.hasPrefix("CS") == true)
            #expect(try await harness.statistics().applications == 1)
            #expect(try await SQLiteShell.query(daemon.databasePath, "SELECT state FROM outboxEntry") == ["delivered"])
            // When the citizen rates the service
            pty.type("\r")
            #expect(await pty.waitForOutput(containing: "为本次"))
            pty.type("5")
            #expect(await pty.waitForOutput(containing: "感谢您的评价"))
            for _ in 0..<50 {
                if try await SQLiteShell.query(daemon.databasePath, "SELECT COUNT(*) FROM outboxEntry WHERE state = 'delivered'") == ["2"] { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            // Then the rating is stored with the application's number and forwarded
            #expect(try await SQLiteShell.query(daemon.databasePath, "SELECT level, applicationNumber FROM rating") == ["5|\(number)"])
            #expect(try await SQLiteShell.query(daemon.databasePath, "SELECT COUNT(*) FROM outboxEntry WHERE state = 'delivered'") == ["2"])
            // And Status and kioskctl-style listing show the outbox without personal data
            let socket = daemon.controlSocket
            let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
            #expect(status["outbox"]?["delivered"] == .integer(2))
            // Nothing personal reached the log
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
            let log = daemon.errorOutput()
            #expect(!log.contains("11010519491231002X") && !log.contains("13812345678"))
        }
    }

    @Test func aProgressQueryIsAnsweredLiveThenFromTheLastKnownStatusWhenTheCentreIsDown() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given an application stored and delivered, then approved at the centre
            let pty = try PseudoTerminal()
            let state = try TemporaryDirectory(prefix: "kioskd-e2e")
            let database = try KioskDatabase(path: state.file("kioskd.sqlite"))
            let application = try await database.storeApplication(at: Date()) { sequence in
                Application(
                    id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                    itemID: "resident-pension-claim", terminal: "hall-1",
                    values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"], subItems: [], delivery: .pickup,
                    consentToGaps: false, needsReview: false, submittedAt: Date()
                )
            }
            try database.close()
            // The process runs in UTC; the hall (the default time_zone) is in Beijing.
            let daemon = try DaemonProcess(
                extraConfig: "[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n",
                environment: ["TZ": "UTC"], centralURL: harness.url, token: "demo-token", reusing: state
            )
            #expect(await daemon.waitUntilReady())
            var caseNumber: String?
            for _ in 0..<100 where caseNumber == nil {
                try await Task.sleep(for: .milliseconds(100))
                caseNumber = try await SQLiteShell.query(daemon.databasePath, "SELECT caseNumber FROM application WHERE caseNumber IS NOT NULL").first
            }
            try await harness.advance(caseNumber: try #require(caseNumber))
            // When the citizen asks with the application number and the ID's last 6
            #expect(await pty.waitForOutput(containing: "请按任意键开始"))
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "Rate our service"))
            pty.type("2")
            #expect(await pty.waitForOutput(containing: "申请编号或办件编号"))
            pty.type(application.number.lowercased() + "\r")
            #expect(await pty.waitForOutput(containing: "身份证号后 6 位"))
            pty.type("31002x\r")
            // Then the live answer shows the status from the centre
            #expect(await pty.waitForOutput(containing: "审核中"))
            #expect(await pty.waitForOutput(containing: "实时"))
            // When the centre goes down and the citizen asks again
            try await harness.setFaults(FaultSettings(outageSeconds: 60))
            pty.type("0")
            #expect(await pty.waitForOutput(containing: "Rate our service"))
            pty.type("2")
            #expect(await pty.waitForOutput(containing: "申请编号或办件编号"))
            pty.type(application.number + "\r31002X\r")
            // Then the last known status is shown with its time, marked as not live
            #expect(await pty.waitForOutput(containing: "中心服务暂不可用", timeout: .seconds(15)))
            // And that time is the hall's (UTC+8), not the process's UTC
            let stored = try await SQLiteShell.query(
                daemon.databasePath, "SELECT strftime('%s', statusChangedAt) FROM application WHERE number = '\(application.number)'"
            )
            let changedAt = Date(timeIntervalSince1970: try #require(stored.first.flatMap(Double.init)))
            let beijing = HallTimeFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).minute(changedAt)
            #expect(await pty.waitForOutput(containing: beijing))
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
    }

    @Test func killingTheDaemonDuringForwardingLosesNothingAndDuplicatesNothing() async throws {
        let directory = try TemporaryDirectory()
        let faults = FaultSettings(latencyMilliseconds: 20, commitThenDrop: 0.3)
        try await CaseServiceHarness.withCaseService(.init(faults: faults), in: directory) { harness in
            // Given 200 applications in a daemon's outbox
            let state = try TemporaryDirectory(prefix: "kioskd-e2e")
            let database = try KioskDatabase(path: state.file("kioskd.sqlite"))
            for _ in 0..<200 {
                _ = try await database.storeApplication(at: Date()) { sequence in
                    Application(
                        id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                        itemID: "resident-pension-claim", terminal: "hall-1",
                        values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"], subItems: [],
                        delivery: .pickup, consentToGaps: false, needsReview: false, submittedAt: Date()
                    )
                }
            }
            try database.close()
            // When the daemon forwards them and is killed with SIGKILL midway
            let first = try DaemonProcess(centralURL: harness.url, token: "demo-token", reusing: state)
            #expect(await first.waitUntilReady())
            var delivered = 0
            for _ in 0..<200 where delivered < 40 {
                try await Task.sleep(for: .milliseconds(25))
                delivered = try await harness.statistics().applications
            }
            first.signal(SIGKILL)
            _ = await first.waitForExit()
            let atKill = try await harness.statistics().applications
            #expect(atKill > 0 && atKill < 200)
            // And started again on the same database
            try await harness.setFaults(FaultSettings(commitThenDrop: 0.2))
            let second = try DaemonProcess(centralURL: harness.url, token: "demo-token", reusing: state)
            #expect(await second.waitUntilReady())
            for _ in 0..<300 {
                if try await SQLiteShell.query(second.databasePath, "SELECT COUNT(*) FROM outboxEntry WHERE state = 'pending'") == ["0"] { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            // Then every application is at the centre exactly once and knows its case
            let statistics = try await harness.statistics()
            #expect(statistics.applications == 200)
            #expect(statistics.dropped > 0)
            #expect(try await SQLiteShell.query(second.databasePath, "SELECT COUNT(DISTINCT caseNumber) FROM application") == ["200"])
            #expect(try await SQLiteShell.query(second.databasePath, "SELECT state, COUNT(*) FROM outboxEntry GROUP BY state") == ["delivered|200"])
            second.signal(SIGTERM)
            #expect(await second.waitForExit() == 0)
        }
    }

    @Test func kioskctlOutboxListsRetriesAndRequeuesWithoutPersonalData() async throws {
        // Given two applications waiting while the central service is down
        let state = try TemporaryDirectory(prefix: "kioskd-e2e")
        let database = try KioskDatabase(path: state.file("kioskd.sqlite"))
        var numbers: [String] = []
        for _ in 0..<2 {
            let stored = try await database.storeApplication(at: Date()) { sequence in
                Application(
                    id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                    itemID: "resident-pension-claim", terminal: "hall-1",
                    values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"], subItems: [], delivery: .pickup,
                    consentToGaps: false, needsReview: false, submittedAt: Date()
                )
            }
            numbers.append(stored.number)
        }
        try database.close()
        let daemon = try DaemonProcess(reusing: state)
        #expect(await daemon.waitUntilReady())
        // When a technician lists the outbox (after the first tries have failed)
        var table = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox"])
        for _ in 0..<50 where !table.output.contains("unreachable") {
            try await Task.sleep(for: .milliseconds(100))
            table = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox"])
        }
        // Then the entries show their numbers, tries and the last error, nothing personal
        #expect(table.status == 0)
        #expect(table.output.contains("outbox: 2 pending, 0 delivered, 0 dead"))
        #expect(table.output.contains(numbers[0]) && table.output.contains("resident-pension-claim"))
        #expect(table.output.contains("unreachable"))
        #expect(!table.output.contains("11010519491231002X") && !table.output.contains("13812345678"))
        let json = try await run("kioskctl", ["outbox", "--json", "--socket", daemon.controlSocket])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.output.utf8))
        #expect(decoded["counts"]?["pending"] == .integer(2))
        // And retry makes them due now; requeueing an entry that is not dead is an error
        let retry = try await run("kioskctl", ["outbox", "retry", "--socket", daemon.controlSocket])
        #expect(retry.status == 0 && retry.output.contains("retrying 2 pending entries"))
        let requeue = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox", "requeue", "1"])
        #expect(requeue.status == 1 && requeue.errors.contains("NoSuchEntry"))
        let dead = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox", "--dead"])
        #expect(dead.status == 0 && dead.output.contains("0 dead"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
