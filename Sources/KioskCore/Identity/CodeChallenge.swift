import Foundation

/// A one-time code the centre sent: its id, the phone it went to (already masked by the
/// centre, `138****5678`) and when the code stops working.
public struct CodeChallenge: Sendable, Hashable {
    public var id: UUID
    public var maskedPhone: String
    public var expiresAt: Date

    public init(id: UUID, maskedPhone: String, expiresAt: Date) {
        self.id = id
        self.maskedPhone = maskedPhone
        self.expiresAt = expiresAt
    }
}

/// The centre's answer to "send a code to this person's phone".
public enum CodeRequestAnswer: Sendable, Hashable {
    case sent(CodeChallenge)
    /// The centre has no phone on file for this ID number.
    case noPhone
    /// Too many wrong codes: the person is locked until `until` (nil: not said).
    case locked(until: Date?)
    /// The centre did not answer.
    case unavailable
}

/// The centre's answer to a typed code.
public enum CodeVerifyAnswer: Sendable, Hashable {
    case proved(CodeProof)
    /// A wrong code; `attemptsLeft` more before the lock.
    case wrong(attemptsLeft: Int)
    /// The code expired, was used, or a newer one replaced it.
    case expired
    /// The last wrong code locked the person (or they were locked already).
    case locked(until: Date?)
    case unavailable
}

extension CodeRequestAnswer {
    /// One word for the log: never the ID, the phone or the code.
    public var logWord: String {
        switch self {
        case .sent: "sent"
        case .noPhone: "no-phone"
        case .locked: "locked"
        case .unavailable: "unavailable"
        }
    }
}

extension CodeVerifyAnswer {
    /// One word for the log: never the ID, the code or the token.
    public var logWord: String {
        switch self {
        case .proved: "proved"
        case .wrong: "wrong"
        case .expired: "expired"
        case .locked: "locked"
        case .unavailable: "unavailable"
        }
    }
}
