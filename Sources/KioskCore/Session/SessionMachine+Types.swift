import Foundation

extension SessionMachine {
    /// What a session needs to know about its terminal's timing and layout.
    public struct Configuration: Sendable {
        /// Time without input before a session ends; the last `idleWarning` of it shows a
        /// countdown. Elder mode multiplies both by `elderIdleFactor`.
        public var idleTimeout: Duration
        public var idleWarning: Duration
        public var elderIdleFactor: Int
        /// How long a lone Escape waits for the rest of a sequence before it counts as a key.
        public var escapeTimeout: Duration
        /// How often the size of a terminal that reports one is measured again (the kernel
        /// tells only a tty's controlling process of a resize); nil for one that reports none,
        /// or whose size something else watches.
        public var sizeCheckInterval: Duration?
        /// The terminal reports a window size: it is measured when a session starts.
        public var measuresSize: Bool
        /// The size laid out for when the terminal reports none and has not answered.
        public var fallbackSize: TerminalSize
        /// Ask a terminal that reports no size for it (a cursor position report).
        public var askSize: Bool
        /// In demo mode Ctrl-C ends the daemon; in kiosk mode it is ignored like any control key.
        public var quitOnInterrupt: Bool
        /// The terminal draws DEC double-size lines (elder mode's large glyphs).
        public var doubleSizeLines: Bool
        /// The hall's time zone: what "today" is.
        public var timeZone: TimeZone

        public init(
            idleTimeout: Duration = .seconds(90), idleWarning: Duration = .seconds(20), elderIdleFactor: Int = 2,
            escapeTimeout: Duration = .milliseconds(50), sizeCheckInterval: Duration? = .seconds(1), measuresSize: Bool? = nil,
            fallbackSize: TerminalSize = .minimum, askSize: Bool = false, quitOnInterrupt: Bool = false,
            doubleSizeLines: Bool = false, timeZone: TimeZone
        ) {
            self.idleTimeout = idleTimeout
            self.idleWarning = idleWarning
            self.elderIdleFactor = elderIdleFactor
            self.escapeTimeout = escapeTimeout
            self.sizeCheckInterval = sizeCheckInterval
            self.measuresSize = measuresSize ?? (sizeCheckInterval != nil)
            self.fallbackSize = fallbackSize
            self.askSize = askSize
            self.quitOnInterrupt = quitOnInterrupt
            self.doubleSizeLines = doubleSizeLines
            self.timeZone = timeZone
        }

        /// The idle timeout, its warning and the elder factor together.
        public var idleTiming: IdleTiming {
            get { IdleTiming(timeout: idleTimeout, warning: idleWarning, elderFactor: elderIdleFactor) }
            set {
                idleTimeout = newValue.timeout
                idleWarning = newValue.warning
                elderIdleFactor = newValue.elderFactor
            }
        }
    }

    /// How long a session waits for input: a reload may change it while the daemon runs.
    public struct IdleTiming: Sendable, Hashable {
        /// Time without input before a session ends; the last `warning` of it shows a
        /// countdown. Elder mode multiplies both by `elderFactor`.
        public var timeout: Duration
        public var warning: Duration
        public var elderFactor: Int

        public init(timeout: Duration, warning: Duration, elderFactor: Int) {
            self.timeout = timeout
            self.warning = warning
            self.elderFactor = elderFactor
        }
    }

    /// A reading of both clocks, taken once per step so the machine sees one moment.
    public struct Moment: Sendable, Hashable {
        public var instant: MonotonicInstant
        public var wall: Date

        public init(instant: MonotonicInstant, wall: Date) {
            self.instant = instant
            self.wall = wall
        }
    }
}

extension TimeEnvironment {
    /// Both clocks now, for one step of a session machine.
    public var moment: SessionMachine.Moment {
        SessionMachine.Moment(instant: now, wall: wallNow)
    }
}

/// What happens to a session.
public enum SessionEvent: Sendable {
    /// Bytes arrived and decoded to `inputs`; `decoderPending` when the decoder holds the
    /// start of a sequence (a lone Escape) that the Escape timeout will flush.
    case input([TerminalInput], decoderPending: Bool)
    /// What the decoder held, flushed after the Escape timeout (`flushDecoder`).
    case flushed([TerminalInput])
    /// The size the device reports now (`measureSize`); nil when it reports none.
    case measured(TerminalSize?)
    /// The catalog was reloaded or what is available changed (central service, printer).
    case sourcesChanged(catalog: Catalog, availability: ServiceAvailability)
    /// A reload changed how long sessions wait for input: it applies from the next session
    /// on, never shortening the wait of a citizen in the middle of one.
    case idleTimingChanged(SessionMachine.IdleTiming)
    /// The answer to a menu effect the session carried out.
    case answer(MenuEvent)
    /// A resident ID card was read on the terminal's reader.
    case identityRead(CardIdentity)
    /// A technician ended the session.
    case reset
    /// A technician locked the terminal for maintenance (ending any session first), with
    /// an optional message already stripped of control characters and bounded.
    case lock(message: String?)
    /// A technician unlocked the terminal.
    case unlock
    /// A technician's message for the notice line, shown for `duration` (already
    /// stripped of control characters and bounded).
    case broadcast(String, duration: Duration)
    /// Nothing but time passed: the deadline the last step asked for has come.
    case deadline
}

/// What the session must do after a step, in order.
public enum SessionEffect: Sendable, Hashable {
    /// Put the terminal in kiosk mode (cursor off, mouse and bracketed paste on, cleared),
    /// asking for its size first when `askSize`.
    case enterKioskMode(askSize: Bool)
    /// Draw the menu; only what changed is sent.
    case draw
    /// Forget what the terminal shows and draw everything at the next `draw` (new size).
    case redrawAll
    /// Clear the screen and the scrollback before the next frame: a session ended.
    case wipe
    /// Hand the decoder's held bytes to the machine as `flushed`.
    case flushDecoder
    /// Read the device's size and answer with `measured`.
    case measureSize
    /// Carry out a menu effect; answer with `answer` if it has one.
    case menu(MenuEffect)
    /// Stop the session (Ctrl-C in demo mode).
    case quit
}

/// The result of one step: effects to carry out, and when to call the machine again at the
/// latest (nil: only when something happens).
public struct SessionStep: Sendable, Hashable {
    public var effects: [SessionEffect]
    public var nextDeadline: MonotonicInstant?

    public init(effects: [SessionEffect], nextDeadline: MonotonicInstant?) {
        self.effects = effects
        self.nextDeadline = nextDeadline
    }
}
