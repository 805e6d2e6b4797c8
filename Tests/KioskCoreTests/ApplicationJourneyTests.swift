import Foundation
import KioskCore
import KioskTesting
import Testing

/// The application, query and rating screens of the menu, driven key by key.
@Suite("Applications on the menu")
struct ApplicationJourneyTests {
    let view = MenuView(localization: try! Localization.shipped(), terminalName: "hall-1")
    let context = MenuContext(
        catalog: try! Catalog.shipped(), availability: .all, size: .minimum, today: CalendarDate(year: 2026, month: 11, day: 23)!
    )

    func type(_ text: String, into state: inout MenuState) -> [MenuEffect] {
        text.flatMap { state.handle(.key(.character($0)), context: context) }
    }

    func press(_ keys: Key..., on state: inout MenuState) -> [MenuEffect] {
        keys.flatMap { state.handle(.key($0), context: context) }
    }

    func screen(_ state: MenuState) -> String {
        view.render(state, context: context).lines.joined(separator: "\n")
    }

    /// Home → apply → the item `id` (found in the list and chosen with the arrows).
    func openApplication(_ id: String, profile: TerminalProfile = .citizen) -> MenuState {
        var state = MenuState(profile: profile)
        _ = press(.enter, on: &state)
        let applyIndex = state.items.firstIndex(of: .apply)! + 1
        _ = type(String(applyIndex), into: &state)
        #expect(state.screen == .applyList)
        let index = state.entries(in: context).firstIndex(of: .applyItem(id))!
        for _ in 0..<index { _ = press(.down, on: &state) }
        _ = press(.enter, on: &state)
        #expect(state.isOnForm)
        return state
    }

    @Test func aCitizenFillsAFormCorrectsAnErrorAndConfirmsAMaskedSummary() throws {
        // Given the pension claim form (resident ID, mobile)
        var state = openApplication("resident-pension-claim")
        // When an ID with a wrong check digit is entered
        _ = type("110105194912310021", into: &state)
        _ = press(.enter, on: &state)
        // Then the error is shown next to the field and what was typed is kept
        #expect(state.form?.error == "form.error.id.check")
        #expect(screen(state).contains("> 110105194912310021"))
        #expect(screen(state).contains("身份证号码校验位不正确"))
        // When the last character is corrected and the mobile number typed
        _ = press(.backspace, on: &state)
        _ = type("x", into: &state)
        _ = press(.enter, on: &state)
        _ = type("13812345678", into: &state)
        _ = press(.enter, on: &state)
        // And pickup at the hall is chosen
        _ = type("1", into: &state)
        // Then the summary shows the data masked, never whole
        let summary = screen(state)
        #expect(summary.contains("1101**********002X"))
        #expect(summary.contains("138****5678"))
        #expect(!summary.contains("11010519491231002X") && !summary.contains("13812345678"))
        // When the citizen confirms
        let effects = press(.enter, on: &state)
        // Then the application goes to the desk with the normalised values, and waits
        let draft = ApplicationDraft(
            itemID: "resident-pension-claim", values: ["applicant-id": "11010519491231002X", "mobile": "13812345678"],
            subItems: [], delivery: .pickup, consentToGaps: false, needsReview: false
        )
        #expect(effects == [.submitApplication(draft)])
        #expect(state.waiting)
        #expect(screen(state).contains("正在处理"))

        // When the desk answers with the slip
        let slip = AcceptanceSlip(
            applicationNumber: "A261123-00001-K", itemID: "resident-pension-claim",
            itemName: try #require(context.catalog.item(id: "resident-pension-claim")).name, applicantName: "",
            applicantID: "11010519491231002X", submittedAt: Date(), timeLimitDays: 10, kind: .promised, delivery: .pickup,
            terminal: "hall-1"
        )
        let printing = state.handle(.applicationSubmitted(slip), context: context)
        // Then the slip is printed, the number shown, and the form's data is gone
        #expect(printing == [.printAcceptanceSlip(slip)])
        #expect(state.screen == .submitted(slip) && state.form == nil)
        #expect(screen(state).contains("A261123-00001-K"))
        // When the citizen rates the service low with a reason
        _ = press(.enter, on: &state)
        _ = type("2", into: &state)
        #expect(state.screen == .ratingReason(level: 2, after: slip))
        let rated = type("1", into: &state)
        // Then the rating belongs to the application
        #expect(rated == [.rate(level: 2, reason: "slow", applicationNumber: "A261123-00001-K", itemID: "resident-pension-claim")])
        #expect(state.screen == .ratingDone(after: slip))
        _ = press(.enter, on: &state)
        #expect(state.screen == .home && state.slip == nil)
    }

    @Test("An application carries the session's proof when it proves the applicant, and none for someone else")
    func applicationCarriesTheProof() {
        for (id, proved) in [("11010519491231002X", true), ("110101199003074477", false)] {
            // Given the pension claim form and a card laid on the reader (it fills the ID)
            var state = openApplication("resident-pension-claim")
            _ = state.handle(.identityRead(IDCardReaderTests.card), context: context)
            // When the ID field is set to `id` and the form confirmed
            for _ in 0..<18 { _ = press(.backspace, on: &state) }
            _ = type(id, into: &state)
            _ = press(.enter, on: &state)
            _ = type("13812345678", into: &state)
            _ = press(.enter, on: &state)
            _ = type("1", into: &state)
            guard case .submitApplication(let draft) = press(.enter, on: &state).first else {
                Issue.record("not submitted")
                return
            }
            // Then the proof goes with it only when the applicant is the proved person
            #expect(draft.proof == (proved ? .card : nil))
        }
    }

    @Test func anAcceptWithGapsItemRecordsTheCommitmentAndEMSAsksForAnAddress() {
        // Given the public rental housing form, which accepts missing documents
        var state = openApplication("public-rental-housing")
        _ = type("11010519491231002X", into: &state)
        _ = press(.enter, on: &state)
        _ = type("张三", into: &state)
        _ = press(.enter, on: &state)
        _ = type("2", into: &state)
        _ = press(.enter, on: &state)
        _ = type("北京市朝阳区建国路88号", into: &state)
        _ = press(.enter, on: &state)
        _ = type("13812345678", into: &state)
        _ = press(.enter, on: &state)
        // When EMS is chosen and the address typed
        _ = type("2", into: &state)
        _ = type("上海市", into: &state)
        _ = press(.enter, on: &state)
        #expect(state.form?.error == "form.error.address.short")
        _ = type("浦东新区世纪大道100号", into: &state)
        _ = press(.enter, on: &state)
        // Then the commitment is asked; agreeing leads to the summary
        #expect(state.form?.step == .consent)
        _ = type("1", into: &state)
        let summary = screen(state)
        #expect(summary.contains("张*"))
        #expect(summary.contains("已签署容缺受理承诺"))
        #expect(!summary.contains("浦东新区世纪大道"))
        guard case .submitApplication(let draft) = press(.enter, on: &state).first else {
            Issue.record("not submitted")
            return
        }
        #expect(draft.consentToGaps)
        #expect(draft.delivery == .ems(address: "上海市浦东新区世纪大道100号"))
        #expect(draft.values["household-size"] == "2-people")
    }

    @Test func theEnterpriseBundleKeepsItsChosenSubItems() {
        // Given an enterprise terminal / When "open a business" is chosen
        var state = MenuState(profile: .enterprise)
        _ = press(.enter, on: &state)
        _ = type("1", into: &state)
        // Then its first field picks sub-items, several at once
        #expect(state.form?.currentField?.id == "sub-items")
        _ = type("3 1", into: &state)
        _ = press(.enter, on: &state)
        #expect(state.form?.values["sub-items"] == "business-licence,bank-account")
        // Leaving with Home forgets everything typed
        _ = press(.home, on: &state)
        #expect(state.screen == .home && state.form == nil)
    }

    @Test func aProgressQueryShowsTheLastKnownStatusWhenOffline() {
        // Given the progress query
        var state = MenuState(profile: .citizen)
        _ = press(.enter, on: &state)
        _ = type("2", into: &state)
        _ = type("A261123-00001-K", into: &state)
        _ = press(.enter, on: &state)
        _ = type("31002x", into: &state)
        // When it is asked
        let effects = press(.enter, on: &state)
        #expect(effects == [.queryProgress(CaseQuery(number: "A261123-00001-K", idSuffix: "31002x"))])
        // Then "not found" keeps the form with a message
        _ = state.handle(.progressAnswered(nil), context: context)
        #expect(state.isOnForm && state.notice == "progress.not-found")
        // And an offline answer says it is the last known status, with its time
        _ = press(.enter, on: &state)
        let answer = CaseProgress(
            applicationNumber: "A261123-00001-K", caseNumber: nil, itemID: "resident-pension-claim", status: .pending,
            changedAt: Date(timeIntervalSince1970: 1_795_400_000), live: false
        )
        _ = state.handle(.progressAnswered(answer), context: context)
        let lines = screen(state)
        #expect(state.screen == .progressResult(answer))
        #expect(lines.contains("中心服务暂不可用，显示 2026-11-23 10:13 的最新状态"))
        #expect(lines.contains("尚未分配"))
    }
}
