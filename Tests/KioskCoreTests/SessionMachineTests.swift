import Foundation
import KioskCore
import KioskTesting
import Testing

/// The session machine alone: every timer is driven by moving a test clock, nothing sleeps.
@Suite("Session machine")
struct SessionMachineTests {
    /// A terminal that reports 80×24, with the production timings.
    struct Harness {
        let clock = TestClock()
        var machine: SessionMachine
        var time: TimeEnvironment { clock.environment() }

        init(
            idle: Duration = .seconds(90), warning: Duration = .seconds(20), reportedSize: TerminalSize? = TerminalSize(columns: 80, rows: 24),
            askSize: Bool = false, sizeCheck: Duration? = .seconds(1)
        ) {
            let configuration = SessionMachine.Configuration(
                idleTimeout: idle, idleWarning: warning, elderIdleFactor: 2, escapeTimeout: .milliseconds(50),
                sizeCheckInterval: reportedSize == nil ? nil : sizeCheck, fallbackSize: .minimum, askSize: askSize,
                timeZone: TimeZone(identifier: "Asia/Shanghai")!
            )
            machine = SessionMachine(
                configuration: configuration, profile: .citizen, catalog: .empty, availability: .all,
                reportedSize: reportedSize, at: clock.environment().moment
            )
        }

        /// Feeds keys at the current moment.
        mutating func keys(_ keys: Key...) -> SessionStep {
            machine.handle(.input(keys.map(TerminalInput.key), decoderPending: false), at: time.moment)
        }

        /// Moves the clock to the step's deadline and tells the machine.
        mutating func runToDeadline(of step: SessionStep) -> SessionStep {
            clock.advance(by: time.now.duration(to: step.nextDeadline!))
            return machine.handle(.deadline, at: time.moment)
        }

        mutating func advance(_ duration: Duration) -> SessionStep {
            clock.advance(by: duration)
            return machine.handle(.deadline, at: time.moment)
        }
    }

    static func menuEffects(_ step: SessionStep) -> [MenuEffect] {
        step.effects.compactMap { if case .menu(let effect) = $0 { effect } else { nil } }
    }

    @Test("The first step enters kiosk mode and draws; the attract screen then waits for a key with no deadline at all")
    func start() {
        // Given a new session
        var harness = Harness()
        // When it starts
        let step = harness.machine.start(at: harness.time.moment)
        // Then it sets the terminal up and draws, and needs no wake-up until something happens
        #expect(step.effects == [.enterKioskMode(askSize: false), .draw])
        #expect(step.nextDeadline == nil)
        // When a citizen presses a key / Then the size is measured at once and watched each second
        let woken = harness.keys(.character(" "))
        #expect(woken.effects.first == .measureSize)
        #expect(harness.time.now.duration(to: woken.nextDeadline!) == .seconds(1))
        // And on a serial line (no size to watch) the next wake-up is the next minute of the hall's clock
        var serial = Harness(reportedSize: nil)
        _ = serial.machine.start(at: serial.time.moment)
        let session = serial.keys(.character(" "))
        #expect(serial.time.now.duration(to: session.nextDeadline!) == .seconds(60))
    }

    @Test("Idle: the warning appears at 70 s, counts down each second, and at 90 s the session ends and is wiped")
    func idleWarningCountdownAndReset() {
        // Given a session on the home menu
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        let woken = harness.keys(.character(" "))
        #expect(Self.menuEffects(woken) == [.sessionStarted])
        #expect(harness.machine.menu.screen == .home)
        // When nothing is typed: the next deadline is the hall clock's minute, then the warning 70 s after the key
        #expect(harness.time.now.duration(to: woken.nextDeadline!) == .seconds(60))
        var step = harness.advance(.seconds(70))
        // Then the warning shows 20 seconds, and the next deadline is one second later
        #expect(harness.machine.menu.idleWarning == 20)
        #expect(step.effects.contains(.draw))
        #expect(harness.time.now.duration(to: step.nextDeadline!) == .seconds(1))
        step = harness.runToDeadline(of: step)
        #expect(harness.machine.menu.idleWarning == 19)
        // When the countdown runs out
        for _ in 0..<18 { step = harness.runToDeadline(of: step) }
        #expect(harness.machine.menu.idleWarning == 1)
        step = harness.runToDeadline(of: step)
        // Then the session ends: recorded, wiped, back on the attract screen with nothing kept
        #expect(Self.menuEffects(step) == [.sessionEnded(reason: .idle)])
        #expect(step.effects.contains(.wipe))
        #expect(harness.machine.menu.screen == .attract)
        #expect(harness.machine.menu.idleWarning == nil)
    }

    @Test("A key during the warning keeps the session and starts the idle time over")
    func keyDuringWarning() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.character(" "))
        _ = harness.advance(.seconds(75))
        #expect(harness.machine.menu.idleWarning == 15)
        // When a key is pressed
        let step = harness.keys(.character("x"))
        // Then the warning is gone, the screen stays, and the next warning is 70 s away (the
        // machine may wake before that only for the hall clock's next minute)
        #expect(harness.machine.menu.idleWarning == nil)
        #expect(harness.machine.menu.screen == .home)
        #expect(step.effects.last == .draw)
        _ = harness.advance(.seconds(69))
        #expect(harness.machine.menu.idleWarning == nil)
        _ = harness.advance(.seconds(1))
        #expect(harness.machine.menu.idleWarning == 20)
    }

    @Test("Elder mode doubles the idle time and the warning")
    func elderModeIdle() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.character(" "))
        _ = harness.keys(.character(MenuState.elderDigit))
        #expect(harness.machine.menu.elderMode)
        _ = harness.advance(.seconds(139))
        #expect(harness.machine.menu.idleWarning == nil)
        _ = harness.advance(.seconds(1))
        #expect(harness.machine.menu.idleWarning == 40)
        _ = harness.advance(.seconds(40))
        #expect(harness.machine.menu.screen == .attract)
    }

    @Test("A lone Escape waits 50 ms for the rest of a sequence, then the decoder is flushed")
    func escapeTimeout() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        // When bytes leave the decoder holding a lone Escape
        let step = harness.machine.handle(.input([], decoderPending: true), at: harness.time.moment)
        // Then the machine asks to be woken after the Escape timeout, and asks for the flush then
        #expect(harness.time.now.duration(to: step.nextDeadline!) == .milliseconds(50))
        #expect(!step.effects.contains(.flushDecoder))
        let later = harness.runToDeadline(of: step)
        #expect(later.effects.contains(.flushDecoder))
        // And what the decoder held acts as keys
        let flushed = harness.machine.handle(.flushed([.key(.character(" "))]), at: harness.time.moment)
        #expect(Self.menuEffects(flushed) == [.sessionStarted])
    }

    @Test("The language switch works on any screen and is drawn at once")
    func languageSwitch() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.character(" "))
        let step = harness.keys(MenuState.languageKey)
        #expect(harness.machine.menu.language == .english)
        #expect(step.effects.last == .draw)
    }

    @Test("A resize is found at the next size check and redraws everything at the new size")
    func resize() {
        var harness = Harness()
        _ = harness.machine.start(at: harness.time.moment)
        let start = harness.keys(.character(" "))
        #expect(harness.machine.context.size == TerminalSize(columns: 80, rows: 24))
        // When the size check comes
        let check = harness.runToDeadline(of: start)
        #expect(check.effects.contains(.measureSize))
        // And the device reports a new size
        let step = harness.machine.handle(.measured(TerminalSize(columns: 132, rows: 43)), at: harness.time.moment)
        // Then everything is drawn again at that size
        #expect(step.effects.contains(.redrawAll))
        #expect(harness.machine.context.size == TerminalSize(columns: 132, rows: 43))
        // And the same size again changes nothing
        #expect(harness.machine.handle(.measured(TerminalSize(columns: 132, rows: 43)), at: harness.time.moment).effects.isEmpty)
    }

    @Test("A serial terminal is asked for its size and drawn at its answer")
    func askedSize() {
        var harness = Harness(reportedSize: nil, askSize: true)
        let start = harness.machine.start(at: harness.time.moment)
        #expect(start.effects.first == .enterKioskMode(askSize: true))
        let step = harness.machine.handle(
            .input([.report(.cursorPosition(row: 30, column: 100))], decoderPending: false), at: harness.time.moment
        )
        #expect(step.effects.contains(.redrawAll))
        #expect(harness.machine.context.size == TerminalSize(columns: 100, rows: 30))
    }

    @Test("The hall's date turns at local midnight, whatever UTC says")
    func dateTurnsAtLocalMidnight() {
        // Given a session started at 15:59:30 UTC, 23:59:30 in Beijing
        let clock = TestClock(wall: Date(timeIntervalSince1970: 1_795_449_570))
        let time = clock.environment()
        var machine = SessionMachine(
            configuration: .init(sizeCheckInterval: nil, timeZone: time.timeZone), profile: .citizen, catalog: .empty,
            availability: .all, reportedSize: nil, at: time.moment
        )
        _ = machine.start(at: time.moment)
        let start = machine.handle(.input([.key(.character(" "))], decoderPending: false), at: time.moment)
        #expect(machine.context.today == CalendarDate(year: 2026, month: 11, day: 23))
        // When the clock reaches the next minute, the deadline it asked for
        #expect(time.now.duration(to: start.nextDeadline!) == .seconds(30))
        clock.advance(by: .seconds(30))
        let step = machine.handle(.deadline, at: time.moment)
        // Then it is the 24th on the screen, and the change is drawn
        #expect(machine.context.today == CalendarDate(year: 2026, month: 11, day: 24))
        #expect(step.effects.contains(.draw))
    }

    @Test("A change of what is available redraws; the same availability does not")
    func sourcesChanged() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        let offline = ServiceAvailability(centralService: false, printer: true)
        let step = harness.machine.handle(.sourcesChanged(catalog: .empty, availability: offline), at: harness.time.moment)
        #expect(step.effects == [.draw])
        #expect(harness.machine.context.availability == offline)
        let again = harness.machine.handle(.sourcesChanged(catalog: .empty, availability: offline), at: harness.time.moment)
        #expect(again.effects.isEmpty)
    }

    @Test("A new catalog waits while a citizen is in a session and applies once the session has ended")
    func catalogBetweenSessions() {
        // Given a citizen in a session (a key left the attract screen)
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.enter)
        #expect(!harness.machine.isBetweenSessions)
        let fresh = Catalog(stages: [CatalogStage(id: "new", audience: .person, order: 1, name: LocalizedText(chinese: "新", english: "New"), items: [])])
        // When a new catalog arrives / Then the session keeps the one it started with
        _ = harness.machine.handle(.sourcesChanged(catalog: fresh, availability: .all), at: harness.time.moment)
        #expect(harness.machine.context.catalog == .empty && harness.machine.pendingCatalog == fresh)
        // When the session ends (idle reset) / Then the new catalog is in force, and drawn
        var step = harness.advance(.seconds(120))
        if !harness.machine.isBetweenSessions { step = harness.advance(.seconds(120)) }
        #expect(harness.machine.isBetweenSessions)
        #expect(harness.machine.context.catalog == fresh && harness.machine.pendingCatalog == nil && step.effects.contains(.draw))
        // And on the attract screen a newer one applies at once
        _ = harness.machine.handle(.sourcesChanged(catalog: .empty, availability: .all), at: harness.time.moment)
        #expect(harness.machine.context.catalog == .empty && harness.machine.pendingCatalog == nil)
    }

    @Test("A reloaded idle time waits while a citizen is in a session and times the next session")
    func idleTimingBetweenSessions() {
        // Given a citizen in a session with the 90 s idle time
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.character(" "))
        let short = SessionMachine.IdleTiming(timeout: .seconds(10), warning: .seconds(4), elderFactor: 2)
        // When a reload shortens it to 10 s
        _ = harness.machine.handle(.idleTimingChanged(short), at: harness.time.moment)
        // Then this citizen keeps the 90 s: no warning at 10 s or at 60 s
        #expect(harness.machine.pendingIdleTiming == short)
        _ = harness.advance(.seconds(60))
        #expect(harness.machine.menu.idleWarning == nil && !harness.machine.isBetweenSessions)
        // When that session ends at 90 s
        _ = harness.advance(.seconds(30))
        #expect(harness.machine.isBetweenSessions)
        // Then the next session warns at 6 s with 4 seconds and ends at 10 s
        #expect(harness.machine.configuration.idleTiming == short && harness.machine.pendingIdleTiming == nil)
        _ = harness.keys(.character(" "))
        var step = harness.advance(.seconds(6))
        #expect(harness.machine.menu.idleWarning == 4)
        for _ in 0..<4 { step = harness.runToDeadline(of: step) }
        #expect(Self.menuEffects(step) == [.sessionEnded(reason: .idle)])
        // And between sessions a change applies at once; the same timing again changes nothing
        let long = SessionMachine.IdleTiming(timeout: .seconds(120), warning: .seconds(30), elderFactor: 3)
        _ = harness.machine.handle(.idleTimingChanged(long), at: harness.time.moment)
        #expect(harness.machine.configuration.idleTiming == long && harness.machine.pendingIdleTiming == nil)
        _ = harness.machine.handle(.idleTimingChanged(long), at: harness.time.moment)
        #expect(harness.machine.pendingIdleTiming == nil)
    }

    @Test("A failed rating goes back to the levels with the reason; a stored one stays thanked")
    func ratingOutcome() {
        var harness = Harness(reportedSize: nil)
        _ = harness.machine.start(at: harness.time.moment)
        _ = harness.keys(.character(" "))
        _ = harness.keys(.character("7"))
        #expect(harness.machine.menu.screen == .rating(after: nil))
        let rated = harness.keys(.character("5"))
        #expect(Self.menuEffects(rated).count == 1)
        #expect(harness.machine.menu.screen == .ratingDone(after: nil))
        _ = harness.machine.handle(.answer(.ratingFailed), at: harness.time.moment)
        #expect(harness.machine.menu.screen == .rating(after: nil))
        #expect(harness.machine.menu.notice == "rating.failed")
        _ = harness.keys(.character("4"))
        _ = harness.machine.handle(.answer(.ratingStored), at: harness.time.moment)
        #expect(harness.machine.menu.screen == .ratingDone(after: nil))
    }

    @Test("Ctrl-C quits only in demo mode")
    func interrupt() {
        let clock = TestClock()
        let time = clock.environment()
        var demo = SessionMachine(
            configuration: .init(quitOnInterrupt: true, timeZone: time.timeZone), profile: .citizen, catalog: .empty,
            availability: .all, reportedSize: nil, at: time.moment
        )
        #expect(demo.handle(.input([.key(.control(0x03))], decoderPending: false), at: time.moment).effects.contains(.quit))
        var kiosk = SessionMachine(
            configuration: .init(timeZone: time.timeZone), profile: .citizen, catalog: .empty, availability: .all,
            reportedSize: nil, at: time.moment
        )
        #expect(!kiosk.handle(.input([.key(.control(0x03))], decoderPending: false), at: time.moment).effects.contains(.quit))
    }
}
