extension MenuView {
    /// What the citizen reads about a print: done, still printing, or what went wrong,
    /// who can help, and the number to reprint with.
    public func message(for outcome: PrintOutcome, _ language: Language) -> String {
        let key: String
        switch outcome.result {
        case .printed: key = "print.printed"
        case .printing: key = "print.printing"
        case .waiting: key = outcome.responsible == .hallStaff ? "print.waiting.hall-staff" : "print.waiting.engineer"
        case .failed: key = "print.failed"
        case .unknownNumber: key = "print.unknown-number"
        case .proofRequired: key = "reprint.proof.\(outcome.reason ?? PrintKind.acceptanceSlip.rawValue)"
        case .proofRejected: key = "reprint.proof.rejected"
        }
        return text(key, language)
            .replacing("{number}", with: outcome.number)
            .replacing("{reason}", with: reasonText(outcome.reason, language))
    }

    /// A printer fault in words ("缺纸"), from its IPP reason.
    func reasonText(_ reason: String?, _ language: Language) -> String {
        let known = ["media-empty", "media-needed", "media-jam", "door-open", "cover-open", "offline", "job-stalled",
                     "queue-stopped", "cups-unreachable", "toner-empty", "marker-supply-empty"]
        guard let reason, known.contains(reason) else { return text("print.reason.other", language) }
        return text("print.reason.\(reason)", language)
    }

    /// The reprint screen: the prompt, the number typed so far, and a hint; for another
    /// session's job, the proof prompt with what is typed shown as stars (a stranger may
    /// be standing behind).
    func drawReprint(_ state: MenuState, into grid: inout TextGrid) {
        let language = state.language
        let limit = grid.size.columns - 6
        if let (number, kind) = state.printing.proofFor {
            grid.put(text("reprint.proof.prompt", language).replacing("{number}", with: number), row: 4, column: 3, limit: limit)
            let end = grid.put(text("reprint.proof.label.\(kind.rawValue)", language), row: 6, column: 3, limit: limit)
            let stars = String(repeating: "*", count: state.printing.proofInput.count)
            let inputEnd = grid.put(stars, row: 6, column: end, style: CellStyle(underline: true), limit: limit - end)
            grid.put("_", row: 6, column: inputEnd, style: CellStyle(bold: true))
            return
        }
        grid.put(text("reprint.prompt", language), row: 4, column: 3, limit: limit)
        let end = grid.put(text("reprint.label", language), row: 6, column: 3, limit: limit)
        let inputEnd = grid.put(clean(state.printing.reprintInput), row: 6, column: end, style: CellStyle(underline: true), limit: limit - end)
        grid.put("_", row: 6, column: inputEnd, style: CellStyle(bold: true))
        if let last = state.printing.lastNumber {
            grid.put(text("reprint.last", language).replacing("{number}", with: last), row: 8, column: 3, style: CellStyle(dim: true), limit: limit)
        }
    }
}
