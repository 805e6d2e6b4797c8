import KioskCore
import Synchronization

/// The health of every terminal, as the sessions report it; read by Status.
///
/// A mutex rather than an actor: sessions update it on every keystroke and Status reads
/// it on every call, and neither should have to hop to another executor for a few
/// dictionary operations.
public final class TerminalRegistry: Sendable {
    private struct State {
        var order: [String] = []
        var statuses: [String: TerminalStatus] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds a terminal; afterwards it is listed, in the order added.
    public func register(_ status: TerminalStatus) {
        state.withLock { state in
            if state.statuses[status.name] == nil { state.order.append(status.name) }
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

    /// Every registered terminal, in the order registered.
    public var all: [TerminalStatus] {
        state.withLock { state in state.order.compactMap { state.statuses[$0] } }
    }
}
