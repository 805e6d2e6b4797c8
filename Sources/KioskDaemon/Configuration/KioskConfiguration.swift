import KioskCore
import Logging

/// Everything kioskd reads from `kioskd.toml`, typed. The defaults here are the ones the
/// shipped `Resources/kioskd.toml` lists (a test keeps the two the same).
public struct KioskConfiguration: Sendable, Equatable {
    /// This kiosk's id, unique in the city; part of every application number it issues.
    /// Required outside the demo (`ConfigurationLoader.requireKioskID`).
    public var kioskID: KioskID?
    public var stateDirectory = "/var/lib/kioskd"
    /// The database file; relative to `stateDirectory` unless absolute.
    public var database = "kioskd.sqlite"
    public var controlSocket = "/run/kioskd/control.socket"
    /// Where `kioskctl attach` hands over ttys.
    public var terminalSocket = "/run/kioskd/terminal.socket"
    public var logLevel = Logger.Level.info
    /// Below this much free space on the state directory's filesystem, no new
    /// applications, payments or ratings are taken, so acknowledged work always fits.
    public var minFreeMB = 64
    /// The hall's time zone (IANA name): what screens, paper, exports and the log's human
    /// timestamps show. Stored times stay UTC.
    public var timeZone = TimeEnvironment.defaultZoneIdentifier
    public var control = Control()
    public var central = Central()
    public var forwarding = Forwarding()
    public var session = Session()
    public var printing = Printing()
    public var payments = Payments()
    public var privacy = Privacy()
    /// The hall's name, address and hotline, printed on acceptance slips.
    public var hall = HallInfo()
    public var audit = Audit()
    /// Where Prometheus metrics are served, "HOST:PORT" (loopback by default); empty: none.
    public var metricsListen = "127.0.0.1:9477"
    /// A folder of catalog TOML files; empty means the catalog built into kioskd.
    public var catalogDirectory = ""
    /// Where the catalog comes from: the local files (`catalogDirectory`), or the centre
    /// (`GET /v1/catalog`, polled every `catalogPollSeconds`; the local files until the
    /// first good version arrives).
    public var catalogSource = CatalogVersionReport.Source.local
    public var catalogPollSeconds = 300
    public var terminals: [Terminal] = []
    /// Demo mode: Ctrl-C on the demo terminal stops the daemon. Not a file key.
    public var demo = false

    public init() {}

    public struct Control: Sendable, Equatable {
        public var readGroup = "kioskd-tech"
        public var adminGroup = "kioskd-admin"
        public var maxMessageBytes = 1_048_576
        /// Seconds a control connection may go without a complete call before it is closed.
        public var idleSeconds = 60
        /// Control connections open at once; the last eighth is kept for root.
        public var maxConnections = 256
        /// Control connections one user other than root may have open.
        public var maxConnectionsPerUser = 32
    }

    public struct Audit: Sendable, Equatable {
        /// Days an audit row is kept; older rows are deleted once a day.
        public var keepDays = 180
    }

    public struct Central: Sendable, Equatable {
        public var url = "http://127.0.0.1:8086"
        public var healthIntervalSeconds = 10
        /// This kiosk's bearer token; empty sends none (the service will refuse).
        public var token = ""
        /// How often status changes are pulled.
        public var statusSyncSeconds = 30
        /// How often the kiosk's heartbeat (`PUT /v1/kiosks/{kioskId}/heartbeat`) is sent.
        public var heartbeatSeconds = 60
    }

    public struct Forwarding: Sendable, Equatable {
        /// The first retry waits up to this long; each further one up to twice as long.
        public var retryBaseMilliseconds = 1000
        /// No retry waits longer than this.
        public var retryCapSeconds = 300
        /// Entries not delivered after this many days become dead letters.
        public var maxAgeDays = 30
        /// Requests in flight at once.
        public var parallelism = 16
        /// How long one try may take, connecting included (a service that refuses
        /// connections is retried until then).
        public var requestTimeoutSeconds = 10
        /// Failures in a row that open the circuit breaker.
        public var breakerThreshold = 5
        /// How long an open breaker holds requests back before one probe.
        public var breakerOpenSeconds = 10
    }

    public struct Session: Sendable, Equatable {
        public var escapeTimeoutMilliseconds = 50
        /// Seconds without input before the idle warning ends the session.
        public var idleSeconds = 90
        /// The last seconds of `idleSeconds`, shown as a countdown.
        public var warningSeconds = 20
        /// Elder mode multiplies the idle time by this.
        public var elderIdleFactor = 2
    }

    public struct Printing: Sendable, Equatable {
        public enum ResumePolicy: String, Sendable, Equatable, CaseIterable {
            /// A stopped queue is resumed after `resumeAfterSeconds`, and again after each
            /// such interval while it stays stopped.
            case automatic
            /// Only a technician resumes a stopped queue (`kioskctl resume ROLE`).
            case manual
        }

        /// The CUPS scheduler: its socket path, or a loopback "host:port".
        public var server = "/run/cups/cups.sock"
        /// The CUPS queue of the 80 mm receipt printer (raw ESC/POS).
        public var receiptQueue = "kiosk-receipt"
        /// The CUPS queue of the A4 document printer (PDF).
        public var documentQueue = "kiosk-document"
        public var receiptColumns = 48
        /// A TrueType font (or collection) with Chinese glyphs, embedded in documents.
        public var documentFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
        /// The face of a collection: 1 is "WenQuanYi Micro Hei Mono".
        public var documentFontFace = 1
        public var pollIntervalMilliseconds = 1000
        public var noProgressSeconds = 30
        public var resume = ResumePolicy.automatic
        public var resumeAfterSeconds = 60
        /// How long a terminal waits for "printed" or a fault before telling the citizen
        /// "printing".
        public var waitSeconds = 5
        public var purgeFinished = true
    }

    public struct Payments: Sendable, Equatable {
        /// The hall's local time at which each day's books close and the day is settled
        /// (日结): printed, forwarded to the centre. Before 12:00 it closes the day after
        /// its midnight.
        public var settlementTime = SettlementTime.standard
    }

    public struct Privacy: Sendable, Equatable {
        /// Days after an application's delivery to the centre that its personal fields
        /// stay whole here; then they are masked.
        public var personalDataDays = 30
    }

    public struct Terminal: Sendable, Equatable {
        public var name: String
        public var device: String
        public var profile = TerminalProfile.citizen
        public var asciiOnly = false
        public var colors = true
        /// The terminal draws DEC double-width/double-height lines: large glyphs in elder mode.
        public var doubleSizeLines = false
        public var columns = 80
        public var rows = 24
        /// Ask the terminal for its size (cursor position report) when the device reports none.
        public var askSize = false
        /// Serial line speed; 0 leaves the line as found.
        public var baud = 0
        public var dataBits = 8
        public var parity = "none"
        public var stopBits = 1
        public var flowControl = "none"
        /// The terminal's ID card reader's device; nil when it has none.
        public var idReader: String?
        public var idReaderBaud = 115_200

        public init(name: String, device: String, profile: TerminalProfile = .citizen) {
            self.name = name
            self.device = device
            self.profile = profile
        }
    }

    /// The database's absolute path.
    public var databasePath: String {
        database.hasPrefix("/") ? database : stateDirectory + "/" + database
    }
}
