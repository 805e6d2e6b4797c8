import KioskCore

/// What a terminal session needs to know about its terminal.
public struct TerminalSessionConfiguration: Sendable {
    /// The terminal's name, unique in the daemon.
    public var name: String
    /// The device to open; `/dev/tty` is the daemon's own terminal.
    public var devicePath: String
    public var profile: TerminalProfile
    public var renderOptions: RenderOptions
    /// The size to lay out for when the device reports none (serial lines).
    public var fallbackSize: TerminalSize
    /// In demo mode Ctrl-C ends the daemon; in kiosk mode it is ignored like any control key.
    public var quitOnInterrupt: Bool
    /// How long a lone Escape waits for the rest of a sequence before it counts as a key.
    public var escapeTimeout: Duration
    /// How often the session looks at the clock (escape timeout, size changes).
    public var tickInterval: Duration
    /// The first and the longest wait before reopening a device that failed.
    public var reopenDelay: (initial: Duration, maximum: Duration)

    public init(
        name: String, devicePath: String, profile: TerminalProfile, renderOptions: RenderOptions = RenderOptions(),
        fallbackSize: TerminalSize = .minimum, quitOnInterrupt: Bool = false,
        escapeTimeout: Duration = .milliseconds(50), tickInterval: Duration = .milliseconds(100),
        reopenDelay: (initial: Duration, maximum: Duration) = (.milliseconds(250), .seconds(30))
    ) {
        self.name = name
        self.devicePath = devicePath
        self.profile = profile
        self.renderOptions = renderOptions
        self.fallbackSize = fallbackSize
        self.quitOnInterrupt = quitOnInterrupt
        self.escapeTimeout = escapeTimeout
        self.tickInterval = tickInterval
        self.reopenDelay = reopenDelay
    }
}
