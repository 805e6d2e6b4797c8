/// Where a terminal's citizen is in the journey, and everything the screen shows.
///
/// The menu is a pure state machine: `handle(_:)` takes an event, changes the state and
/// returns the effects for the session to carry out. It does no I/O, so every screen and
/// every transition can be tested without a terminal.
public struct MenuState: Sendable, Hashable {
    public enum Screen: Sendable, Hashable {
        /// Nobody is using the terminal: a welcome screen that invites a key press.
        case attract
        /// The home menu of the terminal's profile.
        case home
        /// A service chosen from the home menu.
        case service(ServiceItem)
    }

    public internal(set) var screen: Screen = .attract
    public internal(set) var language: Language = .chinese
    public let profile: TerminalProfile
    /// The home menu's items, in order; item `i` is chosen with digit `i + 1`.
    public let items: [ServiceItem]
    /// The highlighted home menu item.
    public internal(set) var selection = 0

    public init(profile: TerminalProfile) {
        self.profile = profile
        items = ServiceItem.homeMenu(for: profile)
    }
}

/// What happens to a menu.
public enum MenuEvent: Sendable, Hashable {
    case key(Key)
    /// The session ends (idle timeout, technician reset): back to the attract screen with
    /// nothing of the citizen left in memory or on screen.
    case reset
}

/// What the session must do after a transition.
public enum MenuEffect: Sendable, Hashable {
    /// A citizen started using the terminal.
    case sessionStarted
    /// The session ended; the screen and the scrollback must be wiped.
    case sessionEnded(reason: SessionEndReason)
}

/// Why a session ended, as recorded in the sessions table.
public enum SessionEndReason: String, Sendable, Hashable {
    case citizenLeft = "citizen-left"
    case idle
    case reset
}
