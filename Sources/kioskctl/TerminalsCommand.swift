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
            let (reply, json) = try connection.call(ControlMethods.ScreenSnapshot.self, .init(name: name))
            if connection.json {
                try connection.printJSON(json)
                return
            }
            print("\(reply.name): \(reply.screen), \(reply.columns)×\(reply.rows)" + (reply.drawnAt.map { ", drawn \($0)" } ?? ""))
            switch reply.withheld {
            case "citizen_session"?: print("withheld: a citizen is using the terminal")
            case "no_frame"?: print("withheld: nothing drawn between citizens yet")
            default:
                let rule = "+" + String(repeating: "-", count: max(0, reply.columns)) + "+"
                print(rule)
                for line in reply.lines { print("|" + line + "|") }
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
            let (reply, json) = try connection.call(ControlMethods.Terminals.self)
            if connection.json {
                try connection.printJSON(json)
                return
            }
            guard !reply.terminals.isEmpty else {
                print("no terminals")
                return
            }
            print(TerminalTable.text(reply.terminals))
            for terminal in reply.terminals {
                if let message = terminal.lockMessage { print("\(terminal.name): locked: \(message)") }
                if let error = terminal.lastError { print("\(terminal.name): last error: \(error)") }
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
            let (_, json) = try connection.call(ControlMethods.ResetTerminal.self, .init(name: name))
            if connection.json {
                try connection.printJSON(json)
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
            let parameters = ControlMethods.LockTerminal.Parameters(name: name, message: message.isEmpty ? nil : message.joined(separator: " "))
            let (reply, json) = try connection.call(ControlMethods.LockTerminal.self, parameters)
            if connection.json {
                try connection.printJSON(json)
            } else if let shown = reply.message {
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
            let (_, json) = try connection.call(ControlMethods.UnlockTerminal.self, .init(name: name))
            if connection.json {
                try connection.printJSON(json)
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
            let parameters = ControlMethods.SendMessage.Parameters(name: name, text: text.joined(separator: " "), seconds: Int64(seconds))
            let (reply, json) = try connection.call(ControlMethods.SendMessage.self, parameters)
            if connection.json {
                try connection.printJSON(json)
                return
            }
            let names = reply.terminals
            print(names.isEmpty ? "no terminals" : "message shown for \(seconds) s on \(names.joined(separator: ", "))")
        }
    }
}

enum TerminalTable {
    static func text(_ terminals: [TerminalDetail]) -> String {
        let rows = terminals.map { terminal -> [String] in
            [
                terminal.name, terminal.profile.rawValue, terminal.state.rawValue, terminal.screen, "\(terminal.columns)×\(terminal.rows)",
                terminal.lastInputAt ?? "-", terminal.lastFrameAt ?? "-", "\(terminal.bytesIn)", "\(terminal.bytesOut)",
                "\(terminal.errors)", terminal.locked ? "yes" : "no", terminal.device,
            ]
        }
        let header = ["NAME", "PROFILE", "STATE", "SCREEN", "SIZE", "LAST INPUT", "LAST FRAME", "IN", "OUT", "ERRORS", "LOCKED", "DEVICE"]
        return Table(header: header, rows: rows).text
    }
}
