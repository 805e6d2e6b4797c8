import KioskCore
import KioskTesting
import Testing

@Suite("Service guide")
struct ServiceGuideTests {
    let catalog = try! Catalog.shipped()
    let view = MenuView(localization: try! Localization.shipped(), terminalName: "hall-1")

    func context(_ size: TerminalSize = .minimum, availability: ServiceAvailability = .all) -> MenuContext {
        MenuContext(catalog: catalog, availability: availability, size: size)
    }

    func press(_ keys: [Key], profile: TerminalProfile = .citizen, context: MenuContext? = nil) -> (MenuState, [MenuEffect]) {
        let context = context ?? self.context()
        var state = MenuState(profile: profile)
        var effects: [MenuEffect] = []
        for key in keys { effects += state.handle(.key(key), context: context) }
        return (state, effects)
    }

    @Test("The guide lists search and the 8 personal and 4 business life stages over two pages")
    func stages() {
        // Given the guide opened from the home menu
        let (state, _) = press([.enter, .character("1")])
        #expect(state.screen == .guideStages)
        let entries = state.entries(in: context())
        // Then search comes first, then every stage with items for citizens
        #expect(entries.first == .search)
        #expect(entries.count == 13)
        let lines = view.render(state, context: context()).lines
        #expect(lines[6] == "│  ▶ 1  搜索事项          Search services                                      │")
        #expect(lines[7] == "│    2  个人·出生         Birth                                                │")
        #expect(lines[15].contains("第 1/2 页"))
    }

    @Test("Turning the page shows the business stages, and digits count from the page's first entry")
    func paging() {
        let (state, _) = press([.enter, .character("1"), .right])
        #expect(state.page == 1)
        let lines = view.render(state, context: context()).lines
        #expect(lines[6].contains("1  法人·企业开办"))
        let (opened, _) = press([.enter, .character("1"), .right, .character("1")])
        guard case .guideStage = opened.screen else {
            Issue.record("expected a stage, got \(opened.screen)")
            return
        }
    }

    @Test("A stage lists its items with immediate or promised time, and an item shows its guide")
    func itemGuide() {
        // Given the birth stage
        let (stage, _) = press([.enter, .character("1"), .character("2")])
        #expect(stage.screen == .guideStage("person-birth"))
        // When the newborn insurance item is opened
        let index = stage.entries(in: context()).firstIndex(of: .item("birth-medical-insurance"))!
        let (item, _) = press([.enter, .character("1"), .character("2"), .character(Character(String(index + 1)))])
        #expect(item.screen == .guideItem("birth-medical-insurance"))
        // Then department, time, fee and materials are shown
        let text = view.render(item, context: context()).lines.joined(separator: "\n")
        #expect(text.contains("办理部门："))
        #expect(text.contains("收费标准：不收费"))
        #expect(text.contains("所需材料："))
        #expect(text.contains("1. "))
    }

    @Test("Keyword search finds items by Chinese and English names and keywords")
    func search() {
        #expect(catalog.search("公积金", profile: .citizen).contains { $0.id == "housing-fund-lookup" })
        #expect(catalog.search("PASSPORT", profile: .citizen).map(\.id) == ["passport-application"])
        #expect(catalog.search("营业执照", profile: .enterprise).contains { $0.id == "enterprise-opening-bundle" })
        #expect(catalog.search("no such thing", profile: .citizen).isEmpty)
    }

    @Test("Typing in the search screen filters live; a digit opens a result; Backspace edits")
    func searchScreen() {
        let (typed, _) = press([.enter, .character("1"), .character("1"), .character("护"), .character("照")])
        #expect(typed.screen == .guideSearch)
        #expect(typed.searchQuery == "护照")
        let lines = view.render(typed, context: context()).lines
        #expect(lines[3].contains("关键词：护照_"))
        #expect(lines[4].contains("找到 1 项"))
        let (opened, _) = press([.enter, .character("1"), .character("1"), .character("护"), .character("照"), .character("1")])
        #expect(opened.screen == .guideItem("passport-application"))
        let (edited, _) = press([.enter, .character("1"), .character("1"), .character("护"), .backspace])
        #expect(edited.searchQuery == "")
    }

    @Test("Hostile text typed into search is stripped and bounded")
    func hostileSearch() {
        let (state, _) = press([.enter, .character("1"), .character("1"), .paste("\u{1B}[2J" + String(repeating: "x", count: 100))])
        #expect(!state.searchQuery.contains("\u{1B}"))
        #expect(state.searchQuery.count == MenuState.maximumQueryLength)
    }

    @Test("Printing a guide without a printer says so instead of failing silently")
    func printUnavailable() {
        let offline = context(availability: ServiceAvailability(centralService: true, printer: false))
        let (state, effects) = press([.enter, .character("1"), .character("2"), .character("1"), .enter], context: offline)
        #expect(effects == [.sessionStarted])
        #expect(state.notice == "print.unavailable")
        let lines = view.render(state, context: offline).lines
        #expect(lines[20].contains("打印暂停：打印机不可用"))
        // With a printer, Enter asks the session to print this item's guide.
        let (printing, printEffects) = press([.enter, .character("1"), .character("2"), .character("1"), .enter])
        guard case .guideItem(let id) = printing.screen else {
            Issue.record("expected an item guide")
            return
        }
        #expect(printEffects.last == .printGuide(itemID: id))
    }

    @Test("A service whose central service is down is dimmed with the reason and does not open")
    func gating() {
        let offline = context(availability: ServiceAvailability(centralService: false, printer: true))
        let lines = view.render(press([.enter]).0, context: offline).lines
        #expect(lines[8].contains("社保公积金查询"))
        #expect(lines[8].contains("暂停：中心服务离线"))
        // Progress answers from the last known status, so it stays available.
        #expect(!lines[7].contains("暂停"))
        let (state, _) = press([.enter, .character("3")], context: offline)
        #expect(state.screen == .home)
        #expect(state.notice == "gate.central")
        // The guide needs nothing outside and still opens.
        #expect(press([.enter, .character("1")], context: offline).0.screen == .guideStages)
    }

    @Test("Back goes one step back to the same entry; 0 goes home from anywhere")
    func navigation() {
        let (state, _) = press([.enter, .character("1"), .character("3"), .character("2"), .escape])
        #expect(state.screen == .guideStage("person-schooling"))
        #expect(state.selection == 1)
        let (back, _) = press([.enter, .character("1"), .character("3"), .escape])
        #expect(back.screen == .guideStages)
        #expect(back.selection == 2)
        let (home, _) = press([.enter, .character("1"), .character("3"), .character("2"), .character("0")])
        #expect(home.screen == .home)
    }

    @Test("Elder mode shows five entries a page with space between them")
    func elderMode() {
        let (state, _) = press([.enter, .character("8"), .character("1")])
        #expect(state.elderMode)
        #expect(state.pageCapacity(in: context()) == 5)
        let lines = view.render(state, context: context()).lines
        #expect(lines[6].contains("1  搜索事项"))
        #expect(lines[7] == "│                                                                              │")
        #expect(lines[8].contains("2  个人·出生"))
        #expect(MenuLayout.entryIndex(at: GridPosition(row: 8, column: 10), count: 5, elderMode: true) == 1)
        #expect(MenuLayout.entryIndex(at: GridPosition(row: 7, column: 10), count: 5, elderMode: true) == nil)
    }

    @Test("Elder mode on a terminal with DEC double-size lines draws the title and each entry double height")
    func elderModeLargeGlyphs() {
        // Given a terminal that draws double-size lines, in elder mode on the guide
        var large = context()
        large.doubleSizeLines = true
        let (state, _) = press([.enter, .character("8"), .character("1")], context: large)
        #expect(state.largeGlyphs(in: large))
        let grid = view.render(state, context: large)
        // Then the title is one double-height line over rows 1–2 and every entry one over
        // its row and the blank row below, with one label (no room for the English one)
        #expect(grid.lineSizes[1] == .doubleHeightTop && grid.lineSizes[2] == .doubleHeightBottom)
        for row in [6, 8, 10, 12, 14] {
            #expect(grid.lineSizes[row] == .doubleHeightTop, "row \(row)")
            #expect(grid.lineSizes[row + 1] == .doubleHeightBottom, "row \(row + 1)")
        }
        #expect(grid.lineSizes[16] == .single)
        let lines = grid.lines
        #expect(lines[1].hasPrefix("│ 办  事  指  南  "))
        #expect(lines[1] == lines[2])
        #expect(lines[8].hasPrefix("│     2     个  人"))
        #expect(lines[8].contains("出  生  "))
        #expect(!lines[8].contains("Birth"))
        // And the frame's sides stand at both ends of every line
        for line in lines[1...20] {
            #expect(line.hasPrefix("│"))
            #expect(line.hasSuffix("│") || line.hasSuffix("│ ") || line.hasSuffix("┤"))
        }
        // And a touch on either half of an entry chooses it
        #expect(MenuLayout.entryIndex(at: GridPosition(row: 9, column: 10), count: 5, elderMode: true, large: true) == 1)
        #expect(MenuLayout.entryIndex(at: GridPosition(row: 8, column: 60), count: 5, elderMode: true, large: true) == 1)
        var touched = state
        _ = touched.handle(.key(.click(GridPosition(row: 9, column: 20))), context: large)
        #expect(touched.screen == .guideStage("person-birth"))
    }

    @Test("Without DEC double-size lines elder mode keeps normal lines")
    func elderModeWithoutLargeGlyphs() {
        let (state, _) = press([.enter, .character("8"), .character("1")])
        #expect(!state.largeGlyphs(in: context()))
        #expect(view.render(state, context: context()).lineSizes.allSatisfy { $0 == .single })
    }

    @Test("An idle countdown shows the question; a key keeps the session; timeout wipes everything")
    func idle() {
        var (state, _) = press([.enter, .character("1"), .character("1"), .character("1"), .character("1")])
        #expect(state.searchQuery == "11")
        _ = state.handle(.idleCountdown(remaining: 15), context: context())
        let lines = view.render(state, context: context()).lines.joined(separator: "\n")
        #expect(lines.contains("还需要更多时间吗？"))
        #expect(lines.contains("15 秒后"))
        _ = state.handle(.key(.character("x")), context: context())
        #expect(state.idleWarning == nil)
        #expect(state.searchQuery == "11")
        let effects = state.handle(.idleTimeout, context: context())
        #expect(effects == [.sessionEnded(reason: .idle)])
        #expect(state == MenuState(profile: .citizen))
    }
}
