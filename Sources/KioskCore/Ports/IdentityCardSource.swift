/// Where the resident ID cards laid on a terminal's reader come from (the readers, in the
/// daemon). Each read is delivered to the sessions of that terminal listening then; a card
/// read while no session listens is dropped, never kept for the next person.
public protocol IdentityCardSource: Sendable {
    /// The cards read from now on for `terminal`, until the stream is dropped.
    func cards(for terminal: String) -> AsyncStream<CardIdentity>
}
