import Foundation

/// One terminal's session as a pure state machine: the menu, the idle warning and reset, the
/// Escape timeout, the terminal's size and the hall's date.
///
/// `handle(_:at:)` takes what happened (input, a size measured, the sources changed, the answer
/// to an effect, or only time passing) and returns the effects to carry out, in order, and the
/// next deadline at which it must be called again even if nothing else happens. The session
/// that drives a device only pumps bytes, runs effects and sleeps until the next input or that
/// deadline: an idle terminal costs nothing until its deadline, and every timer here is tested
/// with a test clock and no waiting.
public struct SessionMachine: Sendable {
    /// Fixed for the terminal, but for its idle timing, which a reload may change between sessions.
    public private(set) var configuration: Configuration
    /// The menu and everything the citizen typed; replaced by a fresh one when a session ends.
    public private(set) var menu: MenuState
    /// What the menu is drawn with: catalog, availability, size, the hall's date.
    public private(set) var context: MenuContext

    /// The size the device reports, the size the terminal answered when asked, and whether
    /// that answer is still awaited.
    var reportedSize: TerminalSize?
    var answeredSize: TerminalSize?
    var awaitingSize: Bool

    var lastInput: MonotonicInstant
    var escapeDeadline: MonotonicInstant?
    /// While a payment's QR code is shown: when to ask about the order next, and when to
    /// redraw its countdown.
    var followAt: MonotonicInstant?
    var countdownAt: MonotonicInstant?
    var sizeCheckAt: MonotonicInstant?
    var dateCheckAt: MonotonicInstant
    /// When the technician's message on the notice line goes away.
    var broadcastUntil: MonotonicInstant?
    /// A new catalog that arrived while a citizen was in a session: it applies once the
    /// session has ended, never in the middle of a citizen's form.
    public private(set) var pendingCatalog: Catalog?
    /// New idle timing that arrived during a session: it applies once the session has ended.
    public private(set) var pendingIdleTiming: IdleTiming?
    /// While a one-time code is typed: when its screen next changes (the resend countdown,
    /// the code's expiry).
    var codeChangeAt: MonotonicInstant?

    /// Creates the machine for a terminal that has just been opened at `now`, reporting
    /// `reportedSize` (nil for a serial line). The first step is `start(at:)`.
    public init(
        configuration: Configuration, profile: TerminalProfile, catalog: Catalog, availability: ServiceAvailability,
        reportedSize: TerminalSize?, at now: Moment
    ) {
        self.configuration = configuration
        menu = MenuState(profile: profile)
        self.reportedSize = reportedSize
        answeredSize = nil
        awaitingSize = configuration.askSize && reportedSize == nil
        lastInput = now.instant
        dateCheckAt = now.instant
        context = MenuContext(
            catalog: catalog, availability: availability, size: .minimum,
            today: CalendarDate.of(now.wall, in: configuration.timeZone), doubleSizeLines: configuration.doubleSizeLines
        )
        context.size = effectiveSize
        dateCheckAt = nextDateCheck(after: now)
        sizeCheckAt = configuration.sizeCheckInterval.map { now.instant.advanced(by: $0) }
    }

    /// The terminal is set up (modes, and the size question for a serial line) and the
    /// attract screen is drawn.
    public mutating func start(at now: Moment) -> SessionStep {
        SessionStep(effects: [.enterKioskMode(askSize: awaitingSize), .draw], nextDeadline: nextDeadline(after: now.instant))
    }

    /// Applies `event` at `now`; afterwards the machine is in its next state and the step
    /// says what the session must do, and when to call again at the latest.
    public mutating func handle(_ event: SessionEvent, at now: Moment) -> SessionStep {
        var effects: [SessionEffect] = []
        context.now = now.wall
        let wasWaiting = menu.isWaiting
        switch event {
        case .input(let inputs, let decoderPending):
            lastInput = now.instant
            escapeDeadline = decoderPending ? now.instant.advanced(by: configuration.escapeTimeout) : nil
            handle(inputs, into: &effects)
        case .flushed(let inputs):
            handle(inputs, into: &effects)
        case .identityRead(let identity):
            // A card laid on the reader is the citizen at the terminal, as a key is.
            lastInput = now.instant
            perform(menu.handle(.identityRead(identity), context: context), into: &effects)
            effects.append(.draw)
        case .measured(let size):
            if size != reportedSize {
                reportedSize = size
                resize(into: &effects)
            }
        case .sourcesChanged(let catalog, let availability):
            if availability != context.availability {
                context.availability = availability
                effects.append(.draw)
            }
            if catalog == context.catalog {
                pendingCatalog = nil
            } else if isBetweenSessions {
                context.catalog = catalog
                pendingCatalog = nil
                effects.append(.draw)
            } else {
                pendingCatalog = catalog
            }
        case .idleTimingChanged(let timing):
            if timing == configuration.idleTiming {
                pendingIdleTiming = nil
            } else if isBetweenSessions {
                configuration.idleTiming = timing
                pendingIdleTiming = nil
            } else {
                pendingIdleTiming = timing
            }
        case .answer(let answer):
            perform(menu.handle(answer, context: context), into: &effects)
            effects.append(.draw)
        case .reset:
            perform(menu.handle(.reset, context: context), into: &effects)
            effects.append(.draw)
        case .lock(let message):
            perform(menu.handle(.lock(message: message), context: context), into: &effects)
            effects.append(.draw)
        case .unlock:
            perform(menu.handle(.unlock, context: context), into: &effects)
            effects.append(.draw)
        case .broadcast(let message, let duration):
            context.broadcast = message
            broadcastUntil = now.instant.advanced(by: duration)
            effects.append(.draw)
        case .deadline:
            break
        }
        if wasWaiting, !menu.isWaiting { wake(at: now, into: &effects) }
        if let until = broadcastUntil, now.instant >= until {
            broadcastUntil = nil
            context.broadcast = nil
            effects.append(.draw)
        }
        runTimers(at: now, into: &effects)
        trackOpenOrder(at: now)
        if let pending = pendingCatalog, isBetweenSessions {
            context.catalog = pending
            pendingCatalog = nil
            effects.append(.draw)
        }
        if let pending = pendingIdleTiming, isBetweenSessions {
            configuration.idleTiming = pending
            pendingIdleTiming = nil
        }
        trackCodeFlow(at: now)
        return SessionStep(effects: effects, nextDeadline: nextDeadline(after: now.instant))
    }

    /// No citizen is in a session: the attract screen, or locked for maintenance.
    public var isBetweenSessions: Bool {
        switch menu.screen {
        case .attract, .locked: true
        default: false
        }
    }

    /// A citizen started a session: the clocks it needs start now. The size is measured and
    /// the hall's date read at once, since nothing watched them while the attract screen
    /// waited.
    private mutating func wake(at now: Moment, into effects: inout [SessionEffect]) {
        context.today = CalendarDate.of(now.wall, in: configuration.timeZone)
        dateCheckAt = nextDateCheck(after: now)
        if configuration.measuresSize { effects.insert(.measureSize, at: 0) }
        if let interval = configuration.sizeCheckInterval { sizeCheckAt = now.instant.advanced(by: interval) }
    }

    // MARK: Payments

    /// How long after its expiry an order the centre cannot be asked about stays on screen
    /// before the session tells the citizen the result is not known yet.
    public static let unansweredOrderGrace: Duration = .seconds(30)

    /// While a QR code is shown the citizen is busy paying, not idle: the idle time starts
    /// over, and the order is followed and its countdown redrawn on deadlines of its own.
    private mutating func trackOpenOrder(at now: Moment) {
        guard menu.openOrder != nil else {
            followAt = nil
            countdownAt = nil
            return
        }
        lastInput = now.instant
        if followAt == nil { followAt = now.instant.advanced(by: MenuState.orderFollowInterval) }
        if countdownAt == nil { countdownAt = now.instant.advanced(by: .seconds(1)) }
    }

    private mutating func runPaymentTimers(at now: Moment, into effects: inout [SessionEffect]) {
        guard let order = menu.openOrder else { return }
        if let at = countdownAt, now.instant >= at {
            countdownAt = now.instant.advanced(by: .seconds(1))
            effects.append(.draw)
        }
        if now.wall >= order.expiresAt.addingTimeInterval(Self.unansweredOrderGrace.timeInterval) {
            // The centre has not answered past the expiry: the citizen is told (and has the
            // idle time to read it); the daemon still follows the order and records a
            // payment that comes.
            lastInput = now.instant
            perform(menu.handle(.paymentFollowed(PaymentResult(order: order, outcome: .unknown)), context: context), into: &effects)
            effects.append(.draw)
            return
        }
        if let at = followAt, now.instant >= at {
            followAt = now.instant.advanced(by: MenuState.orderFollowInterval)
            effects.append(.menu(.followOrder(order.id)))
        }
    }

    // MARK: Identity

    /// The one-time code screen counts down on the wall clock (the centre's expiry is a
    /// wall-clock time): its next change becomes a deadline on the monotonic line.
    private mutating func trackCodeFlow(at now: Moment) {
        codeChangeAt = menu.codeFlow?.nextChange(after: now.wall).map {
            now.instant.advanced(by: .seconds($0.timeIntervalSince(now.wall)))
        }
    }

    // MARK: Input

    private mutating func handle(_ inputs: [TerminalInput], into effects: inout [SessionEffect]) {
        guard !inputs.isEmpty else { return }
        for input in inputs {
            switch input {
            case .report(.cursorPosition(let row, let column)) where awaitingSize:
                awaitingSize = false
                answeredSize = TerminalSize(columns: column, rows: row)
                resize(into: &effects)
            case .report:
                continue
            case .key(let key):
                if configuration.quitOnInterrupt, key == .control(0x03) {
                    effects.append(.quit)
                    return
                }
                perform(menu.handle(.key(key), context: context), into: &effects)
            }
        }
        effects.append(.draw)
    }

    /// Turns the menu's effects into the session's. A menu effect that waits for the
    /// outside (storing, asking the central service) is preceded by a frame, so "please
    /// wait" is on the screen while it runs; a session that ended wipes the screen and
    /// the scrollback before anything else is drawn.
    private mutating func perform(_ menuEffects: [MenuEffect], into effects: inout [SessionEffect]) {
        for effect in menuEffects {
            switch effect {
            case .sessionEnded:
                effects.append(.menu(effect))
                effects.append(.wipe)
                // Nothing typed survives: the machine's own timers start over too.
                escapeDeadline = nil
            case .submitApplication, .queryProgress, .lookupInsurance, .lookupBill, .createOrder, .cancelOrder, .requestCode,
                 .verifyCode:
                effects.append(.draw)
                effects.append(.menu(effect))
            default:
                effects.append(.menu(effect))
            }
        }
    }

    // MARK: Time

    /// The moment at which something must happen without input; nil when nothing will
    /// (the attract screen waits for a key and watches neither the date nor the size, only
    /// when a technician's message ends).
    private func nextDeadline(after now: MonotonicInstant) -> MonotonicInstant? {
        var deadlines: [MonotonicInstant] = []
        if let escapeDeadline { deadlines.append(escapeDeadline) }
        if let broadcastUntil { deadlines.append(broadcastUntil) }
        guard !menu.isWaiting else { return deadlines.min() }
        deadlines.append(dateCheckAt)
        if let sizeCheckAt { deadlines.append(sizeCheckAt) }
        if let followAt { deadlines.append(followAt) }
        if let countdownAt { deadlines.append(countdownAt) }
        if let codeChangeAt { deadlines.append(codeChangeAt) }
        if let idle = nextIdleMoment(after: now) { deadlines.append(idle) }
        return deadlines.min()
    }

    /// The idle time of the current mode: elder mode multiplies it.
    private var idleTimes: (timeout: Duration, warning: Duration) {
        let factor = menu.elderMode ? configuration.elderIdleFactor : 1
        return (configuration.idleTimeout * factor, configuration.idleWarning * factor)
    }

    /// When the idle warning next changes: it appears, its countdown drops a second, or the
    /// session ends. Nil on the attract screen, where nothing is idle.
    private func nextIdleMoment(after now: MonotonicInstant) -> MonotonicInstant? {
        guard !menu.isWaiting, menu.openOrder == nil else { return nil }
        let (timeout, warning) = idleTimes
        let resetAt = lastInput.advanced(by: timeout)
        let warnAt = lastInput.advanced(by: timeout - warning)
        if now < warnAt { return warnAt }
        if now >= resetAt { return now }
        // The countdown shows whole seconds left, rounded up: it changes one second after
        // the last whole second boundary before the reset.
        let left = now.duration(to: resetAt)
        let shown = Self.wholeSecondsUp(left)
        return resetAt.advanced(by: .seconds(-(shown - 1)))
    }

    private mutating func runTimers(at now: Moment, into effects: inout [SessionEffect]) {
        if let deadline = escapeDeadline, now.instant >= deadline {
            escapeDeadline = nil
            effects.append(.flushDecoder)
        }
        guard !menu.isWaiting else { return }
        if let check = sizeCheckAt, now.instant >= check, let interval = configuration.sizeCheckInterval {
            sizeCheckAt = now.instant.advanced(by: interval)
            effects.append(.measureSize)
        }
        if now.instant >= dateCheckAt {
            dateCheckAt = nextDateCheck(after: now)
            let today = CalendarDate.of(now.wall, in: configuration.timeZone)
            if today != context.today {
                context.today = today
                effects.append(.draw)
            }
        }
        if let at = codeChangeAt, now.instant >= at { effects.append(.draw) }
        runPaymentTimers(at: now, into: &effects)
        runIdle(at: now.instant, into: &effects)
    }

    private mutating func runIdle(at now: MonotonicInstant, into effects: inout [SessionEffect]) {
        guard !menu.isWaiting, menu.openOrder == nil else { return }
        let (timeout, warning) = idleTimes
        let idle = lastInput.duration(to: now)
        if idle >= timeout {
            perform(menu.handle(.idleTimeout, context: context), into: &effects)
            effects.append(.draw)
        } else if idle >= timeout - warning {
            let remaining = Self.wholeSecondsUp(timeout - idle)
            if menu.idleWarning != remaining {
                _ = menu.handle(.idleCountdown(remaining: remaining), context: context)
                effects.append(.draw)
            }
        }
    }

    private func nextDateCheck(after now: Moment) -> MonotonicInstant {
        now.instant.advanced(by: HallTimeFormat(timeZone: configuration.timeZone).untilNextMinute(after: now.wall))
    }

    private static func wholeSecondsUp(_ duration: Duration) -> Int {
        Int((duration / .seconds(1)).rounded(.up))
    }

    // MARK: Size

    /// The size to lay out for: what the device reports, else what the terminal answered,
    /// else the configured size; never below the minimum.
    var effectiveSize: TerminalSize {
        let size = reportedSize ?? answeredSize ?? configuration.fallbackSize
        return TerminalSize(
            columns: max(size.columns, TerminalSize.minimum.columns), rows: max(size.rows, TerminalSize.minimum.rows)
        )
    }

    private mutating func resize(into effects: inout [SessionEffect]) {
        let size = effectiveSize
        guard size != context.size else { return }
        context.size = size
        effects.append(.redrawAll)
    }
}
