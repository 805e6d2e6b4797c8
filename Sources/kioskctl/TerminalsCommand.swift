import ArgumentParser
import KioskControl

/// `kioskctl terminals`: every terminal in detail; reset, lock and unlock one.
struct TerminalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminals",
        abstract: "List the terminals; reset, lock or unlock one; send a message to one or all.",
        subcommands: [List.self, Reset.self, Lock.self, Unlock.self, Message.self, Screen.self],
        defaultSubcommand: List.self
    )

    struct Screen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "screen",
            abstract: "Print the text a terminal shows, when no citizen is using it.",
            discussion: "Withheld while a citizen session is on the terminal; exit 0 either way, the reason is printed."
        )

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The terminal, as named in [[terminal]].")
        var name: String

        func run() throws {
            let reply = try connection.call("io.kioskd.Control.ScreenSnapshot", parameters: .object(["name": .string(name)]))
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            let columns = Int(reply["columns"]?.integerValue ?? 0), rows = reply["rows"]?.integerValue ?? 0
            print("\(reply["name"]?.stringValue ?? name): \(reply["screen"]?.stringValue ?? "?"), \(columns)×\(rows)"
                + (reply["drawn_at"]?.stringValue.map { ", drawn \($0)" } ?? ""))
            switch reply["withheld"]?.stringValue {
            case "citizen_session"?: print("withheld: a citizen is using the terminal")
            case "no_frame"?: print("withheld: nothing drawn between citizens yet")
            default:
                let rule = "+" + String(repeating: "-", count: columns) + "+"
                print(rule)
                for line in reply["lines"]?.arrayValue ?? [] { print("|" + (line.stringValue ?? "") + "|") }
                print(rule)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Each terminal's state, screen, size, last input and frame, bytes, errors and lock."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let reply = try connection.call("io.kioskd.Control.Terminals")
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            let terminals = reply["terminals"]?.arrayValue ?? []
            guard !terminals.isEmpty else {
                print("no terminals")
                return
            }
            print(TerminalTable.text(terminals))
            for terminal in terminals {
                if let message = terminal["lock_message"]?.stringValue {
                    print("\(terminal["name"]?.stringValue ?? ""): locked: \(message)")
                }
                if let error = terminal["last_error"]?.stringValue {
                    print("\(terminal["name"]?.stringValue ?? ""): last error: \(error)")
                }
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset", abstract: "End a terminal's citizen session and wipe its screen."
        )

        @Argument(help: "The terminal's name, from `kioskctl terminals`.")
        var name: String

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let reply = try connection.call("io.kioskd.Control.ResetTerminal", parameters: .object(["name": .string(name)]))
            if connection.json {
                try connection.printJSON(reply)
            } else {
                print("\(name): session ended and screen wiped")
            }
        }
    }

    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lock",
            abstract: "Show the maintenance screen (设备维护中 / Under maintenance) and ignore citizen keys.",
            discussion: "Any citizen session ends first. Locking a locked terminal changes its message."
        )

        @Argument(help: "The terminal's name, from `kioskctl terminals`.")
        var name: String

        @Argument(help: "A message under the maintenance title (at most 120 characters), e.g. \"back at 15:00\".")
        var message: [String] = []

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            var parameters: [String: JSONValue] = ["name": .string(name)]
            if !message.isEmpty { parameters["message"] = .string(message.joined(separator: " ")) }
            let reply = try connection.call("io.kioskd.Control.LockTerminal", parameters: .object(parameters))
            if connection.json {
                try connection.printJSON(reply)
            } else if let shown = reply["message"]?.stringValue {
                print("\(name): locked, showing \"\(shown)\"")
            } else {
                print("\(name): locked")
            }
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Put a locked terminal back in service.")

        @Argument(help: "The terminal's name, from `kioskctl terminals`.")
        var name: String

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let reply = try connection.call("io.kioskd.Control.UnlockTerminal", parameters: .object(["name": .string(name)]))
            if connection.json {
                try connection.printJSON(reply)
            } else {
                print("\(name): unlocked")
            }
        }
    }

    struct Message: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "message",
            abstract: "Show a notice line (通知 Notice: …) on one terminal or all of them for a while."
        )

        @Argument(help: "The message (at most 120 characters), e.g. \"The hall closes at 17:00\".")
        var text: [String]

        @Option(name: .long, help: "Only this terminal (default: every terminal).")
        var name: String?

        @Option(name: .long, help: "How long it stays, in seconds (1–3600).")
        var seconds: Int = 60

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            var parameters: [String: JSONValue] = ["text": .string(text.joined(separator: " ")), "seconds": .integer(Int64(seconds))]
            if let name { parameters["name"] = .string(name) }
            let reply = try connection.call("io.kioskd.Control.SendMessage", parameters: .object(parameters))
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            let names = reply["terminals"]?.arrayValue?.compactMap(\.stringValue) ?? []
            print(names.isEmpty ? "no terminals" : "message shown for \(seconds) s on \(names.joined(separator: ", "))")
        }
    }
}

enum TerminalTable {
    static func text(_ terminals: [JSONValue]) -> String {
        let rows = terminals.map { terminal -> [String] in
            [
                terminal["name"]?.stringValue ?? "", terminal["profile"]?.stringValue ?? "",
                terminal["state"]?.stringValue ?? "", terminal["screen"]?.stringValue ?? "",
                "\(terminal["columns"]?.integerValue ?? 0)×\(terminal["rows"]?.integerValue ?? 0)",
                terminal["last_input_at"]?.stringValue ?? "-", terminal["last_frame_at"]?.stringValue ?? "-",
                "\(terminal["bytes_in"]?.integerValue ?? 0)", "\(terminal["bytes_out"]?.integerValue ?? 0)",
                "\(terminal["errors"]?.integerValue ?? 0)", terminal["locked"]?.boolValue == true ? "yes" : "no",
                terminal["device"]?.stringValue ?? "",
            ]
        }
        let header = ["NAME", "PROFILE", "STATE", "SCREEN", "SIZE", "LAST INPUT", "LAST FRAME", "IN", "OUT", "ERRORS", "LOCKED", "DEVICE"]
        return Table(header: header, rows: rows).text
    }
}
