import Foundation
import KioskCore
import KioskTesting
import Testing

@Suite("Storage gate")
struct StorageGateTests {
    @Test("Below min_free_mb, services that store something are paused; guides, progress and reprints stay")
    func lowStoragePausesWhatStores() {
        let low = ServiceAvailability(centralService: true, printer: true, storage: .low)
        #expect(low.blockingReason(for: .apply) == "gate.storage")
        #expect(low.blockingReason(for: .enterpriseOpening) == "gate.storage")
        #expect(low.blockingReason(for: .payBills) == "gate.storage")
        #expect(low.blockingReason(for: .rate) == "gate.storage")
        #expect(low.blockingReason(for: .serviceGuide) == nil)
        #expect(low.blockingReason(for: .caseProgress) == nil)
        #expect(low.blockingReason(for: .reprint) == nil)
        #expect(ServiceAvailability.all.blockingReason(for: .apply) == nil)
    }

    @Test("With the disk full every screen is 暂停服务 in both languages, and keys change nothing")
    func fullStorageIsOutOfService() throws {
        // Given a citizen on the home menu and a full disk
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1")
        var state = MenuState(profile: .citizen)
        let full = MenuContext(availability: ServiceAvailability(centralService: true, printer: true, storage: .full))
        _ = state.handle(.key(.enter), context: MenuContext())
        // When it is drawn / Then it says why, in both languages
        let lines = view.render(state, context: full).lines
        let text = lines.joined(separator: "\n")
        #expect(text.contains("暂停服务") && text.contains("Out of service"))
        #expect(text.contains("本机存储空间已满") && text.contains("storage is full"))
        #expect(!text.contains("办事指南"))
        // When keys are pressed / Then nothing happens
        #expect(state.handle(.key(.character("1")), context: full).isEmpty)
        #expect(state.screen == .home)
    }
}
