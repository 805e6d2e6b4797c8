import Foundation
import KioskCore
import Synchronization

/// The health of every terminal, as the sessions report it; read by Status and
/// Terminals. It also carries a technician's requests to a terminal's session (reset,
/// lock, unlock): they are recorded here and the session is woken to apply them, so a
/// request made while the device is closed or reopening still applies (a lock) when the
/// device opens again.
///
/// A mutex rather than an actor: sessions update it on every keystroke and Status reads
/// it on every call, and neither should have to hop to another executor for a few
/// dictionary operations.
public final class TerminalRegistry: Sendable {
    /// When a terminal last received input and last sent a frame, on the injected clock.
    public struct Activity: Sendable, Hashable {
        public var lastInput: Date?
        public var lastFrame: Date?

        public init(lastInput: Date? = nil, lastFrame: Date? = nil) {
            self.lastInput = lastInput
            self.lastFrame = lastFrame
        }
    }

    /// What technicians asked of a terminal: how many resets so far, and the lock with
    /// its message (nil: not locked). The session compares this with what it applied.
    public struct Requests: Sendable, Hashable {
        public var resets = 0
        /// Locked, with the message to show (itself optional).
        public var lock: Lock?
        /// The last message for the notice line, numbered so a session shows each once.
        public var broadcast: Broadcast?

        public init(resets: Int = 0, lock: Lock? = nil, broadcast: Broadcast? = nil) {
            self.resets = resets
            self.lock = lock
            self.broadcast = broadcast
        }
    }

    /// A technician's message for the notice line, for `seconds`.
    public struct Broadcast: Sendable, Hashable {
        public var number: Int
        public var text: String
        public var seconds: Int

        public init(number: Int, text: String, seconds: Int) {
            self.number = number
            self.text = text
            self.seconds = seconds
        }
    }

    public struct Lock: Sendable, Hashable {
        public var message: String?

        public init(message: String?) { self.message = message }
    }

    /// The text a terminal showed last, for `ScreenSnapshot`.
    public struct Screen: Sendable, Hashable {
        /// Its rows as plain text; nil while a citizen session is on it: technicians see a
        /// screen between citizens only.
        public var lines: [String]?
        public var screen: String
        public var size: TerminalSize
        public var drawnAt: Date?
    }

    /// One terminal as `Terminals` lists it.
    public struct Entry: Sendable, Hashable {
        public var status: TerminalStatus
        public var activity: Activity
        public var lock: Lock?
    }

    private struct State {
        var order: [String] = []
        var statuses: [String: TerminalStatus] = [:]
        var activity: [String: Activity] = [:]
        /// The last frame's rows, for terminals whose last frame was between sessions.
        var lines: [String: [String]] = [:]
        var requests: [String: Requests] = [:]
        /// Wakes the session of a terminal whose device is open.
        var wakes: [String: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds a terminal; afterwards it is listed, in the order added. A lock asked for
    /// earlier stays.
    public func register(_ status: TerminalStatus) {
        state.withLock { state in
            if state.statuses[status.name] == nil { state.order.append(status.name) }
            var status = status
            status.locked = state.requests[status.name]?.lock != nil
            state.statuses[status.name] = status
        }
    }

    /// Changes the status of `name`, if it is registered.
    public func update(_ name: String, _ change: (inout TerminalStatus) -> Void) {
        state.withLock { state in
            guard var status = state.statuses[name] else { return }
            change(&status)
            state.statuses[name] = status
        }
    }

    /// `count` bytes of input arrived on `name` at `date`.
    public func noteInput(_ name: String, bytes count: Int64, at date: Date) {
        state.withLock { state in
            guard state.statuses[name] != nil else { return }
            state.statuses[name]?.bytesIn += count
            state.activity[name, default: Activity()].lastInput = date
        }
    }

    /// A frame of `count` bytes was sent to `name` at `date`, showing `screen` at `size`;
    /// `lines` is its text when a technician may see it (between sessions), else nil.
    public func noteFrame(_ name: String, bytes count: Int64, screen: String, size: TerminalSize, lines: [String]? = nil, at date: Date) {
        state.withLock { state in
            guard state.statuses[name] != nil else { return }
            state.lines[name] = lines
            state.statuses[name]?.bytesOut += count
            state.statuses[name]?.screen = screen
            state.statuses[name]?.columns = size.columns
            state.statuses[name]?.rows = size.rows
            state.activity[name, default: Activity()].lastFrame = date
        }
    }

    /// What terminal `name` showed last; nil when there is no such terminal.
    public func screen(of name: String) -> Screen? {
        state.withLock { state in
            state.statuses[name].map {
                Screen(
                    lines: state.lines[name], screen: $0.screen, size: TerminalSize(columns: $0.columns, rows: $0.rows),
                    drawnAt: state.activity[name]?.lastFrame
                )
            }
        }
    }

    /// Every registered terminal, in the order registered.
    public var all: [TerminalStatus] {
        state.withLock { state in state.order.compactMap { state.statuses[$0] } }
    }

    /// Every registered terminal with its activity and lock, in the order registered.
    public var entries: [Entry] {
        state.withLock { state in
            state.order.compactMap { name in
                state.statuses[name].map {
                    Entry(status: $0, activity: state.activity[name] ?? Activity(), lock: state.requests[name]?.lock)
                }
            }
        }
    }

    // MARK: Technicians' requests

    /// Asks the session of `name` to end its citizen session and wipe the screen; false
    /// when no such terminal is registered.
    public func requestReset(_ name: String) -> Bool {
        request(name) { $0.resets += 1 }
    }

    /// Locks `name` with `message` (already stripped and bounded), or changes the message
    /// of a locked terminal; false when no such terminal is registered.
    public func lock(_ name: String, message: String?) -> Bool {
        request(name) { $0.lock = Lock(message: message) }
    }

    /// Unlocks `name`; false when no such terminal is registered.
    public func unlock(_ name: String) -> Bool {
        request(name) { $0.lock = nil }
    }

    /// Shows `text` (already stripped and bounded) on the notice line of `name`, or of
    /// every terminal when nil, for `seconds`; returns the names of the terminals it went
    /// to, empty when `name` is not registered. A terminal whose device is closed does not
    /// show it when it opens again.
    public func sendMessage(to name: String?, text: String, seconds: Int) -> [String] {
        let (names, wakes): ([String], [@Sendable () -> Void]) = state.withLock { state in
            let names = name.map { state.statuses[$0] == nil ? [] : [$0] } ?? state.order
            for name in names {
                let number = (state.requests[name]?.broadcast?.number ?? 0) + 1
                state.requests[name, default: Requests()].broadcast = Broadcast(number: number, text: text, seconds: seconds)
            }
            return (names, names.compactMap { state.wakes[$0] })
        }
        for wake in wakes { wake() }
        return names
    }

    /// What technicians asked of `name` so far.
    public func requests(for name: String) -> Requests {
        state.withLock { $0.requests[name] ?? Requests() }
    }

    /// While the device of `name` is open its session is woken by `wake` after every
    /// request; nil when it closes.
    public func setWake(_ name: String, _ wake: (@Sendable () -> Void)?) {
        state.withLock { $0.wakes[name] = wake }
    }

    private func request(_ name: String, _ change: (inout Requests) -> Void) -> Bool {
        let wake: (@Sendable () -> Void)?? = state.withLock { state in
            guard state.statuses[name] != nil else { return .none }
            change(&state.requests[name, default: Requests()])
            state.statuses[name]?.locked = state.requests[name]?.lock != nil
            return .some(state.wakes[name])
        }
        guard case .some(let wakeup) = wake else { return false }
        // Outside the lock: the session's stream may run its consumer's code.
        wakeup?()
        return true
    }
}
