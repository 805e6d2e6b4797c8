import ArgumentParser
import Foundation
import KioskControl

/// `kioskctl outbox`: what waits for the central service, and the dead letters.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, retry and requeue what waits for the central service.",
        subcommands: [List.self, Retry.self, Requeue.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Counts and the newest pending entries (or dead letters)."
        )

        @Flag(name: .long, help: "List the dead letters instead of the pending entries.")
        var dead = false

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let (reply, json) = try connection.call(ControlMethods.ListOutbox.self, .init(dead: dead))
            if connection.json {
                try connection.printJSON(json)
                return
            }
            let counts = reply.counts
            var line = "outbox: \(counts.pending) pending, \(counts.delivered) delivered, \(counts.dead) dead"
            // Times as the daemon sends them: RFC 3339 in UTC.
            if let oldest = counts.oldestPendingAt { line += "; oldest pending since \(oldest.formatted(.iso8601))" }
            print(line)
            guard !reply.entries.isEmpty else { return }
            let rows = reply.entries.map { entry -> [String] in
                [
                    "\(entry.id)", entry.kind.rawValue, entry.reference, entry.itemID ?? "", "\(entry.attempts)",
                    (dead ? entry.createdAt : entry.nextAttemptAt).formatted(.iso8601), entry.lastError ?? "",
                ]
            }
            let header = ["ID", "KIND", "NUMBER", "ITEM", "TRIES", dead ? "CREATED" : "NEXT TRY", dead ? "REASON" : "LAST ERROR"]
            print(Table(header: header, rows: rows).text)
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry", abstract: "Try every pending entry now instead of after its backoff."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let (reply, json) = try connection.call(ControlMethods.RetryOutbox.self)
            if connection.json {
                try connection.printJSON(json)
            } else {
                print("retrying \(reply.pending) pending entries now")
            }
        }
    }

    struct Requeue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "requeue", abstract: "Put a dead letter back in the queue."
        )

        @Argument(help: "The entry's ID, from `kioskctl outbox --dead`.")
        var id: Int64

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let (_, json) = try connection.call(ControlMethods.RequeueOutbox.self, .init(id: id))
            if connection.json {
                try connection.printJSON(json)
            } else {
                print("entry \(id) requeued")
            }
        }
    }
}
