import ArgumentParser
import KioskControl

/// `kioskctl audit`: the newest rows of the audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the newest rows of the audit log: who called what, when, and how it ended."
    )

    @Option(name: .long, help: "How many rows, newest first (1–1000).")
    var limit: Int = 100

    @Option(name: .long, help: "Only this caller's rows, e.g. uid:0.")
    var actor: String?

    @Option(name: .long, help: "Only rows whose action contains this text, e.g. LockTerminal.")
    var action: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.AuditLog.self, .init(limit: Int64(limit), actor: actor, action: action))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        guard !reply.entries.isEmpty else {
            print("no audit rows")
            return
        }
        let rows = reply.entries.map { entry -> [String] in
            ["\(entry.id)", entry.at, entry.actor, entry.action, entry.outcome, entry.detail]
        }
        print(Table(header: ["ID", "AT", "ACTOR", "ACTION", "OUTCOME", "DETAIL"], rows: rows).text)
    }
}

/// `kioskctl backup [NAME]`: an online backup of the database under the state directory.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back the database up to backups/NAME.sqlite under the state directory, verified.",
        discussion: "The copy is made while the daemon runs (SQLite's online backup) and checked with PRAGMA integrity_check."
    )

    @Argument(help: "The backup's name: letters, digits, -, _ and . (default kioskd-YYYYMMDD-HHMMSS).")
    var name: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Backup.self, .init(name: name))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        print("backup \(reply.path): \(reply.size) bytes, \(reply.pages) pages, integrity ok")
    }
}
