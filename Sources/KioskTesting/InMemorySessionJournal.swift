import Foundation
import KioskCore

/// A session journal that keeps its records in memory, for unit tests of the sessions.
public actor InMemorySessionJournal: SessionJournal {
    public enum Entry: Sendable, Hashable {
        case started(terminal: String)
        case ended(terminal: String, reason: SessionEndReason)
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public func sessionStarted(terminal: String, at date: Date) {
        entries.append(.started(terminal: terminal))
    }

    public func sessionEnded(terminal: String, reason: SessionEndReason, at date: Date) {
        entries.append(.ended(terminal: terminal, reason: reason))
    }
}
