/// What a session remembers about printing, until it ends.
public struct MenuPrinting: Sendable, Hashable {
    /// The outcome of the last print, shown until the next key.
    public internal(set) var outcome: PrintOutcome?
    /// The number of the last job printed in this session: Enter on an empty reprint
    /// field reprints it.
    public internal(set) var lastNumber: String?
    /// What the citizen typed on the reprint screen.
    public internal(set) var reprintInput = ""

    public init() {}
}

extension MenuState {
    /// The longest reprint number accepted ("R-000123" and some slack).
    public static let maximumReprintInput = 10

    /// The outcome of a print is shown, and its number kept for a reprint in this session.
    mutating func handlePrinted(_ outcome: PrintOutcome) -> [MenuEffect] {
        notice = nil
        printing.outcome = outcome
        if outcome.result != .unknownNumber { printing.lastNumber = outcome.number }
        return []
    }

    /// The reprint screen: type the number from the slip (digits, "R", "-"), Enter prints
    /// it again; Enter on an empty field reprints this session's last job.
    mutating func handleReprint(_ key: Key) -> [MenuEffect] {
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
            printing.reprintInput = ""
            notice = "print.working"
            return [.reprint(number: number)]
        case .escape, .backspace:
            printing.reprintInput = ""
            goBack()
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
}
