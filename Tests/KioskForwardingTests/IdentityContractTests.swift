import CaseService
import Foundation
import KioskCore
import KioskForwarding
import KioskSigning
import KioskTesting
import Testing

/// One-time codes between kioskd's client and the real case-service over loopback: the
/// challenge, the verification, the proof the lookups carry, the lock.
@Suite("One-time codes at the centre")
struct IdentityContractTests {
    static let zhangSan = "11010519491231002X"
    static let liSi = "110101199003074477"

    @Test("A code sent to the phone on file and typed right earns a token that opens the lookup; a made-up or foreign token is refused")
    func rightCodeOpensTheLookup() async throws {
        let directory = try TemporaryDirectory()
        let configuration = CaseServiceApplication.Configuration(tokens: ["demo-token": "hall-a", "other-token": "hall-b"])
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            let kiosk = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let other = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "other-token")
            // Given a code sent for 张三, whose phone is on file
            guard case .sent(let challenge) = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("no code sent")
                return
            }
            // Then the kiosk learns only the masked phone
            #expect(challenge.maskedPhone == "138****5678")
            #expect(challenge.expiresAt > Date())
            // When the lookup carries a made-up token / Then the centre refuses it
            #expect(await kiosk.insuranceSummary(idNumber: Self.zhangSan, name: "张三", proof: .code(token: "made-up")) == .proofRefused)
            // When the right code is typed
            let code = try #require(try await harness.lastCode())
            guard case .proved(let proof) = await kiosk.verifyCode(code, challenge: challenge, idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("the right code did not prove")
                return
            }
            // Then its token opens 张三's lookup at this kiosk
            guard case .found(let summary) = await kiosk.insuranceSummary(idNumber: Self.zhangSan, name: "张三", proof: .code(token: proof.token))
            else {
                Issue.record("lookup refused with the proof")
                return
            }
            #expect(summary.nameMasked == "张*" && summary.housingBalanceFen == 12_345_600)
            // And not another person's, nor at another kiosk
            #expect(await kiosk.insuranceSummary(idNumber: Self.liSi, name: "李四", proof: .code(token: proof.token)) == .proofRefused)
            #expect(await other.insuranceSummary(idNumber: Self.zhangSan, name: "张三", proof: .code(token: proof.token)) == .proofRefused)
            // And the used code does not work twice
            #expect(await kiosk.verifyCode(code, challenge: challenge, idNumber: Self.zhangSan, now: Date()) == .expired)
            // And a card read at the kiosk is taken on the kiosk's word
            guard case .found = await kiosk.insuranceSummary(idNumber: Self.liSi, name: "李四", proof: .card) else {
                Issue.record("card proof refused")
                return
            }
        }
    }

    @Test("An application proved by a code names the token's digest; the centre takes it for its applicant and refuses a made-up one")
    func applicationCarriesTheProofDigest() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            let kiosk = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            // Given 张三 proved by a code
            guard case .sent(let challenge) = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()),
                  case .proved(let proof) = await kiosk.verifyCode(
                      try #require(try await harness.lastCode()), challenge: challenge, idNumber: Self.zhangSan, now: Date()
                  )
            else {
                Issue.record("not proved")
                return
            }
            let digest = LedgerHex.encode(SwiftCryptoHashing().sha256(Array(proof.token.utf8)))
            func application(_ id: String, _ digest: String) -> Application {
                Application(
                    id: UUID(), number: "A261202-\(Int.random(in: 10000...99999))-K", itemID: "resident-pension-claim",
                    terminal: "hall-1", values: ["applicant-id": id, "mobile": "13812345678"], subItems: [],
                    delivery: Delivery(method: .pickup, address: nil), consentToGaps: false, needsReview: false, submittedAt: Date(),
                    identityProof: ApplicationProof(method: .code, tokenDigest: digest)
                )
            }
            // When 张三's application carries the digest / Then the centre opens a case
            guard case .delivered = await kiosk.submit(application(Self.zhangSan, digest), now: Date()) else {
                Issue.record("a proved application was not delivered")
                return
            }
            // When another person's application, or a made-up digest, is sent / Then it is refused (422)
            for refused in [application(Self.liSi, digest), application(Self.zhangSan, String(repeating: "0", count: 64))] {
                guard case .refused = await kiosk.submit(refused, now: Date()) else {
                    Issue.record("an application whose proof does not hold was not refused")
                    return
                }
            }
        }
    }

    @Test("Five wrong codes lock the person: 429 with Retry-After for verifications and new codes, and the right code stops working")
    func fiveWrongCodesLock() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            let kiosk = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            // Given a code sent for 李四
            guard case .sent(let challenge) = await kiosk.requestCode(idNumber: Self.liSi, now: Date()) else {
                Issue.record("no code sent")
                return
            }
            let code = try #require(try await harness.lastCode())
            let wrong = code == "000000" ? "111111" : "000000"
            // When four wrong codes are typed / Then each says the attempts left
            for left in [4, 3, 2, 1] {
                #expect(await kiosk.verifyCode(wrong, challenge: challenge, idNumber: Self.liSi, now: Date()) == .wrong(attemptsLeft: left))
            }
            // When the fifth is typed / Then the person is locked for 15 minutes
            let now = Date()
            guard case .locked(let until?) = await kiosk.verifyCode(wrong, challenge: challenge, idNumber: Self.liSi, now: now) else {
                Issue.record("not locked")
                return
            }
            #expect(abs(until.timeIntervalSince(now) - 900) < 5)
            // And the right code does not work, nor does a new code get sent
            guard case .locked = await kiosk.verifyCode(code, challenge: challenge, idNumber: Self.liSi, now: Date()),
                  case .locked = await kiosk.requestCode(idNumber: Self.liSi, now: Date())
            else {
                Issue.record("the lock did not hold")
                return
            }
            // And another person is not affected
            guard case .sent = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("another person was locked too")
                return
            }
            let statistics = try await harness.statistics()
            #expect(statistics.identityWrongCodes == 6 && statistics.identityChallenges == 2)
        }
    }

    @Test("No phone on file, an expired code, a newer code: each answered as the contract says")
    func noPhoneExpiredAndReplaced() async throws {
        let directory = try TemporaryDirectory()
        let configuration = CaseServiceApplication.Configuration(identity: IdentitySettings(codeLifetime: 0))
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            let kiosk = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            // Given 王五, who has no phone on file / Then no code can be sent
            #expect(await kiosk.requestCode(idNumber: "440308199901011234", now: Date()) == .noPhone)
            // Given codes that expire at once / When one is typed / Then it has expired (410)
            guard case .sent(let challenge) = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("no code sent")
                return
            }
            let code = try #require(try await harness.lastCode())
            #expect(await kiosk.verifyCode(code, challenge: challenge, idNumber: Self.zhangSan, now: Date()) == .expired)
        }
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            let kiosk = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            // Given a code, then a newer one for the same person
            guard case .sent(let first) = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("no code sent")
                return
            }
            let firstCode = try #require(try await harness.lastCode())
            guard case .sent(let second) = await kiosk.requestCode(idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("no second code")
                return
            }
            // Then the first code no longer works and the newer one does
            #expect(await kiosk.verifyCode(firstCode, challenge: first, idNumber: Self.zhangSan, now: Date()) == .expired)
            let secondCode = try #require(try await harness.lastCode())
            guard case .proved = await kiosk.verifyCode(secondCode, challenge: second, idNumber: Self.zhangSan, now: Date()) else {
                Issue.record("the newer code did not prove")
                return
            }
        }
    }
}
