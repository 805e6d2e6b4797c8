extension MenuState {
    /// A card laid on the reader: it starts a session from the attract screen, proves the
    /// person for the rest of the session, and fills the identity fields of an open form
    /// (each still confirmed with Enter). A card read while the menu waits for an answer
    /// is kept as proof only.
    mutating func handleIdentity(_ identity: CardIdentity) -> [MenuEffect] {
        var effects: [MenuEffect] = []
        if screen == .attract { effects += wake() }
        idleWarning = nil
        self.identity = identity
        if case .form(var current, let waiting) = screen, !waiting {
            current.fill(with: identity)
            screen = .form(current, waiting: false)
            notice = "identity.filled"
        } else {
            notice = "identity.read"
        }
        return effects
    }
}
