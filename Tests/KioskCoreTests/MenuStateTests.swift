import KioskCore
import Testing

@Suite("Menu state machine")
struct MenuStateTests {
    @Test("Any key on the attract screen starts a session on the home menu")
    func wake() {
        var state = MenuState(profile: .citizen)
        let effects = state.handle(.key(.character(" ")))
        #expect(state.screen == .home)
        #expect(effects == [.sessionStarted])
    }

    @Test("A digit opens the item it labels; 0 and Escape go back home")
    func digits() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("4")))
        #expect(state.screen == .payKinds)
        _ = state.handle(.key(.character("0")))
        #expect(state.screen == .home)
        _ = state.handle(.key(.character("1")))
        _ = state.handle(.key(.escape))
        #expect(state.screen == .home)
    }

    @Test("Digits beyond the menu do nothing")
    func outOfRange() {
        var state = MenuState(profile: .enterprise)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("8")))
        #expect(state.screen == .home)
    }

    @Test("Arrows move the highlight with wrap-around and Enter opens it")
    func arrows() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.up))
        #expect(state.selection == state.items.count - 1)
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        #expect(state.selection == 1)
        _ = state.handle(.key(.enter))
        #expect(state.isOnForm)
        #expect(state.form?.purpose == .progress)
    }

    @Test("A click on an item's row opens it")
    func click() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.click(GridPosition(row: MenuLayout.firstItemRow + 3, column: 10))))
        #expect(state.screen == .payKinds)
    }

    @Test("Escape on the home menu ends the session and returns to the attract screen")
    func leave() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("9")))
        #expect(state.language == .english)
        let effects = state.handle(.key(.escape))
        #expect(state.screen == .attract)
        #expect(effects == [.sessionEnded(reason: .citizenLeft)])
        #expect(state.language == .chinese)
    }

    @Test("F2 switches language on any screen")
    func language() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("2")))
        _ = state.handle(.key(.function(2)))
        #expect(state.language == .english)
        #expect(state.isOnForm)
    }

    @Test("Control keys such as Ctrl-C change nothing")
    func controls() {
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        let before = state
        for byte: UInt8 in [0x03, 0x1A, 0x1C, 0x13] {
            #expect(state.handle(.key(.control(byte))).isEmpty)
        }
        #expect(state == before)
    }

    @Test("A reset from the attract screen reports no session end")
    func resetIdle() {
        var state = MenuState(profile: .citizen)
        #expect(state.handle(.reset).isEmpty)
        _ = state.handle(.key(.enter))
        #expect(state.handle(.reset) == [.sessionEnded(reason: .reset)])
    }
}
