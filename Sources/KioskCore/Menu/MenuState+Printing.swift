/// What a session remembers about printing, until it ends.
public struct MenuPrinting: Sendable, Hashable {
    /// The outcome of the last print, shown until the next key.
    public internal(set) var outcome: PrintOutcome?
    /// The number of the last job printed in this session: Enter on an empty reprint
    /// field reprints it.
    public internal(set) var lastNumber: String?
    /// Every job printed for this session: reprinted without proof while it lasts, and
    /// held when it ends before they start printing (`MenuEffect.sessionEnded`).
    public internal(set) var ownNumbers: [String] = []
    /// What the citizen typed on the reprint screen.
    public internal(set) var reprintInput = ""
    /// Another session's job the citizen asked to reprint, and its kind: the proof asked
    /// for depends on it. Nil while a number is being typed.
    public internal(set) var proofFor: (number: String, kind: PrintKind)? {
        get { proofNumber.flatMap { number in proofKind.map { (number, $0) } } }
        set {
            proofNumber = newValue?.number
            proofKind = newValue?.kind
        }
    }
    private var proofNumber: String?
    private var proofKind: PrintKind?
    /// The proof typed so far; shown as stars.
    public internal(set) var proofInput = ""
    /// Wrong proofs typed in this session; at `MenuState.maximumProofFailures` no more
    /// are taken until the session ends.
    public internal(set) var proofFailures = 0

    public init() {}
}

extension MenuState {
    /// The longest reprint number accepted ("R-000123" and some slack).
    public static let maximumReprintInput = 10
    /// The longest proof accepted (an account number).
    public static let maximumProofInput = 32
    /// Wrong proofs a session may type before reprints of others' jobs are refused.
    public static let maximumProofFailures = 3

    /// The outcome of a print is shown, and its number kept as this session's own. A
    /// reprint that needs proof turns the reprint screen into the proof prompt.
    mutating func handlePrinted(_ outcome: PrintOutcome) -> [MenuEffect] {
        notice = nil
        switch outcome.result {
        case .proofRequired:
            let kind = outcome.reason.flatMap(PrintKind.init(rawValue:)) ?? .acceptanceSlip
            printing.proofFor = (outcome.number, kind)
            printing.proofInput = ""
            printing.outcome = nil
            notice = "reprint.proof.\(kind.rawValue)"
        case .proofRejected:
            printing.proofFailures += 1
            printing.proofInput = ""
            printing.outcome = nil
            if printing.proofFailures >= Self.maximumProofFailures {
                printing.proofFor = nil
                notice = "reprint.proof.locked"
            } else {
                notice = "reprint.proof.rejected"
            }
        case .unknownNumber:
            printing.outcome = outcome
        case .printed, .printing, .waiting, .failed:
            printing.outcome = outcome
            printing.proofFor = nil
            printing.lastNumber = outcome.number
            if !outcome.number.isEmpty, !printing.ownNumbers.contains(outcome.number) {
                printing.ownNumbers.append(outcome.number)
            }
        }
        return []
    }

    /// The reprint screen: type the number from the slip (digits, "R", "-"), Enter prints
    /// it again; Enter on an empty field reprints this session's last job. Another
    /// session's personal job asks for proof first (`handleProof`).
    mutating func handleReprint(_ key: Key) -> [MenuEffect] {
        if printing.proofFor != nil { return handleProof(key) }
        switch key {
        case .character(let character):
            appendReprint(String(character))
        case .paste(let text):
            appendReprint(text)
        case .backspace where !printing.reprintInput.isEmpty:
            printing.reprintInput.removeLast()
        case .enter:
            let typed = printing.reprintInput
            guard let number = typed.isEmpty ? printing.lastNumber : PrintNumber.normalized(typed) else {
                notice = typed.isEmpty ? "reprint.empty" : "reprint.invalid"
                return []
            }
            let own = printing.ownNumbers.contains(number)
            guard own || printing.proofFailures < Self.maximumProofFailures else {
                notice = "reprint.proof.locked"
                return []
            }
            printing.reprintInput = ""
            notice = "print.working"
            return [.reprint(number: number, proof: own ? .ownSession : .none)]
        case .escape, .backspace:
            printing.reprintInput = ""
            goBack()
        default:
            break
        }
        return []
    }

    /// The proof prompt: letters and digits, Enter sends the reprint with the proof,
    /// Escape gives up on that job.
    private mutating func handleProof(_ key: Key) -> [MenuEffect] {
        guard let (number, kind) = printing.proofFor else { return [] }
        switch key {
        case .character(let character):
            appendProof(String(character))
        case .paste(let text):
            appendProof(text)
        case .backspace where !printing.proofInput.isEmpty:
            printing.proofInput.removeLast()
        case .enter:
            guard !printing.proofInput.isEmpty else {
                notice = "reprint.proof.\(kind.rawValue)"
                return []
            }
            let proof = printing.proofInput
            printing.proofInput = ""
            notice = "print.working"
            return [.reprint(number: number, proof: .typed(proof))]
        case .escape, .backspace:
            printing.proofFor = nil
            printing.proofInput = ""
            notice = nil
        default:
            break
        }
        return []
    }

    private mutating func appendReprint(_ text: String) {
        for character in UntrustedText(text).sanitized
        where character.isASCII && (character.isNumber || character.isLetter || character == "-")
            && printing.reprintInput.count < Self.maximumReprintInput {
            printing.reprintInput.append(Character(character.uppercased()))
        }
    }

    private mutating func appendProof(_ text: String) {
        for character in UntrustedText(text).sanitized
        where character.isASCII && (character.isNumber || character.isLetter)
            && printing.proofInput.count < Self.maximumProofInput {
            printing.proofInput.append(Character(character.uppercased()))
        }
    }
}
