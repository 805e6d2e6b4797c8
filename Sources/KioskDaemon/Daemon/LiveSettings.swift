import KioskControl
import KioskCore
import Synchronization

/// The settings a reload applies while kioskd runs, besides the catalog: how long sessions
/// wait for input (`[session] idle_seconds`, `warning_seconds`, `elder_idle_factor`; from
/// each terminal's next session on) and the control socket's idle timeout and caps
/// (`[control] idle_seconds`, `max_connections`, `max_connections_per_user`; from the next
/// connection on).
final class LiveSettings: Sendable {
    private struct State {
        var session: KioskConfiguration.Session
        var control: KioskConfiguration.Control
        var server: VarlinkServer?
    }

    private let state: Mutex<State>
    /// Called after the idle timing changed (sessions read it again).
    private let onSessionChange: @Sendable () -> Void

    init(_ configuration: KioskConfiguration, onSessionChange: @escaping @Sendable () -> Void) {
        state = Mutex(State(session: configuration.session, control: configuration.control))
        self.onSessionChange = onSessionChange
    }

    /// The idle timing sessions use now.
    var idleTiming: SessionMachine.IdleTiming {
        state.withLock { $0.session.idleTiming }
    }

    /// The control server whose limits a reload changes (it is built after the reloader).
    func serve(_ server: VarlinkServer) {
        state.withLock { $0.server = server }
    }

    /// Afterwards the live settings are `configuration`'s; returns the names of those that
    /// changed, as a reload reports them ("[session] idle_seconds").
    func apply(_ configuration: KioskConfiguration) -> [String] {
        let (changed, server) = state.withLock { state -> ([String], VarlinkServer?) in
            var names: [String] = []
            let old = state
            func note<Value: Equatable>(_ name: String, _ value: (State) -> Value) {
                if value(old) != value(state) { names.append(name) }
            }
            state.session.idleSeconds = configuration.session.idleSeconds
            state.session.warningSeconds = configuration.session.warningSeconds
            state.session.elderIdleFactor = configuration.session.elderIdleFactor
            state.control.idleSeconds = configuration.control.idleSeconds
            state.control.maxConnections = configuration.control.maxConnections
            state.control.maxConnectionsPerUser = configuration.control.maxConnectionsPerUser
            note("[session] idle_seconds") { $0.session.idleSeconds }
            note("[session] warning_seconds") { $0.session.warningSeconds }
            note("[session] elder_idle_factor") { $0.session.elderIdleFactor }
            note("[control] idle_seconds") { $0.control.idleSeconds }
            note("[control] max_connections") { $0.control.maxConnections }
            note("[control] max_connections_per_user") { $0.control.maxConnectionsPerUser }
            return (names, state.server)
        }
        if changed.contains(where: { $0.hasPrefix("[control]") }) {
            server?.limits = configuration.connectionLimits
        }
        if changed.contains(where: { $0.hasPrefix("[session]") }) { onSessionChange() }
        return changed
    }
}

extension KioskConfiguration.Session {
    /// The idle timing of a session machine.
    var idleTiming: SessionMachine.IdleTiming {
        SessionMachine.IdleTiming(timeout: .seconds(idleSeconds), warning: .seconds(warningSeconds), elderFactor: elderIdleFactor)
    }
}
