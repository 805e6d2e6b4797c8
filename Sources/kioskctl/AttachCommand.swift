#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import KioskControl

/// `kioskctl attach --terminal NAME`: hands this tty to kioskd and waits until kioskd gives
/// it back. This is how a getty-style unit, kmscon or fbterm provides a screen that draws
/// Chinese: run it on that console.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Let kioskd drive this terminal until kioskd stops or this command is ended.",
        discussion: """
            The tty on standard input (or the controlling terminal) is passed to kioskd over
            its terminal socket. kioskd draws the kiosk menu on it; when it hands the tty
            back, it is in the state it was in before. Needs root or the admin group.
            """
    )

    @Option(name: .long, help: "The terminal's name in Status (unique in the daemon).")
    var terminal: String

    @Option(name: .long, help: "citizen (24-hour zone) or enterprise (bank desk).")
    var profile: String = "citizen"

    @Flag(name: .customLong("double-size-lines"), help: "This terminal draws DEC double-width/double-height lines (xterm, Konsole): large glyphs in elder mode.")
    var doubleSizeLines = false

    @Option(name: .customLong("terminal-socket"), help: "The daemon's terminal socket.")
    var terminalSocket: String = "/run/kioskd/terminal.socket"

    func run() throws {
        // Ending this command (systemctl stop, a hang-up) must end the attachment, even if
        // whoever started it blocked or ignored those signals.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGINT, SIGHUP] {
            sigaddset(&signals, number)
            signal(number, SIG_DFL)
        }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        let tty: Int32 = isatty(0) == 1 ? 0 : open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard tty >= 0, isatty(tty) == 1 else {
            printError("kioskctl attach: standard input is not a terminal and there is no controlling terminal")
            throw ExitCode(64)  // EX_USAGE
        }
        let device = ttyname(tty).map { String(cString: $0) } ?? "tty"
        let request = AttachRequest(terminal: terminal, profile: profile, device: device, doubleSizeLines: doubleSizeLines)
        do {
            switch try AttachClient.attach(tty: tty, request: request, socketPath: terminalSocket) {
            case .detached, .closed:
                // kioskd restored the tty before letting go of it.
                return
            case .refused(let reason):
                printError("kioskctl attach: \(reason)")
                throw ExitCode(reason == "permission denied" ? 77 : 1)  // 77: EX_NOPERM
            }
        } catch let error as AttachClient.ConnectionError {
            printError("kioskctl attach: \(error.description)")
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
    }
}
