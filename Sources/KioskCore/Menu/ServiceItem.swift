/// A service a terminal offers from its home menu.
public enum ServiceItem: String, Sendable, Hashable, CaseIterable {
    case serviceGuide = "service-guide"
    case caseProgress = "case-progress"
    case socialInsurance = "social-insurance"
    case payBills = "pay-bills"
    case apply = "apply"
    case enterpriseOpening = "enterprise-opening"
    case reprint = "reprint"
    case rate = "rate"

    /// The home menu of a profile, in display order.
    public static func homeMenu(for profile: TerminalProfile) -> [ServiceItem] {
        switch profile {
        case .citizen: [.serviceGuide, .caseProgress, .socialInsurance, .payBills, .apply, .reprint, .rate]
        case .enterprise: [.enterpriseOpening, .serviceGuide, .caseProgress, .reprint, .rate]
        }
    }

    /// The localization key of the item's title.
    public var titleKey: String { "service.\(rawValue)" }
}
