#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// kioskd on a state directory whose filesystem fills up: a private tmpfs of 24 MB,
/// mounted for the test (needs root, as the rest of the suite's real parts do).
private let canMountTmpfs: Bool = {
    guard getuid() == 0, let directory = try? TemporaryDirectory() else { return false }
    let point = directory.file("probe")
    mkdir(point, 0o700)
    guard (try? Subprocess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", point]).status) == 0 else { return false }
    _ = try? Subprocess.run("/bin/umount", [point])
    return true
}()

@Suite("Full disk end to end", .serialized, .enabled(if: canMountTmpfs))
struct FullDiskEndToEndTests {
    @Test("On a full disk kioskd reaches READY, shows 暂停服务, tells technicians, and resumes when space returns")
    func fullDiskThenSpace() async throws {
        // Given kioskd's state on a 24 MB filesystem, started once with room (the terminal registered)
        let directory = try TemporaryDirectory()
        let state = directory.file("state")
        #expect(mkdir(state, 0o700) == 0)
        #expect(try Subprocess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", state]).status == 0)
        defer { _ = try? Subprocess.run("/bin/umount", ["-l", state]) }
        let pty = try PseudoTerminal()
        let terminal = "[[terminal]]\nname = \"hall-1\"\ndevice = \"\(pty.devicePath)\"\n"
        let first = try DaemonProcess(extraConfig: terminal, reusing: directory, stateSubdirectory: "state", daemonConfig: "min_free_mb = 4")
        #expect(await first.waitUntilReady())
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)
        #expect(FileManager.default.fileExists(atPath: state + "/storage-reserve"))
        // When the filesystem fills up completely and kioskd starts again
        _ = try Subprocess.run("/bin/dd", ["if=/dev/zero", "of=\(state)/filler", "bs=1M", "count=64"])
        var stats = statvfs()
        #expect(statvfs(state, &stats) == 0 && stats.f_bavail == 0)
        _ = pty.drain()
        let daemon = try DaemonProcess(extraConfig: terminal, reusing: directory, stateSubdirectory: "state", daemonConfig: "min_free_mb = 4")
        // Then it reaches READY and says why in its STATUS line
        #expect(await daemon.waitUntilReady())
        #expect(await Self.eventually { daemon.notify.received().contains { $0.contains("STATUS=") && $0.contains("storage full") } })
        // And the terminal shows 暂停服务 in both languages, whatever is pressed
        #expect(await pty.waitForOutput(containing: "暂停服务"))
        pty.type(" ")
        await pty.waitForQuiet(.milliseconds(500))
        let screen = try await ScreenEmulator.screen(after: pty.drain()).lines.joined(separator: "\n")
        #expect(screen.contains("暂停服务") && screen.contains("Out of service") && screen.contains("存储空间已满"), "\(screen)")
        // And Status tells technicians
        let socket = daemon.controlSocket
        let status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        #expect(status["storage"]?["state"] == .string("full"), "\(status)")
        // When space returns
        #expect(unlink(state + "/filler") == 0)
        // Then within a check or two the terminal takes citizens again and Status says ok
        #expect(await Self.eventually(timeout: .seconds(30)) {
            let lines = (try? await ScreenEmulator.screen(after: pty.drain()).lines) ?? []
            return lines.joined().contains("请按任意键开始")
        })
        let after = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        #expect(after["storage"]?["state"] == .string("ok"), "\(after)")
        // And the reserve is back for the next time
        #expect(await Self.eventually { FileManager.default.fileExists(atPath: state + "/storage-reserve") })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let log = daemon.errorOutput()
        #expect(log.contains("storage full") && log.contains("storage ok again"), "\(log.suffix(2000))")
    }

    static func eventually(timeout: Duration = .seconds(15), _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
