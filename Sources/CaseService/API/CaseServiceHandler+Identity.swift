import CaseServiceAPI
import Foundation
import OpenAPIRuntime

/// One-time codes: a challenge sends a code to the phone on file, a verification checks it
/// and answers a proof token; the person is locked after `IdentitySettings.maximumWrongCodes`
/// wrong codes in a row (429 with Retry-After until the lock ends).
extension CaseServiceHandler {
    func createIdentityChallenge(_ input: Operations.CreateIdentityChallenge.Input) async throws
        -> Operations.CreateIdentityChallenge.Output
    {
        guard case .json(let request) = input.body else { return .badRequest(problem(400, "Unsupported body")) }
        try ContractLimits.check { $0.length(request.idNumber, "idNumber", min: 18, max: 18) }
        let now = Date()
        switch try await store.challenge(idNumber: request.idNumber, kiosk: kiosk, settings: identity, now: now) {
        case .sent(let challengeId, let maskedPhone, let expiresAt):
            switches.count { $0.identityChallenges += 1 }
            return .created(.init(body: .json(.init(challengeId: challengeId, maskedPhone: maskedPhone, expiresAt: expiresAt))))
        case .noPhone:
            return .notFound(problem(404, "No phone on file for this person"))
        case .locked(let until):
            return .tooManyRequests(locked(until, now))
        }
    }

    func verifyIdentityChallenge(_ input: Operations.VerifyIdentityChallenge.Input) async throws
        -> Operations.VerifyIdentityChallenge.Output
    {
        guard case .json(let request) = input.body else { return .badRequest(problem(400, "Unsupported body")) }
        try ContractLimits.check {
            $0.uuid(input.path.challengeId, "challengeId")
            $0.digits(request.code, "code", count: 6)
        }
        let now = Date()
        switch try await store.verify(challengeId: input.path.challengeId, code: request.code, kiosk: kiosk, settings: identity, now: now) {
        case .proved(let token, let expiresAt):
            return .ok(.init(body: .json(.init(proofToken: token, expiresAt: expiresAt))))
        case .wrong(let left):
            switches.count { $0.identityWrongCodes += 1 }
            let problem = ContractProblem.ruleBroken("Wrong code", detail: "\(left) attempts left before the lock.")
            return .unprocessableContent(.init(body: .applicationProblemJson(.init(
                _type: problem.type, title: problem.title, status: 422, detail: problem.detail, attemptsLeft: left
            ))))
        case .gone:
            return .gone(problem(410, "The code expired, was used or was replaced; ask for a new one"))
        case .notFound:
            return .notFound(problem(404, "No such challenge"))
        case .locked(let until):
            switches.count { $0.identityWrongCodes += 1 }
            return .tooManyRequests(locked(until, now))
        }
    }

    /// Whether a lookup's proof holds for `idNumber`: a one-time code's token must be this
    /// kiosk's, for this person and unexpired; a card read at the kiosk is the kiosk's word.
    func proofHolds(_ proof: Components.Schemas.IdentityEvidence, idNumber: String) async throws -> Bool {
        switch proof.method {
        case .idCard:
            return true
        case .oneTimeCode:
            guard let token = proof.token else { return false }
            return try await store.proofHolds(token: token, idNumber: idNumber, kiosk: kiosk, now: Date())
        }
    }

    private func locked(_ until: Date, _ now: Date) -> Components.Responses.RetryLater {
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        return .init(
            headers: .init(retryAfter: String(seconds)),
            body: .applicationProblemJson(ContractProblem.status(
                429, title: "Too many wrong codes: the person is locked", detail: "Try again in \(seconds) s."
            ).contract)
        )
    }
}
