import KioskCore

/// The health of every terminal, as the sessions report it; read by Status.
public actor TerminalRegistry {
    private var order: [String] = []
    private var statuses: [String: TerminalStatus] = [:]

    public init() {}

    /// Adds a terminal; afterwards it is listed, in the order added, until removed.
    public func register(_ status: TerminalStatus) {
        if statuses[status.name] == nil { order.append(status.name) }
        statuses[status.name] = status
    }

    /// Changes the status of `name`, if it is registered.
    public func update(_ name: String, _ change: @Sendable (inout TerminalStatus) -> Void) {
        guard var status = statuses[name] else { return }
        change(&status)
        statuses[name] = status
    }

    /// Every registered terminal, in the order registered.
    public var all: [TerminalStatus] {
        order.compactMap { statuses[$0] }
    }
}
