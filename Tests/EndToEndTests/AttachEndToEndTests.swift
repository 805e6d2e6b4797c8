#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// `kioskctl attach` on a tty: the daemon drives it, and gives it back as it was.
@Suite("kioskctl attach", .serialized)
struct AttachEndToEndTests {
    /// Starts `kioskctl attach` with the pseudo-terminal's tty as its standard input.
    static func attach(_ pty: PseudoTerminal, name: String, socket: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "kioskctl"))
        process.arguments = ["attach", "--terminal", name, "--terminal-socket", socket]
        process.standardInput = FileHandle(forUpdatingAtPath: pty.devicePath)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return process
    }

    static func lineSettings(_ path: String) -> tcflag_t {
        let fd = open(path, O_RDWR | O_NOCTTY)
        defer { close(fd) }
        var settings = termios()
        tcgetattr(fd, &settings)
        return settings.c_lflag
    }

    static func waitForExit(_ process: Process) async -> Int32? {
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(25)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    @Test func anAttachedTtyIsDrivenThenHandedBackAsItWas() async throws {
        // Given a daemon with no configured terminals, and a tty in its usual cooked mode
        let daemon = try DaemonProcess()
        #expect(await daemon.waitUntilReady())
        let pty = try PseudoTerminal()
        let cooked = Self.lineSettings(pty.devicePath)
        #expect(cooked & tcflag_t(ICANON) != 0)
        // When kioskctl attach is run on it
        let client = try Self.attach(pty, name: "console-3", socket: daemon.terminalSocket, log: daemon.directory.file("attach.log"))
        // Then kioskd draws the menu on it in raw mode and Status lists it
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        pty.type(" ")
        #expect(await pty.waitForOutput(containing: "Rate our service"))
        #expect(Self.lineSettings(pty.devicePath) & tcflag_t(ICANON | ECHO | ISIG) == 0)
        let socket = daemon.controlSocket
        var status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        let terminal = try #require(status["terminals"]?.arrayValue?.first { $0["name"] == .string("console-3") })
        #expect(terminal["state"] == .string("open"))
        #expect(terminal["device"] == .string("attached:\(pty.devicePath)"))
        // And a second attach under the same name is refused
        let second = try PseudoTerminal()
        let refused = try Self.attach(second, name: "console-3", socket: daemon.terminalSocket, log: daemon.directory.file("refused.log"))
        #expect(await Self.waitForExit(refused) == 1)
        #expect(try String(contentsOfFile: daemon.directory.file("refused.log"), encoding: .utf8).contains("already driven"))

        // When the client is stopped (as systemctl stop would)
        client.terminate()
        #expect(await Self.waitForExit(client) != nil)
        // Then the tty is back in its own settings and Status says closed
        for _ in 0..<100 where Self.lineSettings(pty.devicePath) != cooked { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.lineSettings(pty.devicePath) == cooked, "\(daemon.errorOutput().split(separator: "\n").suffix(8).joined(separator: "\n"))")
        status = try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") }
        #expect(status["terminals"]?.arrayValue?.first { $0["name"] == .string("console-3") }?["state"] == .string("closed"))

        // When it is attached again and the daemon stops
        let again = try Self.attach(pty, name: "console-3", socket: daemon.terminalSocket, log: daemon.directory.file("again.log"))
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        for _ in 0..<100 where Self.lineSettings(pty.devicePath) == cooked { try await Task.sleep(for: .milliseconds(20)) }
        daemon.signal(SIGTERM)
        // Then the client returns successfully and the tty is restored
        #expect(await Self.waitForExit(again) == 0)
        #expect(await daemon.waitForExit() == 0)
        #expect(Self.lineSettings(pty.devicePath) == cooked)
    }

    @Test("Clients that connect to the terminal socket and say nothing do not hold up an attach")
    func idleClientsDoNotDelayAnAttach() async throws {
        // Given a daemon, and five clients connected to its terminal socket that send nothing
        let daemon = try DaemonProcess()
        #expect(await daemon.waitUntilReady())
        var idle: [Int32] = []
        for _ in 0..<5 {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let address = try #require(UnixSocketAddress(path: daemon.terminalSocket))
            #expect(address.withSockaddr { connect(fd, $0, $1) } == 0)
            idle.append(fd)
        }
        defer { idle.forEach { close($0) } }
        // When a technician attaches a tty
        let pty = try PseudoTerminal()
        let client = try Self.attach(pty, name: "console-4", socket: daemon.terminalSocket, log: daemon.directory.file("attach.log"))
        // Then the menu is drawn well before the idle clients' 5 s each would have passed
        // one after another (25 s when the handshakes were served in turn)
        #expect(await pty.waitForOutput(containing: "请按任意键开始", timeout: .seconds(10)))
        client.terminate()
        #expect(await Self.waitForExit(client) != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
