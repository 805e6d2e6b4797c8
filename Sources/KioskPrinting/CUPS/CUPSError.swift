/// A request to CUPS that failed, with CUPS's own words (no personal data: requests
/// carry job numbers and queue names only).
public struct CUPSError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case unreachable
        case rejected(status: Int, message: String)
    }

    private let kind: Kind

    static let unreachable = CUPSError(kind: .unreachable)

    static func rejected(status: Int, message: String) -> CUPSError {
        CUPSError(kind: .rejected(status: status, message: message))
    }

    /// True when the scheduler could not be reached at all.
    public var isUnreachable: Bool { kind == .unreachable }

    /// True when CUPS answered "not found" (the job or queue does not exist).
    public var isNotFound: Bool {
        if case .rejected(let status, _) = kind { return status == 0x0406 }
        return false
    }

    public var description: String {
        switch kind {
        case .unreachable: "CUPS scheduler not reachable"
        case .rejected(let status, let message): "CUPS refused (0x\(String(status, radix: 16))): \(message)"
        }
    }
}
