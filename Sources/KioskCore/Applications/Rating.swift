import Foundation

/// A citizen's rating of a service (好差评): five levels, an optional reason, stored with
/// the application or the session it belongs to and forwarded like an application.
public struct Rating: Sendable, Hashable, Identifiable {
    public var id: UUID
    /// 1 (very dissatisfied) … 5 (very satisfied).
    public var level: Int
    public var reason: String?
    public var applicationNumber: String?
    public var itemID: String?
    public var terminal: String
    public var ratedAt: Date

    public init(
        id: UUID, level: Int, reason: String?, applicationNumber: String?, itemID: String?, terminal: String, ratedAt: Date
    ) {
        precondition((1...5).contains(level))
        self.id = id
        self.level = level
        self.reason = reason
        self.applicationNumber = applicationNumber
        self.itemID = itemID
        self.terminal = terminal
        self.ratedAt = Date(timeIntervalSince1970: ratedAt.timeIntervalSince1970.rounded(.down))
    }
}
