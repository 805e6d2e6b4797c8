import Foundation
import KioskCore
import KioskTesting
import Testing

/// The bank branch's enterprise-opening desk (profile `enterprise`): its title, pickup at
/// the branch, sub-items by name, registered capital in 万元, sub-items that need the
/// licence, and the slip. Screens compared as plain text lines.
@Suite("Bank desk")
struct BankDeskTests {
    let view = MenuView(localization: try! Localization.shipped(), terminalName: "bank-1", hallName: "示例银行海淀支行")
    let context = MenuContext(
        catalog: try! Catalog.shipped(), availability: .all, size: .minimum, today: CalendarDate(year: 2026, month: 11, day: 23)!
    )

    func send(_ events: [MenuEvent], to state: inout MenuState, context: MenuContext? = nil) {
        for event in events { _ = state.handle(event, context: context ?? self.context) }
    }

    func keys(_ text: String) -> [MenuEvent] { text.map { .key(.character($0)) } }

    func lines(_ state: MenuState, context: MenuContext? = nil) -> [String] {
        view.render(state, context: context ?? self.context).lines
    }

    /// The bundle's form on an enterprise terminal, sub-items `picked` entered.
    func bundle(picking picked: String, language: Language = .chinese) -> MenuState {
        var state = MenuState(profile: .enterprise)
        send([.key(.enter)] + (language == .english ? [.key(.function(2))] : []) + keys("1") + keys(picked) + [.key(.enter)], to: &state)
        return state
    }

    /// Every field after the sub-items, up to the delivery step.
    var restOfBundle: [MenuEvent] {
        [.key(.paste("北京示例科技有限公司")), .key(.enter), .key(.paste("北京市海淀区中关村大街1号")), .key(.enter)]
            + keys("50") + [.key(.enter), .key(.paste("软件开发")), .key(.enter), .key(.paste("张三")), .key(.enter)]
            + keys("11010519491231002X") + [.key(.enter)] + keys("13812345678") + [.key(.enter)]
    }

    @Test("The desk's title and welcome name the desk and the branch, never the 24-hour zone")
    func title() {
        // Given an enterprise terminal in a hall named in kioskd.toml
        var state = MenuState(profile: .enterprise)
        // When nobody uses it, then the welcome is the desk's in both languages, under the branch's name
        let attract = lines(state).joined(separator: "\n")
        #expect(attract.contains("示例银行海淀支行"))
        #expect(attract.contains("欢迎办理企业开办") && attract.contains("Welcome to the enterprise-opening desk"))
        #expect(!attract.contains("24"))
        // When the clerk starts, then the home title is the branch's desk
        send([.key(.enter)], to: &state)
        #expect(lines(state)[1].contains("示例银行海淀支行 · 企业开办服务专区"))
        send([.key(.function(2))], to: &state)
        #expect(lines(state)[1].contains("示例银行海淀支行 · Enterprise Opening Desk"))
        #expect(!lines(state).joined().contains("24-Hour"))
        // And without a hall name the title is the desk's alone; a citizen terminal keeps its own
        let plain = MenuView(localization: try! Localization.shipped(), terminalName: "bank-1")
        #expect(plain.render(state, context: context).lines[1].hasPrefix("│ Enterprise Opening Desk "))
        var citizen = MenuState(profile: .citizen)
        send([.key(.enter)], to: &citizen)
        #expect(view.render(citizen, context: context).lines[1].contains("24小时自助服务终端"))
    }

    @Test("Pickup is at this branch on the delivery choice and the summary; a citizen terminal keeps the hall's window")
    func pickup() {
        // Given the bundle filled in on an enterprise terminal
        var state = bundle(picking: "1 2 3")
        send(restOfBundle, to: &state)
        // Then the delivery choice offers pickup at this branch
        #expect(lines(state).contains { $0.contains("1  到本网点领取") })
        #expect(!lines(state).joined().contains("大厅窗口"))
        // When pickup is chosen, then the summary says so
        send(keys("1"), to: &state)
        #expect(lines(state).contains { $0.contains("领取方式：到本网点领取") })
        // And the slip it gets is the desk's, shown with the same words
        let effects = state.handle(.key(.enter), context: context)
        guard case .submitApplication(let draft)? = effects.first else { Issue.record("no draft: \(effects)"); return }
        #expect(draft.subItems == ["business-licence", "seal-engraving", "bank-account"])
        var slip = AcceptanceSlip(
            applicationNumber: "A261123-00043-K", itemID: draft.itemID, itemName: LocalizedText(chinese: "企业开办一件事", english: "x"),
            applicantName: "北京示例科技有限公司", applicantID: "", submittedAt: context.now, timeLimitDays: 1, kind: .promised,
            delivery: .pickup, terminal: "bank-1"
        )
        let printed = state.handle(.applicationSubmitted(slip), context: context)
        slip.profile = .enterprise
        #expect(printed == [.printAcceptanceSlip(slip)])
        #expect(lines(state).contains { $0.contains("领取方式：到本网点领取") })
    }

    @Test("Seal engraving or the bank account without the licence is refused with both languages naming the two")
    func requiresLicence() {
        // Given the bundle's sub-items on an enterprise terminal
        // When seal engraving and the bank account are chosen without the licence
        let state = bundle(picking: "2 3")
        // Then the pick is refused, kept as typed, and the message says what is missing in both languages
        #expect(state.form?.error == FormField.requiresMessageKey)
        #expect(state.form?.currentField?.id == "sub-items")
        let screen = lines(state)
        #expect(screen.contains { $0.contains("印章刻制需要营业执照：请一并选择 1") })
        #expect(screen.contains { $0.contains("Seal engraving needs the Business licence: choose 1 as well") })
        #expect(screen.contains { $0.contains("> 2 3") })
        // When only the bank account is chosen, it is named
        var account = bundle(picking: "3")
        #expect(lines(account).contains { $0.contains("银行开户需要营业执照") })
        // In English the message is English
        let english = bundle(picking: "3", language: .english)
        #expect(lines(english).contains { $0.contains("Bank account needs the Business licence: choose 1 as well") })
        // When the licence is added, then the pick is taken and the form goes on
        send([.key(.backspace)] + keys("1 3") + [.key(.enter)], to: &account)
        #expect(account.form?.values["sub-items"] == "business-licence,bank-account")
        #expect(account.form?.currentField?.id == "company-name")
        // And items without requirements are taken alone
        #expect(bundle(picking: "4 7").form?.values["sub-items"] == "tax-registration-and-invoices,housing-fund-registration")
    }

    @Test("Registered capital is typed in 万元, kept exact in fen, and refused when it is not an amount of 万元")
    func capitalInWanYuan() throws {
        // Given the capital field of the bundle
        let field = try #require(context.catalog.item(id: MenuState.bundleItemID)?.fields.first { $0.id == "registered-capital" })
        #expect(field.unit == .wanYuan)
        // Then 万元 become fen exactly
        let today = context.today
        #expect(field.check("50", today: today) == .valid(value: "50000000", needsReview: false))
        #expect(field.check("12.5", today: today) == .valid(value: "12500000", needsReview: false))
        #expect(field.check("0.000001", today: today) == .valid(value: "1", needsReview: false))
        #expect(field.check("1000000", today: today) == .valid(value: "1000000000000", needsReview: false))
        // And too many decimals, nothing, signs and yuan symbols are refused with the 万元 message; above the cap too
        for bad in ["0.0000001", "0", "-5", "¥50", "5e3", "50万"] {
            #expect(field.check(bad, today: today) == .invalid(messageKey: "form.error.amount.wan-yuan"), "\(bad)")
        }
        #expect(field.check("1000000.01", today: today) == .invalid(messageKey: "form.error.amount.max"))
        #expect(Money.wanYuan(12_500_000) == "12.5" && Money.wanYuan(1) == "0.000001" && Money.wanYuan(50_000_000) == "50")
        // When the clerk types it on the form, then the label and the hint say 万元 and the summary shows 万元
        var state = bundle(picking: "1")
        send([.key(.paste("北京示例科技有限公司")), .key(.enter), .key(.paste("北京市海淀区中关村大街1号")), .key(.enter)], to: &state)
        let screen = lines(state)
        #expect(screen.contains { $0.contains("注册资本（万元）") })
        #expect(screen.contains { $0.contains("以万元为单位") })
        send(keys("50") + [.key(.enter)], to: &state)
        #expect(state.form?.values["registered-capital"] == "50000000")
        send(Array(restOfBundle.dropFirst(7)) + keys("1"), to: &state)
        #expect(lines(state).contains { $0.contains("注册资本：50 万元") })
    }

    @Test("The summary wraps the sub-items between names at 80 columns, in both languages and in elder and large mode")
    func summaryNeverCutsANameAt80Columns() throws {
        let names = try #require(context.catalog.item(id: MenuState.bundleItemID)?.fields.first?.choices)
        for language in [Language.chinese, .english] {
            for (elder, large) in [(false, false), (true, false), (true, true)] {
                // Given every sub-item chosen at the smallest terminal
                var context = self.context
                context.doubleSizeLines = large
                var state = MenuState(profile: .enterprise)
                send([.key(.enter)] + (elder ? keys(MenuState.elderDigit.description) : [])
                    + (language == .english ? [.key(.function(2))] : []), to: &state, context: context)
                send(keys("1") + keys("1 2 3 4 5 6 7") + [.key(.enter)] + restOfBundle + keys("1"), to: &state, context: context)
                // When the summary is drawn
                let screen = view.render(state, context: context).lines
                // Then every name is whole on one line, and the list ends on the frame's inside
                for name in names {
                    #expect(screen.contains { $0.contains(name(language)) }, "\(language) elder \(elder) large \(large): \(name(language))")
                }
                #expect(screen.allSatisfy { $0.displayWidth == 80 })
                #expect(screen.contains { $0.contains(language == .chinese ? "领取方式：到本网点领取" : "Collect at this branch") })
            }
        }
    }

    @Test("Case progress names sub-items by the catalog, in the bundle's order, never by their ids")
    func progressNames() {
        // Given a bundle's progress with sub-item statuses, one the catalog does not know
        let progress = CaseProgress(
            applicationNumber: "A261123-00043-K", caseNumber: "CS1", itemID: MenuState.bundleItemID, status: .underReview,
            changedAt: context.now, live: true,
            subItems: ["bank-account": .underReview, "business-licence": .approved, "centre-extra\u{1B}[2J": .accepted]
        )
        var state = MenuState(profile: .enterprise)
        send([.key(.enter)] + keys("3") + keys("A261123-00043-K") + [.key(.enter)] + keys("31002X") + [.key(.enter)], to: &state)
        send([.progressAnswered(progress)], to: &state)
        // Then Chinese names, in the bundle's order, the unknown one last and stripped
        let screen = lines(state)
        let licence = screen.firstIndex { $0.contains("· 营业执照：已批准") }
        let account = screen.firstIndex { $0.contains("· 银行开户：审核中") }
        #expect(licence != nil && account != nil && licence! < account!)
        #expect(!screen.joined().contains("bank-account") && !screen.joined().contains("\u{1B}"))
        #expect(screen.contains { $0.contains("· centre-extra[2J：已受理") })
        // And English in English
        send([.key(.function(2))], to: &state)
        #expect(lines(state).contains { $0.contains("· Bank account：Under review") })
    }

    @Test("The slip lists each sub-item with its Chinese and English name and department, and pickup at this branch")
    func slip() throws {
        // Given a stored bundle application with three sub-items, accepted at a bank desk
        let application = Application(
            id: UUID(), number: "A261123-00043-K", itemID: MenuState.bundleItemID, terminal: "bank-1",
            values: ["company-name": "北京示例科技有限公司", "legal-rep-id": "11010519491231002X", "legal-rep-name": "张三"],
            subItems: ["bank-account", "business-licence", "seal-engraving"], delivery: .pickup, consentToGaps: false,
            needsReview: false, submittedAt: context.now
        )
        var slip = AcceptanceSlip(application: application, catalog: context.catalog)
        #expect(slip.subItems.map(\.key) == ["business-licence", "seal-engraving", "bank-account"])
        #expect(slip.subItems.map { $0.department?.chinese } == ["市场监督管理局", "公安局", "开户银行"])
        slip.profile = .enterprise
        // When it is printed
        let templates = PrintTemplates.shipped()
        let text = templates.document(for: slip).plainText.components(separatedBy: "\n")
        // Then each sub-item has its line, and pickup is at this branch
        #expect(text.contains("包含事项 Services included："))
        #expect(text.contains("· 营业执照 Business licence（市场监督管理局）"))
        #expect(text.contains("· 印章刻制 Seal engraving（公安局）"))
        #expect(text.contains("· 银行开户 Bank account（开户银行）"))
        #expect(text.contains("取件方式 Delivery：到本网点领取 Pick up at this branch"))
        #expect(!text.joined().contains("bank-account"))
        // And a citizen's slip has neither the sub-item heading nor the branch
        var citizen = slip
        citizen.subItems = []
        citizen.profile = .citizen
        let plain = templates.document(for: citizen).plainText.components(separatedBy: "\n")
        #expect(!plain.contains("包含事项 Services included：") && plain.contains("取件方式 Delivery：窗口领取 Pick up at the hall"))
    }
}
