#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import Logging

/// Writes log lines to standard error (journald under systemd) with the time as the hall
/// reads it: "2026-11-23T14:05:09+08:00 notice kioskd: terminal=hall-1 terminal open".
///
/// The process's own TZ plays no part, so a technician reading the log and a citizen's slip
/// agree on the time. Every line is one `write(2)`, so lines from different threads never
/// interleave; control characters in messages and metadata (which may carry text from the
/// centre or a terminal) are replaced before they reach the log.
public struct HallLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let source: any TimeSource
    private let format: HallTimeFormat

    public init(label: String, time source: any TimeSource, timeZone: TimeZone) {
        self.label = label
        self.source = source
        format = HallTimeFormat(timeZone: timeZone)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        let text = format.timestamp(self.source.wallNow) + " \(event.level) \(label): "
            + LogLine.text(message: event.message, metadata: all) + "\n"
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
    }
}
