import ArgumentParser
import KioskControl
import KioskCore

/// `kioskctl printers`: each printer role, its queue, state, and who must act.
struct PrintersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "printers", abstract: "Show each printer role, its CUPS queue and its state.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let reply = try connection.call("io.kioskd.Control.Printers")
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        print(PrinterTable.text(reply["printers"]?.arrayValue ?? []))
    }
}

enum PrinterTable {
    static func text(_ printers: [JSONValue]) -> String {
        let rows = printers.map { printer -> [String] in
            let condition = printer["condition"]
            let reasons = condition?["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return [
                printer["role"]?.stringValue ?? "", printer["queue"]?.stringValue ?? "", printer["state"]?.stringValue ?? "",
                word(condition?["severity"], as: PrinterCondition.Severity.self), word(condition?["responsible"], as: PrinterCondition.Responsible.self),
                "\(printer["pending_jobs"]?.integerValue ?? 0)", "\(printer["failed_jobs"]?.integerValue ?? 0)",
                reasons.isEmpty ? "-" : reasons.joined(separator: ","),
            ]
        }
        return Table(header: ["ROLE", "QUEUE", "STATE", "SEVERITY", "ACT", "PENDING", "FAILED", "REASONS"], rows: rows).text
    }
}

/// `kioskctl jobs [--failed]`: print jobs, newest first.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List print jobs, newest first.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Only the jobs that did not print (reprint them with `kioskctl reprint NUMBER`).")
    var failed = false

    func run() throws {
        let reply = try connection.call("io.kioskd.Control.Jobs", parameters: .object(["failed": .bool(failed)]))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        let jobs = reply["jobs"]?.arrayValue ?? []
        guard !jobs.isEmpty else {
            print(failed ? "no failed print jobs" : "no print jobs")
            return
        }
        let rows = jobs.map { job -> [String] in
            [
                job["number"]?.stringValue ?? "", word(job["kind"], as: PrintKind.self), job["role"]?.stringValue ?? "",
                job["state"]?.stringValue ?? "", job["cups_job_id"]?.integerValue.map(String.init) ?? "-",
                "\(job["attempts"]?.integerValue ?? 0)", job["reprint_of"]?.stringValue ?? "-",
                job["last_reason"]?.stringValue ?? "-", job["updated_at"]?.stringValue ?? "", job["reference"]?.stringValue ?? "",
            ]
        }
        print(Table(header: ["NUMBER", "KIND", "ROLE", "STATE", "CUPS", "TRIES", "REPRINT-OF", "REASON", "UPDATED", "REFERENCE"], rows: rows).text)
    }
}

/// `kioskctl reprint NUMBER`: prints a job again, marked "重印".
struct ReprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reprint", abstract: "Print a job again by its number, marked 重印.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The print number on the paper, e.g. R-000123 (or 123).")
    var number: String

    func run() throws {
        let reply = try connection.call("io.kioskd.Control.Reprint", parameters: .object(["number": .string(number)]))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        let result = reply["result"]?.stringValue ?? "?"
        var line = "reprint \(reply["number"]?.stringValue ?? ""): \(result)"
        if let reason = reply["reason"]?.stringValue { line += " (\(reason); \(word(reply["responsible"], as: PrinterCondition.Responsible.self)))" }
        print(line)
        if result == "failed" { throw ExitCode(1) }
    }
}

/// `kioskctl resume ROLE`: resumes a stopped printer queue.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume the stopped CUPS queue of a printer role.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "receipt or document.")
    var role: String

    func run() throws {
        let reply = try connection.call("io.kioskd.Control.Resume", parameters: .object(["role": .string(role)]))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        print(PrinterTable.text(reply["printers"]?.arrayValue ?? []))
    }
}
