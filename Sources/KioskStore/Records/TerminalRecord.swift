import Foundation
import GRDB

/// A row of `terminal`: every terminal the daemon has driven.
public struct TerminalRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "terminal"
    public var name: String
    public var profile: String
    public var device: String
    public var firstSeenAt: Date
    public var lastSeenAt: Date
}

extension KioskDatabase {
    /// Records that the daemon drives these terminals; afterwards each has a row whose
    /// profile and device are the ones given and whose `lastSeenAt` is `date`.
    public func registerTerminals(_ terminals: [(name: String, profile: String, device: String)], at date: Date) throws {
        try write { db in
            for terminal in terminals {
                if var record = try TerminalRecord.fetchOne(db, key: terminal.name) {
                    record.profile = terminal.profile
                    record.device = terminal.device
                    record.lastSeenAt = date
                    try record.update(db)
                } else {
                    try TerminalRecord(
                        name: terminal.name, profile: terminal.profile, device: terminal.device,
                        firstSeenAt: date, lastSeenAt: date
                    ).insert(db)
                }
            }
        }
    }

    /// Every terminal ever registered, by name.
    public func terminals() throws -> [TerminalRecord] {
        try read { db in try TerminalRecord.order(Column("name")).fetchAll(db) }
    }
}
