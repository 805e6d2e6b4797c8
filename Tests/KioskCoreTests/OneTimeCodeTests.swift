import Foundation
import KioskCore
import KioskTesting
import Testing

/// Proving identity by a one-time code on the pure menu and session machines: the offer of
/// the two ways, the code asked for and typed, the resend cooldown, the lock and the
/// expiries; every timer on the test clock.
@Suite("One-time code flow")
struct OneTimeCodeTests {
    static let id = "11010519491231002X"
    static let view = MenuView(localization: try! Localization.shipped(), terminalName: "hall-1")

    static func challenge(expiresAt: Date) -> CodeChallenge {
        CodeChallenge(id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, maskedPhone: "138****5678", expiresAt: expiresAt)
    }

    /// A session on the test clock, on the insurance service's proof screen.
    static func session(_ clock: TestClock) -> SessionMachine {
        let time = clock.environment()
        var machine = SessionMachine(
            configuration: .init(idleTimeout: .seconds(600), idleWarning: .seconds(20), sizeCheckInterval: nil, timeZone: time.timeZone),
            profile: .citizen, catalog: .empty, availability: .all, reportedSize: nil, at: time.moment
        )
        _ = machine.start(at: time.moment)
        press(" 3", on: &machine, clock)
        return machine
    }

    @discardableResult
    static func press(_ text: String, on machine: inout SessionMachine, _ clock: TestClock) -> SessionStep {
        press(text.map { Key.character($0) }, on: &machine, clock)
    }

    @discardableResult
    static func press(_ keys: [Key], on machine: inout SessionMachine, _ clock: TestClock) -> SessionStep {
        machine.handle(.input(keys.map { .key($0) }, decoderPending: false), at: clock.environment().moment)
    }

    /// Types the ID and gets a code sent; returns the step of the centre's answer.
    static func codeSent(_ machine: inout SessionMachine, _ clock: TestClock, expiresIn: TimeInterval = 300) -> SessionStep {
        press("1", on: &machine, clock)
        let asked = press(Array(id).map { Key.character($0) } + [.enter], on: &machine, clock)
        #expect(asked.effects.contains(.menu(.requestCode(idNumber: id))))
        let sent = challenge(expiresAt: clock.wallNow.addingTimeInterval(expiresIn))
        return machine.handle(.answer(.codeRequested(.sent(sent))), at: clock.environment().moment)
    }

    static func screen(_ machine: SessionMachine) -> String {
        view.render(machine.menu, context: machine.context).lines.joined(separator: "\n")
    }

    @Test("Social insurance without proof offers the ID card and the code, and asks the centre nothing")
    func lookupWithoutProofOffersTheTwoWays() {
        // Given a session on the home menu
        let clock = TestClock()
        // When the citizen chooses social insurance
        let machine = Self.session(clock)
        // Then the proof screen offers the card and the code, and no lookup is asked for
        #expect(machine.menu.screen == .proveIdentity(.insurance))
        let text = Self.screen(machine)
        #expect(text.contains("将身份证放在阅读器上"))
        #expect(text.contains("1  短信验证码"))
    }

    @Test("A right code proves the person: the form opens with the ID, the lookup carries the token, the session end wipes it")
    func rightCodeProvesThePerson() {
        // Given a code sent to the masked phone
        let clock = TestClock()
        var machine = Self.session(clock)
        _ = Self.codeSent(&machine, clock)
        #expect(Self.screen(machine).contains("验证码已发送至 138****5678"))
        // When the citizen types it and the centre says it is right
        let typed = Self.press(Array("123456").map { Key.character($0) } + [.enter], on: &machine, clock)
        let sent = Self.challenge(expiresAt: clock.wallNow.addingTimeInterval(300))
        #expect(typed.effects.contains(.menu(.verifyCode(sent, code: "123456", idNumber: Self.id))))
        #expect(!Self.screen(machine).contains("123456"))
        let proof = CodeProof(idNumber: Self.id, token: "t0ken", expiresAt: clock.wallNow.addingTimeInterval(600))
        _ = machine.handle(.answer(.codeChecked(.proved(proof))), at: clock.environment().moment)
        // Then the insurance form holds the proved ID, and the lookup shows the centre the token
        #expect(machine.menu.proof == .code(proof))
        #expect(machine.menu.form?.inputs[FormFieldID.applicantID] == Self.id)
        Self.press([.enter], on: &machine, clock)
        let lookup = Self.press(Array("张三").map { Key.character($0) } + [.enter], on: &machine, clock)
        #expect(lookup.effects.contains(.menu(.lookupInsurance(idNumber: Self.id, name: "张三", proof: .code(token: "t0ken")))))
        // When the session ends / Then the proof is gone
        _ = machine.handle(.reset, at: clock.environment().moment)
        #expect(machine.menu.proof == nil)
    }

    @Test("A new code is offered only 60 s after the last: the countdown redraws each second and * is refused before")
    func resendWaitsForTheCooldown() {
        // Given a code just sent
        let clock = TestClock()
        var machine = Self.session(clock)
        let step = Self.codeSent(&machine, clock)
        // Then the screen changes again in one second (the countdown)
        #expect(clock.environment().now.duration(to: step.nextDeadline!) == .seconds(1))
        #expect(Self.screen(machine).contains("60 秒后可重新获取验证码"))
        // When * is pressed at once / Then no code is asked for and the wait is said
        let early = Self.press("*", on: &machine, clock)
        #expect(!early.effects.contains(.menu(.requestCode(idNumber: Self.id))))
        #expect(machine.menu.codeFlow?.message == "otp.wait")
        // When 59 s pass on the deadlines the machine asks for
        for _ in 0..<59 {
            clock.advance(by: .seconds(1))
            let tick = machine.handle(.deadline, at: clock.environment().moment)
            #expect(tick.effects.contains(.draw))
        }
        #expect(Self.screen(machine).contains("1 秒后可重新获取验证码"))
        clock.advance(by: .seconds(1))
        _ = machine.handle(.deadline, at: clock.environment().moment)
        #expect(Self.screen(machine).contains("按 * 键重新获取验证码"))
        // Then * asks the centre for a new code
        let later = Self.press("*", on: &machine, clock)
        #expect(later.effects.contains(.menu(.requestCode(idNumber: Self.id))))
    }

    @Test("Backing out of a code and asking again within 60 s sends no new code, whichever way the citizen goes back")
    func cooldownSurvivesBackingOut() {
        // Given a code just sent
        let clock = TestClock()
        var machine = Self.session(clock)
        _ = Self.codeSent(&machine, clock)
        // When the citizen backs out to the ID and asks again
        Self.press([.escape], on: &machine, clock)
        let again = Self.press([.enter], on: &machine, clock)
        // Then nothing is asked and the wait is said
        #expect(!again.effects.contains(.menu(.requestCode(idNumber: Self.id))))
        #expect(machine.menu.codeFlow?.message == "otp.wait")
        // When the citizen leaves the code screen and opens it again
        Self.press([.escape], on: &machine, clock)
        #expect(machine.menu.screen == .proveIdentity(.insurance))
        Self.press("1", on: &machine, clock)
        let fresh = Self.press(Array(Self.id).map { Key.character($0) } + [.enter], on: &machine, clock)
        // Then the cooldown still holds
        #expect(!fresh.effects.contains(.menu(.requestCode(idNumber: Self.id))))
        // When the 60 s have passed / Then the code is asked for
        clock.advance(by: .seconds(60))
        let later = Self.press([.enter], on: &machine, clock)
        #expect(later.effects.contains(.menu(.requestCode(idNumber: Self.id))))
    }

    @Test("Wrong codes say how many attempts are left; the centre's lock is shown in both languages and codes stop")
    func lockIsShownInBothLanguages() {
        // Given a code sent
        let clock = TestClock()
        var machine = Self.session(clock)
        _ = Self.codeSent(&machine, clock)
        // When a wrong code is typed
        Self.press(Array("000000").map { Key.character($0) } + [.enter], on: &machine, clock)
        _ = machine.handle(.answer(.codeChecked(.wrong(attemptsLeft: 4))), at: clock.environment().moment)
        // Then the attempts left are said and the field is empty again
        #expect(Self.screen(machine).contains("验证码不正确，还可尝试 4 次"))
        #expect(machine.menu.codeFlow?.codeInput == "")
        // When the fifth wrong code locks the person at the centre
        Self.press(Array("000000").map { Key.character($0) } + [.enter], on: &machine, clock)
        let until = clock.wallNow.addingTimeInterval(900)
        _ = machine.handle(.answer(.codeChecked(.locked(until: until))), at: clock.environment().moment)
        // Then the lock is said in Chinese and English with its end, and * asks for nothing
        let text = Self.screen(machine)
        #expect(text.contains("验证码错误次数过多，已暂时锁定"))
        #expect(text.contains("Too many wrong codes: codes are locked for now"))
        #expect(text.contains("请于 2026-11-23 12:57 后再试"))
        #expect(text.contains("Please try again after 2026-11-23 12:57"))
        let star = Self.press("*", on: &machine, clock)
        #expect(star.effects.allSatisfy { if case .menu = $0 { false } else { true } })
        // When Enter is pressed / Then the proof screen is back, the card still offered
        Self.press([.enter], on: &machine, clock)
        #expect(machine.menu.screen == .proveIdentity(.insurance))
    }

    @Test("An expired code is not sent to the centre: the citizen is told to ask for a new one")
    func expiredCodeIsNotSent() {
        // Given a code that works for 5 minutes
        let clock = TestClock()
        var machine = Self.session(clock)
        let step = Self.codeSent(&machine, clock)
        #expect(step.nextDeadline != nil)
        // When 5 minutes pass and the code is typed
        clock.advance(by: .seconds(300))
        _ = machine.handle(.deadline, at: clock.environment().moment)
        let typed = Self.press(Array("123456").map { Key.character($0) } + [.enter], on: &machine, clock)
        // Then nothing is asked of the centre and the screen says to ask for a new code
        #expect(typed.effects.allSatisfy { if case .menu = $0 { false } else { true } })
        #expect(machine.menu.codeFlow?.message == "otp.expired")
        #expect(Self.screen(machine).contains("验证码已过期，请按 * 键重新获取"))
    }

    @Test("A code's proof expires: a later lookup in the same session asks for proof again")
    func proofExpires() {
        // Given a person proved by a code whose token works 10 minutes
        let clock = TestClock()
        var machine = Self.session(clock)
        _ = Self.codeSent(&machine, clock)
        Self.press(Array("123456").map { Key.character($0) } + [.enter], on: &machine, clock)
        let proof = CodeProof(idNumber: Self.id, token: "t0ken", expiresAt: clock.wallNow.addingTimeInterval(600))
        _ = machine.handle(.answer(.codeChecked(.proved(proof))), at: clock.environment().moment)
        // When the citizen goes home and chooses the lookup again within the 10 minutes
        Self.press([.home], on: &machine, clock)
        Self.press("3", on: &machine, clock)
        // Then the form opens at once
        #expect(machine.menu.form?.purpose == .insurance)
        // When the 10 minutes have passed
        Self.press([.home], on: &machine, clock)
        clock.advance(by: .seconds(601))
        Self.press("3", on: &machine, clock)
        // Then proof is asked for again
        #expect(machine.menu.screen == .proveIdentity(.insurance))
    }

    @Test("An ID typed other than the proved one is refused without asking the centre")
    func otherIDIsRefused() {
        // Given a person proved by a code, on the insurance form
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("3")))
        _ = state.handle(.key(.character("1")))
        for character in Self.id { _ = state.handle(.key(.character(character))) }
        _ = state.handle(.key(.enter))
        let context = MenuContext()
        _ = state.handle(.codeRequested(.sent(Self.challenge(expiresAt: context.now.addingTimeInterval(300)))), context: context)
        for character in "123456" { _ = state.handle(.key(.character(character))) }
        _ = state.handle(.key(.enter))
        _ = state.handle(.codeChecked(.proved(CodeProof(idNumber: Self.id, token: "t", expiresAt: context.now.addingTimeInterval(600)))))
        // When the ID field is changed to another person's number
        for _ in 0..<18 { _ = state.handle(.key(.backspace)) }
        for character in "110101199003074477" { _ = state.handle(.key(.character(character))) }
        _ = state.handle(.key(.enter))
        var effects: [MenuEffect] = []
        for character in "李四" { effects += state.handle(.key(.character(character))) }
        effects += state.handle(.key(.enter))
        // Then nothing is asked and the mismatch is said
        #expect(effects.isEmpty)
        #expect(state.notice == "identity.mismatch")
    }

    @Test("A card laid on the reader while the code is typed proves the person and opens the form filled from the card")
    func cardDuringTheCodeFlow() {
        // Given the code screen
        let clock = TestClock()
        var machine = Self.session(clock)
        _ = Self.codeSent(&machine, clock)
        // When a card is read
        _ = machine.handle(.identityRead(IDCardReaderTests.card), at: clock.environment().moment)
        // Then the person is proved by the card and the form holds the card's ID and name
        #expect(machine.menu.identity == IDCardReaderTests.card)
        #expect(machine.menu.form?.inputs[FormFieldID.applicantName] == "张三丰")
        // And Back leaves the form for the home menu, not for the code screen
        Self.press([.escape], on: &machine, clock)
        #expect(machine.menu.screen == .home)
    }
}
