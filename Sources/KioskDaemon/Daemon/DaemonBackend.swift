import Foundation
import KioskControl
import KioskCore
import KioskForwarding
import KioskTerminal

/// The daemon's answers to the control interface, gathered from the services that own
/// each piece of state.
struct DaemonBackend: ControlBackend {
    let startedAt: ContinuousClock.Instant
    let registry: TerminalRegistry
    let central: CentralServiceMonitor

    func status() async -> DaemonStatus {
        let uptime = ContinuousClock.now - startedAt
        return DaemonStatus(
            version: KioskVersion.current,
            uptimeSeconds: uptime.components.seconds,
            terminals: registry.all,
            central: central.status
        )
    }
}
