import Foundation
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
    /// How often the size of a terminal that reports one is measured again: the kernel
    /// tells only a tty's controlling process of a resize, and kioskd is not that process
    /// for the terminals it drives.
    public var sizeCheckInterval: Duration
    /// The first and the longest wait before reopening a device that failed.
    public var reopenDelay: (initial: Duration, maximum: Duration)
    /// Time without input before a session ends; the last `idleWarning` of it shows a
    /// countdown. Elder mode multiplies both by `elderIdleFactor`.
    public var idleTimeout: Duration
    public var idleWarning: Duration
    public var elderIdleFactor: Int
    /// A tty handed over by `kioskctl attach` instead of a device to open; the session
    /// drives it once, never reopens it, and leaves it as it found it.
    public var attachedDescriptor: Int32?
    /// Speed and framing for a serial line.
    public var serialLine: SerialLine
    /// Ask a terminal that reports no size for it with a cursor position report (serial
    /// lines); otherwise `fallbackSize` is used.
    public var askSize: Bool

    public init(
        name: String, devicePath: String, profile: TerminalProfile, renderOptions: RenderOptions = RenderOptions(),
        fallbackSize: TerminalSize = .minimum, quitOnInterrupt: Bool = false,
        escapeTimeout: Duration = .milliseconds(50), sizeCheckInterval: Duration = .seconds(1),
        reopenDelay: (initial: Duration, maximum: Duration) = (.milliseconds(250), .seconds(30)),
        idleTimeout: Duration = .seconds(90), idleWarning: Duration = .seconds(20), elderIdleFactor: Int = 2,
        serialLine: SerialLine = .asFound, askSize: Bool = false
    ) {
        self.serialLine = serialLine
        self.askSize = askSize
        self.idleTimeout = idleTimeout
        self.idleWarning = idleWarning
        self.elderIdleFactor = elderIdleFactor
        self.name = name
        self.devicePath = devicePath
        self.profile = profile
        self.renderOptions = renderOptions
        self.fallbackSize = fallbackSize
        self.quitOnInterrupt = quitOnInterrupt
        self.escapeTimeout = escapeTimeout
        self.sizeCheckInterval = sizeCheckInterval
        self.reopenDelay = reopenDelay
    }
}

extension TerminalSessionConfiguration {
    /// The session machine's configuration for this terminal in the hall's `timeZone`; a
    /// terminal that reports no window size is never measured again.
    func machineConfiguration(timeZone: TimeZone, reportsSize: Bool) -> SessionMachine.Configuration {
        SessionMachine.Configuration(
            idleTimeout: idleTimeout, idleWarning: idleWarning, elderIdleFactor: elderIdleFactor,
            escapeTimeout: escapeTimeout, sizeCheckInterval: reportsSize ? sizeCheckInterval : nil, measuresSize: reportsSize,
            fallbackSize: fallbackSize, askSize: askSize, quitOnInterrupt: quitOnInterrupt,
            doubleSizeLines: renderOptions.doubleSizeLines, timeZone: timeZone
        )
    }
}

/// Where a session reads what its menu shows: the current catalog (replaced on reload)
/// and what is available now (central service, printer), the idle timing a reload may
/// change, and a signal when any of them changed.
public struct MenuSources: Sendable {
    public var catalog: @Sendable () -> Catalog
    public var availability: @Sendable () -> ServiceAvailability
    /// The idle timing in force; nil keeps the terminal's configured one for good.
    public var idleTiming: (@Sendable () -> SessionMachine.IdleTiming)?
    /// Signalled when the catalog, the availability or the idle timing changed; sessions then
    /// read them again.
    public var changes: ChangeSignal

    public init(
        catalog: @escaping @Sendable () -> Catalog, availability: @escaping @Sendable () -> ServiceAvailability,
        idleTiming: (@Sendable () -> SessionMachine.IdleTiming)? = nil, changes: ChangeSignal = ChangeSignal()
    ) {
        self.catalog = catalog
        self.availability = availability
        self.idleTiming = idleTiming
        self.changes = changes
    }

    /// A fixed catalog with everything available, for tests.
    public static func fixed(_ catalog: Catalog, availability: ServiceAvailability = .all) -> MenuSources {
        MenuSources(catalog: { catalog }, availability: { availability })
    }
}
