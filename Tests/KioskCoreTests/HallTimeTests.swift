import Foundation
import KioskCore
import KioskTesting
import Testing

/// One moment, as the hall reads it everywhere: the slip, the screen and the CSV export say
/// the same local time, in the hall's zone and never the process's.
@Suite("Hall time")
struct HallTimeTests {
    /// 2026-11-23 04:42:00 UTC: 12:42 in Beijing.
    static let moment = Date(timeIntervalSince1970: 1_795_408_920)
    static let hall = TimeZone(identifier: "Asia/Shanghai")!

    @Test("A slip, a screen and a CSV line for the same moment show the same local time in the hall's zone")
    func sameTimeEverywhere() throws {
        // Given a hall in Beijing and one moment
        let time = TestClock(wall: Self.moment).environment(zone: "Asia/Shanghai")
        // When the slip is printed at that moment
        let slip = AcceptanceSlip(
            applicationNumber: "A261123-00001-K", itemID: "resident-pension-claim",
            itemName: LocalizedText(chinese: "城乡居民养老金申领", english: "Resident pension claim"), applicantName: "张三",
            applicantID: "11010519491231002X", submittedAt: time.wallNow, timeLimitDays: 10, kind: .promised, delivery: .pickup,
            terminal: "hall-1"
        )
        let paper = PrintTemplates.shipped().document(for: slip).plainText
        // And a progress answer of that moment is drawn on a screen
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.character(" ")))
        _ = state.handle(.key(.character("2")))
        for character in "A261123-00001-K" { _ = state.handle(.key(.character(character))) }
        _ = state.handle(.key(.enter))
        for character in "31002X" { _ = state.handle(.key(.character(character))) }
        _ = state.handle(.key(.enter))
        _ = state.handle(.progressAnswered(CaseProgress(
            applicationNumber: "A261123-00001-K", caseNumber: nil, itemID: "resident-pension-claim", status: .pending,
            changedAt: time.wallNow, live: false
        )))
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1", hallTime: time.format)
        let screen = view.render(state, context: MenuContext(size: TerminalSize(columns: 80, rows: 24))).lines.joined(separator: "\n")
        // And a ledger record of that moment is exported
        let record = LedgerRecord(
            terminal: "hall-1", sequence: 1, recordedAt: time.wallNow, kind: .payment, itemID: "bill-water", channel: "wechat",
            amountFen: 100, orderReference: "6f9619ff-8b86-d011-b42d-00c04fc964ff", maskedAccount: "******0001",
            previousHash: LedgerChain.genesisHash, hash: String(repeating: "0", count: 64), signature: ""
        )
        let csv = LedgerExport.csv([record], timeZone: time.timeZone)
        // Then all three say 12:42 on the 23rd, and none says the UTC 04:42
        #expect(paper.contains("2026-11-23 12:42"), "\(paper)")
        #expect(screen.contains("2026-11-23 12:42"), "\(screen)")
        #expect(csv.contains("2026-11-23T12:42:00+08:00"))
        for text in [paper, screen] { #expect(!text.contains("04:42")) }
        // And the application number's day is the hall's day, also just after midnight there
        let lateUTC = TestClock(wall: Date(timeIntervalSince1970: 1_795_449_600)).environment(zone: "Asia/Shanghai")
        #expect(lateUTC.today == CalendarDate(year: 2026, month: 11, day: 24))
        #expect(lateUTC.hallMinute(lateUTC.wallNow) == "2026-11-24 00:00")
    }
}
