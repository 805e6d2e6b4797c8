import KioskCore

/// What the daemon tells a monitor: its status each time it may have changed.
public struct StatusUpdate: Sendable {
    /// When the status was read, in the hall's zone (RFC 3339 with offset).
    public var at: String
    public var status: DaemonStatus

    public init(at: String, status: DaemonStatus) {
        self.at = at
        self.status = status
    }
}

/// `Events`: the daemon's state as a stream for monitors and `kioskctl watch`.
extension ControlInterface {
    /// The methods that answer with a stream: `Events`.
    public static let streamingMethodNames: Set<String> = [ControlMethods.Events.name]

    public var streamingMethods: Set<String> { Self.streamingMethodNames }

    /// The replies of `Events`: first the current state (one reply per terminal and
    /// printer, then the outbox, central service, payments and storage), then one reply
    /// per change as the backend's updates show it. The stream ends when the updates do;
    /// when the client goes away the updates are dropped, which stops their producer.
    public func stream(_ call: VarlinkCall, caller: PeerCredentials) async throws -> AsyncStream<VarlinkReply> {
        guard call.memberName == ControlMethods.Events.name else { throw VarlinkError.methodNotFound(call.method) }
        try require(ControlMethods.Events.access, caller)
        let updates = backend.statusUpdates()
        // A client that stops reading keeps at most this many events waiting; it is closed
        // anyway once its unread replies pass the connection's cap.
        return AsyncStream(bufferingPolicy: .bufferingNewest(1024)) { continuation in
            let task = Task {
                var last: DaemonStatus?
                for await update in updates {
                    let events = last.map { StatusEvent.changes(from: $0, to: update.status) } ?? StatusEvent.snapshot(of: update.status)
                    last = update.status
                    for event in events {
                        guard var reply = try? VarlinkReply(encoding: EventReply(event, at: update.at)) else { continue }
                        // Events has no last reply: it goes on while the daemon runs.
                        reply.continues = true
                        continuation.yield(reply)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// One reply of `Events`: `kind` names the one other field that is set.
public struct EventReply: Sendable, Hashable, Codable {
    public var kind: String
    public var at: String
    public var terminal: TerminalStatus?
    public var printer: PrinterReply?
    public var outbox: OutboxCounts?
    public var central: CentralServiceStatus?
    public var payments: PaymentsStatus?
    public var storage: StorageStatus?

    public init(_ event: StatusEvent, at: String) {
        self.at = at
        switch event {
        case .terminal(let value): kind = "terminal"; terminal = value
        case .printer(let value): kind = "printer"; printer = PrinterReply(value)
        case .outbox(let value): kind = "outbox"; outbox = value
        case .central(let value): kind = "central"; central = value
        case .payments(let value): kind = "payments"; payments = value
        case .storage(let value): kind = "storage"; storage = value
        }
    }
}
