import ArgumentParser
import Foundation
import KioskControl
import KioskCore

/// `kioskctl watch`: the daemon's state, then each change as it happens (`Events`).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the daemon: its current state, then each change as it happens.",
        discussion: """
            One line per event: the time in the hall's zone, then what changed (a terminal, a \
            printer, the outbox, the central service, the payments, the storage). With --json, \
            one JSON object per line, as the Events method sends it. Runs until interrupted or \
            until the daemon stops (exit 69).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Stop after this many events.")
    var count: Int?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        var seen = 0
        try connection.failing(ControlMethods.Events.name) {
            let client = try VarlinkClient(socketPath: connection.socket, timeoutSeconds: 0)
            try client.stream(VarlinkCall(method: ControlMethods.Events.qualifiedName)) { reply in
                let event = reply.parameters ?? .object([:])
                if connection.json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    print(escapingUnsafe(String(decoding: try encoder.encode(event), as: UTF8.self)))
                } else {
                    print(WatchLine.text(try event.decode(ControlMethods.Events.Reply.self)))
                }
                seen += 1
                return count.map { seen < $0 } ?? true
            }
        }
    }
}
