#if canImport(Glibc)
import Glibc
#endif
import KioskCore
import Logging

/// Writes log entries to journald over its native protocol, one datagram per entry, so
/// each carries its own priority and, for the events in `LogMessageKind`, a `MESSAGE_ID`
/// that `systemd/kioskd.catalog` explains.
///
/// Fields: `MESSAGE` (metadata and message, as on standard error but without time and
/// level: journald stamps its own), `PRIORITY` (syslog's 2…7), `SYSLOG_IDENTIFIER=kioskd`,
/// `MESSAGE_ID` when the metadata names an event, `KIOSKD_LOGGER` and one `KIOSKD_<KEY>`
/// field per metadata key, and the `CODE_*` fields of the call. Values have their control
/// characters replaced, like every log line. An entry the journal does not take (journald
/// stopped, an entry too large) goes to standard error instead, so nothing is lost silently.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let journal: JournalConnection
    private let fallback: HallLogHandler

    public init(label: String, journal: JournalConnection, fallback: HallLogHandler) {
        self.label = label
        self.journal = journal
        self.fallback = fallback
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        var fields: [(String, String)] = [
            ("MESSAGE", LogLine.text(message: event.message, metadata: all)),
            ("PRIORITY", String(Self.priority(event.level))),
            ("SYSLOG_IDENTIFIER", journal.identifier),
        ]
        if case .string(let name)? = all[LogMessageKind.metadataKey], let kind = LogMessageKind(rawValue: name) {
            fields.append(("MESSAGE_ID", kind.messageID))
        }
        fields.append(("KIOSKD_LOGGER", LogLine.clean(label)))
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            if let name = JournalFields.name(forMetadataKey: key) { fields.append((name, LogLine.clean("\(value)"))) }
        }
        fields.append(("CODE_FILE", event.file))
        fields.append(("CODE_LINE", String(event.line)))
        fields.append(("CODE_FUNC", event.function))
        if !journal.send(JournalFields.datagram(fields)) {
            var fallback = fallback
            fallback.metadata = metadata
            fallback.log(event: event)
        }
    }

    /// syslog's priorities, as journald files them: `journalctl -p warning` shows 0…4.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
