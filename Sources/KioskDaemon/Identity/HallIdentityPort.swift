import Foundation
import KioskCore
import KioskForwarding
import KioskTerminal

/// The terminals' one identity port in the daemon: the cards the readers read (the hub)
/// and the one-time codes the centre sends (the client for live questions). Nothing here is
/// logged or stored: the ID, the phone, the code and the token pass through in memory.
struct HallIdentityPort: IdentityPort {
    let cards: IdentityCardHub
    let client: CentralServiceClient
    let time: TimeEnvironment

    func cards(for terminal: String) -> AsyncStream<CardIdentity> {
        cards.cards(for: terminal)
    }

    func requestCode(idNumber: String) async -> CodeRequestAnswer {
        await client.requestCode(idNumber: idNumber, now: time.wallNow)
    }

    func verifyCode(_ code: String, challenge: CodeChallenge, idNumber: String) async -> CodeVerifyAnswer {
        await client.verifyCode(code, challenge: challenge, idNumber: idNumber, now: time.wallNow)
    }
}
