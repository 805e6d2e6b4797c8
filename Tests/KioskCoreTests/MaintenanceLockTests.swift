import Foundation
import KioskCore
import KioskTesting
import Testing

/// A technician's lock (`LockTerminal`): the maintenance screen, keys ignored, the
/// citizen's session ended first, and the unlock back to the attract screen.
@Suite("Maintenance lock")
struct MaintenanceLockTests {
    let view = MenuView(localization: try! Localization.shipped(), terminalName: "hall-1")

    func lines(_ state: MenuState, size: TerminalSize = .minimum) -> [String] {
        view.render(state, context: MenuContext(catalog: try! Catalog.shipped(), size: size)).lines
    }

    /// The non-blank lines of a grid, trimmed, with their row.
    func text(_ lines: [String]) -> [(Int, String)] {
        lines.enumerated().compactMap { row, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : (row, trimmed)
        }
    }

    @Test("The maintenance screen shows the title and the hint in both languages and the message between them, centred")
    func screenWithMessage() {
        // Given a locked terminal with a technician's message
        var state = MenuState(profile: .citizen)
        _ = state.handle(.lock(message: "Printer being refilled, back at 15:00"))
        // When it is drawn at 80×24
        let drawn = lines(state)
        // Then these are its only lines, centred in the middle rows
        let shown = text(drawn)
        #expect(shown.map(\.1) == [
            "设备维护中", "Under maintenance", "Printer being refilled, back at 15:00",
            "本机暂停服务，请使用其他终端或咨询工作人员", "This terminal is paused; please use another one or ask the staff",
        ])
        #expect(shown.map(\.0) == [8, 9, 11, 13, 14])
        #expect(drawn[8] == String(repeating: " ", count: 35) + "设备维护中" + String(repeating: " ", count: 35))
        #expect(drawn.allSatisfy { $0.displayWidth == 80 })
    }

    @Test("Without a message the maintenance screen has the title and the hint only")
    func screenWithoutMessage() {
        // Given a terminal locked without a message / When it is drawn
        var state = MenuState(profile: .citizen)
        _ = state.handle(.lock(message: nil))
        let shown = text(lines(state))
        // Then the title and the hint in both languages are all there is
        #expect(shown.map(\.1) == [
            "设备维护中", "Under maintenance", "本机暂停服务，请使用其他终端或咨询工作人员",
            "This terminal is paused; please use another one or ask the staff",
        ])
    }

    @Test("A message with control characters is drawn stripped, and a long one wraps to at most three lines")
    func messageStrippedAndBounded() {
        // Given a message with an escape sequence and one far longer than a line
        var state = MenuState(profile: .citizen)
        _ = state.handle(.lock(message: "\u{1B}]52;c;aGk=\u{07}back soon"))
        #expect(text(lines(state)).map(\.1).contains("]52;c;aGk=back soon"))
        _ = state.handle(.lock(message: String(repeating: "维护 ", count: 100)))
        // When it is drawn / Then no escape reaches the grid, and three lines hold the message
        let shown = text(lines(state))
        #expect(shown.count == 4 + MenuView.lockedMessageLines)
        #expect(shown[4].1.hasSuffix("…"))
    }

    @Test("Locking ends a citizen's session (the session-end effects, reason locked) and every key is then ignored")
    func lockEndsSessionAndIgnoresKeys() {
        // Given a citizen on the home menu
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        #expect(state.screen == .home)
        // When a technician locks the terminal
        let effects = state.handle(.lock(message: "back at 15:00"))
        // Then the session ended and the maintenance screen shows
        #expect(effects == [.sessionEnded(reason: .locked)])
        #expect(state.screen == .locked(message: "back at 15:00"))
        #expect(state.screen.statusName == "locked")
        // When a citizen presses keys, the language key and Escape / Then nothing changes
        for key in [Key.enter, .character("1"), MenuState.languageKey, .escape] {
            #expect(state.handle(.key(key)) == [])
        }
        #expect(state.screen == .locked(message: "back at 15:00"))
        #expect(state.language == .chinese)
        // When a technician resets it / Then it stays locked
        #expect(state.handle(.reset) == [])
        #expect(state.isLocked)
        // When it is unlocked / Then the attract screen waits for the next citizen
        #expect(state.handle(.unlock) == [])
        #expect(state.screen == .attract)
        #expect(state.handle(.key(.enter)) == [.sessionStarted])
    }

    @Test("A card laid on the reader of a locked terminal starts nothing and is not kept")
    func cardIgnoredWhileLocked() {
        // Given a locked terminal
        var state = MenuState(profile: .citizen)
        _ = state.handle(.lock(message: nil))
        // When an ID card is read
        let effects = state.handle(.identityRead(IDCardReaderTests.card))
        // Then no session starts, the card is not kept, and the maintenance screen stays
        #expect(effects == [])
        #expect(state.identity == nil)
        #expect(state.screen == .locked(message: nil))
    }

    @Test("Locking an idle terminal ends no session; locking again changes the message")
    func lockIdleTerminal() {
        // Given the attract screen
        var state = MenuState(profile: .citizen)
        // When it is locked, then locked again with another message
        #expect(state.handle(.lock(message: nil)) == [])
        #expect(state.handle(.lock(message: "back at 16:00")) == [])
        // Then the second message shows
        #expect(state.screen == .locked(message: "back at 16:00"))
    }

    @Test("The session machine wipes the screen when a lock ends a session, and runs no idle timer while locked")
    func machineLock() {
        // Given a session on the home menu
        var harness = SessionMachineTests.Harness(idle: .seconds(90), warning: .seconds(20))
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.enter)
        // When a technician locks the terminal
        let step = harness.machine.handle(.lock(message: "back at 15:00"), at: harness.time.moment)
        // Then the session ends, the screen and scrollback are wiped, the maintenance
        // screen is drawn, and no deadline is due
        #expect(step.effects == [.menu(.sessionEnded(reason: .locked)), .wipe, .draw])
        #expect(step.nextDeadline == nil)
        // When keys come and hours pass / Then it stays locked, with nothing to do
        let keys = harness.keys(.enter, .character("1"))
        #expect(SessionMachineTests.menuEffects(keys).isEmpty)
        #expect(keys.nextDeadline == nil)
        _ = harness.advance(.seconds(7200))
        #expect(harness.machine.menu.isLocked)
        // When it is unlocked / Then the attract screen is drawn and a key starts a session
        let unlocked = harness.machine.handle(.unlock, at: harness.time.moment)
        #expect(unlocked.effects == [.draw])
        #expect(harness.machine.menu.screen == .attract)
        #expect(SessionMachineTests.menuEffects(harness.keys(.enter)) == [.sessionStarted])
    }

    @Test("A technician's message shows on the notice line over the attract, menu and maintenance screens")
    func broadcastLine() {
        // Given a message in the context
        let context = MenuContext(catalog: try! Catalog.shipped(), broadcast: "The hall closes at 17:00")
        var state = MenuState(profile: .citizen)
        // When the attract screen, the home menu and the maintenance screen are drawn
        let attract = view.render(state, context: context).lines
        _ = state.handle(.key(.enter), context: context)
        let home = view.render(state, context: context).lines
        _ = state.handle(.lock(message: nil), context: context)
        let locked = view.render(state, context: context).lines
        // Then each has it on the notice line, both languages' label first
        for lines in [attract, home, locked] {
            #expect(lines[20].trimmingCharacters(in: CharacterSet(charactersIn: " │")) == "通知 Notice: The hall closes at 17:00", "\(lines[20])")
            #expect(lines[20].displayWidth == 80)
        }
        // And the home menu keeps its frame around it
        #expect(home[20].hasPrefix("│") && home[20].hasSuffix("│"))
    }

    @Test("The session machine shows a message on the attract screen for its seconds, then draws without it")
    func machineBroadcast() {
        // Given a session waiting on the attract screen, with no deadline
        var harness = SessionMachineTests.Harness()
        #expect(harness.machine.start(at: harness.time.moment).nextDeadline == nil)
        // When a technician sends a message for 30 seconds
        let step = harness.machine.handle(.broadcast("The hall closes at 17:00", duration: .seconds(30)), at: harness.time.moment)
        // Then it is drawn, and the machine wants to be called when it ends
        #expect(step.effects == [.draw])
        #expect(harness.machine.context.broadcast == "The hall closes at 17:00")
        #expect(harness.time.now.duration(to: step.nextDeadline!) == .seconds(30))
        // When its time has passed / Then it is gone and the screen drawn again, nothing due
        let after = harness.runToDeadline(of: step)
        #expect(after.effects == [.draw])
        #expect(harness.machine.context.broadcast == nil)
        #expect(after.nextDeadline == nil)
    }
}
