import Foundation
import KioskCore
import KioskTerminal
import Logging
import TOMLKit

/// Reads `kioskd.toml` into a `KioskConfiguration`.
///
/// A missing file means every default. Anything else that is not exactly right (a syntax
/// error, a key kioskd does not know, a value of the wrong type or outside its range) is a
/// `ConfigurationError` naming the file, line and key: a typo must never be silently
/// ignored on a machine nobody watches.
public enum ConfigurationLoader {
    /// The default location of the configuration file.
    public static let defaultPath = "/etc/kioskd/kioskd.toml"

    /// Loads the file at `path`; a file that does not exist gives the defaults.
    public static func load(path: String) throws(ConfigurationError) -> KioskConfiguration {
        guard FileManager.default.fileExists(atPath: path) else { return KioskConfiguration() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: 0, key: "", .unreadable("not readable as UTF-8 text"))
        }
        return try parse(text, file: path)
    }

    /// Refuses a configuration without `[daemon] kiosk_id` (outside the demo): without it
    /// two kiosks of a city would issue the same application numbers. The error names
    /// `file` and the key.
    public static func requireKioskID(_ configuration: KioskConfiguration, file: String) throws(ConfigurationError) {
        guard configuration.kioskID == nil, !configuration.demo else { return }
        throw ConfigurationError(file: file, line: 0, key: "daemon.kiosk_id", .missingKey)
    }

    /// Parses configuration text; `file` is the name used in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> KioskConfiguration {
        let root = try TOMLTable.parse(text, file: file)
        var reader = TOMLTableReader(table: root, path: "", file: file, locator: TOMLKeyLocator(source: text))
        return try reader.readConfiguration()
    }
}

extension TOMLTableReader {
    // MARK: The schema

    mutating func readConfiguration() throws(ConfigurationError) -> KioskConfiguration {
        var configuration = KioskConfiguration()
        if var daemon = try subtable("daemon") {
            if daemon.value("kiosk_id") != nil {
                let text = try daemon.string("kiosk_id", default: "")
                guard let id = KioskID(text) else {
                    throw daemon.error("kiosk_id", .invalidValue("\"\(UntrustedText(text).sanitized)\" is not a kiosk id: \(KioskID.rule)"))
                }
                configuration.kioskID = id
            }
            configuration.stateDirectory = try daemon.string("state_directory", default: configuration.stateDirectory)
            configuration.database = try daemon.string("database", default: configuration.database)
            configuration.controlSocket = try daemon.string("control_socket", default: configuration.controlSocket)
            configuration.terminalSocket = try daemon.string("terminal_socket", default: configuration.terminalSocket)
            configuration.logLevel = try daemon.choice("log_level", default: configuration.logLevel, of: Logger.Level.allCases)
            configuration.timeZone = try daemon.timeZone("time_zone", default: configuration.timeZone)
            configuration.minFreeMB = try daemon.integer("min_free_mb", default: configuration.minFreeMB, range: 1...1_000_000)
            try daemon.rejectUnknownKeys()
        }
        if var control = try subtable("control") {
            configuration.control.readGroup = try control.string("read_group", default: configuration.control.readGroup)
            configuration.control.adminGroup = try control.string("admin_group", default: configuration.control.adminGroup)
            configuration.control.maxMessageBytes = try control.integer(
                "max_message_bytes", default: configuration.control.maxMessageBytes, range: 1024...(64 << 20)
            )
            configuration.control.idleSeconds = try control.integer(
                "idle_seconds", default: configuration.control.idleSeconds, range: 1...86_400
            )
            configuration.control.maxConnections = try control.integer(
                "max_connections", default: configuration.control.maxConnections, range: 8...65_536
            )
            configuration.control.maxConnectionsPerUser = try control.integer(
                "max_connections_per_user", default: configuration.control.maxConnectionsPerUser, range: 1...65_536
            )
            try control.rejectUnknownKeys()
        }
        if var audit = try subtable("audit") {
            configuration.audit.keepDays = try audit.integer("keep_days", default: configuration.audit.keepDays, range: 1...36_500)
            try audit.rejectUnknownKeys()
        }
        if var central = try subtable("central") {
            let url = try central.string("url", default: configuration.central.url)
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url)?.host != nil else {
                throw central.error("url", .invalidValue("\"\(url)\" is not an http:// or https:// URL"))
            }
            configuration.central.url = url
            configuration.central.healthIntervalSeconds = try central.integer(
                "health_interval_seconds", default: configuration.central.healthIntervalSeconds, range: 1...3600
            )
            configuration.central.token = try central.string("token", default: configuration.central.token)
            configuration.central.statusSyncSeconds = try central.integer(
                "status_sync_seconds", default: configuration.central.statusSyncSeconds, range: 1...86_400
            )
            configuration.central.heartbeatSeconds = try central.integer(
                "heartbeat_seconds", default: configuration.central.heartbeatSeconds, range: 1...86_400
            )
            try central.rejectUnknownKeys()
        }
        if var forwarding = try subtable("forwarding") {
            var values = configuration.forwarding
            values.retryBaseMilliseconds = try forwarding.integer(
                "retry_base_ms", default: values.retryBaseMilliseconds, range: 10...600_000
            )
            values.retryCapSeconds = try forwarding.integer("retry_cap_seconds", default: values.retryCapSeconds, range: 1...86_400)
            guard values.retryCapSeconds * 1000 >= values.retryBaseMilliseconds else {
                throw forwarding.error("retry_cap_seconds", .invalidValue("must not be shorter than retry_base_ms"))
            }
            values.maxAgeDays = try forwarding.integer("max_age_days", default: values.maxAgeDays, range: 1...3650)
            values.parallelism = try forwarding.integer("parallelism", default: values.parallelism, range: 1...256)
            values.requestTimeoutSeconds = try forwarding.integer(
                "request_timeout_seconds", default: values.requestTimeoutSeconds, range: 1...120
            )
            values.breakerThreshold = try forwarding.integer("breaker_threshold", default: values.breakerThreshold, range: 1...1000)
            values.breakerOpenSeconds = try forwarding.integer(
                "breaker_open_seconds", default: values.breakerOpenSeconds, range: 1...3600
            )
            configuration.forwarding = values
            try forwarding.rejectUnknownKeys()
        }
        if var catalog = try subtable("catalog") {
            configuration.catalogDirectory = try catalog.string("directory", default: configuration.catalogDirectory)
            configuration.catalogSource = try catalog.choice(
                "source", default: configuration.catalogSource, of: CatalogVersionReport.Source.allCases
            )
            configuration.catalogPollSeconds = try catalog.integer(
                "poll_seconds", default: configuration.catalogPollSeconds, range: 1...86_400
            )
            try catalog.rejectUnknownKeys()
        }
        if var session = try subtable("session") {
            configuration.session.escapeTimeoutMilliseconds = try session.integer(
                "escape_timeout_ms", default: configuration.session.escapeTimeoutMilliseconds, range: 5...2000
            )
            configuration.session.idleSeconds = try session.integer(
                "idle_seconds", default: configuration.session.idleSeconds, range: 5...3600
            )
            configuration.session.warningSeconds = try session.integer(
                "warning_seconds", default: configuration.session.warningSeconds, range: 1...120
            )
            configuration.session.elderIdleFactor = try session.integer(
                "elder_idle_factor", default: configuration.session.elderIdleFactor, range: 1...5
            )
            guard configuration.session.warningSeconds < configuration.session.idleSeconds else {
                throw session.error("warning_seconds", .invalidValue("must be shorter than idle_seconds"))
            }
            try session.rejectUnknownKeys()
        }
        if var printing = try subtable("printing") {
            configuration.printing = try printing.readPrinting()
            try printing.rejectUnknownKeys()
        }
        if var payments = try subtable("payments") {
            let text = try payments.string("settlement_time", default: configuration.payments.settlementTime.description)
            guard let time = SettlementTime(parsing: text) else {
                throw payments.error("settlement_time", .invalidValue("\"\(text)\" is not a time of day as HH:MM (00:00 to 23:59)"))
            }
            configuration.payments.settlementTime = time
            try payments.rejectUnknownKeys()
        }
        if var hall = try subtable("hall") {
            configuration.hall.name = try hall.string("name", default: configuration.hall.name)
            configuration.hall.address = try hall.string("address", default: configuration.hall.address)
            configuration.hall.hotline = try hall.string("hotline", default: configuration.hall.hotline)
            for key in ["name", "address", "hotline"] {
                let value = try hall.string(key, default: "")
                guard value.count <= 80, UntrustedText(value).sanitized == value else {
                    throw hall.error(key, .invalidValue("must be at most 80 characters of printable text"))
                }
            }
            try hall.rejectUnknownKeys()
        }
        if var metrics = try subtable("metrics") {
            let listen = try metrics.string("listen", default: configuration.metricsListen)
            guard listen.isEmpty || MetricsAddress(listen) != nil else {
                throw metrics.error("listen", .invalidValue("\"\(UntrustedText(listen).sanitized)\" is not HOST:PORT (e.g. 127.0.0.1:9477) or \"\""))
            }
            configuration.metricsListen = listen
            try metrics.rejectUnknownKeys()
        }
        if var privacy = try subtable("privacy") {
            configuration.privacy.personalDataDays = try privacy.integer(
                "personal_data_days", default: configuration.privacy.personalDataDays, range: 1...3650
            )
            try privacy.rejectUnknownKeys()
        }
        configuration.terminals = try readTerminals()
        try rejectUnknownKeys()
        return configuration
    }

    mutating func readPrinting() throws(ConfigurationError) -> KioskConfiguration.Printing {
        var printing = KioskConfiguration.Printing()
        let server = try string("server", default: printing.server)
        guard Self.isLocalCUPSServer(server) else {
            throw error("server", .invalidValue("\"\(server)\" is neither a socket path nor a loopback host:port"))
        }
        printing.server = server
        printing.receiptQueue = try string("receipt_queue", default: printing.receiptQueue)
        printing.documentQueue = try string("document_queue", default: printing.documentQueue)
        for key in ["receipt_queue", "document_queue"] {
            let queue = key == "receipt_queue" ? printing.receiptQueue : printing.documentQueue
            guard !queue.isEmpty, queue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw error(key, .invalidValue("\"\(queue)\" is not a CUPS queue name (letters, digits, - _ .)"))
            }
        }
        printing.receiptColumns = try integer("receipt_columns", default: printing.receiptColumns, range: 24...96)
        printing.documentFont = try string("document_font", default: printing.documentFont)
        printing.documentFontFace = try integer("document_font_face", default: printing.documentFontFace, range: 0...31)
        printing.pollIntervalMilliseconds = try integer("poll_interval_ms", default: printing.pollIntervalMilliseconds, range: 100...60_000)
        printing.noProgressSeconds = try integer("no_progress_seconds", default: printing.noProgressSeconds, range: 1...3600)
        printing.resume = try choice("resume", default: printing.resume, of: KioskConfiguration.Printing.ResumePolicy.allCases)
        printing.resumeAfterSeconds = try integer("resume_after_seconds", default: printing.resumeAfterSeconds, range: 1...86_400)
        printing.waitSeconds = try integer("wait_seconds", default: printing.waitSeconds, range: 0...60)
        printing.purgeFinished = try bool("purge_finished", default: printing.purgeFinished)
        return printing
    }

    /// A socket path, or "host:port" with a loopback host: CUPS is never reached farther.
    static func isLocalCUPSServer(_ server: String) -> Bool {
        if server.hasPrefix("/") { return true }
        guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]), (1...65_535).contains(port) else {
            return false
        }
        return ["127.0.0.1", "localhost", "[::1]"].contains(String(server[..<colon]))
    }

    mutating func readTerminals() throws(ConfigurationError) -> [KioskConfiguration.Terminal] {
        var terminals: [KioskConfiguration.Terminal] = []
        for var reader in try tables("terminal") {
            var terminal = KioskConfiguration.Terminal(name: try reader.required("name"), device: try reader.required("device"))
            terminal.profile = try reader.choice("profile", default: terminal.profile, of: TerminalProfile.allCases)
            terminal.asciiOnly = try reader.bool("ascii_only", default: terminal.asciiOnly)
            terminal.colors = try reader.bool("colors", default: terminal.colors)
            terminal.doubleSizeLines = try reader.bool("double_size_lines", default: terminal.doubleSizeLines)
            terminal.columns = try reader.integer("columns", default: terminal.columns, range: 80...500)
            terminal.rows = try reader.integer("rows", default: terminal.rows, range: 24...200)
            terminal.askSize = try reader.bool("ask_size", default: terminal.askSize)
            terminal.baud = try reader.integer("baud", default: terminal.baud, range: 0...921_600)
            guard terminal.baud == 0 || SerialLine.supportedBauds.contains(terminal.baud) else {
                let speeds = SerialLine.supportedBauds.map(String.init).joined(separator: ", ")
                throw reader.error("baud", .invalidValue("\(terminal.baud) is not one of: 0, \(speeds)"))
            }
            terminal.dataBits = try reader.integer("data_bits", default: terminal.dataBits, range: 7...8)
            terminal.parity = try reader.choice("parity", default: SerialLine.Parity.none, of: SerialLine.Parity.allCases).rawValue
            terminal.stopBits = try reader.integer("stop_bits", default: terminal.stopBits, range: 1...2)
            terminal.flowControl = try reader.choice(
                "flow_control", default: SerialLine.FlowControl.none, of: SerialLine.FlowControl.allCases
            ).rawValue
            if reader.value("id_reader") != nil {
                let path = try reader.string("id_reader", default: "")
                guard path.hasPrefix("/"), UntrustedText(path).sanitized == path else {
                    throw reader.error("id_reader", .invalidValue("\"\(UntrustedText(path).sanitized)\" is not a device path"))
                }
                terminal.idReader = path
            }
            terminal.idReaderBaud = try reader.integer("id_reader_baud", default: terminal.idReaderBaud, range: 1200...921_600)
            guard SerialLine.supportedBauds.contains(terminal.idReaderBaud) else {
                let speeds = SerialLine.supportedBauds.map(String.init).joined(separator: ", ")
                throw reader.error("id_reader_baud", .invalidValue("\(terminal.idReaderBaud) is not one of: \(speeds)"))
            }
            try reader.rejectUnknownKeys()
            if terminals.contains(where: { $0.name == terminal.name }) {
                throw reader.error("name", .invalidValue("another terminal is already named \"\(terminal.name)\""))
            }
            terminals.append(terminal)
        }
        return terminals
    }
}
