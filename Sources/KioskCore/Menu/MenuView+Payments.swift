import Foundation

extension MenuView {
    /// The screens of 生活缴费 after the kind is chosen: the account, the bill, the QR code
    /// with the amount and the time left, and the result.
    func drawPaymentScreen(_ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let large = state.largeGlyphs(in: context)
        let limit = grid.size.columns - 6
        switch state.screen {
        case .payAccount(let kind, let typed, let waiting):
            drawFrame(into: &grid, large: large, title: text(kind.labelKey, language), footer: text("pay.account.footer", language))
            grid.put(text("pay.account.prompt", language).replacing("{digits}", with: String(BillKind.accountLength)),
                     row: 5, column: 3, limit: limit)
            grid.put("> " + typed + "_", row: 7, column: 5, style: CellStyle(bold: true), limit: limit - 2)
            if waiting { drawNotice(text("form.waiting", language), into: &grid) }
        case .payBill(let bill, let waiting):
            drawFrame(into: &grid, large: large, title: text(bill.kind.labelKey, language), footer: text("pay.bill.footer", language))
            drawBill(bill, language: language, from: 4, into: &grid)
            grid.put(text("pay.bill.confirm", language), row: 11, column: 3, style: CellStyle(bold: true), limit: limit)
            if waiting { drawNotice(text("pay.order.creating", language), into: &grid) }
        case .payQR(let bill, let order, let qr, let cancelling):
            drawFrame(into: &grid, large: large, title: text("pay.qr.title", language), footer: text("pay.qr.footer", language))
            drawQR(qr, payURL: order.payURL, into: &grid)
            let left = min(grid.size.columns - 30, 40)
            let rows = [
                (text(bill.kind.labelKey, language), CellStyle.plain),
                (Money.display(order.amountFen), CellStyle(bold: true)),
                (text("pay.order.number", language) + order.number, CellStyle.plain),
                ("", .plain),
                (text("pay.qr.scan", language), CellStyle.plain),
                (text("pay.qr.remaining", language).replacing("{time}", with: Self.countdown(order.expiresAt, context.now)),
                 CellStyle(bold: true)),
                ("", .plain),
                (text("pay.qr.cancel", language), CellStyle(dim: true)),
            ]
            for (offset, (line, style)) in rows.enumerated() {
                grid.put(line, row: 4 + offset, column: left, style: style, limit: grid.size.columns - left - 2)
            }
            if cancelling { drawNotice(text("pay.cancelling", language), into: &grid) }
        case .payResult(let bill, let result):
            drawFrame(into: &grid, large: large, title: text(bill.kind.labelKey, language), footer: text("pay.result.footer", language))
            drawResult(result, bill: bill, language: language, into: &grid)
        default:
            break
        }
    }

    private func drawBill(_ bill: Bill, language: Language, from top: Int, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        let rows = [
            text("pay.bill.payee", language) + text(bill.kind.labelKey, language),
            text("pay.bill.account", language) + bill.maskedAccount,
            text("pay.bill.holder", language) + clean(bill.holderMasked),
            text("pay.bill.period", language) + clean(bill.period),
        ]
        for (offset, line) in rows.enumerated() {
            grid.put(line, row: top + offset, column: 3, limit: limit)
        }
        grid.put(text("pay.bill.amount", language) + Money.display(bill.amountDueFen), row: top + rows.count + 1, column: 3,
                 style: CellStyle(bold: true), limit: limit)
    }

    /// The QR code at the left of the body, dark modules on light cells whatever the
    /// terminal's colours (a monochrome terminal gets inverse video); without a code (it
    /// could not be drawn), the address to type.
    private func drawQR(_ qr: QRMatrix?, payURL: String, into grid: inout TextGrid) {
        let style = CellStyle(foreground: .black, background: .white)
        guard let qr else {
            grid.put(clean(payURL), row: 5, column: 3, limit: grid.size.columns - 6)
            return
        }
        for (offset, line) in qr.halfBlockLines().enumerated() where 3 + offset < grid.size.rows - 4 {
            grid.put(line, row: 3 + offset, column: 3, style: style)
        }
    }

    private func drawResult(_ result: PaymentResult, bill: Bill, language: Language, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        var rows: [(String, CellStyle)] = []
        switch result.outcome {
        case .paid:
            rows.append((text("pay.result.paid", language), CellStyle(bold: true)))
            rows.append((text("pay.result.amount", language) + Money.display(result.order.amountFen), .plain))
            rows.append((text("pay.order.number", language) + result.order.number, .plain))
            rows.append((text("pay.result.sequence", language) + (result.sequence.map(String.init) ?? ""), .plain))
            if let print = result.print, print.result != .printed, !print.number.isEmpty {
                rows.append((text("pay.result.reprint", language).replacing("{number}", with: print.number), CellStyle(bold: true)))
            }
        case .cancelled:
            rows.append((text("pay.result.cancelled", language), CellStyle(bold: true)))
        case .expired:
            rows.append((text("pay.result.expired", language), CellStyle(bold: true)))
        case .unknown, .open:
            rows.append((text("pay.result.unknown", language), CellStyle(bold: true)))
            rows.append((text("pay.order.number", language) + result.order.number, .plain))
        }
        for (offset, (line, style)) in rows.enumerated() {
            grid.put(line, row: 5 + offset, column: 3, style: style, limit: limit)
        }
    }

    /// "4:32": minutes and seconds from `now` to `deadline`, never negative.
    static func countdown(_ deadline: Date, _ now: Date) -> String {
        let seconds = max(0, Int(deadline.timeIntervalSince(now).rounded(.up)))
        return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
    }
}
