import Foundation

extension MenuView {
    /// The screens of applications, queries and ratings.
    func drawApplicationScreen(_ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let large = state.largeGlyphs(in: context)
        switch state.screen {
        case .form:
            guard let form = state.form else { return }
            drawFrame(into: &grid, large: large, title: formTitle(form, context, language), footer: text("form.footer", language))
            drawForm(form, profile: state.profile, language: language, large: large, into: &grid)
            if state.waiting { drawNotice(text("form.waiting", language), into: &grid) }
        case .submitted:
            drawFrame(into: &grid, large: large, title: text("submitted.title", language), footer: text("submitted.footer", language))
            if let slip = state.slip {
                drawSlip(slip, profile: state.profile, printer: context.availability.printer, language: language, into: &grid)
            }
        case .submitFailed:
            drawFrame(into: &grid, large: large, title: text("service.apply", language), footer: text("service.footer", language))
            lines([text("submit.failed", language), text("submit.failed.help", language)], from: 5, into: &grid)
        case .rating:
            drawFrame(into: &grid, large: large, title: text("service.rate", language), footer: text("rating.footer", language))
            lines([text("rating.prompt", language)], from: 4, into: &grid)
            drawChoices((1...5).map { "  \($0)  " + text("rating.level.\($0)", language) }, from: 6,
                        large: large, into: &grid)
        case .ratingReason:
            drawFrame(into: &grid, large: large, title: text("service.rate", language), footer: text("rating.footer", language))
            let reasons = MenuState.ratingReasons.enumerated().map { "  \($0.offset + 1)  " + text("rating.reason.\($0.element)", language) }
            lines([text("rating.reason.prompt", language)], from: 4, into: &grid)
            let next = drawChoices(reasons, from: 6, large: large, into: &grid)
            lines([text("rating.reason.skip", language)], from: next + 1, into: &grid)
        case .ratingDone:
            drawFrame(into: &grid, large: large, title: text("service.rate", language), footer: text("rating.done.footer", language))
            lines([text("rating.thanks", language)], from: 6, into: &grid)
        case .progressResult:
            drawFrame(into: &grid, large: large, title: text("service.case-progress", language), footer: text("service.footer", language))
            if let progress = state.progress { drawProgress(progress, context, language: language, into: &grid) }
        case .insuranceResult:
            drawFrame(into: &grid, large: large, title: text("service.social-insurance", language), footer: text("service.footer", language))
            if case .found(let summary) = state.insurance { drawInsurance(summary, language: language, into: &grid) }
        default:
            break
        }
        if let notice = state.notice { drawNotice(text(notice, language), into: &grid) }
    }

    private func formTitle(_ form: ApplicationForm, _ context: MenuContext, _ language: Language) -> String {
        switch form.purpose {
        case .application(let itemID, _): clean(context.catalog.item(id: itemID)?.name(language) ?? itemID)
        case .progress: text("service.case-progress", language)
        case .insurance: text("service.social-insurance", language)
        }
    }

    private func label(_ field: FormField, _ language: Language) -> String {
        if let key = field.labelKey { return text(key, language) }
        if field.id == ApplicationForm.addressField.id { return text("form.address", language) }
        // An amount typed in 万元 says so in its label, so nobody types yuan into it.
        if field.type == .amount, field.unit == .wanYuan { return clean(field.label(language)) + text("form.unit.wan-yuan.label", language) }
        return clean(field.label(language))
    }

    /// The hint under a field: how to type it.
    private func hint(_ field: FormField, _ language: Language) -> String {
        if field.type == .amount, field.unit == .wanYuan { return text("form.hint.amount.wan-yuan", language) }
        return text("form.hint.\(field.type.rawValue)", language)
    }

    /// The message of the current field's error, in `language`: a choice without the
    /// choice it needs names both ("印章刻制需要营业执照…").
    private func errorMessage(_ key: String, field: FormField, input: String, _ language: Language) -> String {
        guard key == FormField.requiresMessageKey, let picked = field.pickedChoices(input),
              let (choice, needed) = field.unmetRequirement(picked: picked)
        else { return text(key, language) }
        return text(key, language)
            .replacing("{choice}", with: clean(field.choices[choice](language)))
            .replacing("{required}", with: clean(field.choices[needed](language)))
            .replacing("{number}", with: String(needed + 1))
    }

    private func drawForm(_ form: ApplicationForm, profile: TerminalProfile, language: Language, large: Bool, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        switch form.step {
        case .field, .address:
            guard let field = form.currentField else { return }
            if case .field(let index) = form.step {
                let step = text("form.step", language)
                    .replacing("{n}", with: String(index + 1)).replacing("{total}", with: String(form.fields.count))
                grid.put(step, row: 3, column: 3, style: CellStyle(dim: true), limit: limit)
            }
            let mark = field.required ? "" : text("form.optional", language)
            grid.put(label(field, language) + mark, row: 5, column: 3, style: CellStyle(bold: true), limit: limit)
            // What the citizen is typing is shown as typed, so it can be checked and
            // corrected; once accepted it only appears masked (summary, slip).
            let end = grid.put("> " + clean(form.currentInput), row: 6, column: 3, style: CellStyle(underline: true), limit: limit)
            grid.put("_", row: 6, column: end, style: CellStyle(bold: true))
            var hintRow = 8
            if let error = form.error {
                let message = errorMessage(error, field: field, input: form.currentInput, language)
                grid.put(message, row: 7, column: 3, style: CellStyle(bold: true, inverse: true), limit: limit)
                // A refused sub-item is explained in both languages: the desk's clerk and
                // the founder may not share one.
                if error == FormField.requiresMessageKey, language == .chinese {
                    let english = errorMessage(error, field: field, input: form.currentInput, .english)
                    grid.put(english, row: 8, column: 3, style: CellStyle(bold: true), limit: limit)
                    hintRow = 9
                }
            }
            grid.put(hint(field, language), row: hintRow, column: 3, style: CellStyle(dim: true), limit: limit)
            if field.type == .choice {
                let choices = field.choices.enumerated().map { "  \($0.offset + 1)  " + clean($0.element(language)) }
                drawChoices(choices, from: 10, large: large, into: &grid)
            }
        case .delivery:
            lines([text("form.delivery", language)], from: 5, into: &grid)
            drawChoices(["  1  " + text(pickupKey(profile), language), "  2  " + text("form.delivery.ems", language)],
                        from: 7, large: large, into: &grid)
        case .consent:
            lines([text("form.consent.title", language), "", text("form.consent.body", language)], from: 4, into: &grid)
            drawChoices(["  1  " + text("form.consent.agree", language), "  2  " + text("form.consent.decline", language)],
                        from: 8, large: large, into: &grid)
        case .summary:
            var rows = [text("form.summary", language), ""]
            let width = grid.size.columns - 6
            for field in form.fields {
                guard let value = form.values[field.id] else { continue }
                if field.type == .choice, field.multiple {
                    // Sub-items are never cut: the list wraps between names.
                    rows += Self.wrapNames(head: label(field, language) + "：", names: choiceNames(value, of: field, language),
                                           separator: language == .chinese ? "、" : ", ", width: width)
                } else if field.type == .amount, field.unit == .wanYuan {
                    // The value says 万元 itself ("50 万元"): the label need not.
                    rows.append(clean(field.label(language)) + "：" + shown(value, of: field, language))
                } else {
                    rows.append(label(field, language) + "：" + shown(value, of: field, language))
                }
            }
            if let delivery = form.delivery {
                var line = text("form.delivery", language) + "：" + text(deliveryKey(delivery.method, profile), language)
                if let address = delivery.address { line += " " + Masking.address(address) }
                rows.append(line)
            }
            if form.consent { rows.append(text("form.consent.given", language)) }
            if !form.needsReview.isEmpty { rows.append(text("form.review", language)) }
            rows += ["", text("form.confirm", language)]
            lines(rows, from: 3, into: &grid)
        }
    }

    /// A value as screens and paper show it: personal data masked, choices as labels,
    /// amounts as yuan.
    private func shown(_ value: String, of field: FormField, _ language: Language) -> String {
        switch field.type {
        case .choice:
            return choiceNames(value, of: field, language).joined(separator: language == .chinese ? "、" : ", ")
        case .amount where field.unit == .wanYuan:
            return Money.wanYuan(Int64(value) ?? 0) + text("form.unit.wan-yuan", language)
        case .amount:
            return Money.yuan(Int64(value) ?? 0)
        default:
            return clean(Masking.value(value, of: field.type, personal: field.holdsPersonalName))
        }
    }

    /// The labels of the choices stored as `value` (keys joined by commas), in choice order.
    private func choiceNames(_ value: String, of field: FormField, _ language: Language) -> [String] {
        let keys = value.split(separator: ",").map(String.init)
        return field.choices.indices.filter { keys.contains(field.choiceKey($0)) }.map { clean(field.choices[$0](language)) }
    }

    /// `head` followed by `names`, wrapped to `width` cells between names, never inside
    /// one (unless a name alone is wider than a line); following lines are indented under
    /// the first name.
    static func wrapNames(head: String, names: [String], separator: String, width: Int) -> [String] {
        let joiner = separator.trimmingCharacters(in: .whitespaces)
        let gap = separator.hasSuffix(" ") ? " " : ""
        let indent = String(repeating: " ", count: min(head.displayWidth, width / 2))
        var lines: [String] = []
        var current = head
        var first = true
        for (index, name) in names.enumerated() {
            let piece = name + (index + 1 < names.count ? joiner : "")
            var lead = first ? "" : gap
            if !first, current.displayWidth + lead.displayWidth + piece.displayWidth > width {
                lines.append(current)
                current = indent
                lead = ""
            }
            current += lead
            if current.displayWidth + piece.displayWidth > width {
                // Wider than a whole line: broken where it must be.
                let broken = GuideText.wrap(piece, width: max(1, width - current.displayWidth), indent: 0)
                current += broken.first ?? ""
                for more in broken.dropFirst() {
                    lines.append(current)
                    current = indent + more
                }
            } else {
                current += piece
            }
            first = false
        }
        lines.append(current)
        return lines
    }

    private func drawSlip(_ slip: AcceptanceSlip, profile: TerminalProfile, printer: Bool, language: Language, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        grid.put(text("submitted.number", language), row: 4, column: 3, limit: limit)
        grid.put(slip.applicationNumber, row: 5, column: 5, style: CellStyle(bold: true), limit: limit)
        let time = slip.kind == .immediate
            ? text("guide.immediate", language)
            : text("guide.promised", language).replacing("{days}", with: String(slip.timeLimitDays))
        var rows = [clean(slip.itemName(language))]
        if !slip.subItems.isEmpty {
            rows += Self.wrapNames(head: text("submitted.sub-items", language), names: slip.subItems.map { clean($0.name(language)) },
                                   separator: language == .chinese ? "、" : ", ", width: limit)
        }
        rows += [
            text("guide.time", language) + time,
            text("form.delivery", language) + "：" + text(deliveryKey(slip.delivery, profile), language),
            "",
            text(printer ? "submitted.printing" : "submitted.no-printer", language),
            text("submitted.query", language),
        ]
        lines(rows, from: 7, into: &grid)
    }

    private func drawProgress(_ progress: CaseProgress, _ context: MenuContext, language: Language, into grid: inout TextGrid) {
        var rows = [
            text("progress.application", language) + progress.applicationNumber,
            text("progress.case", language) + (progress.caseNumber ?? text("progress.case.none", language)),
            text("progress.item", language) + clean(context.catalog.item(id: progress.itemID)?.name(language) ?? progress.itemID),
            text("progress.status", language) + text(progress.status.messageKey, language),
        ]
        let when = progress.changedAt.map(hallTime.minute) ?? ""
        rows.append(progress.live
            ? text("progress.live", language).replacing("{time}", with: when)
            : text("progress.offline", language).replacing("{time}", with: when))
        if !progress.subItems.isEmpty {
            rows.append("")
            // By the catalog's names, in the bundle's order; never the raw ids.
            for subItem in context.catalog.subItems(of: progress.itemID, keys: progress.subItems.keys) {
                guard let status = progress.subItems[subItem.key] else { continue }
                rows.append("  · " + clean(subItem.name(language)) + "：" + text(status.messageKey, language))
            }
        }
        lines(rows, from: 4, into: &grid)
    }

    private func drawInsurance(_ summary: InsuranceSummary, language: Language, into grid: inout TextGrid) {
        var rows = [
            text("insurance.name", language) + "：" + clean(summary.nameMasked),
            text("insurance.since", language) + clean(summary.insuredSince),
            text("insurance.months", language).replacing("{months}", with: String(summary.monthsPaid)),
            text("insurance.pension", language) + Money.yuan(summary.pensionBalanceFen),
            text("insurance.medical", language) + Money.yuan(summary.medicalBalanceFen),
            text("insurance.last-paid", language) + clean(summary.lastPaidMonth),
        ]
        if let balance = summary.housingBalanceFen {
            rows += ["", text("insurance.housing", language) + Money.yuan(balance)]
            if let monthly = summary.monthlyDepositFen { rows.append(text("insurance.monthly", language) + Money.yuan(monthly)) }
        }
        rows += ["", text("insurance.not-stored", language), text("insurance.print", language)]
        lines(rows, from: 4, into: &grid)
    }

    /// Numbered choices from row `top`, one a row; with `large`, one double-height line
    /// each (two rows) when they all fit above the notice row, one a row otherwise.
    /// Returns the row after the last choice.
    @discardableResult
    func drawChoices(_ choices: [String], from top: Int, large: Bool, into grid: inout TextGrid) -> Int {
        guard large, top + 2 * choices.count <= grid.size.rows - 4 else {
            lines(choices, from: top, into: &grid)
            return top + choices.count
        }
        for (offset, choice) in choices.enumerated() {
            let row = top + 2 * offset
            guard makeLargeLine(top: row, into: &grid) else { break }
            grid.put(choice, row: row, column: 1, limit: grid.columns(inRow: row) - 3)
        }
        return top + 2 * choices.count
    }

    func lines(_ rows: [String], from top: Int, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        for (offset, line) in rows.enumerated() where top + offset < grid.size.rows - 4 {
            grid.put(line, row: top + offset, column: 3, limit: limit)
        }
    }

}
