import KioskCore

/// A printer twin for tests of the logic above printing: it keeps what it was asked to
/// print and answers every job as printed, numbered R-000001 on.
public actor RecordingSlipPrinter: SlipPrinter {
    public private(set) var printed: [Printable] = []

    public init() {}

    public func print(_ printable: Printable) async -> PrintOutcome {
        printed.append(printable)
        return PrintOutcome(result: .printed, number: PrintNumber.make(Int64(printed.count)))
    }

    public func reprint(number: String) async -> PrintOutcome {
        PrintOutcome(result: .unknownNumber, number: "")
    }

    public nonisolated func canPrint(_ role: PrintRole) -> Bool { true }
}
