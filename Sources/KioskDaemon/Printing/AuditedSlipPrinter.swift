import KioskCore
import Metrics

/// One terminal's printer: the print service, with every reprint written to the audit
/// trail under the terminal's name, the job number and what became of it (the proof
/// itself never: it is personal data).
struct AuditedSlipPrinter: SlipPrinter {
    let base: any SlipPrinter
    let audit: AuditTrail
    let terminal: String

    func print(_ printable: Printable) async -> PrintOutcome {
        Self.count(await base.print(printable), kind: printable.kind)
    }

    func reprint(number: String, proof: ReprintProof) async -> PrintOutcome {
        let outcome = await base.reprint(number: number, proof: proof)
        Counter(label: "kioskd_reprints_total", dimensions: [("result", outcome.result.rawValue)]).increment()
        audit.record(actor: "terminal \(terminal)", action: "reprint \(number)", outcome: Self.auditText(outcome, proof: proof))
        return outcome
    }

    func holdUnstarted(numbers: [String]) async { await base.holdUnstarted(numbers: numbers) }

    func prepare(_ printable: Printable) -> PreparedPrint? { base.prepare(printable) }

    func printRecorded(number: String) async -> PrintOutcome {
        Self.count(await base.printRecorded(number: number), kind: .paymentReceipt)
    }

    /// Counts what the citizen was told about a print, by kind and result.
    private static func count(_ outcome: PrintOutcome, kind: PrintKind) -> PrintOutcome {
        Counter(label: "kioskd_print_outcomes_total", dimensions: [("kind", kind.rawValue), ("result", outcome.result.rawValue)])
            .increment()
        return outcome
    }

    func canPrint(_ role: PrintRole) -> Bool { base.canPrint(role) }

    /// "printed R-000124 (own session)": the result, the new job's number, the grounds.
    static func auditText(_ outcome: PrintOutcome, proof: ReprintProof) -> String {
        let grounds = switch proof {
        case .ownSession: "own session"
        case .technician: "technician"
        case .typed: "proof typed"
        case .none: "no proof"
        }
        let number = outcome.number.isEmpty ? "" : " \(outcome.number)"
        return "\(outcome.result.rawValue)\(number) (\(grounds))"
    }
}
