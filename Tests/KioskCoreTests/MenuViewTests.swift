import Foundation
import KioskCore
import KioskTesting
import Testing

@Suite("Menu screens")
struct MenuViewTests {
    let view = MenuView(localization: try! Localization.shipped(), terminalName: "hall-1")

    func render(
        _ keys: [Key], profile: TerminalProfile = .citizen, size: TerminalSize = .minimum,
        availability: ServiceAvailability = .all
    ) -> [String] {
        let context = MenuContext(catalog: try! Catalog.shipped(), availability: availability, size: size)
        var state = MenuState(profile: profile)
        for key in keys { _ = state.handle(.key(key), context: context) }
        return view.render(state, context: context).lines
    }

    @Test("The citizen home menu in Chinese shows every service with its English label, aligned")
    func homeChinese() {
        // Given a citizen terminal woken up / When the home menu is drawn
        let lines = render([.enter])
        // Then the screen reads exactly so
        #expect(lines == [
            "┌──────────────────────────────────────────────────────────────────────────────┐",
            "│ 24小时自助服务终端                                                    hall-1 │",
            "├──────────────────────────────────────────────────────────────────────────────┤",
            "│                                                                              │",
            "│  请选择服务（按数字键，或用 ↑↓ 选择后按确认键）                              │",
            "│                                                                              │",
            "│  ▶ 1  办事指南          Service guide                                        │",
            "│    2  办件进度          Case progress                                        │",
            "│    3  社保公积金查询    Social insurance & housing fund                      │",
            "│    4  生活缴费          Pay bills                                            │",
            "│    5  网上申报          Submit an application                                │",
            "│    6  补打回执          Reprint a receipt                                    │",
            "│    7  服务评价          Rate our service                                     │",
            "│                                                                              │",
            "│                                                                              │",
            "│                                                                              │",
            "│    8  长辈模式（大字、慢节奏）                                               │",
            "│    9  English                                                                │",
            "│                                                                              │",
            "│                                                                              │",
            "│                                                                              │",
            "├──────────────────────────────────────────────────────────────────────────────┤",
            "│ F2 English · Esc 结束 · 0 返回首页                                           │",
            "└──────────────────────────────────────────────────────────────────────────────┘",
        ])
    }

    @Test("The home menu in English shows English labels only")
    func homeEnglish() {
        let lines = render([.enter, .function(2)])
        #expect(lines[1] == "│ 24-Hour Self-Service Terminal                                         hall-1 │")
        #expect(lines[6] == "│  ▶ 1  Service guide                                                          │")
        #expect(lines[8] == "│    3  Social insurance & housing fund                                        │")
        #expect(lines[17] == "│    9  中文                                                                   │")
        #expect(lines[22] == "│ F2 中文 · Esc to finish · 0 home                                             │")
    }

    @Test("The enterprise profile leads with the enterprise-opening bundle")
    func enterpriseHome() {
        let lines = render([.enter], profile: .enterprise)
        #expect(lines[6] == "│  ▶ 1  企业开办一件事    Open a business                                      │")
        #expect(lines[10] == "│    5  服务评价          Rate our service                                     │")
    }

    @Test("生活缴费 lists the kinds of bills, in both languages")
    func payKinds() {
        let lines = render([.enter, .character("4")])
        #expect(lines[1] == "│ 生活缴费                                                              hall-1 │")
        #expect(lines[4] == "│  请选择缴费项目：                                                            │")
        #expect(lines[6] == "│  ▶ 1  水费              Water                                                │")
        #expect(lines[9] == "│    4  物业费            Property fee                                         │")
    }

    @Test("The attract screen invites a key press in both languages, centred")
    func attract() {
        let lines = render([])
        #expect(lines[9].trimmingCharacters(in: .whitespaces) == "欢迎使用 24 小时政务自助服务")
        #expect(lines[10].trimmingCharacters(in: .whitespaces) == "Welcome to the 24-hour government self-service")
        #expect(lines[12].trimmingCharacters(in: .whitespaces) == "请按任意键开始")
    }

    @Test("Every screen fills exactly the terminal's width at 80×24 and 132×43", arguments: [
        TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 132, rows: 43),
    ])
    func widths(size: TerminalSize) {
        let screens: [[Key]] = [
            [], [.enter], [.enter, .function(2)], [.enter, .character("3")], [.enter, .character("3"), .function(2)],
            [.enter, .character("8")], [.enter, .character("1")], [.enter, .character("1"), .function(2)],
            [.enter, .character("1"), .character("2")], [.enter, .character("1"), .character("2"), .character("1")],
            [.enter, .character("1"), .character("1"), .character("社"), .character("保")],
            [.enter, .function(2), .character("1"), .character("1"), .paste("passport"), .character("1")],
        ]
        for keys in screens {
            let lines = render(keys, size: size)
            #expect(lines.count == size.rows)
            for line in lines { #expect(line.displayWidth == size.columns) }
            if !keys.isEmpty {
                // The frame's right border stands in the last column on every body row.
                for line in lines[3..<(size.rows - 3)] { #expect(line.hasSuffix("│")) }
            }
        }
    }

    @Test("Both languages have the same strings")
    func locales() throws {
        #expect(try Localization.shipped().missingKeys.isEmpty)
    }
}
