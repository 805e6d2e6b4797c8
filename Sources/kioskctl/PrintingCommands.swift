import ArgumentParser
import KioskControl
import KioskCore

/// `kioskctl printers`: each printer role, its queue, state, and who must act.
struct PrintersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "printers", abstract: "Show each printer role, its CUPS queue and its state.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Printers.self)
        if connection.json {
            try connection.printJSON(json)
            return
        }
        print(PrinterTable.text(reply.printers))
    }
}

enum PrinterTable {
    static func text(_ printers: [PrinterReply]) -> String {
        let rows = printers.map { printer -> [String] in
            let condition = printer.condition
            return [
                printer.role, printer.queue, printer.state,
                word(condition.severity, as: PrinterCondition.Severity.self), word(condition.responsible, as: PrinterCondition.Responsible.self),
                "\(printer.pendingJobs)", "\(printer.failedJobs)",
                condition.reasons.isEmpty ? "-" : condition.reasons.joined(separator: ","),
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
        let (reply, json) = try connection.call(ControlMethods.Jobs.self, .init(failed: failed))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        guard !reply.jobs.isEmpty else {
            print(failed ? "no failed print jobs" : "no print jobs")
            return
        }
        let rows = reply.jobs.map { job -> [String] in
            [
                job.number, word(job.kind, as: PrintKind.self), job.role, job.state, job.cupsJobId.map(String.init) ?? "-",
                "\(job.attempts)", job.reprintOf ?? "-", job.lastReason ?? "-", job.updatedAt, job.reference,
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
        let (reply, json) = try connection.call(ControlMethods.Reprint.self, .init(number: number))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        var line = "reprint \(reply.number): \(reply.result)"
        if let reason = reply.reason { line += " (\(reason); \(word(reply.responsible, as: PrinterCondition.Responsible.self)))" }
        print(line)
        if reply.result == "failed" { throw ExitCode(1) }
    }
}

/// `kioskctl resume ROLE`: resumes a stopped printer queue.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume the stopped CUPS queue of a printer role.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "receipt or document.")
    var role: String

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Resume.self, .init(role: role))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        print(PrinterTable.text(reply.printers))
    }
}
