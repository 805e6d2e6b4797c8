/// The events a technician may need to find in the journal, each with a stable
/// `MESSAGE_ID` (a 128-bit id in journald's catalog format) and the log level it is logged at.
///
/// A log call names its event in the metadata key `event` (`LogMessageKind.metadataKey`)
/// with the raw value; the journal handler turns it into `MESSAGE_ID=`, and
/// `systemd/kioskd.catalog` explains each id (`journalctl -x`). The ids never change once
/// shipped: monitoring and the catalog match on them.
public enum LogMessageKind: String, CaseIterable, Sendable {
    case started = "started"
    case stopping = "stopping"
    case reloaded = "reloaded"
    case reloadRefused = "reload-refused"
    case printerFault = "printer-fault"
    case printerRecovered = "printer-recovered"
    case printJobFailed = "print-job-failed"
    case deadLetter = "dead-letter"
    case terminalFailure = "terminal-failure"
    case idReaderFailure = "id-reader-failure"
    case centralUnreachable = "central-unreachable"
    case centralReachable = "central-reachable"
    case storageLow = "storage-low"
    case storageFull = "storage-full"
    case settlementMismatch = "settlement-mismatch"
    case ledgerMismatch = "ledger-mismatch"
    case auditLost = "audit-lost"

    /// The metadata key that carries the event's raw value on a log line.
    public static let metadataKey = "event"

    /// The journal's `MESSAGE_ID`: 32 lowercase hex digits, as `journalctl --catalog` lists it.
    public var messageID: String {
        switch self {
        case .started: "98658bb0e7524b0bab6d4f795c627028"
        case .stopping: "bb9450eccfb84219b761f72f38654a3c"
        case .reloaded: "c5e41cae52cb40bf9208c82bf74afc8d"
        case .reloadRefused: "cf25ebf3dfc849328fe70ddcdb2e482d"
        case .printerFault: "31a29c6aa11c4de9a6f190db7bc38b3f"
        case .printerRecovered: "88625f1c7c89401ca037c1b18b34c9cb"
        case .printJobFailed: "fbabe5159f444850a61443f0eb1650a9"
        case .deadLetter: "ac814f08c3c64b439af298cf6861da2b"
        case .terminalFailure: "e912a2cc10e04e6eaa29b2e82e5b7342"
        case .idReaderFailure: "585ba078f8e94908aba2a339e824333c"
        case .centralUnreachable: "54535020b8ce406ea3d0073df9d38c8d"
        case .centralReachable: "fd9ba9d108ef4267adf6ca23662f6da5"
        case .storageLow: "fa94a00440434890a9ba36eb31e5e024"
        case .storageFull: "dce43c3d698947b481381abcac14631e"
        case .settlementMismatch: "239d88c3c4484974b0c2c58a5a52c2dd"
        case .ledgerMismatch: "ea1822b16c744f9e80f9fb4b435cda4e"
        case .auditLost: "8aed5a24cda64a009f337374966e78f3"
        }
    }

    /// Whether the event needs someone: those are logged at warning or above, so
    /// `journalctl -p warning -u kioskd` lists them and nothing routine.
    public var needsAttention: Bool {
        switch self {
        case .started, .stopping, .reloaded, .printerRecovered, .centralReachable: false
        case .reloadRefused, .printerFault, .printJobFailed, .deadLetter, .terminalFailure, .idReaderFailure,
             .centralUnreachable, .storageLow, .storageFull, .settlementMismatch, .ledgerMismatch, .auditLost: true
        }
    }
}
