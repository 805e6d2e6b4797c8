import Foundation

extension MenuView {
    /// The screens that prove who the citizen is: the two ways offered, and the one-time
    /// code (ID number, the masked phone the code went to, the code, the resend countdown,
    /// the lock). The phone is shown only as the centre masked it, masked again here in
    /// case a centre sent it whole.
    func drawIdentityScreen(_ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let large = state.largeGlyphs(in: context)
        switch state.screen {
        case .proveIdentity(let service):
            drawFrame(into: &grid, large: large, title: text(service.titleKey, language), footer: text("identity.footer", language))
            lines([text("identity.prompt", language), ""], from: 4, into: &grid)
            drawChoices(
                ["     " + text("identity.card", language), "  1  " + text("identity.code", language)], from: 6, large: large,
                into: &grid
            )
        case .oneTimeCode(let flow, let service):
            drawFrame(into: &grid, large: large, title: text(service.titleKey, language), footer: text(footerKey(flow), language))
            grid.put(text("otp.title", language), row: 3, column: 3, style: CellStyle(dim: true), limit: grid.size.columns - 6)
            drawCodeFlow(flow, context, language: language, into: &grid)
        default:
            break
        }
    }

    private func footerKey(_ flow: OneTimeCodeFlow) -> String {
        switch flow.phase {
        case .locked: "otp.footer.locked"
        case .enterCode: "otp.footer.code"
        default: "form.footer"
        }
    }

    private func drawCodeFlow(_ flow: OneTimeCodeFlow, _ context: MenuContext, language: Language, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        let now = context.now
        func field(_ label: String, _ input: String, row: Int) {
            grid.put(label, row: row, column: 3, style: CellStyle(bold: true), limit: limit)
            let end = grid.put("> " + input, row: row + 1, column: 3, style: CellStyle(underline: true), limit: limit)
            grid.put("_", row: row + 1, column: end, style: CellStyle(bold: true))
        }
        func message(_ key: String, row: Int) {
            let shown = text(key, language).replacing("{left}", with: String(flow.attemptsLeft ?? 0))
                .replacing("{seconds}", with: String(flow.secondsBeforeResend(at: now)))
            grid.put(shown, row: row, column: 3, style: CellStyle(bold: true, inverse: true), limit: limit)
        }
        switch flow.phase {
        case .enterID, .requesting:
            field(text("insurance.id", language), clean(flow.idInput), row: 5)
            if let key = flow.message { message(key, row: 7) }
            grid.put(text("otp.id.hint", language), row: 8, column: 3, style: CellStyle(dim: true), limit: limit)
            if flow.phase == .requesting { drawNotice(text("otp.sending", language), into: &grid) }
        case .enterCode, .verifying:
            let phone = Masking.phone(clean(flow.challenge?.maskedPhone ?? ""))
            if flow.challenge != nil {
                grid.put(text("otp.sent-to", language).replacing("{phone}", with: phone), row: 5, column: 3, limit: limit)
            }
            field(text("otp.code", language), String(repeating: "•", count: flow.codeInput.count), row: 6)
            if let key = flow.message { message(key, row: 8) }
            if let challenge = flow.challenge, !flow.isExpired(at: now) {
                grid.put(text("otp.valid-until", language).replacing("{time}", with: hallTime.minute(challenge.expiresAt)),
                         row: 10, column: 3, style: CellStyle(dim: true), limit: limit)
            }
            let wait = flow.secondsBeforeResend(at: now)
            let resend = wait > 0
                ? text("otp.resend.wait", language).replacing("{seconds}", with: String(wait))
                : text("otp.resend", language)
            grid.put(resend, row: 11, column: 3, style: CellStyle(dim: wait > 0), limit: limit)
            if flow.phase == .verifying { drawNotice(text("otp.verifying", language), into: &grid) }
        case .locked(let until):
            // Said in both languages whatever the screen's: the citizen may have switched
            // language by mistake and must understand why codes stop here.
            let time = until.map(hallTime.minute) ?? ""
            var rows: [String] = []
            for lockedLanguage in [Language.chinese, .english] {
                rows.append(text("otp.locked", lockedLanguage))
                rows.append(text(until == nil ? "otp.locked.later" : "otp.locked.until", lockedLanguage)
                    .replacing("{time}", with: time))
                rows.append(text("otp.locked.help", lockedLanguage))
                rows.append("")
            }
            for (offset, row) in rows.enumerated() where 5 + offset < grid.size.rows - 4 {
                grid.put(row, row: 5 + offset, column: 3, style: CellStyle(bold: offset % 4 == 0), limit: limit)
            }
        }
    }
}

extension ProvedService {
    /// The title of the service's screens.
    var titleKey: String {
        switch self {
        case .insurance: "service.social-insurance"
        }
    }
}
