import ArgumentParser
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
            let reply = try connection.call("io.kioskd.Control.ListOutbox", parameters: .object(["dead": .bool(dead)]))
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            let counts = reply["counts"]
            let pending = counts?["pending"]?.integerValue ?? 0
            var line = "outbox: \(pending) pending, \(counts?["delivered"]?.integerValue ?? 0) delivered, "
                + "\(counts?["dead"]?.integerValue ?? 0) dead"
            if let oldest = counts?["oldest_pending_at"]?.stringValue { line += "; oldest pending since \(oldest)" }
            print(line)
            let entries = reply["entries"]?.arrayValue ?? []
            guard !entries.isEmpty else { return }
            let rows = entries.map { entry -> [String] in
                [
                    "\(entry["id"]?.integerValue ?? 0)", entry["kind"]?.stringValue ?? "",
                    entry["reference"]?.stringValue ?? "", entry["item_id"]?.stringValue ?? "",
                    "\(entry["attempts"]?.integerValue ?? 0)",
                    (dead ? entry["created_at"] : entry["next_attempt_at"])?.stringValue ?? "",
                    entry["last_error"]?.stringValue ?? "",
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
            let reply = try connection.call("io.kioskd.Control.RetryOutbox")
            if connection.json {
                try connection.printJSON(reply)
            } else {
                print("retrying \(reply["pending"]?.integerValue ?? 0) pending entries now")
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
            let reply = try connection.call("io.kioskd.Control.RequeueOutbox", parameters: .object(["id": .integer(id)]))
            if connection.json {
                try connection.printJSON(reply)
            } else {
                print("entry \(id) requeued")
            }
        }
    }
}
