import Foundation
import KioskControl
import KioskCore
import KioskStore
import KioskTesting
import Testing

/// kioskctl never passes control or layout characters from the daemon's replies to the
/// technician's terminal (issue 13: a centre's error title with an OSC 52 string reached it).
@Suite("kioskctl output")
struct KioskctlOutputEndToEndTests {
    @Test("A hostile error text in the outbox reaches kioskctl's table and JSON without its control characters",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func hostileTextStripped() async throws {
        // Given a dead outbox entry whose last error carries an OSC 52 clipboard write, an
        // 8-bit CSI (as UTF-8) and a right-to-left override
        let state = try TemporaryDirectory(prefix: "kioskd-e2e")
        let path = state.file("kioskd.sqlite")
        let database = try KioskDatabase(path: path)
        _ = try await database.storeApplication(at: Date()) { sequence in
            Application(
                id: UUID(), number: ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: sequence).value,
                itemID: "resident-pension-claim", terminal: "hall-1", values: [:], subItems: [], delivery: .pickup,
                consentToGaps: false, needsReview: false, submittedAt: Date()
            )
        }
        try database.close()
        let hostile = "\u{1B}]52;c;SGVsbG8=\u{07}refused\u{9B}31m by the centre\u{202E}"
        let update = try Subprocess.run("/usr/bin/sqlite3", [path, "UPDATE outboxEntry SET state = 'dead', lastError = '\(hostile)'"])
        #expect(update.status == 0)
        let daemon = try DaemonProcess(reusing: state)
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        // When a technician lists the dead letters, as a table and as JSON
        let table = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox", "--dead"])
        let json = try await run("kioskctl", ["--socket", daemon.controlSocket, "outbox", "--dead", "--json"])
        // Then the words are there and none of the control or layout characters
        let unsafe: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]
        #expect(table.status == 0 && table.output.contains("refused31m by the centre"), "\(table.output)")
        #expect(json.status == 0)
        for output in [table.output, json.output] {
            #expect(!output.unicodeScalars.contains { unsafe.contains($0) })
        }
        // And the JSON still reads back as the text the daemon sent (escaped, not lost)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.output.utf8))
        #expect(decoded["entries"]?.arrayValue?.first?["last_error"]?.stringValue?.contains("\u{9B}31m") == true, "\(json.output)")
    }
}

@Suite("kioskctl shell completion")
struct KioskctlCompletionTests {
    @Test("kioskctl --generate-completion-script bash completes every subcommand, the terminal methods' included")
    func bashCompletion() async throws {
        // Given the built kioskctl / When a bash completion script is generated
        let result = try await run("kioskctl", ["--generate-completion-script", "bash"])
        // Then it is a bash completion for kioskctl offering the new subcommands
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("complete -o filenames -F _kioskctl kioskctl") || result.output.contains("-F _kioskctl kioskctl"),
                "\(result.output.prefix(400))")
        for subcommand in ["status", "terminals", "audit", "backup", "reload", "outbox", "ledger"] {
            #expect(result.output.contains("_kioskctl_\(subcommand)"), "\(subcommand)")
        }
        #expect(result.output.contains("list reset lock unlock message"))
        // And zsh and fish scripts are generated too
        for shell in ["zsh", "fish"] {
            let script = try await run("kioskctl", ["--generate-completion-script", shell])
            #expect(script.status == 0 && script.output.contains("terminals"), "\(shell)")
        }
    }
}
