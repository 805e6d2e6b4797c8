#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import KioskControl
import KioskTesting
import Testing

/// A test interface: `Watch` streams two replies (for the ExpectedMore check), `Once` does
/// not stream, and `Slow` takes 800 ms to answer.
struct StreamingTestInterface: VarlinkInterface {
    var name: String { "org.example.streams" }
    var definition: String { "interface org.example.streams\nmethod Watch() -> (n: int)\nmethod Once() -> (n: int)\nmethod Slow() -> (n: int)\n" }
    var streamingMethods: Set<String> { ["Watch"] }

    func handle(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply {
        if call.memberName == "Slow" { try await Task.sleep(for: .milliseconds(800)) }
        return VarlinkReply(parameters: .object(["n": .integer(1)]))
    }

    func stream(_ call: VarlinkCall, caller: PeerCredentials) async throws -> AsyncStream<VarlinkReply> {
        AsyncStream { continuation in
            continuation.yield(VarlinkReply(parameters: .object(["n": .integer(1)]), continues: true))
            continuation.yield(VarlinkReply(parameters: .object(["n": .integer(2)])))
            continuation.finish()
        }
    }
}

/// Idle timeout, connection caps and the call-shape refusals of the control socket
/// (issue 13: idle and half-sent connections stayed open for ever and ~1,000 of them
/// locked technicians out).
@Suite("Control connection limits")
struct ControlConnectionLimitsTests {
    static let closed = "the daemon closed the connection"

    /// What reading one frame on `client` ends with: "reply" or the connection error.
    static func outcome(_ client: VarlinkClient) -> String {
        do {
            _ = try client.readFrame()
            return "reply"
        } catch let error as VarlinkClient.ConnectionError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("An idle connection and one that sent half a frame are closed after the idle timeout")
    func idleAndHalfSentClosed() async throws {
        try await withControlServer(limits: ConnectionLimits(idleTimeout: .milliseconds(300))) { path in
            let outcomes = try await offPool { () -> [String] in
                // Given a client that sends nothing and one that sends half a call
                let idle = try VarlinkClient(socketPath: path, timeoutSeconds: 60)
                let half = try VarlinkClient(socketPath: path, timeoutSeconds: 60)
                try half.send(raw: Array(#"{"method":"io.kioskd.Control.Sta"#.utf8))
                // When they wait / Then the daemon closes both (well before the clients' 60 s; a
                // loaded machine that just built has been seen to stall for over 15 s)
                let started = ContinuousClock.now
                let outcomes = [Self.outcome(idle), Self.outcome(half)]
                return outcomes + [ContinuousClock.now - started < .seconds(30) ? "in time" : "late"]
            }
            #expect(outcomes == [Self.closed, Self.closed, "in time"])
        }
    }

    @Test("A connection that keeps calling is not idle, however long it stays open")
    func activeConnectionKept() async throws {
        try await withControlServer(limits: ConnectionLimits(idleTimeout: .seconds(1))) { path in
            let versions = try await offPool { () -> [String] in
                // Given a client calling Status every 250 ms, for twice the idle timeout
                let client = try VarlinkClient(socketPath: path, timeoutSeconds: 30)
                var versions: [String] = []
                for _ in 0..<8 {
                    versions.append(try client.call("io.kioskd.Control.Status")["version"]?.stringValue ?? "")
                    Thread.sleep(forTimeInterval: 0.25)
                }
                return versions
            }
            // Then every call was answered on the same connection
            #expect(versions == Array(repeating: "9.9.9", count: 8))
        }
    }

    @Test("A call that takes longer than the idle timeout to answer is not cut")
    func slowCallKept() async throws {
        try await withControlServer(limits: ConnectionLimits(idleTimeout: .milliseconds(300)), extraInterfaces: [StreamingTestInterface()]) { path in
            // Given a 300 ms idle timeout / When a call takes 800 ms to answer
            let reply = try await offPool {
                try VarlinkClient(socketPath: path, timeoutSeconds: 30).call(VarlinkCall(method: "org.example.streams.Slow"))
            }
            // Then its reply arrives
            #expect(reply.error == nil && reply.parameters?["n"] == .integer(1))
        }
    }

    @Test("Past the total cap a connection is closed at once and counted; a place freed is taken again")
    func totalCap() async throws {
        try await withControlServer(limits: ConnectionLimits(total: 8)) { path in
            let outcomes = try await offPool { () -> [String] in
                // Given root holding all 8 connections (the reserved one included)
                var open = try (0..<8).map { _ in try VarlinkClient(socketPath: path, timeoutSeconds: 30) }
                for client in open { _ = try client.call("org.varlink.service.GetInfo") }
                // When a ninth connects / Then it is closed without an answer
                let ninth = try VarlinkClient(socketPath: path, timeoutSeconds: 30)
                var outcomes = [Self.outcome(ninth)]
                // When one of the 8 leaves / Then a new connection is served
                open.removeLast()
                Thread.sleep(forTimeInterval: 0.2)
                let again = try VarlinkClient(socketPath: path, timeoutSeconds: 30)
                outcomes.append(try again.call("io.kioskd.Control.Status")["version"]?.stringValue ?? "")
                return outcomes
            }
            #expect(outcomes == [Self.closed, "9.9.9"])
        }
    }

    @Test("Users other than root get their per-user share and the unreserved room; root also gets the reserved room")
    func counterShares() {
        // Given caps of 16 in all (2 for root alone) and 4 per user
        let counter = ConnectionCounter(limits: ConnectionLimits(total: 16, perUser: 4))
        let alice = PeerCredentials(pid: 1, uid: 1000, gid: 1000), root = PeerCredentials(pid: 2, uid: 0, gid: 0)
        // When one user opens 5 / Then the fifth is refused for the per-user limit
        let alices = (0..<5).map { _ in counter.admit(alice)?.refusal }
        #expect(alices == [nil, nil, nil, nil, .perUser])
        // When 10 other users fill the unreserved room (14) / Then the next user is refused
        let others = (0..<11).map { counter.admit(PeerCredentials(pid: 3, uid: 2000 + UInt32($0), gid: 100))?.refusal }
        #expect(others == Array(repeating: nil, count: 10) + [.total])
        // And root still gets the 2 reserved places, and no more
        #expect([counter.admit(root)?.refusal, counter.admit(root)?.refusal, counter.admit(root)?.refusal] == [nil, nil, .total])
        #expect(counter.openCount == 16 && counter.refusedCount == 3)
        // When one of alice's closes / Then she still may not take a place kept for root
        counter.release(alice)
        #expect(counter.admit(alice)?.refusal == .total)
        // When two other users' close too / Then she may open one again
        counter.release(PeerCredentials(pid: 3, uid: 2000, gid: 100))
        counter.release(PeerCredentials(pid: 3, uid: 2001, gid: 100))
        #expect(counter.admit(alice) == nil)
        #expect(counter.openCount == 14)
    }

    @Test("A streaming method without more is ExpectedMore; parameters that are not an object are InvalidParameter")
    func callShapeRefusals() async throws {
        let log = CallLog()
        try await withControlServer(log: log, extraInterfaces: [StreamingTestInterface()]) { path in
            let replies = try await offPool {
                let client = try VarlinkClient(socketPath: path)
                var streamed: [VarlinkReply] = []
                try client.stream(VarlinkCall(method: "org.example.streams.Watch")) { streamed.append($0); return true }
                return [
                    try client.call(VarlinkCall(method: "org.example.streams.Watch")),
                    streamed.last!,
                    try client.call(VarlinkCall(method: "org.example.streams.Once")),
                    try client.call(VarlinkCall(method: "io.kioskd.Control.Jobs", parameters: .array([.bool(true)]))),
                ]
            }
            #expect(replies[0].error == "org.varlink.service.ExpectedMore")
            // The stream's replies came, the last not continuing, and the connection went on
            #expect(replies[1].parameters?["n"] == .integer(2) && replies[1].continues != true)
            #expect(replies[1].error == nil && replies[2].error == nil)
            #expect(replies[3].error == "org.varlink.service.InvalidParameter")
            #expect(replies[3].parameters?["parameter"] == .string("parameters"))
        }
        // And each is audited with its outcome
        #expect(log.calls.contains { $0.hasSuffix("org.example.streams.Watch org.varlink.service.ExpectedMore") }, "\(log.calls)")
        #expect(log.calls.first?.hasSuffix("org.example.streams.Watch ok") == true, "\(log.calls)")
    }
}
