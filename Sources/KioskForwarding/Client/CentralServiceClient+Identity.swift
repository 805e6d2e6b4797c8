import CaseServiceAPI
import Foundation
import KioskCore
import OpenAPIRuntime

extension CentralServiceClient {
    /// Asks the centre to send a one-time code to the phone on file for `idNumber` (in the
    /// body, never in the URL).
    public func requestCode(idNumber: String, now: Date) async -> CodeRequestAnswer {
        do {
            switch try await client.createIdentityChallenge(body: .json(.init(idNumber: idNumber))) {
            case .created(let created):
                let challenge = try created.body.json
                guard let id = UUID(uuidString: challenge.challengeId) else { return .unavailable }
                return .sent(CodeChallenge(id: id, maskedPhone: challenge.maskedPhone, expiresAt: challenge.expiresAt))
            // An ID the contract cannot hold (400) has no phone on file either.
            case .notFound, .badRequest:
                return .noPhone
            case .tooManyRequests(let locked):
                return .locked(until: Self.until(locked.headers.retryAfter, now))
            default:
                return .unavailable
            }
        } catch {
            return .unavailable
        }
    }

    /// Asks the centre whether `code` is the one it sent for `challenge`.
    public func verifyCode(_ code: String, challenge: CodeChallenge, idNumber: String, now: Date) async -> CodeVerifyAnswer {
        do {
            switch try await client.verifyIdentityChallenge(
                path: .init(challengeId: challenge.id.uuidString.lowercased()), body: .json(.init(code: code))
            ) {
            case .ok(let ok):
                let proof = try ok.body.json
                return .proved(CodeProof(idNumber: idNumber, token: proof.proofToken, expiresAt: proof.expiresAt))
            case .unprocessableContent(let wrong):
                let problem = try wrong.body.applicationProblemJson
                return .wrong(attemptsLeft: max(0, problem.attemptsLeft))
            case .gone, .notFound, .badRequest:
                return .expired
            case .tooManyRequests(let locked):
                return .locked(until: Self.until(locked.headers.retryAfter, now))
            default:
                return .unavailable
            }
        } catch {
            return .unavailable
        }
    }

    /// The body's proof of who asks: a card read at the kiosk, or a verified code's token.
    static func evidence(_ proof: IdentityCredential) -> Components.Schemas.IdentityEvidence {
        switch proof {
        case .card: .init(method: .idCard)
        case .code(let token): .init(method: .oneTimeCode, token: token)
        }
    }

    private static func until(_ retryAfter: String?, _ now: Date) -> Date? {
        RetryAfter.parse(retryAfter, now: now).map { now.addingTimeInterval($0.timeInterval) }
    }
}
