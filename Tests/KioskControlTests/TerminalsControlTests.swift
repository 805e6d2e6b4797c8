import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

@Suite("Terminal control methods")
struct TerminalsControlTests {
    @Test("Terminals lists each terminal in snake_case with its times, lock and message")
    func terminals() async throws {
        // Given a backend with one locked terminal / When Terminals is called
        let replies = try await replies([call("Terminals")])
        // Then the terminal comes with every field the interface declares
        let terminal = try #require(replies[0].parameters?["terminals"]?.arrayValue?.first)
        #expect(terminal["name"] == .string("hall-1"))
        #expect(terminal["profile"] == .string("citizen"))
        #expect(terminal["state"] == .string("open"))
        #expect(terminal["screen"] == .string("locked"))
        #expect(terminal["last_input_at"] == .string("2026-11-23T14:05:09+08:00"))
        #expect(terminal["last_frame_at"] == nil || terminal["last_frame_at"] == .null)
        #expect(terminal["locked"] == .bool(true))
        #expect(terminal["lock_message"] == .string("back at 15:00"))
    }

    @Test("Reset, lock and unlock answer for a known terminal; an unknown name is NoSuchTerminal, stripped of control characters")
    func requests() async throws {
        // Given a backend whose only terminal is hall-1
        // When each request is made for it, and for an unknown name with an escape sequence
        let replies = try await replies([
            call("ResetTerminal", ["name": .string("hall-1")]),
            call("LockTerminal", ["name": .string("hall-1"), "message": .string("  back at\u{1B}[2J 15:00\u{07} ")]),
            call("LockTerminal", ["name": .string("hall-1")]),
            call("UnlockTerminal", ["name": .string("hall-1")]),
            call("ResetTerminal", ["name": .string("hall-9\u{1B}]0;x\u{07}")]),
            call("LockTerminal", ["name": .string("hall-9")]),
            call("UnlockTerminal", ["name": .string("hall-9")]),
        ])
        // Then the known terminal's requests succeed, the lock's message stripped and trimmed
        #expect(replies[0].error == nil)
        #expect(replies[1].parameters?["message"] == .string("back at[2J 15:00"))
        #expect(replies[1].parameters?["name"] == .string("hall-1"))
        #expect(replies[2].error == nil)
        #expect(replies[2].parameters?["message"] == nil || replies[2].parameters?["message"] == .null)
        #expect(replies[3].error == nil)
        // And the unknown name is NoSuchTerminal, its name without the escape
        #expect(replies[4...].allSatisfy { $0.error == "io.kioskd.Control.NoSuchTerminal" })
        #expect(replies[4].parameters?["name"] == .string("hall-9]0;x"))
    }

    @Test("A missing or mistyped name, and a message over 120 characters, are InvalidParameter naming them")
    func invalidParameters() async throws {
        // Given the fixed backend / When the requests are made with bad parameters
        let replies = try await replies([
            call("ResetTerminal"),
            call("LockTerminal", ["name": .integer(1)]),
            call("UnlockTerminal", ["name": .string("")]),
            call("LockTerminal", ["name": .string("hall-1"), "message": .string(String(repeating: "x", count: 121))]),
            call("LockTerminal", ["name": .string("hall-1"), "message": .bool(true)]),
        ])
        // Then each names its parameter
        #expect(replies.allSatisfy { $0.error == "org.varlink.service.InvalidParameter" })
        #expect(replies.map { $0.parameters?["parameter"]?.stringValue } == ["name", "name", "name", "message", "message"])
        // And exactly 120 characters (after stripping) are accepted
        let longest = try await KioskControlTests.replies([
            call("LockTerminal", ["name": .string("hall-1"), "message": .string(String(repeating: "维", count: 120) + "\u{1B}")]),
        ])
        #expect(longest[0].error == nil)
    }

    @Test("The technicians' group reads Terminals; reset, lock and unlock need the admin group")
    func access() async throws {
        // Given a reader (users) and an admin (adm), callers that do not exist
        let interface = ControlInterface(backend: FixedBackend(), policy: AccessPolicy(readGroup: "users", adminGroup: "adm"))
        let reader = PeerCredentials(pid: 1, uid: 4_000_001, gid: 100)
        let admin = PeerCredentials(pid: 1, uid: 4_000_002, gid: 4)
        func outcome(_ method: String, _ parameters: [String: JSONValue], as caller: PeerCredentials) async -> String {
            do {
                return try await interface.handle(call(method, parameters), caller: caller).error ?? "ok"
            } catch let error as VarlinkError {
                return error.name
            } catch {
                return "\(error)"
            }
        }
        let name: [String: JSONValue] = ["name": .string("hall-1")]
        // When each calls each method / Then the reader reads only, the admin does all
        #expect(await outcome("Terminals", [:], as: reader) == "ok")
        for method in ["ResetTerminal", "LockTerminal", "UnlockTerminal"] {
            #expect(await outcome(method, name, as: reader) == "org.varlink.service.PermissionDenied")
            #expect(await outcome(method, name, as: admin) == "ok")
        }
    }

    @Test("SendMessage answers the terminals reached; text, seconds and an unknown name are checked")
    func sendMessage() async throws {
        // Given a backend whose only terminal is hall-1
        // When messages are sent to all, to hall-1, to an unknown name and with bad parameters
        let replies = try await replies([
            call("SendMessage", ["text": .string("closing at 17:00"), "seconds": .integer(60)]),
            call("SendMessage", ["name": .string("hall-1"), "text": .string("closing"), "seconds": .integer(3600)]),
            call("SendMessage", ["name": .string("hall-9"), "text": .string("closing"), "seconds": .integer(60)]),
            call("SendMessage", ["text": .string("closing")]),
            call("SendMessage", ["text": .string("closing"), "seconds": .integer(0)]),
            call("SendMessage", ["text": .string("closing"), "seconds": .integer(3601)]),
            call("SendMessage", ["text": .string(" \u{1B}\u{07} "), "seconds": .integer(60)]),
            call("SendMessage", ["text": .string(String(repeating: "x", count: 121)), "seconds": .integer(60)]),
            call("SendMessage", ["seconds": .integer(60)]),
        ])
        // Then the good ones name the terminals reached
        #expect(replies[0].parameters?["terminals"] == .array([.string("hall-1")]))
        #expect(replies[1].parameters?["terminals"] == .array([.string("hall-1")]))
        #expect(replies[2].error == "io.kioskd.Control.NoSuchTerminal")
        // And the bad ones name their parameter (a text of control characters only is empty)
        #expect(replies[3...].map { $0.parameters?["parameter"]?.stringValue } == ["seconds", "seconds", "seconds", "text", "text", "text"])
    }
}

@Suite("Screen snapshots over the control socket")
struct ScreenSnapshotControlTests {
    @Test("ScreenSnapshot gives a screen between citizens as text, stripped, and withholds one in use")
    func snapshot() async throws {
        // Given hall-1 on its attract screen and hall-2 with a citizen filling a form
        let replies = try await replies([
            call("ScreenSnapshot", ["name": .string("hall-1")]),
            call("ScreenSnapshot", ["name": .string("hall-2")]),
            call("ScreenSnapshot", ["name": .string("hall-9")]),
            call("ScreenSnapshot", [:]),
        ])
        // Then hall-1's rows come as text, a control string in them stripped
        #expect(replies[0].parameters?["lines"] == .array([.string("  自助服务终端      "), .string("]52;c;eA==press")]))
        #expect(replies[0].parameters?["withheld"] == nil)
        #expect(replies[0].parameters?["drawn_at"] == .string("2026-12-02T14:05:09+08:00"))
        // And hall-2's are withheld, saying why
        #expect(replies[1].parameters?["lines"] == .array([]))
        #expect(replies[1].parameters?["withheld"] == .string("citizen_session"))
        // And an unknown name or none is the declared error or InvalidParameter
        #expect(replies[2].error == "io.kioskd.Control.NoSuchTerminal")
        #expect(replies[3].error == "org.varlink.service.InvalidParameter")
    }
}
