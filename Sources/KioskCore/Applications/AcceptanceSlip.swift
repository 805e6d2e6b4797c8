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
    /// The department that handles the item.
    public var department: LocalizedText
    public var feeFen: Int64
    /// 零材料: the item asks for no materials.
    public var zeroMaterial: Bool
    /// The materials the item asks for: with `consentToGaps`, the ones still to bring.
    public var materials: [LocalizedText]
    /// Accepted with gaps against the applicant's commitment (容缺受理).
    public var consentToGaps: Bool
    /// A bundle's sub-items chosen, with the catalog's names and departments.
    public var subItems: [SubItem]
    /// The kind of desk that accepted it: a bank desk's slip says "到本网点领取".
    public var profile: TerminalProfile

    /// Working days after submission by which the materials of an application accepted
    /// with gaps must be brought.
    public static let gapWorkingDays = 5

    public init(
        applicationNumber: String, itemID: String, itemName: LocalizedText, applicantName: String, applicantID: String,
        submittedAt: Date, timeLimitDays: Int, kind: CatalogItem.Kind, delivery: Delivery.Method, terminal: String,
        department: LocalizedText = LocalizedText(chinese: "", english: ""), feeFen: Int64 = 0, zeroMaterial: Bool = false,
        materials: [LocalizedText] = [], consentToGaps: Bool = false, subItems: [SubItem] = [], profile: TerminalProfile = .citizen
    ) {
        self.subItems = subItems
        self.profile = profile
        self.department = department
        self.feeFen = feeFen
        self.zeroMaterial = zeroMaterial
        self.materials = materials
        self.consentToGaps = consentToGaps
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
