import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

struct FixedBackend: ControlBackend {
    /// Status comes from memory (the fast path) unless the test says it must be read.
    var statusInMemory = true
    /// The status updates `Events` follows, when the test drives them.
    var feed: StatusFeed?

    func statusUpdates() -> AsyncStream<StatusUpdate> {
        guard let feed else { return AsyncStream { $0.yield(StatusUpdate(at: "", status: Self.status)); $0.finish() } }
        return feed.stream
    }

    func status() async -> DaemonStatus { Self.status }

    func statusNow() -> DaemonStatus? { statusInMemory ? Self.status : nil }

    static var status: DaemonStatus {
        DaemonStatus(
            version: "9.9.9", uptimeSeconds: 42,
            terminals: [TerminalStatus(name: "hall-1", profile: .citizen, device: "/dev/pts/9", state: .open, screen: "home")],
            central: CentralServiceStatus(url: "http://127.0.0.1:1", reachability: .reachable),
            outbox: OutboxCounts(pending: 2, delivered: 5, dead: 1),
            printers: []
        )
    }

    func outbox(dead: Bool) async throws -> OutboxListing {
        let entry = OutboxEntrySummary(
            id: 7, kind: .application, reference: "A261123-00007-K", itemID: "hukou-newborn", state: dead ? .dead : .pending,
            attempts: 3, createdAt: Date(timeIntervalSince1970: 0), nextAttemptAt: Date(timeIntervalSince1970: 60),
            lastError: dead ? "422 refused" : "503 unavailable"
        )
        return OutboxListing(counts: OutboxCounts(pending: 2, delivered: 5, dead: 1), entries: [entry])
    }

    func retryOutbox() async throws -> Int { 2 }

    func requeueOutbox(id: Int64) async throws -> Bool { id == 7 }

    static let receipt = PrinterStatus(
        role: .receipt, queue: "kiosk-receipt", state: .stopped,
        condition: PrinterCondition(severity: .fault, responsible: .hallStaff, reasons: ["media-empty", "queue-stopped"]),
        pendingJobs: 1
    )

    func printers() async -> [PrinterStatus] { [Self.receipt] }

    func printJobs(failedOnly: Bool) async -> [PrintJobInfo] { [] }

    func reprint(number: String) async -> PrintOutcome? {
        number == "R-000007" ? PrintOutcome(result: .printing, number: "R-000008") : PrintOutcome(result: .unknownNumber, number: "")
    }

    func resumePrinter(_ role: PrintRole) async throws -> PrinterStatus? { role == .receipt ? Self.receipt : nil }
}

/// Status updates a test sends by hand, and whether the daemon's side stopped listening.
final class StatusFeed: Sendable {
    let stream: AsyncStream<StatusUpdate>
    private let continuation: AsyncStream<StatusUpdate>.Continuation
    private let ended = Mutex(false)

    init() {
        let (stream, continuation) = AsyncStream<StatusUpdate>.makeStream()
        self.stream = stream
        self.continuation = continuation
        continuation.onTermination = { [weak self] _ in self?.ended.withLock { $0 = true } }
    }

    func send(_ status: DaemonStatus, at: String = "2026-12-02T14:05:09+08:00") {
        continuation.yield(StatusUpdate(at: at, status: status))
    }

    /// True once the stream was dropped by its reader or finished.
    var isEnded: Bool { ended.withLock { $0 } }
}

final class CallLog: Sendable {
    private let entries = Mutex<[String]>([])
    var calls: [String] { entries.withLock { $0 } }
    func append(_ call: String) { entries.withLock { $0.append(call) } }
}

/// Runs a control server on a socket in a temp directory for the length of `body`.
func withControlServer(
    maxFrame: Int = 1 << 20, limits: ConnectionLimits = ConnectionLimits(), log: CallLog = CallLog(), backend: FixedBackend = FixedBackend(),
    extraInterfaces: [any VarlinkInterface] = [], _ body: @Sendable (String) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("control.socket")
    let server = try await VarlinkServer.bind(
        socketPath: path,
        info: VarlinkServiceInfo(vendor: "kioskd", product: "kioskd", version: "9.9.9", url: "https://kioskd.invalid/"),
        interfaces: [ControlInterface(backend: backend, policy: AccessPolicy(readGroup: "", adminGroup: ""))] + extraInterfaces,
        maximumFrameLength: maxFrame, limits: limits,
        observer: { peer, method, outcome in log.append("\(peer) \(method) \(outcome)") },
        logger: Logger(label: "test")
    )
    let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await body(path)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
    #expect(!FileManager.default.fileExists(atPath: path))
}

/// Calls each of `calls` on one connection to a server over the fixed backend (whose only
/// terminal is hall-1), and returns the replies in order.
func replies(_ calls: [VarlinkCall]) async throws -> [VarlinkReply] {
    let box = ReplyBox()
    try await withControlServer { path in
        let replies = try await offPool {
            let client = try VarlinkClient(socketPath: path)
            return try calls.map { try client.call($0) }
        }
        box.set(replies)
    }
    return box.value
}

/// A call of `io.kioskd.Control.<method>` with `parameters`.
func call(_ method: String, _ parameters: [String: JSONValue] = [:]) -> VarlinkCall {
    VarlinkCall(method: "io.kioskd.Control.\(method)", parameters: .object(parameters))
}

/// Carries the replies out of the server's body.
final class ReplyBox: Sendable {
    private let stored = Mutex<[VarlinkReply]>([])
    var value: [VarlinkReply] { stored.withLock { $0 } }
    func set(_ replies: [VarlinkReply]) { stored.withLock { $0 = replies } }
}

@Suite("Varlink server")
struct VarlinkServerTests {
    @Test("GetInfo names the service and its interfaces")
    func getInfo() async throws {
        try await withControlServer { path in
            let info = try await offPool { try VarlinkClient(socketPath: path).call("org.varlink.service.GetInfo") }
            #expect(info["product"] == .string("kioskd"))
            #expect(info["version"] == .string("9.9.9"))
            #expect(info["interfaces"] == .array([.string("org.varlink.service"), .string("io.kioskd.Control")]))
        }
    }

    @Test("GetInterfaceDescription returns the shipped interface file")
    func describe() async throws {
        try await withControlServer { path in
            let (reply, own) = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                let method = "org.varlink.service.GetInterfaceDescription"
                return (
                    try client.call(method, parameters: .object(["interface": .string("io.kioskd.Control")])),
                    try client.call(method, parameters: .object(["interface": .string("org.varlink.service")]))
                )
            }
            let description = try #require(reply["description"]?.stringValue)
            #expect(description.contains("interface io.kioskd.Control"))
            #expect(description.contains("method Status() -> ("))
            #expect(own["description"]?.stringValue?.contains("method GetInfo()") == true)
        }
    }

    @Test("Status returns the backend's state in snake_case")
    func status() async throws {
        let log = CallLog()
        try await withControlServer(log: log) { path in
            let status = try await offPool { try VarlinkClient(socketPath: path).call("io.kioskd.Control.Status") }
            #expect(status["uptime_seconds"] == .integer(42))
            let terminal = try #require(status["terminals"]?.arrayValue?.first)
            #expect(terminal["name"] == .string("hall-1"))
            #expect(terminal["bytes_in"] == .integer(0))
            #expect(status["central"]?["reachability"] == .string("reachable"))
        }
        // Every call reaches the audit observer with the caller's uid.
        #expect(log.calls == ["uid:\(getuid()) io.kioskd.Control.Status ok"])
    }

    @Test("Status read from disk answers like Status from memory, and both are audited")
    func statusFromDisk() async throws {
        // Given a backend whose Status must be read (the async path)
        let log = CallLog()
        try await withControlServer(log: log, backend: FixedBackend(statusInMemory: false)) { path in
            // When Status is called
            let status = try await offPool { try VarlinkClient(socketPath: path).call("io.kioskd.Control.Status") }
            // Then the reply is the same
            #expect(status["uptime_seconds"] == .integer(42))
            #expect(status["outbox"]?["pending"] == .integer(2))
        }
        #expect(log.calls == ["uid:\(getuid()) io.kioskd.Control.Status ok"])
    }

    @Test("A method name over 255 bytes is refused and audited by its length only; control characters in a name are audited escaped")
    func hostileMethodNames() async throws {
        let log = CallLog()
        try await withControlServer(log: log) { path in
            // Given a client / When it calls a 900 KiB method name and one with an escape sequence
            let long = "io.kioskd.Control." + String(repeating: "A", count: 900 * 1024)
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                return [
                    try client.call(VarlinkCall(method: long)),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.St\u{1B}]52;c;eA==\u{07}atus")),
                ]
            }
            // Then both are MethodNotFound, and neither reply echoes the name raw
            #expect(replies.allSatisfy { $0.error == "org.varlink.service.MethodNotFound" })
            #expect(replies[0].parameters?["method"] == .string("(a method name of \(long.utf8.count) bytes)"))
            #expect(replies[1].parameters.map { !"\($0)".contains("\u{1B}") } ?? true)
        }
        // And the audit holds the long name's length, and the other with its escapes spelled out
        let uid = getuid()
        #expect(log.calls == [
            "uid:\(uid) (a method name of \(900 * 1024 + 18) bytes) org.varlink.service.MethodNotFound",
            "uid:\(uid) io.kioskd.Control.St\\u{1B}]52;c;eA==\\u{7}atus org.varlink.service.MethodNotFound",
        ])
    }

    @Test("Replies keep the order of the calls when a slow call comes before one answered at once")
    func orderKept() async throws {
        try await withControlServer { path in
            // Given one write carrying ListOutbox (answered by the async loop), then Status
            // (answered on the event loop), then GetInfo
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                try client.send(raw: try VarlinkCall(method: "io.kioskd.Control.ListOutbox", parameters: .object(["dead": .bool(true)])).frame()
                    + VarlinkCall(method: "io.kioskd.Control.Status").frame()
                    + VarlinkCall(method: "org.varlink.service.GetInfo").frame())
                return try (0..<3).map { _ in try JSONDecoder().decode(VarlinkReply.self, from: Data(client.readFrame())) }
            }
            // Then the replies come back in that order
            #expect(replies[0].parameters?["entries"]?.arrayValue?.first?["state"] == .string("dead"))
            #expect(replies[1].parameters?["uptime_seconds"] == .integer(42))
            #expect(replies[2].parameters?["product"] == .string("kioskd"))
        }
    }

    @Test("Printers, Reprint and Resume answer in snake_case; an unknown number is NoSuchJob")
    func printing() async throws {
        try await withControlServer { path in
            // Given a backend with one stopped receipt printer / When the printing methods are called
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                return [
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Printers")),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Reprint", parameters: .object(["number": .string("7")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Reprint", parameters: .object(["number": .string("R-000099")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Resume", parameters: .object(["role": .string("document")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Resume", parameters: .object(["role": .string("lp0")]))),
                ]
            }
            // Then each answers as the interface file says
            let printer = try #require(replies[0].parameters?["printers"]?.arrayValue?.first)
            #expect(printer["pending_jobs"] == .integer(1))
            #expect(printer["condition"]?["responsible"] == .string("hall_staff"))
            #expect(replies[1].parameters?["number"] == .string("R-000008"))
            #expect(replies[2].error == "io.kioskd.Control.NoSuchJob")
            #expect(replies[3].error == "io.kioskd.Control.NoSuchPrinter")
            #expect(replies[4].error == "org.varlink.service.InvalidParameter")
        }
    }

    @Test("A parameter of the wrong type is InvalidParameter naming it, never taken for its default")
    func wrongTypes() async throws {
        try await withControlServer { path in
            // Given a control server / When methods get parameters of the wrong type or a signed number
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                return [
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Jobs", parameters: .object(["failed": .string("yes")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.ListOutbox", parameters: .object(["dead": .integer(1)]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Reprint", parameters: .object(["number": .string("-1")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Reprint", parameters: .object(["number": .integer(1)]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.RequeueOutbox", parameters: .object(["id": .string("7")]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Jobs", parameters: .object(["failed": .null]))),
                ]
            }
            // Then each names the parameter; null is as absent
            let names = ["failed", "dead", "number", "number", "id"]
            for (reply, name) in zip(replies, names) {
                #expect(reply.error == "org.varlink.service.InvalidParameter")
                #expect(reply.parameters?["parameter"] == .string(name))
            }
            #expect(replies[5].error == nil)
        }
    }

    @Test("The outbox methods list without personal data, requeue by id, and name a missing entry")
    func outbox() async throws {
        try await withControlServer { path in
            let (listing, retried, requeued, missing, noID) = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                return (
                    try client.call("io.kioskd.Control.ListOutbox", parameters: .object(["dead": .bool(true)])),
                    try client.call("io.kioskd.Control.RetryOutbox"),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.RequeueOutbox", parameters: .object(["id": .integer(7)]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.RequeueOutbox", parameters: .object(["id": .integer(8)]))),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.RequeueOutbox"))
                )
            }
            // Then the listing has the counts and the entry, dates as RFC 3339
            #expect(listing["counts"]?["dead"] == .integer(1))
            let entry = try #require(listing["entries"]?.arrayValue?.first)
            #expect(entry["reference"] == .string("A261123-00007-K"))
            #expect(entry["last_error"] == .string("422 refused"))
            #expect(entry["created_at"] == .string("1970-01-01T00:00:00Z"))
            #expect(retried["pending"] == .integer(2))
            #expect(requeued.error == nil)
            #expect(missing.error == "io.kioskd.Control.NoSuchEntry")
            #expect(noID.error == "org.varlink.service.InvalidParameter")
        }
    }

    @Test("Unknown methods, interfaces and missing parameters get the standard Varlink errors")
    func standardErrors() async throws {
        try await withControlServer { path in
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                return [
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Explode")),
                    try client.call(VarlinkCall(method: "com.example.Nope.Call")),
                    try client.call(VarlinkCall(method: "org.varlink.service.GetInterfaceDescription")),
                    try client.call(VarlinkCall(
                        method: "org.varlink.service.GetInterfaceDescription", parameters: .object(["interface": .string("x.y")])
                    )),
                    // The connection is still good after errors.
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Status")),
                ]
            }
            #expect(replies[0].error == "org.varlink.service.MethodNotFound")
            #expect(replies[0].parameters?["method"] == .string("io.kioskd.Control.Explode"))
            #expect(replies[1].error == "org.varlink.service.InterfaceNotFound")
            #expect(replies[2].error == "org.varlink.service.InvalidParameter")
            #expect(replies[3].error == "org.varlink.service.InterfaceNotFound")
            #expect(replies[4].parameters?["uptime_seconds"] == .integer(42))
        }
    }

    @Test("A malformed or oversized frame closes only that connection")
    func malformed() async throws {
        try await withControlServer(maxFrame: 4096) { path in
            let outcomes = try await offPool { () -> [String] in
                let good = try VarlinkClient(socketPath: path)
                var outcomes: [String] = []
                for bad in [Array("not json at all".utf8) + [0], [UInt8](repeating: 0x7B, count: 10_000), [0xFF, 0xFE, 0x00]] {
                    // A generous wait: closing is immediate, but under a loaded full suite the async path
                    // once took more than 5 s to get to it.
                    let client = try VarlinkClient(socketPath: path, timeoutSeconds: 30)
                    try? client.send(raw: bad)
                    do {
                        _ = try client.readFrame()
                        outcomes.append("answered")
                    } catch let error as VarlinkClient.ConnectionError {
                        outcomes.append(error.description)
                    }
                }
                // The well-behaved client, connected all along, is still served, and so is a new one.
                outcomes.append(try good.call("io.kioskd.Control.Status")["version"]?.stringValue ?? "")
                outcomes.append(try VarlinkClient(socketPath: path).call("io.kioskd.Control.Status")["version"]?.stringValue ?? "")
                return outcomes
            }
            let closed = "the daemon closed the connection"
            #expect(outcomes == [closed, closed, closed, "9.9.9", "9.9.9"])
        }
    }

    @Test("A oneway call gets no reply; the next call is answered")
    func oneway() async throws {
        try await withControlServer { path in
            let reply = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                try client.send(raw: try VarlinkCall(method: "io.kioskd.Control.Status", oneway: true).frame())
                return try client.call(VarlinkCall(method: "org.varlink.service.GetInfo"))
            }
            #expect(reply.parameters?["product"] == .string("kioskd"))
        }
    }
}

extension FixedBackend {
    func terminals() async -> [TerminalDetail] {
        [TerminalDetail(
            TerminalStatus(name: "hall-1", profile: .citizen, device: "/dev/pts/9", state: .open, screen: "locked", locked: true),
            lastInputAt: "2026-11-23T14:05:09+08:00", lastFrameAt: nil, lockMessage: "back at 15:00"
        )]
    }

    func resetTerminal(name: String, actor: String) async -> Bool { name == "hall-1" }

    func lockTerminal(name: String, message: String?, actor: String) async -> Bool { name == "hall-1" }

    func unlockTerminal(name: String, actor: String) async -> Bool { name == "hall-1" }

    func sendMessage(name: String?, text: String, seconds: Int, actor: String) async -> [String]? {
        name == nil || name == "hall-1" ? ["hall-1"] : nil
    }

    /// hall-1 between citizens, hall-2 with a citizen on it.
    func screenSnapshot(name: String) async -> ScreenSnapshotReply? {
        switch name {
        case "hall-1":
            ScreenSnapshotReply(
                name: name, screen: "attract", columns: 20, rows: 2, drawnAt: "2026-12-02T14:05:09+08:00",
                lines: ["  自助服务终端      ", "\u{1B}]52;c;eA==\u{07}press"]
            )
        case "hall-2":
            ScreenSnapshotReply(name: name, screen: "form", columns: 20, rows: 2, drawnAt: nil, lines: nil)
        default:
            nil
        }
    }
}

extension FixedBackend {
    func auditLog(limit: Int, actor: String?, action: String?) async throws -> [AuditEntryReply] {
        let all = [
            AuditEntryReply(id: 2, at: "2026-11-23T14:05:10+08:00", actor: "uid:0", action: "io.kioskd.Control.LockTerminal", outcome: "ok", detail: ""),
            AuditEntryReply(id: 1, at: "2026-11-23T14:05:09+08:00", actor: "uid:1000", action: "io.kioskd.Control.Status", outcome: "ok", detail: ""),
        ]
        return Array(all.filter { (actor == nil || $0.actor == actor) && (action.map($0.action.contains) ?? true) }.prefix(limit))
    }

    func reload() async throws -> ReloadReport {
        ReloadReport(catalogItems: 42, catalogStages: 8, catalogChanged: true, applied: ["[catalog]"], needsRestart: ["[session]"])
    }

    func backup(name: String?) async throws -> BackupReply {
        guard name != "exists" else { throw ControlBackupError("backups/exists.sqlite exists already") }
        return BackupReply(path: "/var/lib/kioskd/backups/\(name ?? "kioskd-20261123-140509").sqlite", size: 4096, pages: 1)
    }
}
