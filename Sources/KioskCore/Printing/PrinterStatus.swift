/// A printer's IPP printer-state as kioskd knows it.
public enum PrinterState: String, Sendable, Hashable, Codable, CaseIterable {
    case idle
    case processing
    case stopped
    /// CUPS has no such queue.
    case missing
    /// Not polled yet, or CUPS did not answer.
    case unknown
}

/// One printer role as technicians see it in Status and `kioskctl printers`.
public struct PrinterStatus: Sendable, Hashable, Codable {
    public var role: PrintRole
    public var queue: String
    public var state: PrinterState
    public var condition: PrinterCondition
    /// Jobs of this role not printed yet (queued, sent, waiting).
    public var pendingJobs: Int
    /// Jobs of this role that failed and wait for a reprint.
    public var failedJobs: Int

    public init(role: PrintRole, queue: String, state: PrinterState, condition: PrinterCondition, pendingJobs: Int = 0, failedJobs: Int = 0) {
        self.role = role
        self.queue = queue
        self.state = state
        self.condition = condition
        self.pendingJobs = pendingJobs
        self.failedJobs = failedJobs
    }

    /// "receipt ok" or "receipt fault (media-empty, hall-staff)", for the STATUS line.
    public var summary: String {
        guard condition.severity != .ok else { return "\(role.rawValue) ok" }
        let reasons = condition.reasons.joined(separator: ",")
        return "\(role.rawValue) \(condition.severity.rawValue) (\(reasons); \(condition.responsible.rawValue))"
    }
}
