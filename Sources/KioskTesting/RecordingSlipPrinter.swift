import Foundation
import KioskCore
import Synchronization

/// A printer twin for tests of the logic above printing: it keeps what it was asked to
/// print and answers every job as printed, numbered R-000001 on. A job recorded by someone
/// else (`prepare`, then `printRecorded`) is kept by its number; its request is rendered
/// with `templates` on the queue "recording".
public actor RecordingSlipPrinter: SlipPrinter {
    public private(set) var printed: [Printable] = []
    /// The numbers `printRecorded` was asked to print, in order.
    public private(set) var printedRecorded: [String] = []
    let templates: PrintTemplates
    let preparations = Mutex<[Printable]>([])

    public init(templates: PrintTemplates = PrintTemplates(texts: [:], timeZone: TimeZone(identifier: "UTC")!)) {
        self.templates = templates
    }

    /// What `prepare` was asked to render, in order.
    public nonisolated var prepared: [Printable] { preparations.withLock { $0 } }

    public func print(_ printable: Printable) async -> PrintOutcome {
        printed.append(printable)
        return PrintOutcome(result: .printed, number: PrintNumber.make(Int64(printed.count)))
    }

    /// The numbers `holdUnstarted` was given, call by call.
    public private(set) var heldRequests: [[String]] = []

    public func reprint(number: String, proof: ReprintProof) async -> PrintOutcome {
        PrintOutcome(result: .unknownNumber, number: "")
    }

    public func holdUnstarted(numbers: [String]) async {
        heldRequests.append(numbers)
    }

    public nonisolated func prepare(_ printable: Printable) -> PreparedPrint? {
        preparations.withLock { $0.append(printable) }
        return PreparedPrint(request: templates.request(for: printable, at: Date()), queue: "recording")
    }

    public func printRecorded(number: String) async -> PrintOutcome {
        printedRecorded.append(number)
        return PrintOutcome(result: .printed, number: number)
    }

    public nonisolated func canPrint(_ role: PrintRole) -> Bool { true }
}
