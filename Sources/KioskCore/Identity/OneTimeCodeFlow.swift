import Foundation

/// Proving a person with a one-time code by SMS: the ID number is typed, the centre sends a
/// code to the phone on file, the code is typed and checked. A pure state machine: keys and
/// the centre's answers in, an action out, and the moment at which what it shows changes
/// (the resend countdown, the code's expiry, the lock's end) so the session redraws then.
///
/// kioskd waits `resendCooldown` after each code before it offers a new one; the centre
/// counts wrong codes and locks the person after five, which this flow shows and never
/// works around (a new code for a locked person is refused by the centre too).
public struct OneTimeCodeFlow: Sendable, Hashable {
    /// Digits in a code.
    public static let codeLength = 6
    /// How long after a code is sent before another may be asked for.
    public static let resendCooldown: TimeInterval = 60
    /// The key that asks for a new code (digits are the code's own).
    public static let resendKey: Character = "*"
    /// A little beyond an ID's 18 characters, so "wrong length" can be said.
    static let idInputLimit = 20

    public enum Phase: Sendable, Hashable {
        /// The ID number is being typed.
        case enterID
        /// The centre is asked to send a code.
        case requesting
        /// A code was sent: it is being typed.
        case enterCode
        /// The centre checks the code.
        case verifying
        /// Too many wrong codes: the centre locked the person until `until`.
        case locked(until: Date?)
    }

    /// What the flow asks the session to do.
    public enum Action: Sendable, Hashable {
        /// Ask the centre for a code; answer with `sent`.
        case request(idNumber: String)
        /// Ask the centre to check a code; answer with `checked`.
        case verify(CodeChallenge, code: String, idNumber: String)
        /// The person is proved.
        case proved(CodeProof)
        /// The citizen backed out of the flow.
        case leave
    }

    public enum Event: Sendable, Hashable {
        case key(Key)
        case sent(CodeRequestAnswer)
        case checked(CodeVerifyAnswer)
    }

    public private(set) var phase: Phase = .enterID
    /// What is typed into the ID field.
    public private(set) var idInput: String
    /// The ID number the code was asked for.
    public private(set) var idNumber: String?
    /// What is typed into the code field.
    public private(set) var codeInput = ""
    /// The code sent last; nil before one is sent and once it expired.
    public private(set) var challenge: CodeChallenge?
    /// When a new code may be asked for.
    public private(set) var resendAt: Date?
    /// Wrong codes the centre still allows; nil until it says.
    public private(set) var attemptsLeft: Int?
    /// The message under the field, by localization key.
    public private(set) var message: String?

    /// A flow that starts with the ID field holding `idNumber` (typed earlier, or empty),
    /// waiting until `resendAt` before it asks for a code (the session's last code's
    /// cooldown, which backing out and starting again does not end).
    public init(idNumber: String = "", resendAt: Date? = nil) {
        idInput = idNumber
        self.resendAt = resendAt
    }

    /// Applies `event` at `now` (the wall clock of the step); `today` checks the ID's birth date.
    public mutating func handle(_ event: Event, now: Date, today: CalendarDate) -> Action? {
        switch event {
        case .key(let key): return handleKey(key, now: now, today: today)
        case .sent(let answer): handleSent(answer, now: now)
        case .checked(let answer): return handleChecked(answer)
        }
        return nil
    }

    /// True once the code sent can no longer be typed.
    public func isExpired(at now: Date) -> Bool {
        challenge.map { now >= $0.expiresAt } ?? false
    }

    /// Whole seconds before a new code may be asked for; 0 when it may be now.
    public func secondsBeforeResend(at now: Date) -> Int {
        guard let resendAt, now < resendAt else { return 0 }
        return Int(resendAt.timeIntervalSince(now).rounded(.up))
    }

    /// When what the flow shows next changes without input: each second of the resend
    /// countdown, the code's expiry; nil when nothing will.
    public func nextChange(after now: Date) -> Date? {
        guard phase == .enterCode else { return nil }
        var moments: [Date] = []
        if let resendAt, now < resendAt {
            // The countdown shows whole seconds rounded up: it changes at each whole second
            // before `resendAt`.
            let left = resendAt.timeIntervalSince(now)
            moments.append(resendAt.addingTimeInterval(-(left.rounded(.up) - 1)))
        }
        if let challenge, now < challenge.expiresAt { moments.append(challenge.expiresAt) }
        return moments.min()
    }

    // MARK: Keys

    private mutating func handleKey(_ key: Key, now: Date, today: CalendarDate) -> Action? {
        switch phase {
        case .requesting, .verifying:
            return nil
        case .locked:
            switch key {
            case .enter, .escape, .backspace: return .leave
            default: return nil
            }
        case .enterID:
            return handleIDKey(key, now: now, today: today)
        case .enterCode:
            return handleCodeKey(key, now: now)
        }
    }

    private mutating func handleIDKey(_ key: Key, now: Date, today: CalendarDate) -> Action? {
        switch key {
        case .character(let character):
            message = nil
            if idInput.count < Self.idInputLimit, character.isASCII, character.isLetter || character.isNumber {
                idInput.append(character)
            }
        case .paste(let text):
            message = nil
            for character in UntrustedText(text).sanitized where idInput.count < Self.idInputLimit
                && character.isASCII && (character.isLetter || character.isNumber) {
                idInput.append(character)
            }
        case .backspace where !idInput.isEmpty:
            idInput.removeLast()
            message = nil
        case .backspace, .escape:
            return .leave
        case .enter:
            switch ResidentID.validate(idInput, today: today) {
            case .success(let id):
                guard secondsBeforeResend(at: now) == 0 else {
                    message = "otp.wait"
                    return nil
                }
                idNumber = id.value
                phase = .requesting
                message = nil
                return .request(idNumber: id.value)
            case .failure(let problem):
                message = problem.messageKey
            }
        default:
            break
        }
        return nil
    }

    private mutating func handleCodeKey(_ key: Key, now: Date) -> Action? {
        switch key {
        case .character(Self.resendKey):
            guard let idNumber else { return nil }
            guard secondsBeforeResend(at: now) == 0 else {
                message = "otp.wait"
                return nil
            }
            codeInput = ""
            phase = .requesting
            message = nil
            return .request(idNumber: idNumber)
        case .character(let character) where character.isASCII && character.isNumber:
            if codeInput.count < Self.codeLength { codeInput.append(character) }
            message = nil
        case .paste(let text):
            for character in text where character.isASCII && character.isNumber && codeInput.count < Self.codeLength {
                codeInput.append(character)
            }
            message = nil
        case .backspace where !codeInput.isEmpty:
            codeInput.removeLast()
            message = nil
        case .backspace, .escape:
            // Back to the ID: a different person may be typed; the cooldown still holds.
            phase = .enterID
            message = nil
        case .enter:
            guard let challenge, let idNumber, !isExpired(at: now) else {
                self.challenge = nil
                codeInput = ""
                message = "otp.expired"
                return nil
            }
            guard codeInput.count == Self.codeLength else {
                message = "otp.code-length"
                return nil
            }
            phase = .verifying
            message = nil
            return .verify(challenge, code: codeInput, idNumber: idNumber)
        default:
            break
        }
        return nil
    }

    // MARK: Answers

    private mutating func handleSent(_ answer: CodeRequestAnswer, now: Date) {
        guard phase == .requesting else { return }
        switch answer {
        case .sent(let sent):
            challenge = sent
            codeInput = ""
            resendAt = now.addingTimeInterval(Self.resendCooldown)
            phase = .enterCode
            message = "otp.sent"
        case .noPhone:
            phase = .enterID
            message = "otp.no-phone"
        case .locked(let until):
            phase = .locked(until: until)
            message = nil
        case .unavailable:
            phase = challenge == nil ? .enterID : .enterCode
            message = "otp.unavailable"
        }
    }

    private mutating func handleChecked(_ answer: CodeVerifyAnswer) -> Action? {
        guard phase == .verifying else { return nil }
        codeInput = ""
        switch answer {
        case .proved(let proof):
            phase = .enterCode
            challenge = nil
            message = nil
            return .proved(proof)
        case .wrong(let left):
            phase = .enterCode
            attemptsLeft = left
            message = "otp.wrong"
        case .expired:
            phase = .enterCode
            challenge = nil
            message = "otp.expired"
        case .locked(let until):
            phase = .locked(until: until)
            challenge = nil
            message = nil
        case .unavailable:
            phase = .enterCode
            message = "otp.unavailable"
        }
        return nil
    }
}
