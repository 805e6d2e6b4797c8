import Foundation

/// What an acceptance slip (受理回执) prints for one application: the terminal-issued
/// number the citizen quotes later, the item, and who applied. `applicantName` and
/// `applicantID` are raw; every template masks them before they reach paper.
public struct AcceptanceSlip: Sendable, Hashable {
    public var applicationNumber: String
    public var itemID: String
    public var itemName: LocalizedText
    public var applicantName: String
    public var applicantID: String
    public var submittedAt: Date
    public var timeLimitDays: Int
    public var kind: CatalogItem.Kind
    /// "pickup" or "ems".
    public var delivery: String
    public var terminal: String

    public init(
        applicationNumber: String, itemID: String, itemName: LocalizedText, applicantName: String, applicantID: String,
        submittedAt: Date, timeLimitDays: Int, kind: CatalogItem.Kind, delivery: String, terminal: String
    ) {
        self.applicationNumber = applicationNumber
        self.itemID = itemID
        self.itemName = itemName
        self.applicantName = applicantName
        self.applicantID = applicantID
        self.submittedAt = submittedAt
        self.timeLimitDays = timeLimitDays
        self.kind = kind
        self.delivery = delivery
        self.terminal = terminal
    }
}
