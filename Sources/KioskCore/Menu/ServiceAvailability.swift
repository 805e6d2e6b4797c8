/// What outside things are working now; services that need one that is not are shown
/// dimmed with the reason, and cannot be opened.
public struct ServiceAvailability: Sendable, Hashable {
    public var centralService: Bool
    public var printer: Bool

    public init(centralService: Bool, printer: Bool) {
        self.centralService = centralService
        self.printer = printer
    }

    public static let all = ServiceAvailability(centralService: true, printer: true)

    /// Why `item` cannot be used now, as a localization key, or nil when it can.
    public func blockingReason(for item: ServiceItem) -> String? {
        let needs = item.requirements
        if needs.contains(.centralService), !centralService { return "gate.central" }
        if needs.contains(.printer), !printer { return "gate.printer" }
        return nil
    }
}

/// Something a service needs in order to be offered.
public enum ServiceRequirement: Sendable, Hashable {
    case centralService
    case printer
}

extension ServiceItem {
    /// What the service needs: live answers need the central service, paper needs the
    /// printer. The guide works offline and only its printing needs the printer.
    /// Applications need neither: they are stored and forwarded when the service answers,
    /// and the slip prints when the printer can (its number is on screen either way).
    public var requirements: Set<ServiceRequirement> {
        switch self {
        case .serviceGuide, .rate: []
        case .socialInsurance: [.centralService]
        // Answered from the last known status when the service is down.
        case .caseProgress: []
        case .payBills: [.centralService, .printer]
        case .apply, .enterpriseOpening: []
        case .reprint: [.printer]
        }
    }
}
