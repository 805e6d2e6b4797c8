import ArgumentParser
import Foundation
import KioskControl
import KioskCore

/// `kioskctl`: the technicians' command-line tool for a running kioskd.
@main
struct KioskctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Talks to a running kioskd over its control socket.",
        discussion: """
            Exit codes: 0 done; 1 the daemon refused the call; 64 bad arguments; 65 `ledger verify` \
            found a break; 69 the daemon cannot be reached; 73 an export or a backup could not be written; \
            77 permission denied.
            """,
        version: KioskVersion.current,
        subcommands: [
            StatusCommand.self, TerminalsCommand.self, OutboxCommand.self, AttachCommand.self, PrintersCommand.self, JobsCommand.self, ReprintCommand.self,
            ResumeCommand.self, PaymentsCommand.self, LedgerCommand.self, SettlementCommand.self, AuditCommand.self, BackupCommand.self,
            ReloadCommand.self, WatchCommand.self,
        ]
    )

    /// Accepts the shared options before the subcommand too (`kioskctl --socket P status`),
    /// as technicians type them, by moving them to the end, where the innermost
    /// subcommand (`outbox requeue 7`) reads them.
    static func main() {
        main(Self.movingSharedOptions(Array(CommandLine.arguments.dropFirst())))
    }

    static func movingSharedOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            if first == "--socket", rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first == "--json" || first.hasPrefix("--socket=") {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !rest.isEmpty, !leading.isEmpty else { return arguments }
        return Array(rest) + leading
    }
}

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The control socket of the daemon.")
    var socket: String = "/run/kioskd/control.socket"

    @Flag(name: .long, help: "Print the daemon's reply as JSON instead of a table.")
    var json = false

    /// Calls `method` and returns its reply parameters; connection problems and Varlink
    /// errors end the command with a message and a non-zero exit code.
    private func call(_ method: String, parameters: JSONValue?) throws -> JSONValue {
        try failing(method) {
            let client = try VarlinkClient(socketPath: socket)
            return try client.call(method, parameters: parameters)
        }
    }

    /// Calls `method` with `parameters` and returns its reply, typed, and as the daemon sent
    /// it (what `--json` prints). A reply this kioskctl cannot read (a daemon of another
    /// version) ends the command with a message and exit code 1.
    func call<Method: ControlMethod>(_ method: Method.Type, _ parameters: Method.Parameters) throws -> (reply: Method.Reply, json: JSONValue) {
        let sent = try failing(Method.name) { try JSONValue(encoding: parameters) }
        let json = try call(Method.qualifiedName, parameters: sent)
        do {
            return (try json.decode(Method.Reply.self), json)
        } catch {
            printError("kioskctl: \(Method.name): the daemon's reply is not one this kioskctl \(KioskVersion.current) reads: \(error)")
            throw ExitCode(1)
        }
    }

    /// `call(_:_:)` for a method without parameters.
    func call<Method: ControlMethod>(_ method: Method.Type) throws -> (reply: Method.Reply, json: JSONValue)
    where Method.Parameters == NoParameters {
        try call(method, NoParameters())
    }

    /// Runs `body`; connection problems and Varlink errors end the command with a message
    /// and the exit code for their kind.
    func failing<T>(_ method: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as VarlinkClient.ConnectionError {
            printError("kioskctl: \(error.description)")
            throw ExitCode(69)  // EX_UNAVAILABLE
        } catch let error as VarlinkError {
            printError("kioskctl: \(method): \(error)")
            if error.name.hasSuffix("PermissionDenied") { throw ExitCode(77) }  // EX_NOPERM
            if error.name.hasSuffix("ExportFailed") || error.name.hasSuffix("BackupFailed") { throw ExitCode(73) }  // EX_CANTCREAT
            throw ExitCode(1)
        }
    }

    func printJSON(_ value: JSONValue) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(escapingUnsafe(String(decoding: try encoder.encode(value), as: UTF8.self)))
    }
}

/// Everything kioskctl prints goes through here: the daemon's replies carry text from
/// outside (a centre's error title, a printer's reason, a terminal's name), and a control
/// or layout character in it must not reach the technician's terminal (an OSC 52 string
/// would write their clipboard). Each line is stripped of them; the line breaks are
/// kioskctl's own.
func print(_ text: String = "") {
    try? FileHandle.standardOutput.write(contentsOf: Data((sanitizedLines(text) + "\n").utf8))
}

func printError(_ message: String) {
    try? FileHandle.standardError.write(contentsOf: Data((sanitizedLines(message) + "\n").utf8))
}

/// `text` with each line stripped by `UntrustedText`; the line breaks are kept.
private func sanitizedLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { UntrustedText($0).sanitized }.joined(separator: "\n")
}

/// JSON with every character `UntrustedText` would strip written as a `\uXXXX` escape:
/// the encoder escapes C0 controls but writes C1 controls, bidirectional overrides and
/// line separators as they are. Such characters only occur inside JSON strings, where the
/// escape means the same character, so the document is unchanged for a JSON reader.
func escapingUnsafe(_ json: String) -> String {
    var escaped = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
        if scalar.value >= 0x20, !UntrustedText.isSafe(scalar) {
            escaped.append(contentsOf: String(format: "\\u%04X", scalar.value).unicodeScalars)
        } else {
            escaped.append(scalar)
        }
    }
    return String(escaped)
}
