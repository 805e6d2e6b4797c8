import Foundation

extension MenuState {
    /// How often an open order is asked about while its QR code is shown.
    public static let orderFollowInterval: Duration = .seconds(2)

    /// The open order on screen, if the QR code is shown: the session follows it.
    public var openOrder: PaymentOrder? {
        if case .payQR(_, let order, _, _) = screen { order } else { nil }
    }

    /// Keys of the account screen: digits, Backspace, Enter asks the centre.
    mutating func handlePayAccount(_ kind: BillKind, typed: String, _ key: Key) -> [MenuEffect] {
        switch key {
        case .character(let character) where character.isASCII && character.isNumber:
            if typed.count < BillKind.accountLength + 4 { screen = .payAccount(kind, typed: typed + String(character)) }
        case .paste(let text):
            let digits = UntrustedText(text).sanitized.filter { $0.isASCII && $0.isNumber }
            screen = .payAccount(kind, typed: String((typed + digits).prefix(BillKind.accountLength + 4)))
        case .backspace where !typed.isEmpty:
            screen = .payAccount(kind, typed: String(typed.dropLast()))
        case .enter:
            if let problem = BillKind.accountProblem(typed) {
                notice = problem
                return []
            }
            screen = .payAccount(kind, typed: typed, waiting: true)
            return [.lookupBill(kind, account: typed)]
        case .escape, .backspace:
            goBack()
        case .home:
            goHome()
        default:
            break
        }
        return []
    }

    /// Keys of the bill screen: Enter pays, Escape goes back, 0 home.
    mutating func handlePayBill(_ bill: Bill, _ key: Key) -> [MenuEffect] {
        switch key {
        case .enter:
            screen = .payBill(bill, waiting: true)
            return [.createOrder(bill)]
        case .escape, .backspace:
            goBack()
        case .character("0"), .home:
            goHome()
        default:
            break
        }
        return []
    }

    /// Keys while the QR code is shown: 0 (or Escape) cancels; nothing else leaves, since
    /// the citizen may be paying on the phone right now.
    mutating func handlePayQR(_ bill: Bill, _ order: PaymentOrder, qr: QRMatrix?, _ key: Key) -> [MenuEffect] {
        switch key {
        case .character("0"), .escape, .home:
            screen = .payQR(bill, order, qr: qr, cancelling: true)
            return [.cancelOrder(order.id)]
        default:
            return []
        }
    }

    /// The answers of the payment effects; an answer that does not fit the screen (the
    /// citizen left meanwhile) changes nothing here, the daemon still records a payment.
    mutating func handlePaymentAnswer(_ event: MenuEvent) -> [MenuEffect] {
        switch event {
        case .billAnswered(let answer):
            guard case .payAccount(let kind, let typed, true) = screen else { return [] }
            screen = .payAccount(kind, typed: typed)
            switch answer {
            case .found(let bill) where bill.amountDueFen > 0:
                push(.payBill(bill))
            case .found:
                notice = "pay.nothing-due"
            case .notFound:
                notice = "pay.unknown-account"
            case .unavailable, .proofRefused:
                notice = "pay.central-offline"
            }
            return []
        case .orderCreated(let order, let qr):
            guard case .payBill(let bill, true) = screen else { return [] }
            guard let order else {
                screen = .payBill(bill)
                notice = "pay.order-failed"
                return []
            }
            replaceTop(with: .payQR(bill, order, qr: qr))
            return []
        case .paymentFollowed(let answer):
            guard case .payQR(let bill, let order, let qr, let cancelling) = screen else { return [] }
            return follow(answer, bill: bill, order: order, qr: qr, cancelling: cancelling)
        default:
            return []
        }
    }

    private mutating func follow(
        _ answer: PaymentResult?, bill: Bill, order: PaymentOrder, qr: QRMatrix?, cancelling: Bool
    ) -> [MenuEffect] {
        guard let answer else {
            // The centre did not answer: the QR stays until the order expires; a cancel is
            // tried again by the citizen.
            if cancelling { screen = .payQR(bill, order, qr: qr) }
            notice = "pay.central-offline"
            return []
        }
        if answer.outcome == .open {
            screen = .payQR(bill, answer.order, qr: qr)
            return []
        }
        replaceTop(with: .payResult(bill, answer))
        if answer.outcome == .paid, let print = answer.print { return handlePrinted(print) }
        return []
    }

    /// Any key on the result screen goes home.
    mutating func handlePayResult(_ key: Key) -> [MenuEffect] {
        goHome()
        return []
    }
}
