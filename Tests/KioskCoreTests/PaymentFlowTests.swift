import Foundation
import KioskCore
import KioskTesting
import Testing

/// 生活缴费 on the pure menu and session machine: the account, the bill, the QR code, the
/// order followed to its end; every timer on the test clock.
@Suite("Bill payment flow")
struct PaymentFlowTests {
    static let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")

    static func order(_ state: PaymentOrder.State = .created, expiresIn seconds: TimeInterval = 300, from now: Date = MenuContext().now)
        -> PaymentOrder
    {
        PaymentOrder(
            id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, number: "PO00000042", amountFen: 12_345, state: state,
            payURL: "https://pay.kioskd.invalid/o/PO00000042", expiresAt: now.addingTimeInterval(seconds),
            paidAt: state == .paid ? now : nil, channel: state == .paid ? "wechat" : nil
        )
    }

    static func typed(_ text: String, into state: inout MenuState) -> [MenuEffect] {
        text.flatMap { state.handle(.key(.character($0))) }
    }

    @Test("The account is digits of the right length: a wrong one gets its reason in words and nothing is asked")
    func accountValidation() {
        // Given the water bill's account screen
        var state = MenuState(profile: .citizen)
        _ = Self.typed(" 41", into: &state)
        #expect(state.screen == .payAccount(.water, typed: ""))
        // When nine digits are typed / Then Enter explains the length and asks nothing
        _ = Self.typed("310000000", into: &state)
        #expect(state.handle(.key(.enter)).isEmpty)
        #expect(state.notice == "pay.account.length")
        // When a hostile string is pasted / Then only its digits are kept
        _ = state.handle(.key(.paste("1';DROP TABLE bill;--\u{1B}")))
        #expect(state.screen == .payAccount(.water, typed: "3100000001"))
        // And Enter now asks the centre for that account only
        #expect(state.handle(.key(.enter)) == [.lookupBill(.water, account: "3100000001")])
    }

    @Test("Nothing due, an unknown account and the centre offline each have their own message")
    func billAnswers() {
        for (answer, notice) in [
            (LookupAnswer.found(Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 0, period: "2026-10")), "pay.nothing-due"),
            (.notFound, "pay.unknown-account"), (.unavailable, "pay.central-offline"),
        ] {
            var state = MenuState(profile: .citizen)
            _ = Self.typed(" 413100000001", into: &state)
            _ = state.handle(.key(.enter))
            _ = state.handle(.billAnswered(answer))
            #expect(state.notice == notice)
            #expect(state.screen == .payAccount(.water, typed: "3100000001"))
        }
    }

    @Test("A bill paid through the QR code ends on the result with the receipt's outcome")
    func paidJourney() {
        // Given the bill on screen
        var state = MenuState(profile: .citizen)
        _ = Self.typed(" 413100000001", into: &state)
        _ = state.handle(.key(.enter))
        _ = state.handle(.billAnswered(.found(Self.bill)))
        #expect(state.screen == .payBill(Self.bill))
        // When the citizen confirms / Then the order is created, and its QR code shown
        #expect(state.handle(.key(.enter)) == [.createOrder(Self.bill)])
        let qr = QRMatrix(size: 1, modules: [true])
        _ = state.handle(.orderCreated(Self.order(), qr))
        #expect(state.openOrder == Self.order())
        // When the centre says it is still open / Then the QR stays
        _ = state.handle(.paymentFollowed(PaymentResult(order: Self.order(), outcome: .open)))
        #expect(state.openOrder != nil)
        // And keys other than 0 do nothing while the citizen pays on the phone
        #expect(state.handle(.key(.character("5"))).isEmpty)
        #expect(state.openOrder != nil)
        // When it is paid / Then the result shows, with the receipt's print outcome
        let printed = PrintOutcome(result: .printed, number: "R-000003")
        _ = state.handle(.paymentFollowed(PaymentResult.paid(Self.order(.paid), sequence: 1, print: printed)))
        #expect(state.screen == .payResult(Self.bill, PaymentResult.paid(Self.order(.paid), sequence: 1, print: printed)))
        #expect(state.printing.outcome == printed)
        // And any key goes home
        _ = state.handle(.key(.character("x")))
        #expect(state.screen == .home)
    }

    @Test("0 cancels the order at the centre; a cancel that comes back paid still ends as paid")
    func cancel() {
        var state = MenuState(profile: .citizen)
        _ = Self.typed(" 413100000001", into: &state)
        _ = state.handle(.key(.enter))
        _ = state.handle(.billAnswered(.found(Self.bill)))
        _ = state.handle(.key(.enter))
        _ = state.handle(.orderCreated(Self.order(), nil))
        // When 0 is pressed / Then the order is cancelled at the centre
        #expect(state.handle(.key(.character("0"))) == [.cancelOrder(Self.order().id)])
        // When the centre answers it was paid just before / Then the payment is the result
        let paid = PaymentResult.paid(Self.order(.paid), sequence: 2, print: PrintOutcome(result: .printed, number: "R-000004"))
        _ = state.handle(.paymentFollowed(paid))
        #expect(state.screen == .payResult(Self.bill, paid))
    }

    @Test("An order that could not be created says nothing was charged and stays on the bill")
    func orderFailed() {
        var state = MenuState(profile: .citizen)
        _ = Self.typed(" 413100000001", into: &state)
        _ = state.handle(.key(.enter))
        _ = state.handle(.billAnswered(.found(Self.bill)))
        _ = state.handle(.key(.enter))
        _ = state.handle(.orderCreated(nil, nil))
        #expect(state.screen == .payBill(Self.bill))
        #expect(state.notice == "pay.order-failed")
    }

    @Test("While the QR code is shown the session follows the order every 2 s, counts down each second and never idles out")
    func sessionFollowsTheOrder() {
        // Given a session on the bill screen, on the test clock
        let clock = TestClock()
        let time = clock.environment()
        var machine = SessionMachine(
            configuration: .init(idleTimeout: .seconds(90), idleWarning: .seconds(20), sizeCheckInterval: nil, timeZone: time.timeZone),
            profile: .citizen, catalog: .empty, availability: .all, reportedSize: nil, at: time.moment
        )
        _ = machine.start(at: time.moment)
        for key in Array(" 413100000001").map({ Key.character($0) }) + [.enter] {
            _ = machine.handle(.input([.key(key)], decoderPending: false), at: time.moment)
        }
        _ = machine.handle(.answer(.billAnswered(.found(Self.bill))), at: time.moment)
        _ = machine.handle(.input([.key(.enter)], decoderPending: false), at: time.moment)
        let order = Self.order(expiresIn: 300, from: time.wallNow)
        // When the order is created
        var step = machine.handle(.answer(.orderCreated(order, nil)), at: time.moment)
        // Then the next wake-up is the countdown's next second
        #expect(time.now.duration(to: step.nextDeadline!) == .seconds(1))
        clock.advance(by: .seconds(1))
        step = machine.handle(.deadline, at: time.moment)
        #expect(step.effects.contains(.draw))
        #expect(!step.effects.contains(.menu(.followOrder(order.id))))
        clock.advance(by: .seconds(1))
        step = machine.handle(.deadline, at: time.moment)
        #expect(step.effects.contains(.menu(.followOrder(order.id))))
        _ = machine.handle(.answer(.paymentFollowed(PaymentResult(order: order, outcome: .open))), at: time.moment)
        // And 4 minutes without a key do not end the session
        for _ in 0..<240 {
            clock.advance(by: .seconds(1))
            step = machine.handle(.deadline, at: time.moment)
        }
        #expect(machine.menu.openOrder != nil)
        #expect(machine.menu.idleWarning == nil)
        // When the centre does not answer past the expiry and its grace / Then the citizen is told
        clock.advance(by: .seconds(90))
        _ = machine.handle(.deadline, at: time.moment)
        #expect(machine.menu.screen == .payResult(Self.bill, PaymentResult(order: order, outcome: .unknown)))
    }
}
