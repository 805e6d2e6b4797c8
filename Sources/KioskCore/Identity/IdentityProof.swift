import Foundation

/// How the person at a terminal proved who they are in this session: a resident ID card laid
/// on the reader, or a one-time code sent by the centre to the phone on file. Either one
/// opens the lookups of that person's data; it lives in the menu state and is gone when the
/// session ends.
public enum IdentityProof: Sendable, Hashable {
    /// The card read on the terminal's reader.
    case card(CardIdentity)
    /// A one-time code the citizen typed, checked by the centre.
    case code(CodeProof)

    /// The ID number of the person proved.
    public var idNumber: String {
        switch self {
        case .card(let card): card.idNumber
        case .code(let code): code.idNumber
        }
    }

    /// What the centre is shown with a lookup.
    public var credential: IdentityCredential {
        switch self {
        case .card: .card
        case .code(let code): .code(token: code.token)
        }
    }

    /// True while it proves the person: a card for the whole session, a code's proof until
    /// the centre's token expires.
    public func holds(at now: Date) -> Bool {
        switch self {
        case .card: true
        case .code(let code): now < code.expiresAt
        }
    }
}

/// The centre's answer to a right code: a short-lived token proving `idNumber` to this
/// kiosk's lookups. Personal data (the ID) and a secret (the token): kept in memory only,
/// never logged or stored.
public struct CodeProof: Sendable, Hashable {
    public var idNumber: String
    public var token: String
    public var expiresAt: Date

    public init(idNumber: String, token: String, expiresAt: Date) {
        self.idNumber = idNumber
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// What a lookup carries to the centre as proof: the card was read here (the centre takes
/// the kiosk's word), or the token of a verified code (the centre checks it).
public enum IdentityCredential: Sendable, Hashable {
    case card
    case code(token: String)
}

/// How an application's applicant was proved at the kiosk, as it is stored with the
/// application and forwarded to the centre: the method, and for a one-time code the
/// SHA-256 of the centre's token (lowercase hex), never the token itself, which lives only
/// as long as the session.
public struct ApplicationProof: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case card = "id-card"
        case code = "one-time-code"
    }

    public var method: Method
    public var tokenDigest: String?

    public init(method: Method, tokenDigest: String? = nil) {
        self.method = method
        self.tokenDigest = tokenDigest
    }
}
