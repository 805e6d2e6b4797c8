import KioskCore
import Synchronization

/// What the control interface asks of the daemon. The composition root implements it
/// over the terminals, the store and the other services; the payment and ledger methods
/// are in `PaymentsControlBackend`, the terminal methods in
/// `TerminalsControlBackend`, the audit log and backups in `MaintenanceControlBackend`.
public protocol ControlBackend: PaymentsControlBackend, TerminalsControlBackend, MaintenanceControlBackend {
    func status() async -> DaemonStatus
    /// Status from what is already in memory, or nil when some of it must be read first
    /// (then `status()` is asked). It is answered on the control socket's event loop, so
    /// it must neither block nor wait.
    func statusNow() -> DaemonStatus?
    /// Each printer role: its queue, state, condition and job counts.
    func printers() async -> [PrinterStatus]
    /// Print jobs, newest first; only those that failed with `failedOnly`.
    func printJobs(failedOnly: Bool) async -> [PrintJobInfo]
    /// Prints job `number` again, marked "重印"; nil when printing is not driven.
    func reprint(number: String) async -> PrintOutcome?
    /// Resumes the queue of `role`; nil when the role is not driven.
    func resumePrinter(_ role: PrintRole) async throws -> PrinterStatus?
    /// The outbox's counts and its newest entries in the given states.
    func outbox(dead: Bool) async throws -> OutboxListing
    /// Makes every pending entry due now; returns how many there are.
    func retryOutbox() async throws -> Int
    /// Puts a dead entry back in the queue; false when there is no such dead entry.
    func requeueOutbox(id: Int64) async throws -> Bool
    /// The status now and then again whenever it may have changed, until the stream is
    /// dropped: what `Events` turns into changes.
    func statusUpdates() -> AsyncStream<StatusUpdate>
}

extension ControlBackend {
    public func statusNow() -> DaemonStatus? { nil }

    /// The status once: a backend that cannot tell of changes.
    public func statusUpdates() -> AsyncStream<StatusUpdate> {
        AsyncStream { continuation in
            let task = Task {
                continuation.yield(StatusUpdate(at: "", status: await status()))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The reply of `ListOutbox`.
public struct OutboxListing: Sendable, Hashable, Codable {
    public var counts: OutboxCounts
    public var entries: [OutboxEntrySummary]

    public init(counts: OutboxCounts, entries: [OutboxEntrySummary]) {
        self.counts = counts
        self.entries = entries
    }
}

/// `io.kioskd.Control`: the technicians' interface to a running daemon.
public struct ControlInterface: VarlinkInterface {
    public static let interfaceName = "io.kioskd.Control"

    let backend: any ControlBackend
    private let policy: AccessPolicy

    public init(backend: any ControlBackend, policy: AccessPolicy) {
        self.backend = backend
        self.policy = policy
    }

    /// The last Status sent and its JSON: a monitor polling Status mostly asks again before
    /// anything changed, and encoding is most of what a call costs.
    private let lastStatus = EncodedStatusCache()

    public var name: String { Self.interfaceName }

    public var definition: String { Self.definitionText }

    /// The interface file shipped in Resources/varlink, embedded at build time.
    public static let definitionText = String(decoding: PackageResources.io_kioskd_Control_varlink, as: UTF8.self)

    /// Status when the backend has it in memory: a monitoring system polling it costs no
    /// thread switch per call.
    public func answerNow(_ call: VarlinkCall, caller: PeerCredentials) throws -> VarlinkReply? {
        // A caller not seen yet is looked up on the async path, not on the event loop.
        guard call.memberName == "Status", let level = policy.knownLevel(for: caller) else { return nil }
        guard level >= .read else { throw VarlinkError.permissionDenied }
        guard let status = backend.statusNow() else { return nil }
        return try lastStatus.reply(for: status)
    }

    /// Answers through the method's handler in `handlers`, after checking the caller's access.
    public func handle(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply {
        guard let handler = Self.handlers[call.memberName] else { throw VarlinkError.methodNotFound(call.method) }
        try require(handler.access, caller)
        return try await handler.run(self, call, caller)
    }

    /// Refuses a caller below `level` with the standard `org.varlink.service.PermissionDenied`,
    /// which every Varlink client knows.
    func require(_ level: AccessLevel, _ caller: PeerCredentials) throws {
        guard policy.level(for: caller) >= level else { throw VarlinkError.permissionDenied }
    }
}

/// The reply of `Printers` and `Resume`.
public struct PrintersReply: Sendable, Hashable, Codable {
    public var printers: [PrinterReply]
}

/// The reply of `Jobs`.
public struct JobsReply: Sendable, Hashable, Codable {
    public var jobs: [PrintJobReply]
}

/// The last `DaemonStatus` encoded, with its bytes; shared by every connection.
final class EncodedStatusCache: Sendable {
    private let last = Mutex<(status: DaemonStatus, bytes: [UInt8])?>(nil)

    /// The reply for `status`, encoded again only when it differs from the last one.
    func reply(for status: DaemonStatus) throws -> VarlinkReply {
        if let last = last.withLock({ $0 }), last.status == status {
            return VarlinkReply(encodedParameters: last.bytes)
        }
        let bytes = Array(try JSONValue.encoder.encode(StatusReply(status)))
        last.withLock { $0 = (status, bytes) }
        return VarlinkReply(encodedParameters: bytes)
    }
}
