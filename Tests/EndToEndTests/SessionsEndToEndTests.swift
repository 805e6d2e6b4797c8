#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Synchronization
import Testing

@Suite("Sessions end to end")
struct SessionsEndToEndTests {
    @Test("An idle session warns, then wipes the screen, the scrollback and what was typed")
    func idleReset() async throws {
        // Given a terminal with a short idle time
        let pty = try PseudoTerminal()
        let daemon = try DaemonProcess(extraConfig: """
            [session]
            idle_seconds = 6
            warning_seconds = 3

            [[terminal]]
            name = "idle-1"
            device = "\(pty.devicePath)"
            """)
        #expect(await daemon.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        // When an ID number is typed into the search field and the citizen walks away
        let id = "11010519491231002X"
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "搜索事项"))
        pty.type("1")
        #expect(await pty.waitForOutput(containing: "关键词"))
        pty.type(id)
        #expect(await pty.waitForOutput(containing: id))
        let typedAt = pty.drain().count
        // Then the warning comes, and then the session ends
        #expect(await pty.waitForOutput(containing: "还需要更多时间吗", timeout: .seconds(10)))
        #expect(await pty.waitForOutput(containing: "\u{1B}[3J", timeout: .seconds(10)))
        await pty.waitForQuiet()
        let all = pty.drain()
        // The wipe cleared the screen and the scrollback after the number was shown ...
        let wipe = Array("\u{1B}[H\u{1B}[2J\u{1B}[3J".utf8)
        let wipeAt = try #require(lastIndex(of: wipe, in: all))
        #expect(wipeAt > typedAt)
        // ... nothing after it shows the number, and the screen is the attract screen.
        #expect(!String(decoding: all[wipeAt...], as: UTF8.self).contains(id))
        let screen = try await ScreenEmulator.screen(after: all)
        #expect(!screen.lines.joined().contains(id))
        #expect(screen.lines.joined().contains("请按任意键开始"))
        // The session was recorded as ended by idleness, without what was typed.
        let socket = daemon.controlSocket
        let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        #expect(status["terminals"]?.arrayValue?.first?["screen"] == .string("attract"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let reasons = try await SQLiteShell.query(daemon.databasePath, "SELECT endReason FROM session")
        #expect(reasons == ["idle"])
        let dump = try await SQLiteShell.query(daemon.databasePath, ".dump")
        #expect(!dump.joined().contains(id))
    }

    @Test("One terminal flooded with random bytes does not stop the others from finishing a journey; the flood is slowed at the line, not dropped")
    func isolation() async throws {
        // Given three terminals on one daemon
        let ptys = try (0..<3).map { _ in try PseudoTerminal() }
        let config = ptys.enumerated().map { index, pty in
            "[[terminal]]\nname = \"t\(index)\"\ndevice = \"\(pty.devicePath)\"\n"
        }.joined(separator: "\n")
        let daemon = try DaemonProcess(extraConfig: config)
        #expect(await daemon.waitUntilReady())
        for pty in ptys { #expect(await pty.waitForOutput(containing: "请按任意键开始")) }

        // When the third is flooded with random bytes, as fast as its line takes them, while
        // the others are used
        let flooded = ptys[2]
        let stop = StopFlag()
        let flood = Task.detached { () -> (written: Int, waits: Int) in
            var generator = SystemRandomNumberGenerator()
            var written = 0, waits = 0
            while !stop.isSet {
                let chunk = (0..<1024).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var offset = 0
                while offset < chunk.count, !stop.isSet {
                    let count = flooded.typeWithoutWaiting(Array(chunk[offset...]))
                    guard count >= 0 else { return (written, waits) }
                    if count == 0 {
                        waits += 1
                        usleep(1000)
                    }
                    offset += count
                    written += count
                }
                flooded.drain()
            }
            return (written, waits)
        }
        for pty in ptys[0..<2] {
            pty.type(" ")
            #expect(await pty.waitForOutput(containing: "Rate our service"))
            pty.type("1")
            #expect(await pty.waitForOutput(containing: "个人·出生"))
            pty.type("2")
            #expect(await pty.waitForOutput(containing: "出生一件事"))
            pty.type("1")
            #expect(await pty.waitForOutput(containing: "所需材料"))
        }
        stop.set()
        let (written, waits) = await flood.value

        // Then both journeys ended on an item's guide, and the daemon and the flooded
        // terminal are still up
        for pty in ptys[0..<2] {
            await pty.waitForQuiet()
            let screen = try await ScreenEmulator.screen(after: pty.drain())
            #expect(screen.lines.joined(separator: "\n").contains("办理部门："))
        }
        #expect(daemon.process.isRunning)
        // And the flood was held back at the line (the writer found it full) and every byte
        // written was read in the end: none dropped
        #expect(written >= 16 * 1024 && waits > 0, "written \(written), waits \(waits)")
        let socket = daemon.controlSocket
        let terminals: @Sendable () async -> [JSONValue] = {
            let status = try? await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
            return status?["terminals"]?.arrayValue ?? []
        }
        // (by name: sessions register as they start, in no fixed order)
        let floodedIn: @Sendable () async -> Int64 = {
            await terminals().first { $0["name"] == .string("t2") }?["bytes_in"]?.integerValue ?? 0
        }
        let allRead = await eventually(within: .seconds(60)) {
            flooded.drain()
            return await floodedIn() == Int64(written)
        }
        let read = await floodedIn()
        #expect(allRead, "written \(written), read \(read)")
        let all = await terminals()
        #expect(all.count == 3 && all.allSatisfy { $0["state"] == .string("open") })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}

func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = haystack.count - needle.count
    while index >= 0 {
        if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
        index -= 1
    }
    return nil
}

/// A flag the test sets to stop a writer on another thread.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
