import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

@Suite("Control events")
struct ControlEventsTests {
    static let events = VarlinkCall(method: "io.kioskd.Control.Events", more: true)

    /// Reads `count` replies from `client`.
    static func read(_ count: Int, from client: VarlinkClient) throws -> [VarlinkReply] {
        try (0..<count).map { _ in try JSONDecoder().decode(VarlinkReply.self, from: Data(try client.readFrame())) }
    }

    @Test("Events sends the current state, then each change, and nothing for a terminal's traffic alone")
    func stateThenChanges() async throws {
        // Given a daemon whose status the test moves by hand
        let feed = StatusFeed()
        try await withControlServer(backend: FixedBackend(feed: feed)) { path in
            let (first, next) = try await offPool { () -> ([VarlinkReply], [VarlinkReply]) in
                let client = try VarlinkClient(socketPath: path)
                // When a monitor calls Events with more
                try client.send(raw: try Self.events.frame())
                feed.send(FixedBackend.status)
                let first = try Self.read(3, from: client)
                // And then only the terminal's byte counters move, and then the terminal
                // fails and a dead letter is added
                var traffic = FixedBackend.status
                traffic.terminals[0].bytesIn = 4096
                feed.send(traffic)
                var changed = traffic
                changed.terminals[0].state = .failed
                changed.terminals[0].lastError = "hang-up"
                changed.outbox.dead = 2
                feed.send(changed, at: "2026-12-02T14:05:11+08:00")
                return (first, try Self.read(2, from: client))
            }
            // Then the current state comes first: the terminal, the outbox, the central service
            #expect(first.map { $0.parameters?["kind"]?.stringValue } == ["terminal", "outbox", "central"])
            #expect(first.allSatisfy { $0.continues == true && $0.error == nil })
            #expect(first[0].parameters?["terminal"]?["state"] == .string("open"))
            #expect(first[0].parameters?["at"] == .string("2026-12-02T14:05:09+08:00"))
            #expect(first[1].parameters?["outbox"]?["pending"] == .integer(2))
            // And the next replies are the failure and the outbox, nothing for the traffic
            #expect(next.map { $0.parameters?["kind"]?.stringValue } == ["terminal", "outbox"])
            #expect(next[0].parameters?["terminal"]?["state"] == .string("failed"))
            #expect(next[0].parameters?["terminal"]?["last_error"] == .string("hang-up"))
            #expect(next[1].parameters?["outbox"]?["dead"] == .integer(2))
            #expect(next[0].parameters?["at"] == .string("2026-12-02T14:05:11+08:00"))
        }
    }

    @Test("Events without more answers ExpectedMore and the connection goes on")
    func withoutMore() async throws {
        // Given the Events call made without more, then Status on the same connection
        let replies = try await replies([call("Events"), call("Status")])
        // Then the standard ExpectedMore, and Status is answered after it
        #expect(replies[0].error == "org.varlink.service.ExpectedMore")
        #expect(replies[1].parameters?["version"] == .string("9.9.9"))
    }

    @Test("A monitor that goes away stops the daemon's updates for it")
    func watcherLeaves() async throws {
        // Given a monitor following Events
        let feed = StatusFeed()
        try await withControlServer(backend: FixedBackend(feed: feed)) { path in
            try await offPool {
                let client = try VarlinkClient(socketPath: path)
                try client.send(raw: try Self.events.frame())
                feed.send(FixedBackend.status)
                _ = try Self.read(3, from: client)
                // When it closes its connection
            }
            // Then the server drops the updates, which ends their producer
            let deadline = ContinuousClock.now + .seconds(10)
            while !feed.isEnded, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(feed.isEnded)
        }
    }

    @Test("kioskctl watch prints one line per event: time, kind and what it is now")
    func watchLines() {
        // Given an event as Events sends it, for a stopped receipt printer
        let printer = PrinterStatus(
            role: .receipt, queue: "kiosk-receipt", state: .stopped,
            condition: PrinterCondition(severity: .fault, responsible: .hallStaff, reasons: ["media-empty"]), pendingJobs: 1
        )
        let event = EventReply(.printer(printer), at: "2026-12-02T14:05:09+08:00")
        // Then the line kioskctl prints says when, which printer, and who must act
        #expect(WatchLine.text(event) == "14:05:09 printer receipt stopped fault: media-empty (hall_staff), 1 pending")
    }
}
