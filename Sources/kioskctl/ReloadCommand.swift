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
        let reply = try connection.call("io.kioskd.Control.Reload")
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        let changed = reply["catalog_changed"]?.boolValue == true
        print("catalog: \(reply["catalog_items"]?.integerValue ?? 0) items in \(reply["catalog_stages"]?.integerValue ?? 0) stages, "
            + (changed ? "changed, applied" : "unchanged"))
        let live = (reply["applied"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { $0 != "[catalog]" }
        if !live.isEmpty { print("applied live: \(live.joined(separator: ", "))") }
        let restart = reply["needs_restart"]?.arrayValue?.compactMap(\.stringValue) ?? []
        print(restart.isEmpty ? "nothing needs a restart" : "changed, needs a restart: \(restart.joined(separator: ", "))")
    }
}
