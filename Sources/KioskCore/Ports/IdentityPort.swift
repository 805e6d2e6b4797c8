/// The one way a terminal learns who its citizen is: resident ID cards laid on the
/// terminal's reader, and one-time codes the centre sends to the phone on file. Both end in
/// an `IdentityProof` held by the session. A port that knows only cards (the readers' hub
/// alone) answers `unavailable` for codes.
public protocol IdentityPort: Sendable {
    /// The cards read from now on for `terminal`, until the stream is dropped. Each read is
    /// delivered to the sessions of that terminal listening then; a card read while no
    /// session listens is dropped, never kept for the next person.
    func cards(for terminal: String) -> AsyncStream<CardIdentity>
    /// Asks the centre to send a one-time code to the phone on file for `idNumber`.
    func requestCode(idNumber: String) async -> CodeRequestAnswer
    /// Asks the centre whether `code` is the one sent for `challenge`.
    func verifyCode(_ code: String, challenge: CodeChallenge, idNumber: String) async -> CodeVerifyAnswer
}

extension IdentityPort {
    public func requestCode(idNumber: String) async -> CodeRequestAnswer { .unavailable }
    public func verifyCode(_ code: String, challenge: CodeChallenge, idNumber: String) async -> CodeVerifyAnswer { .unavailable }
}
