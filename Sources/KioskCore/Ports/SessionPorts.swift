/// The outside services a terminal session reaches through ports. Each one is optional so
/// a session (and its tests) can run with only what it needs; a missing port makes the
/// services that need it unavailable, never a crash.
public struct SessionPorts: Sendable {
    /// Where sessions are recorded.
    public var journal: (any SessionJournal)?

    public init(journal: (any SessionJournal)? = nil) {
        self.journal = journal
    }
}
