/// What outside things are working now; services that need one that is not are shown
/// dimmed with the reason, and cannot be opened.
public struct ServiceAvailability: Sendable, Hashable {
    public var centralService: Bool
    public var printer: Bool
    /// Room left for the kiosk's records: below `[daemon] min_free_mb` nothing new is
    /// taken; full, the terminals are out of service until space returns.
    public var storage: StorageState

    public init(centralService: Bool, printer: Bool, storage: StorageState = .ok) {
        self.centralService = centralService
        self.printer = printer
        self.storage = storage
    }

    public static let all = ServiceAvailability(centralService: true, printer: true)

    /// Why `item` cannot be used now, as a localization key, or nil when it can.
    public func blockingReason(for item: ServiceItem) -> String? {
        let needs = item.requirements
        if needs.contains(.centralService), !centralService { return "gate.central" }
        if needs.contains(.printer), !printer { return "gate.printer" }
        if needs.contains(.storage), storage != .ok { return "gate.storage" }
        return nil
    }
}

/// Something a service needs in order to be offered.
public enum ServiceRequirement: Sendable, Hashable {
    case centralService
    case printer
    /// It stores something (an application, a payment, a rating) that must fit.
    case storage
}

/// How much room the kiosk has for its records, as the storage monitor last saw it.
public enum StorageState: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    /// Below `min_free_mb`: what is stored already fits; nothing new is taken.
    case low
    /// A write failed for lack of space, or almost nothing is free: out of service.
    case full
}

extension ServiceItem {
    /// What the service needs: live answers need the central service, paper needs the
    /// printer. The guide works offline and only its printing needs the printer.
    /// Applications need neither: they are stored and forwarded when the service answers,
    /// and the slip prints when the printer can (its number is on screen either way).
    public var requirements: Set<ServiceRequirement> {
        switch self {
        case .serviceGuide: []
        case .rate: [.storage]
        case .socialInsurance: [.centralService]
        // Answered from the last known status when the service is down.
        case .caseProgress: []
        case .payBills: [.centralService, .printer, .storage]
        case .apply, .enterpriseOpening: [.storage]
        case .reprint: [.printer]
        }
    }
}
