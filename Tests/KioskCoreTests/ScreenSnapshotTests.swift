import Foundation
import KioskCore
import KioskTesting
import Testing

/// Every screen of the citizen and enterprise journeys, in both languages, in normal and
/// elder mode (with and without DEC double-size lines), at 80×24 and 132×43, compared line
/// by line with the snapshots in `Snapshots/` (one file per variant). A screen with
/// double-size lines has a `# line sizes:` line under its name listing them. `KIOSKD_RECORD_SNAPSHOTS=1 swift test --filter
/// ScreenSnapshotTests` rewrites them; review the diff before committing.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    struct Variant: Sendable, CustomStringConvertible {
        var language: Language
        var elder: Bool
        /// The terminal draws DEC double-size lines.
        var large = false
        var size: TerminalSize
        var description: String {
            let mode = elder ? (large ? "elder-large" : "elder") : "normal"
            return "\(language == .chinese ? "zh" : "en")-\(mode)-\(size.columns)x\(size.rows)"
        }
    }

    static let variants: [Variant] = [Language.chinese, .english].flatMap { language in
        [(false, false), (true, false), (true, true)].flatMap { elder, large in
            [TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 132, rows: 43)].map {
                Variant(language: language, elder: elder, large: large, size: $0)
            }
        }
    }

    /// A screen: the profile and what happens from the attract screen on.
    struct Scene: Sendable {
        var name: String
        var profile: TerminalProfile = .citizen
        var events: [MenuEvent]
    }

    static func keys(_ text: String) -> [MenuEvent] { text.map { .key(.character($0)) } }
    static let enter = MenuEvent.key(.enter)
    static let fixedDate = Date(timeIntervalSince1970: 1_795_400_000)
    static let slip = AcceptanceSlip(
        applicationNumber: "A261123-00042-N", itemID: "resident-pension-claim",
        itemName: LocalizedText(chinese: "城乡居民养老金申领", english: "Resident pension claim"), applicantName: "张三",
        applicantID: "11010519491231002X", submittedAt: fixedDate, timeLimitDays: 10, kind: .promised, delivery: .pickup,
        terminal: "hall-1"
    )

    /// The enterprise bundle filled in, every sub-item chosen, up to the delivery step.
    static let enterpriseToCapital: [MenuEvent] = keys("1") + keys("1 2 3 4 5 6 7") + [enter] + [.key(.paste("北京示例科技有限公司"))]
        + [enter, .key(.paste("北京市海淀区中关村大街1号"))] + [enter]
    static let enterpriseFilled: [MenuEvent] = enterpriseToCapital + keys("50") + [enter, .key(.paste("软件开发"))]
        + [enter, .key(.paste("张三"))] + [enter] + keys("11010519491231002X") + [enter] + keys("13812345678") + [enter]

    /// The slip of the enterprise bundle with three sub-items.
    static let enterpriseSlip: AcceptanceSlip = {
        var slip = AcceptanceSlip(
            applicationNumber: "A261123-00043-K", itemID: MenuState.bundleItemID,
            itemName: LocalizedText(chinese: "企业开办一件事", english: "Enterprise opening (one thing, done once)"), applicantName: "北京示例科技有限公司",
            applicantID: "11010519491231002X", submittedAt: fixedDate, timeLimitDays: 1, kind: .promised, delivery: .pickup,
            terminal: "bank-1"
        )
        slip.subItems = [
            SubItem(key: "business-licence", name: LocalizedText(chinese: "营业执照", english: "Business licence")),
            SubItem(key: "seal-engraving", name: LocalizedText(chinese: "印章刻制", english: "Seal engraving")),
            SubItem(key: "bank-account", name: LocalizedText(chinese: "银行开户", english: "Bank account")),
        ]
        return slip
    }()

    /// Opens the pension claim form from home (apply list, arrows to the item).
    static func pensionForm(_ context: MenuContext) -> [MenuEvent] {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter), context: context)
        _ = state.handle(.key(.character("5")), context: context)
        let index = state.entries(in: context).firstIndex(of: .applyItem("resident-pension-claim")) ?? 0
        return keys("5") + Array(repeating: .key(.down), count: index) + [enter]
    }

    /// The insurance lookup's code sent to the masked phone.
    static let codeSent: [MenuEvent] = keys("31") + keys("11010519491231002X") + [enter, .codeRequested(.sent(CodeChallenge(
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, maskedPhone: "138****5678",
        expiresAt: MenuContext().now.addingTimeInterval(300)
    )))]

    static let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 123_450, period: "2026-10")
    static let order = PaymentOrder(
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, number: "PO00000042", amountFen: 123_450, state: .created,
        payURL: "https://pay.kioskd.invalid/o/PO00000042", expiresAt: MenuContext().now.addingTimeInterval(300)
    )
    static var paidOrder: PaymentOrder {
        var paid = order
        paid.state = .paid
        paid.channel = "wechat"
        return paid
    }
    /// A made-up 25×25 module pattern (the real encoder is tested with zbarimg).
    static let qr = QRMatrix(size: 25, modules: (0..<625).map { ($0 / 25 + $0 % 25 * 3) % 5 < 2 })

    static func scenes(_ context: MenuContext) -> [Scene] {
        let payBill = keys("41") + keys("3100000001") + [enter, .billAnswered(.found(bill))]
        let pension = pensionForm(context)
        let filled = pension + keys("11010519491231002X") + [enter] + keys("13812345678") + [enter]
        let rate: [MenuEvent] = [.key(.end), enter]
        return [
            Scene(name: "attract", events: []),
            Scene(name: "attract-enterprise", profile: .enterprise, events: []),
            Scene(name: "home", events: []),
            Scene(name: "home-enterprise", profile: .enterprise, events: []),
            Scene(name: "enterprise-requires", profile: .enterprise, events: keys("1") + keys("2 3") + [enter]),
            Scene(name: "enterprise-capital", profile: .enterprise, events: enterpriseToCapital + keys("50.1234567") + [enter]),
            Scene(name: "enterprise-summary", profile: .enterprise, events: enterpriseFilled + keys("1")),
            Scene(name: "enterprise-submitted", profile: .enterprise, events: enterpriseFilled + keys("1") + [
                enter, .applicationSubmitted(enterpriseSlip),
            ]),
            Scene(name: "enterprise-progress", profile: .enterprise, events: keys("3A261123-00043-K") + [enter] + keys("31002X") + [
                enter, .progressAnswered(CaseProgress(
                    applicationNumber: "A261123-00043-K", caseNumber: "CS20261123000043", itemID: MenuState.bundleItemID,
                    status: .underReview, changedAt: fixedDate, live: true,
                    subItems: ["bank-account": .underReview, "business-licence": .approved, "seal-engraving": .accepted,
                               "housing-fund-registration": .accepted]
                )),
            ]),
            Scene(name: "guide-stages", events: keys("1")),
            Scene(name: "guide-stage", events: keys("12")),
            Scene(name: "guide-item", events: keys("121")),
            Scene(name: "guide-search", events: keys("11") + [.key(.paste("公积金"))]),
            Scene(name: "apply-list", events: keys("5")),
            Scene(name: "form-field-error", events: pension + keys("110105194912310021") + [enter]),
            Scene(name: "form-choice", profile: .enterprise, events: keys("1")),
            Scene(name: "form-delivery", events: filled),
            Scene(name: "form-address", events: filled + keys("2")),
            Scene(name: "form-summary", events: filled + keys("1")),
            Scene(name: "form-waiting", events: filled + keys("1") + [enter]),
            Scene(name: "submitted", events: filled + keys("1") + [enter, .applicationSubmitted(slip)]),
            // (End and Enter rather than 7: in elder mode the rating is on the second page)
            Scene(name: "rating", events: rate),
            Scene(name: "rating-reason", events: rate + keys("1")),
            Scene(name: "rating-done", events: rate + keys("5")),
            Scene(name: "progress-form", events: keys("2")),
            Scene(name: "progress-offline", events: keys("2A261123-00042-N") + [enter] + keys("31002X") + [enter, .progressAnswered(
                CaseProgress(
                    applicationNumber: "A261123-00042-N", caseNumber: "CS20261123000042", itemID: "resident-pension-claim",
                    status: .underReview, changedAt: fixedDate, live: false
                )
            )]),
            Scene(name: "prove-identity", events: keys("3")),
            Scene(name: "otp-id", events: keys("31")),
            Scene(name: "otp-code", events: codeSent + keys("12")),
            Scene(name: "otp-wrong", events: codeSent + keys("123456") + [enter, .codeChecked(.wrong(attemptsLeft: 3))]),
            Scene(name: "otp-locked", events: codeSent + keys("123456") + [
                enter, .codeChecked(.locked(until: MenuContext().now.addingTimeInterval(900))),
            ]),
            Scene(name: "insurance-result", events: keys("3") + [.identityRead(IDCardReaderTests.card), enter, enter, .insuranceAnswered(
                .found(InsuranceSummary(
                    nameMasked: "张*", insuredSince: "2008-07", monthsPaid: 208, pensionBalanceFen: 8_512_300,
                    medicalBalanceFen: 1_203_450, lastPaidMonth: "2026-10", housingBalanceFen: 12_345_600,
                    monthlyDepositFen: 248_000, lastDepositMonth: "2026-10"
                ))
            )]),
            Scene(name: "pay-kinds", events: keys("4")),
            Scene(name: "pay-account-error", events: keys("41") + keys("12345") + [enter]),
            Scene(name: "pay-bill", events: payBill),
            Scene(name: "pay-qr", events: payBill + [enter, .orderCreated(Self.order, Self.qr)]),
            Scene(name: "pay-paid", events: payBill + [enter, .orderCreated(Self.order, Self.qr), .paymentFollowed(
                PaymentResult.paid(Self.paidOrder, sequence: 7, print: PrintOutcome(result: .printed, number: "R-000012"))
            )]),
            Scene(name: "pay-expired", events: payBill + [enter, .orderCreated(Self.order, Self.qr), .paymentFollowed(PaymentResult(
                order: Self.order, outcome: .expired
            ))]),
            Scene(name: "idle-warning", events: keys("1") + [.idleCountdown(remaining: 12)]),
        ]
    }

    static func render(_ scene: Scene, _ variant: Variant, view: MenuView, context: MenuContext) -> TextGrid {
        var context = context
        context.size = variant.size
        context.doubleSizeLines = variant.large
        var state = MenuState(profile: scene.profile)
        if !scene.events.isEmpty || !scene.name.hasPrefix("attract") {
            _ = state.handle(.key(.enter), context: context)
        }
        if variant.elder, !scene.name.hasPrefix("attract") { _ = state.handle(.key(.character(MenuState.elderDigit)), context: context) }
        if variant.language == .english { _ = state.handle(.key(.function(2)), context: context) }
        for event in scene.events { _ = state.handle(event, context: context) }
        return view.render(state, context: context)
    }

    /// The rows that are not single size, e.g. "1-2 6-7 double height" , or nil.
    static func lineSizes(_ grid: TextGrid) -> String? {
        var marks: [String] = []
        for (row, size) in grid.lineSizes.enumerated() {
            switch size {
            case .single, .doubleHeightBottom: continue
            case .doubleHeightTop: marks.append("\(row)-\(row + 1) double height")
            case .doubleWidth: marks.append("\(row) double width")
            }
        }
        return marks.isEmpty ? nil : marks.joined(separator: ", ")
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    @Test(arguments: variants)
    func everyScreenMatchesItsSnapshotAndFitsTheTerminal(_ variant: Variant) throws {
        // Given the shipped strings and catalog at the variant's size
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1")
        let context = MenuContext(
            catalog: try Catalog.shipped(), availability: .all, size: variant.size,
            today: CalendarDate(year: 2026, month: 11, day: 23)!
        )
        // When every scene is drawn
        var rendered: [(String, [String])] = []
        var sizes: [String: String] = [:]
        for scene in Self.scenes(context) {
            let grid = Self.render(scene, variant, view: view, context: context)
            rendered.append((scene.name, grid.lines))
            sizes[scene.name] = Self.lineSizes(grid)
            // (only elder mode on a terminal that draws them uses double-size lines)
            #expect((sizes[scene.name] != nil) == (variant.large && !scene.name.hasPrefix("attract")), "\(scene.name)")
        }
        // Then every line is exactly as wide as the terminal, framed screens keep their frame
        for (name, lines) in rendered {
            #expect(lines.count == variant.size.rows, "\(name)")
            for (row, line) in lines.enumerated() {
                #expect(line.displayWidth == variant.size.columns, "\(name) row \(row): \(line)")
            }
            if !name.hasPrefix("attract") {
                for row in 1..<(variant.size.rows - 1) where !lines[row].isEmpty {
                    #expect(lines[row].hasPrefix("│") || lines[row].hasPrefix("├"), "\(name) row \(row)")
                }
            }
            // And no screen shows a whole ID number or phone number once it was accepted
            if name != "form-field-error" {
                #expect(!lines.joined().contains("11010519491231002X"), "\(name)")
                #expect(!lines.joined().contains("13812345678"), "\(name)")
            }
        }
        // And the screens are the recorded ones
        let text = rendered.map { name, lines in
            "=== \(name) ===\n" + (sizes[name].map { "# line sizes: \($0)\n" } ?? "") + lines.joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
        let file = Self.directory.appendingPathComponent("\(variant).txt")
        if ProcessInfo.processInfo.environment["KIOSKD_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        let (expected, expectedSizes) = Self.sections(recorded)
        for (name, lines) in rendered {
            let want = try #require(expected[name], "no snapshot for \(name) in \(variant)")
            #expect(expectedSizes[name] == sizes[name], "\(variant) \(name) line sizes")
            for (row, line) in lines.enumerated() where row < want.count && want[row] != line {
                Issue.record("\(variant) \(name) row \(row):\n  want \(want[row])\n  got  \(line)")
            }
            #expect(want.count == lines.count, "\(variant) \(name)")
        }
    }

    static func sections(_ text: String) -> ([String: [String]], [String: String]) {
        var result: [String: [String]] = [:]
        var sizes: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("=== "), line.hasSuffix(" ===") {
                current = String(line.dropFirst(4).dropLast(4))
                result[current!] = []
            } else if let name = current, result[name]!.isEmpty, line.hasPrefix("# line sizes: ") {
                sizes[name] = String(line.dropFirst("# line sizes: ".count))
            } else if let name = current {
                result[name]!.append(String(line))
            }
        }
        for (name, lines) in result where lines.last == "" { result[name] = Array(lines.dropLast()) }
        return (result, sizes)
    }
}
