import Foundation

/// What the acceptance slip (受理回执) says: printed when an application has been stored,
/// before it reaches the central service, so the application number on it is the
/// citizen's handle for queries until a case number exists.
///
/// `applicantName` and `applicantID` are the raw values; every template masks them.
public struct AcceptanceSlip: Sendable, Hashable {
    public var applicationNumber: String
    public var itemID: String
    public var itemName: LocalizedText
    public var applicantName: String
    public var applicantID: String
    public var submittedAt: Date
    public var timeLimitDays: Int
    public var kind: CatalogItem.Kind
    public var delivery: Delivery.Method
    public var terminal: String

    public init(
        applicationNumber: String, itemID: String, itemName: LocalizedText, applicantName: String, applicantID: String,
        submittedAt: Date, timeLimitDays: Int, kind: CatalogItem.Kind, delivery: Delivery.Method, terminal: String
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
