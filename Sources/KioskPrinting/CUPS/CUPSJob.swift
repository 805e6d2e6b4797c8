import CCUPS

/// A job as CUPS reports it.
public struct CUPSJob: Sendable, Hashable {
    /// IPP job-state.
    public enum State: Int, Sendable, Hashable {
        case pending = 3, held = 4, processing = 5, stopped = 6, canceled = 7, aborted = 8, completed = 9
    }

    public var id: Int
    public var name: String
    public var state: State
    public var reasons: [String]
    /// What changes while a job makes progress: impressions and sheets completed.
    public var progress: [Int]

    public init(id: Int, name: String, state: State, reasons: [String] = [], progress: [Int] = []) {
        self.id = id
        self.name = name
        self.state = state
        self.reasons = reasons
        self.progress = progress
    }

    static let attributes = [
        "job-id", "job-name", "job-state", "job-state-reasons", "job-impressions-completed", "job-media-sheets-completed",
    ]

    /// The jobs of a Get-Jobs or Get-Job-Attributes response, one per job group.
    static func all(in response: OpaquePointer?) -> [CUPSJob] {
        var jobs: [CUPSJob] = []
        var current: [String: OpaquePointer] = [:]
        func flush() {
            defer { current = [:] }
            guard let idAttribute = current["job-id"] else { return }
            let stateValue = current["job-state"].map { Int(ippGetInteger($0, 0)) } ?? 3
            jobs.append(CUPSJob(
                id: Int(ippGetInteger(idAttribute, 0)),
                name: current["job-name"].flatMap { ippGetString($0, 0, nil) }.map { String(cString: $0) } ?? "",
                state: State(rawValue: stateValue) ?? .pending,
                reasons: current["job-state-reasons"].map(strings) ?? [],
                progress: ["job-impressions-completed", "job-media-sheets-completed"].compactMap { current[$0] }
                    .map { Int(ippGetInteger($0, 0)) }
            ))
        }
        var attribute = ippFirstAttribute(response)
        while let found = attribute {
            if let name = ippGetName(found) {
                if ippGetGroupTag(found) == IPP_TAG_JOB { current[String(cString: name)] = found }
            } else {
                flush()  // a separator between job groups
            }
            attribute = ippNextAttribute(response)
        }
        flush()
        return jobs
    }
}

/// The strings of an attribute.
func strings(_ attribute: OpaquePointer) -> [String] {
    (0..<ippGetCount(attribute)).compactMap { index in ippGetString(attribute, index, nil).map { String(cString: $0) } }
}
