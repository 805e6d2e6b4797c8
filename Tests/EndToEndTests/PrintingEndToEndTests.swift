#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Testing

/// kioskd printing through a private cupsd, driven from a pseudo-terminal like a citizen.
@Suite("kioskd printing end to end", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct PrintingEndToEndTests {
    func config(_ pty: PseudoTerminal, _ cups: PrivateCUPS, documentQueue: String) -> String {
        """
        [printing]
        server = "\(cups.socketPath)"
        receipt_queue = "healthy"
        document_queue = "\(documentQueue)"
        poll_interval_ms = 200
        no_progress_seconds = 60
        resume = "manual"
        wait_seconds = 3

        [[terminal]]
        name = "hall-1"
        device = "\(pty.devicePath)"
        profile = "citizen"
        """
    }

    /// Types `keys` one at a time, letting the screen settle after each; returns the screen.
    func press(_ pty: PseudoTerminal, _ keys: [String]) async throws -> ScreenEmulator.Screen {
        for key in keys {
            pty.type(key)
            await pty.waitForQuiet(.milliseconds(300))
        }
        return try await ScreenEmulator.screen(after: pty.drain())
    }

    /// From the attract screen to the first item's guide, then Enter prints it.
    func printFirstGuide(_ pty: PseudoTerminal) async throws -> ScreenEmulator.Screen {
        #expect(await pty.waitForOutput(containing: "请按任意键开始"))
        _ = try await press(pty, [" ", "1", "2", "1"])
        pty.type("\r")
        var screen = try await ScreenEmulator.screen(after: pty.drain())
        for _ in 0..<40 where !screen.lines.joined().contains("R-0000") {
            try await Task.sleep(for: .milliseconds(250))
            screen = try await ScreenEmulator.screen(after: pty.drain())
        }
        return screen
    }

    func call(_ daemon: DaemonProcess, _ method: String, _ parameters: JSONValue = .object([:])) async throws -> JSONValue {
        let socket = daemon.controlSocket
        return try await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.\(method)", parameters: parameters) }
    }

    @Test("Out of paper: the citizen reads what happened and the number, Status shows it, and after resume one copy prints")
    func nopaperOnTheTerminal() async throws {
        try await withPrivateCUPS { cups in
            // Given kioskd whose document printer has no paper
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(extraConfig: config(pty, cups, documentQueue: "nopaper"))
            #expect(await daemon.waitUntilReady())
            // When a citizen prints a guide
            let screen = try await printFirstGuide(pty)
            // Then the screen says the printer is out of paper, whom to ask, and the number
            #expect(screen.lines.contains { $0.contains("打印机缺纸，请联系大厅工作人员，重印号 R-000001") }, "\(screen.lines)")
            // And Status shows the document printer's fault for hall staff
            let status = try await call(daemon, "Status")
            let document = status["printers"]?.arrayValue?.first { $0["role"] == .string("document") }
            #expect(document?["condition"]?["responsible"] == .string("hall_staff"))
            #expect(document?["condition"]?["reasons"]?.arrayValue?.contains(.string("media-empty")) == true)
            // And `kioskctl printers` tells the technician who must act
            let printers = try await run("kioskctl", ["--socket", daemon.controlSocket, "printers"])
            #expect(printers.status == 0)
            #expect(printers.output.contains("hall-staff"), "\(printers.output)")
            // When hall staff load paper and a technician resumes the queue
            try cups.loadPaper("nopaper")
            let resumed = try await run("kioskctl", ["--socket", daemon.controlSocket, "resume", "document"])
            #expect(resumed.status == 0, "\(resumed.errors)")
            // Then exactly one copy comes out and the job is printed
            #expect(await cups.wait { cups.printed(queue: "nopaper").count == 1 })
            #expect(await cups.wait {
                let jobs = try? await call(daemon, "Jobs")
                return jobs?["jobs"]?.arrayValue?.first?["state"] == .string("printed")
            })
            try await Task.sleep(for: .seconds(1))
            #expect(cups.printed(queue: "nopaper").count == 1)
            // When the technician reprints it by number
            let reprint = try await run("kioskctl", ["--socket", daemon.controlSocket, "reprint", "1"])
            #expect(reprint.status == 0, "\(reprint.errors)")
            // Then a second copy prints, marked 重印, recorded as a reprint of R-000001
            #expect(await cups.wait { cups.printed(queue: "nopaper").count == 2 })
            let jobs = try await run("kioskctl", ["--socket", daemon.controlSocket, "jobs", "--json"])
            #expect(jobs.output.contains("\"reprint_of\" : \"R-000001\""), "\(jobs.output)")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
            // And the log has the fault at warning, for hall staff (again only when the fault
            // changes, as when CUPS adds a reason), and its recovery below warning
            let log = daemon.errorOutput().split(separator: "\n")
            let faults = log.filter { $0.contains("event=printer-fault") }
            #expect(!faults.isEmpty && faults.count <= 3 && faults.allSatisfy { $0.contains(" warning ") }, "\(faults)")
            #expect(faults.first?.contains("responsible=hall-staff") == true && faults.first?.contains("media-empty") == true, "\(faults)")
            #expect(log.contains { $0.contains(" notice ") && $0.contains("event=printer-recovered") && $0.contains("role=document") })
        }
    }

    @Test("A citizen prints a guide, then reprints it from the reprint screen: the copy is marked 重印")
    func reprintFromTheTerminal() async throws {
        try await withPrivateCUPS { cups in
            // Given kioskd with healthy printers, and a guide printed by a citizen
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(extraConfig: config(pty, cups, documentQueue: "healthy"))
            #expect(await daemon.waitUntilReady())
            let printed = try await printFirstGuide(pty)
            #expect(printed.lines.contains { $0.contains("已打印，请在出纸口取走。打印号 R-000001") }, "\(printed.lines)")
            // When the citizen opens 补打回执 from the home menu and presses Enter (this visit's last slip)
            let reprintDigit = String(ServiceItem.homeMenu(for: .citizen).firstIndex(of: .reprint)! + 1)
            let screen = try await press(pty, ["0", reprintDigit])
            #expect(screen.lines.contains { $0.contains("R-000001") }, "\(screen.lines)")
            pty.type("\r")
            var after = try await ScreenEmulator.screen(after: pty.drain())
            for _ in 0..<40 where !after.lines.joined().contains("R-000002") {
                try await Task.sleep(for: .milliseconds(250))
                after = try await ScreenEmulator.screen(after: pty.drain())
            }
            // Then a second copy prints, and it says 重印 with the original's number
            #expect(after.lines.contains { $0.contains("打印号 R-000002") }, "\(after.lines)")
            #expect(await cups.wait { cups.printed(queue: "healthy").count == 2 })
            let copy = try #require(cups.printed(queue: "healthy").last?.bytes)
            let directory = try TemporaryDirectory()
            let path = directory.file("copy.pdf")
            try Data(copy).write(to: URL(fileURLWithPath: path))
            let text = try await offPool { try Subprocess.run("/usr/bin/pdftotext", [path, "-"]).output }
            #expect(text.contains("重印 REPRINT（原 R-000001）"), "\(text)")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
    }

    @Test("kill -9 between submit and completion: after the restart the guide prints exactly once")
    func crashBetweenSubmitAndCompletion() async throws {
        try await withPrivateCUPS { cups in
            // Given a guide sent to a printer that does not finish
            let pty = try PseudoTerminal()
            let daemon = try DaemonProcess(extraConfig: config(pty, cups, documentQueue: "hanging"))
            #expect(await daemon.waitUntilReady())
            let screen = try await printFirstGuide(pty)
            #expect(screen.lines.contains { $0.contains("R-000001") })
            #expect(await cups.wait { cups.backendLog().contains("result=hanging") })
            // When the daemon is killed outright and started again on the same state
            daemon.signal(SIGKILL)
            _ = await daemon.waitForExit()
            let restarted = try DaemonProcess(extraConfig: config(pty, cups, documentQueue: "hanging"), reusing: daemon.directory)
            #expect(await restarted.waitUntilReady())
            // And the printer comes back
            try await cups.heal("hanging")
            // Then the job is printed, once
            #expect(await cups.wait {
                let jobs = try? await call(restarted, "Jobs")
                return jobs?["jobs"]?.arrayValue?.first?["state"] == .string("printed")
            })
            try await Task.sleep(for: .seconds(1))
            #expect(cups.printed(queue: "hanging").count == 1)
            let jobs = try await call(restarted, "Jobs")
            #expect(jobs["jobs"]?.arrayValue?.count == 1)
            restarted.signal(SIGTERM)
            #expect(await restarted.waitForExit() == 0)
        }
    }
}
