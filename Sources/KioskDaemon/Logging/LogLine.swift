import KioskCore
import Logging

/// The text of one log line after its time and level: the metadata as sorted `key=value`
/// pairs, then the message. Control characters (text from the centre, a terminal or a
/// socket client may carry them) are replaced first, so one event is always one line.
enum LogLine {
    static func text(message: Logger.Message, metadata: Logger.Metadata) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(clean("\($0.value)"))" }.joined(separator: " ")
        return (fields.isEmpty ? "" : fields + " ") + clean(message.description)
    }

    static func clean(_ text: String) -> String {
        UntrustedText(text).sanitized
    }
}
