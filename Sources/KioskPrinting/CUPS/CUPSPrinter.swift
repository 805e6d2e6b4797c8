import CCUPS
import KioskCore

/// A queue as CUPS reports it, and what that means for the hall.
public struct CUPSPrinter: Sendable, Hashable {
    /// IPP printer-state (3 idle, 4 processing, 5 stopped), nil when CUPS did not answer.
    public var state: Int?
    public var reasons: [String]
    public var accepting: Bool
    public var exists: Bool

    static let attributes = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs"]

    static let unreachable = CUPSPrinter(state: nil, reasons: [], accepting: false, exists: true)
    static let missing = CUPSPrinter(state: nil, reasons: [], accepting: false, exists: false)

    init(state: Int?, reasons: [String], accepting: Bool, exists: Bool) {
        self.state = state
        self.reasons = reasons
        self.accepting = accepting
        self.exists = exists
    }

    init(response: OpaquePointer?) {
        state = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM).map { Int(ippGetInteger($0, 0)) }
        reasons = ippFindAttribute(response, "printer-state-reasons", IPP_TAG_KEYWORD).map(strings) ?? []
        accepting = ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN).map { ippGetBoolean($0, 0) != 0 } ?? true
        exists = true
    }

    /// The IPP printer-state (3, 4, 5) by name; `missing` when CUPS has no such queue.
    public var printerState: PrinterState {
        guard exists else { return .missing }
        switch state {
        case 3: return .idle
        case 4: return .processing
        case 5: return .stopped
        default: return .unknown
        }
    }

    public var isStopped: Bool { state == 5 || (state != nil && !accepting) }

    /// Who must act, and whether it can print.
    public var condition: PrinterCondition {
        guard exists else { return PrinterCondition(severity: .fault, responsible: .engineer, reasons: ["queue-missing"]) }
        return PrinterCondition.from(state: state, reasons: reasons, accepting: accepting)
    }
}
