import Foundation
import KioskCore
import NIOCore

/// Carries out a session machine's effects on one open device: frames, wipes, the decoder,
/// size measurements and the menu's effects through the session's ports. Their answers go
/// back into the machine, and their effects are carried out in turn.
struct EffectRunner {
    let session: TerminalSession
    let device: TTYDevice
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var decoder = KeyDecoder()
    var renderer: ScreenRenderer
    /// Bytes to send before the next frame (kiosk modes, a wipe).
    var prefix: [UInt8] = []
    var needsFrame = false

    init(session: TerminalSession, device: TTYDevice, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.session = session
        self.device = device
        self.outbound = outbound
        renderer = ScreenRenderer(options: session.configuration.renderOptions)
    }

    /// Carries out `step` and what its effects' answers cause; returns the machine's next
    /// deadline (itself nil when nothing is due without input), or nil when the session must
    /// stop (Ctrl-C in demo mode).
    mutating func carryOut(_ step: SessionStep, on machine: inout SessionMachine) async throws -> MonotonicInstant?? {
        var deadline = step.nextDeadline
        var pending = step.effects[...]
        func follow(_ event: SessionEvent, _ machine: inout SessionMachine) {
            let next = machine.handle(event, at: session.time.moment)
            pending.append(contentsOf: next.effects)
            deadline = next.nextDeadline
        }
        while let effect = pending.popFirst() {
            switch effect {
            case .enterKioskMode(let askSize):
                prefix += TerminalModes.enter + (askSize ? TerminalModes.querySize : [])
            case .draw:
                needsFrame = true
            case .redrawAll:
                renderer.invalidate()
                needsFrame = true
            case .wipe:
                // Nothing of the citizen may stay visible, not even in scrollback.
                renderer.invalidate()
                prefix += TerminalModes.wipe
                needsFrame = true
                // Nor anything half-typed: an open paste or string ends with the session.
                decoder.reset()
            case .flushDecoder:
                follow(.flushed(decoder.flush()), &machine)
            case .measureSize:
                follow(.measured(device.windowSize()), &machine)
            case .menu(let menuEffect):
                // What is due goes out first: "please wait" is on screen while it runs.
                try await drawIfNeeded(machine)
                if let answer = await session.perform(menuEffect) { follow(.answer(answer), &machine) }
            case .quit:
                return nil
            }
        }
        try await drawIfNeeded(machine)
        return deadline
    }

    private mutating func drawIfNeeded(_ machine: SessionMachine) async throws {
        guard needsFrame || !prefix.isEmpty else { return }
        needsFrame = false
        let grid = session.view.render(machine.menu, context: machine.context)
        let bytes = prefix + renderer.frame(grid)
        prefix = []
        guard !bytes.isEmpty else { return }
        try await outbound.write(ByteBuffer(bytes: bytes))
        session.registry.noteFrame(
            session.configuration.name, bytes: Int64(bytes.count), screen: machine.menu.screen.statusName,
            size: machine.context.size, lines: machine.menu.screen.isBetweenSessions ? grid.lines : nil, at: session.time.wallNow
        )
    }
}

extension TerminalSession {
    /// Carries out one menu effect through the session's ports; returns what it tells the
    /// menu, if anything. A missing port makes the effect do nothing (its services are
    /// gated off then).
    func perform(_ effect: MenuEffect) async -> MenuEvent? {
        let name = configuration.name
        switch effect {
        case .sessionStarted:
            await ports.journal?.sessionStarted(terminal: name, at: time.wallNow)
            return nil
        case .sessionEnded(let reason):
            await ports.journal?.sessionEnded(terminal: name, reason: reason, at: time.wallNow)
            return nil
        case .printGuide(let itemID):
            // The guide as the catalog has it now; an item gone by a reload prints nothing.
            let item = sources.catalog().item(id: itemID)
            return await print(item.map { Printable.serviceGuide($0, terminal: name) })
        case .printCertificate(let certificate):
            return await print(.insuranceCertificate(certificate, terminal: name))
        case .printAcceptanceSlip(let slip):
            return await print(.acceptanceSlip(slip))
        case .reprint(let number, let proof):
            guard let printer = ports.printer else { return nil }
            return .printed(await printer.reprint(number: number, proof: proof))
        case .holdPrintJobs(let numbers):
            await ports.printer?.holdUnstarted(numbers: numbers)
            return nil
        case .submitApplication(let draft):
            if let desk = ports.applications, let slip = try? await desk.submit(draft, terminal: name) {
                return .applicationSubmitted(slip)
            }
            logger.error("application not stored")
            return .applicationFailed
        case .rate(let level, let reason, let applicationNumber, let itemID):
            let rating = Rating(
                id: UUID(), level: level, reason: reason, applicationNumber: applicationNumber, itemID: itemID,
                terminal: name, ratedAt: time.wallNow
            )
            guard let desk = ports.applications else { return .ratingFailed }
            do {
                try await desk.rate(rating)
                return .ratingStored
            } catch {
                logger.error("rating not stored")
                return .ratingFailed
            }
        case .queryProgress(let query):
            return .progressAnswered(await ports.applications?.progress(of: query))
        case .lookupInsurance(let idNumber, let personName, let proof):
            let answer = await ports.applications?.insuranceSummary(idNumber: idNumber, name: personName, proof: proof)
            return .insuranceAnswered(answer ?? .unavailable)
        case .requestCode(let idNumber):
            // Never whose: the ID and the phone stay out of the log.
            let answer = await ports.identity?.requestCode(idNumber: idNumber) ?? .unavailable
            logger.notice("one-time code requested", metadata: ["outcome": .string(answer.logWord)])
            return .codeRequested(answer)
        case .verifyCode(let challenge, let code, let idNumber):
            let answer = await ports.identity?.verifyCode(code, challenge: challenge, idNumber: idNumber) ?? .unavailable
            logger.notice("one-time code checked", metadata: ["outcome": .string(answer.logWord)])
            return .codeChecked(answer)
        case .lookupBill(let kind, let account):
            return .billAnswered(await ports.payments?.bill(kind: kind, account: account) ?? .unavailable)
        case .createOrder(let bill):
            let order = await ports.payments?.createOrder(for: bill, terminal: name)
            return .orderCreated(order, order.flatMap { ports.qrCodes?.encode($0.payURL) })
        case .followOrder(let id):
            return .paymentFollowed(await ports.payments?.follow(orderID: id))
        case .cancelOrder(let id):
            return .paymentFollowed(await ports.payments?.cancel(orderID: id))
        }
    }

    /// Prints through the session's printer port and tells the menu what happened; nothing
    /// without a port (the services that print are gated off then).
    private func print(_ printable: Printable?) async -> MenuEvent? {
        guard let printable, let printer = ports.printer else { return nil }
        return .printed(await printer.print(printable))
    }
}
