import Foundation

extension TimeEnvironment {
    /// How the hall writes a moment (its zone, to the minute or the second).
    public var format: HallTimeFormat { HallTimeFormat(timeZone: timeZone) }

    /// "2026-11-23 14:05" in the hall's zone.
    public func hallMinute(_ date: Date) -> String { format.minute(date) }
}
