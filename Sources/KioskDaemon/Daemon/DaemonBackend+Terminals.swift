import Foundation
import KioskControl
import KioskCore
import KioskTerminal

/// The terminal methods: read from and asked through the terminal registry, which the
/// sessions report to and take technicians' requests from.
extension DaemonBackend {
    func terminals() async -> [TerminalDetail] {
        let format = time.format
        return registry.entries.map { entry in
            TerminalDetail(
                entry.status, lastInputAt: entry.activity.lastInput.map(format.timestamp),
                lastFrameAt: entry.activity.lastFrame.map(format.timestamp), lockMessage: entry.lock?.message
            )
        }
    }

    func screenSnapshot(name: String) async -> ScreenSnapshotReply? {
        registry.screen(of: name).map {
            ScreenSnapshotReply(
                name: name, screen: $0.screen, columns: $0.size.columns, rows: $0.size.rows,
                drawnAt: $0.drawnAt.map(time.format.timestamp), lines: $0.lines
            )
        }
    }

    func resetTerminal(name: String, actor: String) async -> Bool {
        let found = registry.requestReset(name)
        if found { audit.record(actor: actor, action: "reset terminal \(name)", outcome: "ok") }
        return found
    }

    func lockTerminal(name: String, message: String?, actor: String) async -> Bool {
        let found = registry.lock(name, message: message)
        if found { audit.record(actor: actor, action: "lock terminal \(name)", outcome: message.map { "ok: \($0)" } ?? "ok") }
        return found
    }

    func unlockTerminal(name: String, actor: String) async -> Bool {
        let found = registry.unlock(name)
        if found { audit.record(actor: actor, action: "unlock terminal \(name)", outcome: "ok") }
        return found
    }

    func sendMessage(name: String?, text: String, seconds: Int, actor: String) async -> [String]? {
        let names = registry.sendMessage(to: name, text: text, seconds: seconds)
        if name != nil, names.isEmpty { return nil }
        audit.record(actor: actor, action: "message \(name.map { "terminal \($0)" } ?? "every terminal") for \(seconds) s", outcome: "ok: \(text)")
        return names
    }
}
