import ArgumentParser
import KioskControl

/// `kioskctl reload`: the configuration and the catalog read again, as SIGHUP does.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Read the configuration and the catalog again; say what applied and what needs a restart."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Reload.self)
        if connection.json {
            try connection.printJSON(json)
            return
        }
        print("catalog: \(reply.catalogItems) items in \(reply.catalogStages) stages, " + (reply.catalogChanged ? "changed, applied" : "unchanged"))
        let live = reply.applied.filter { $0 != "[catalog]" }
        if !live.isEmpty { print("applied live: \(live.joined(separator: ", "))") }
        print(reply.needsRestart.isEmpty ? "nothing needs a restart" : "changed, needs a restart: \(reply.needsRestart.joined(separator: ", "))")
    }
}
