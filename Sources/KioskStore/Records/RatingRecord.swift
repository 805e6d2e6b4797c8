import Foundation
import GRDB
import KioskCore

/// A row of `rating`: one 好差评 rating, kept for good after it is forwarded.
public struct RatingRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rating"
    public var id: String
    public var level: Int
    public var reason: String?
    public var applicationNumber: String?
    public var itemID: String?
    public var terminal: String
    public var ratedAt: Date

    init(_ rating: Rating) {
        id = rating.id.uuidString.lowercased()
        level = rating.level
        reason = rating.reason
        applicationNumber = rating.applicationNumber
        itemID = rating.itemID
        terminal = rating.terminal
        ratedAt = rating.ratedAt
    }

    var rating: Rating {
        Rating(
            id: UUID(uuidString: id)!, level: level, reason: reason, applicationNumber: applicationNumber,
            itemID: itemID, terminal: terminal, ratedAt: ratedAt
        )
    }
}
