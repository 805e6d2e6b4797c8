import Foundation
import KioskCore
import KioskDaemon
import KioskTesting
import Logging
import Testing

@Suite("Configuration")
struct ConfigurationLoaderTests {
    func parse(_ text: String) throws(ConfigurationError) -> KioskConfiguration {
        try ConfigurationLoader.parse(text, file: "kioskd.toml")
    }

    func error(_ text: String) -> ConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    static var shippedFile: String {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Resources/kioskd.toml").path
    }

    @Test("A missing file means every default")
    func missingFile() throws {
        let configuration = try ConfigurationLoader.load(path: "/nonexistent/kioskd.toml")
        #expect(configuration == KioskConfiguration())
        #expect(configuration.databasePath == "/var/lib/kioskd/kioskd.sqlite")
        #expect(configuration.controlSocket == "/run/kioskd/control.socket")
    }

    @Test("The shipped file lists every key at its default")
    func shippedFileIsTheDefaults() throws {
        // Given the shipped file, with every commented key line switched on
        let text = try String(contentsOfFile: Self.shippedFile, encoding: .utf8)
        #expect(try parse(text) == KioskConfiguration())
        let enabled = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.dropFirst()
            let isKeyLine = line.hasPrefix("#") && (body.first?.isLetter == true || body.hasPrefix("["))
            return isKeyLine ? String(body) : String(line)
        }.joined(separator: "\n")
        // When parsed / Then it gives the defaults plus the one example terminal
        var expected = KioskConfiguration()
        var example = KioskConfiguration.Terminal(name: "hall-1", device: "/dev/ttyS0")
        example.idReader = "/dev/ttyUSB1"
        expected.terminals = [example]
        expected.kioskID = KioskID("hall-1")
        #expect(try parse(enabled) == expected)
    }

    @Test("[printing] names the CUPS server, the queues of both roles and the timings")
    func printing() throws {
        // Given a [printing] table on a loopback scheduler
        let configuration = try parse("""
            [printing]
            server = "127.0.0.1:6310"
            receipt_queue = "thermal-1"
            document_queue = "a4"
            receipt_columns = 42
            resume = "manual"
            """)
        // Then it is read, and the rest stays at the defaults
        #expect(configuration.printing.server == "127.0.0.1:6310")
        #expect(configuration.printing.receiptQueue == "thermal-1")
        #expect(configuration.printing.documentQueue == "a4")
        #expect(configuration.printing.receiptColumns == 42)
        #expect(configuration.printing.resume == .manual)
        #expect(configuration.printing.noProgressSeconds == 30)
    }

    @Test("The hall's time zone is an IANA name; an unknown one is an error with file, line and key, exit 78")
    func timeZone() throws {
        // Given no zone / Then the hall is in Beijing time, whatever the process's TZ
        #expect(try parse("").timeZone == "Asia/Shanghai")
        #expect(try parse("[daemon]\ntime_zone = \"Asia/Urumqi\"\n").timeZone == "Asia/Urumqi")
        // Given a zone nobody knows / Then the error names the file, the line and the key
        let failure = error("[daemon]\nlog_level = \"info\"\ntime_zone = \"Mars/Olympus_Mons\"\n")
        #expect(failure?.file == "kioskd.toml")
        #expect(failure?.line == 3)
        #expect(failure?.key == "daemon.time_zone")
        #expect(failure?.description.contains("Mars/Olympus_Mons") == true)
        #expect(ConfigurationError.exitCode == 78)
    }

    @Test("[payments] settlement_time is the hall's HH:MM, 23:55 by default; anything else is an error with file, line and key, exit 78")
    func settlementTime() throws {
        // Given no [payments] table / Then the books close at 23:55
        #expect(try parse("").payments.settlementTime == SettlementTime(hour: 23, minute: 55))
        // Given a time / Then it is read
        #expect(try parse("[payments]\nsettlement_time = \"02:30\"\n").payments.settlementTime.description == "02:30")
        // Given a time that is none, or not a string / Then the error names the file, the line and the key
        for bad in ["\"24:00\"", "\"7:30\"", "\"23:55:00\"", "\"noon\"", "2355"] {
            let failure = error("# hall\n[payments]\nsettlement_time = \(bad)\n")
            #expect(failure?.file == "kioskd.toml", "\(bad)")
            #expect(failure?.line == 3, "\(bad)")
            #expect(failure?.key == "payments.settlement_time", "\(bad)")
        }
        #expect(error("[payments]\nsettlement_time = \"24:00\"\n")?.description.contains("HH:MM") == true)
        // And an unknown key in [payments] is refused too
        #expect(error("[payments]\nsettlement_hour = 23\n")?.kindName == "unknown-key")
        #expect(ConfigurationError.exitCode == 78)
    }

    @Test("[audit] keep_days and the [control] limits are read, with defaults; a bad value names the file, line and key")
    func auditAndControlLimits() throws {
        // Given no tables / Then audit rows are kept 180 days and the control limits are 60 s, 256 and 32
        let defaults = try parse("")
        #expect(defaults.audit.keepDays == 180)
        #expect(defaults.control.idleSeconds == 60 && defaults.control.maxConnections == 256 && defaults.control.maxConnectionsPerUser == 32)
        // Given values / Then they are read
        let set = try parse("[audit]\nkeep_days = 30\n[control]\nidle_seconds = 5\nmax_connections = 64\nmax_connections_per_user = 4\n")
        #expect(set.audit.keepDays == 30)
        #expect(set.control.idleSeconds == 5 && set.control.maxConnections == 64 && set.control.maxConnectionsPerUser == 4)
        // Given a value of the wrong type or range / Then the error names the file, the line and the key
        for (text, line, key) in [
            ("[audit]\nkeep_days = 0\n", 2, "audit.keep_days"), ("# hall\n[audit]\nkeep_days = \"180\"\n", 3, "audit.keep_days"),
            ("[control]\nidle_seconds = 0\n", 2, "control.idle_seconds"),
            ("[control]\nmax_connections = 2\n", 2, "control.max_connections"),
        ] {
            let failure = error(text)
            #expect(failure?.file == "kioskd.toml" && failure?.line == line && failure?.key == key, "\(text)")
        }
        // And an unknown key in [audit] is refused
        #expect(error("[audit]\nkeep = 3\n")?.kindName == "unknown-key")
    }

    @Test("[central] heartbeat_seconds is 60 by default, read when set, and refused outside 1 to 86400 with file, line and key")
    func heartbeatSeconds() throws {
        // Given no [central] table / Then a heartbeat goes every 60 s
        #expect(try parse("").central.heartbeatSeconds == 60)
        // Given a value / Then it is read
        #expect(try parse("[central]\nheartbeat_seconds = 15\n").central.heartbeatSeconds == 15)
        // Given zero, too many or a string / Then the error names the file, the line and the key
        for text in ["[central]\nheartbeat_seconds = 0\n", "[central]\nheartbeat_seconds = 86401\n", "[central]\nheartbeat_seconds = \"60\"\n"] {
            let failure = error(text)
            #expect(failure?.file == "kioskd.toml" && failure?.line == 2 && failure?.key == "central.heartbeat_seconds", "\(text)")
        }
    }

    @Test("A CUPS server that is not local is refused with file, line and key")
    func remoteCUPS() {
        // Given a scheduler on another host / Then the error names the line and key
        let failure = error("[printing]\nreceipt_queue = \"r\"\nserver = \"printhost:631\"\n")
        #expect(failure?.line == 3)
        #expect(failure?.key == "printing.server")
        #expect(error("[printing]\nreceipt_queue = \"a b\"\n")?.key == "printing.receipt_queue")
        #expect(error("[printing]\nresume = \"sometimes\"\n")?.key == "printing.resume")
    }

    @Test("A valid file sets what it names and keeps the rest at the defaults")
    func validFile() throws {
        let configuration = try parse("""
            [daemon]
            state_directory = "/srv/kiosk"
            log_level = "debug"

            [central]
            url = "https://cases.example.gov.cn"

            [[terminal]]
            name = "hall-1"
            device = "/dev/ttyUSB0"

            [[terminal]]
            name = "bank-desk"
            device = "/dev/pts/3"
            profile = "enterprise"
            ascii_only = true
            double_size_lines = true
            columns = 132
            rows = 43
            """)
        #expect(configuration.databasePath == "/srv/kiosk/kioskd.sqlite")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.central.url == "https://cases.example.gov.cn")
        #expect(configuration.terminals.count == 2)
        #expect(configuration.terminals[1].profile == .enterprise)
        #expect(configuration.terminals[1].asciiOnly)
        #expect(configuration.terminals[1].doubleSizeLines)
        #expect(!configuration.terminals[0].doubleSizeLines)
        #expect(configuration.terminals[1].columns == 132)
        #expect(configuration.control == KioskConfiguration().control)
    }

    @Test("A syntax error names the file and line")
    func syntaxError() throws {
        let failure = try #require(error("[daemon]\nlog_level = \"info\"\nstate_directory = /var\n"))
        #expect(failure.kindName == "syntax")
        #expect(failure.line == 3)
        #expect(failure.description.hasPrefix("kioskd.toml:3: syntax error"))
    }

    @Test("An unknown key names the file, line and key")
    func unknownKey() throws {
        let failure = try #require(error("[daemon]\nlog_level = \"info\"\n\n# typo below\nlog_levle = \"debug\"\n"))
        #expect(failure.kindName == "unknown-key")
        #expect(failure.description == "kioskd.toml:5: daemon.log_levle: unknown key")
        let table = try #require(error("[deamon]\nx = 1\n"))
        #expect(table.description == "kioskd.toml:1: deamon: unknown key")
        let inTerminal = try #require(error("[[terminal]]\nname = \"a\"\ndevice = \"/dev/a\"\n[[terminal]]\nname = \"b\"\ndevice = \"/dev/b\"\nspeed = 9600\n"))
        #expect(inTerminal.description == "kioskd.toml:7: terminal[1].speed: unknown key")
    }

    @Test("A wrong type names what was expected and what was found")
    func wrongType() throws {
        let failure = try #require(error("[central]\nhealth_interval_seconds = \"ten\"\n"))
        #expect(failure.kindName == "wrong-type")
        #expect(failure.description == "kioskd.toml:2: central.health_interval_seconds: expected an integer, found a string")
        let table = try #require(error("daemon = 3\n"))
        #expect(table.description == "kioskd.toml:1: daemon: expected a table, found an integer")
    }

    @Test("Values outside their range or set are refused with the allowed values")
    func invalidValues() throws {
        let profile = try #require(error("[[terminal]]\nname = \"a\"\ndevice = \"/dev/a\"\nprofile = \"bank\"\n"))
        #expect(profile.description == "kioskd.toml:4: terminal[0].profile: \"bank\" is not one of: citizen, enterprise")
        let level = try #require(error("[daemon]\nlog_level = \"loud\"\n"))
        #expect(level.kindName == "invalid-value")
        let columns = try #require(error("[[terminal]]\nname = \"a\"\ndevice = \"/dev/a\"\ncolumns = 40\n"))
        #expect(columns.description == "kioskd.toml:4: terminal[0].columns: 40 is outside 80…500")
        let url = try #require(error("[central]\nurl = \"ftp://x\"\n"))
        #expect(url.line == 2)
    }

    @Test("A terminal without a device, or two with one name, is an error")
    func terminalRules() throws {
        let missing = try #require(error("[[terminal]]\nname = \"a\"\n"))
        #expect(missing.description == "kioskd.toml:1: terminal[0].device: required key is missing")
        let duplicate = try #require(error("[[terminal]]\nname = \"a\"\ndevice = \"/dev/a\"\n\n[[terminal]]\nname = \"a\"\ndevice = \"/dev/b\"\n"))
        #expect(duplicate.line == 6)
        #expect(duplicate.reason.contains("already named"))
    }

    @Test("Configuration errors exit with 78 (EX_CONFIG)")
    func exitCode() {
        #expect(ConfigurationError.exitCode == 78)
    }
}
