/// What a printer's state means for the hall: can it print, and who must act.
public struct PrinterCondition: Sendable, Hashable, Codable {
    /// Who has to do something about a fault.
    public enum Responsible: String, Sendable, Hashable, Codable, CaseIterable {
        /// Nobody: the printer works.
        case nobody
        /// Hall staff: load paper, close a door, change a roll.
        case hallStaff = "hall-staff"
        /// An engineer: a jam, a printer offline or unreachable, a stopped queue.
        case engineer
    }

    public enum Severity: String, Sendable, Hashable, Codable {
        case ok, warning, fault
    }

    public var severity: Severity
    public var responsible: Responsible
    /// The IPP printer-state-reasons that led here (without "-report/-warning/-error").
    public var reasons: [String]

    public init(severity: Severity, responsible: Responsible, reasons: [String]) {
        self.severity = severity
        self.responsible = responsible
        self.reasons = reasons
    }

    /// True when jobs can be sent and are expected to come out.
    public var canPrint: Bool { severity != .fault }

    /// The condition of a printer from its IPP `printer-state` (3 idle, 4 processing,
    /// 5 stopped) and `printer-state-reasons`, or nil state when CUPS did not answer.
    public static func from(state: Int?, reasons rawReasons: [String], accepting: Bool = true) -> PrinterCondition {
        guard let state else { return PrinterCondition(severity: .fault, responsible: .engineer, reasons: ["cups-unreachable"]) }
        var reasons: [String] = []
        var severity = Severity.ok
        var responsible = Responsible.nobody
        for raw in rawReasons where raw != "none" {
            var reason = raw
            var level = Severity.fault
            for (suffix, suffixLevel) in [("-report", Severity.ok), ("-warning", Severity.warning), ("-error", Severity.fault)]
            where reason.hasSuffix(suffix) {
                reason.removeLast(suffix.count)
                level = suffixLevel
            }
            if let known = knownReasons[reason] {
                // A reason without suffix takes the level it usually has.
                if !raw.contains("-report"), !raw.contains("-warning"), !raw.contains("-error") { level = known.level }
                if level != .ok { responsible = max(responsible, known.who) }
            } else if level == .fault {
                responsible = .engineer
            }
            reasons.append(reason)
            severity = max(severity, level)
        }
        if state == 5 || !accepting {
            // A stopped queue with a reason hall staff can fix (paper, a door) stays theirs;
            // stopped for any other reason, it needs an engineer.
            severity = .fault
            if responsible == .nobody { responsible = .engineer }
            reasons.append(state == 5 ? "queue-stopped" : "not-accepting-jobs")
        }
        return PrinterCondition(severity: severity, responsible: responsible, reasons: reasons)
    }

    /// "paused" is how CUPS shows a stopped queue, not a cause: who must act comes from
    /// the other reasons, or is the engineer when there are none (see `from`).
    private static let knownReasons: [String: (level: Severity, who: Responsible)] = [
        "media-empty": (.fault, .hallStaff), "media-needed": (.fault, .hallStaff), "media-low": (.warning, .hallStaff),
        "door-open": (.fault, .hallStaff), "cover-open": (.fault, .hallStaff), "toner-low": (.warning, .hallStaff),
        "toner-empty": (.fault, .hallStaff), "marker-supply-low": (.warning, .hallStaff),
        "marker-supply-empty": (.fault, .hallStaff), "media-jam": (.fault, .engineer), "offline": (.fault, .engineer),
        "connecting-to-device": (.warning, .engineer), "paused": (.fault, .nobody), "shutdown": (.fault, .engineer),
    ]
}

extension PrinterCondition.Severity: Comparable {
    private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

extension PrinterCondition.Responsible: Comparable {
    private var rank: Int { self == .nobody ? 0 : self == .hallStaff ? 1 : 2 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
