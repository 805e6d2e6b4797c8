import Foundation

/// A service that shows a person's own data, and so asks who the citizen is first.
public enum ProvedService: Sendable, Hashable {
    /// Social insurance and housing fund.
    case insurance
}

extension MenuState {
    /// The proof of this session while it holds at `now` (a code's token expires).
    public func proof(at now: Date) -> IdentityProof? {
        proof.flatMap { $0.holds(at: now) ? $0 : nil }
    }

    /// The one-time code flow on the screen, if any.
    public var codeFlow: OneTimeCodeFlow? {
        if case .oneTimeCode(let flow, _) = screen { flow } else { nil }
    }

    /// A card laid on the reader: it starts a session from the attract screen, proves the
    /// person for the rest of the session, and fills the identity fields of an open form
    /// (each still confirmed with Enter). On the screens that ask for proof it goes on to
    /// the service asked for. A card read while the menu waits for an answer is kept as
    /// proof only.
    mutating func handleIdentity(_ identity: CardIdentity) -> [MenuEffect] {
        var effects: [MenuEffect] = []
        if screen == .attract { effects += wake() }
        idleWarning = nil
        proof = .card(identity)
        switch screen {
        case .form(var current, let waiting) where !waiting:
            current.fill(with: identity)
            screen = .form(current, waiting: false)
            notice = "identity.filled"
        case .proveIdentity(let service):
            open(service, provedBy: .card(identity))
            notice = "identity.filled"
        case .oneTimeCode(let flow, let service) where flow.phase != .requesting && flow.phase != .verifying:
            goBack()
            open(service, provedBy: .card(identity))
            notice = "identity.filled"
        default:
            notice = "identity.read"
        }
        return effects
    }

    /// Opens a service that shows personal data: its form, with the proved person's ID
    /// (and, from a card, name) filled in; or, without proof, the screen offering the two
    /// ways to prove it.
    mutating func openProved(_ service: ProvedService, _ context: MenuContext) {
        push(.proveIdentity(service))
        if let proof = proof(at: context.now) { open(service, provedBy: proof) }
    }

    /// Replaces the proof screen on top with the service's form, filled from `proof`.
    private mutating func open(_ service: ProvedService, provedBy proof: IdentityProof) {
        switch service {
        case .insurance:
            var form = Self.insuranceForm
            switch proof {
            case .card(let card): form.fill(with: card)
            case .code(let code): form.fill(idNumber: code.idNumber)
            }
            replaceTop(with: .form(form))
        }
    }

    static var insuranceForm: ApplicationForm {
        ApplicationForm(purpose: .insurance, fields: [
            FormField(id: FormFieldID.applicantID, type: .residentID, label: .empty, required: true, labelKey: "insurance.id"),
            FormField(id: FormFieldID.applicantName, type: .text, label: .empty, required: true, maxLength: 20, labelKey: "insurance.name"),
        ])
    }

    /// The insurance lookup for the form's person, with the session's proof; nil (and the
    /// citizen told why) when the proof is gone or is someone else's.
    mutating func insuranceLookup(_ form: ApplicationForm, _ context: MenuContext) -> MenuEffect? {
        let idNumber = form.values[FormFieldID.applicantID] ?? ""
        guard let proof = proof(at: context.now) else {
            // The code's proof expired while the form was filled: prove again.
            self.proof = nil
            replaceTop(with: .proveIdentity(.insurance))
            notice = "identity.expired"
            return nil
        }
        guard proof.idNumber == idNumber else {
            notice = "identity.mismatch"
            return nil
        }
        return .lookupInsurance(idNumber: idNumber, name: form.values[FormFieldID.applicantName] ?? "", proof: proof.credential)
    }

    /// The insurance summary on screen: `1` (or P) prints it as a certificate for the
    /// proved person; the other keys leave as on every result.
    mutating func handleInsuranceResult(_ summary: InsuranceSummary, _ key: Key, _ context: MenuContext) -> [MenuEffect] {
        switch key {
        case .character("1"), .character("p"), .character("P"):
            guard context.availability.printer else {
                notice = "print.unavailable"
                return []
            }
            notice = "print.sent"
            return [.printCertificate(InsuranceCertificate(summary: summary, idNumber: proof?.idNumber ?? ""))]
        case .escape, .backspace, .enter:
            goBack()
        case .character("0"), .home:
            goHome()
        default:
            break
        }
        return []
    }

    mutating func handleProveIdentity(_ service: ProvedService, _ key: Key, _ context: MenuContext) -> [MenuEffect] {
        switch key {
        case .character("1"), .enter:
            guard context.availability.centralService else {
                notice = "otp.unavailable"
                return []
            }
            push(.oneTimeCode(OneTimeCodeFlow(resendAt: codeResendAt), for: service))
        case .character("0"), .home:
            goHome()
        case .escape, .backspace:
            goBack()
        default:
            break
        }
        return []
    }

    mutating func handleCodeKey(_ flow: OneTimeCodeFlow, _ service: ProvedService, _ key: Key, _ context: MenuContext) -> [MenuEffect] {
        if key == .home {
            goHome()
            return []
        }
        var flow = flow
        let action = flow.handle(.key(key), now: context.now, today: context.today)
        screen = .oneTimeCode(flow, for: service)
        codeResendAt = flow.resendAt
        return perform(action, service)
    }

    mutating func handleCodeAnswer(_ event: MenuEvent, _ context: MenuContext) -> [MenuEffect] {
        guard case .oneTimeCode(var flow, let service) = screen else { return [] }
        let action: OneTimeCodeFlow.Action?
        switch event {
        case .codeRequested(let answer): action = flow.handle(.sent(answer), now: context.now, today: context.today)
        case .codeChecked(let answer): action = flow.handle(.checked(answer), now: context.now, today: context.today)
        default: return []
        }
        screen = .oneTimeCode(flow, for: service)
        codeResendAt = flow.resendAt
        return perform(action, service)
    }

    private mutating func perform(_ action: OneTimeCodeFlow.Action?, _ service: ProvedService) -> [MenuEffect] {
        switch action {
        case nil:
            return []
        case .request(let idNumber):
            return [.requestCode(idNumber: idNumber)]
        case .verify(let challenge, let code, let idNumber):
            return [.verifyCode(challenge, code: code, idNumber: idNumber)]
        case .proved(let code):
            proof = .code(code)
            goBack()
            open(service, provedBy: .code(code))
            notice = "otp.proved"
            return []
        case .leave:
            goBack()
            return []
        }
    }
}
