import ArgumentParser
import KioskControl
import KioskCore

/// A `YYYY-MM-DD` argument, checked before the daemon is asked.
private func checkDay(_ text: String?) throws {
    if let text, CalendarDate(parsing: text) == nil {
        throw ValidationError("'\(text)' is not a day; use YYYY-MM-DD")
    }
}

/// `kioskctl payments [--date D] [--unprinted]`: paid orders, newest first.
struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments", abstract: "List paid orders, newest first (no personal data).",
        discussion: "A payment belongs to the hall day of its ledger record. Unprinted receipts are reprinted with `kioskctl reprint NUMBER`."
    )

    @Option(name: .long, help: "Only payments of this hall day (YYYY-MM-DD).")
    var date: String?

    @Flag(name: .long, help: "Only payments whose receipt did not print.")
    var unprinted = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { try checkDay(date) }

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Payments.self, .init(date: date, unprinted: unprinted))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        let payments = reply.payments
        let scope = (date.map { " on \($0)" } ?? "") + (unprinted ? " with an unprinted receipt" : "")
        guard !payments.isEmpty else {
            print("no payments\(scope)")
            return
        }
        let rows = payments.map { payment -> [String] in
            [
                payment.orderNumber ?? "-", payment.terminal, "\(payment.sequence)", payment.item, payment.channel,
                Money.display(payment.amountFen), payment.paidAt, payment.receiptNumber ?? "-",
                payment.receiptPrinted ? "yes" : "NO", payment.afterSession ? "yes" : "no",
            ]
        }
        let total = payments.reduce(Int64(0)) { $0 + $1.amountFen }
        print(Table(
            header: ["ORDER", "TERMINAL", "SEQ", "ITEM", "CHANNEL", "AMOUNT", "PAID AT", "RECEIPT", "PRINTED", "AFTER SESSION"],
            rows: rows
        ).text)
        print("\(payments.count) payment\(payments.count == 1 ? "" : "s")\(scope), \(Money.display(total))")
    }
}

/// `kioskctl ledger verify|key|export`: the tamper-evident payment ledger.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Verify the payment ledger, show its public key, export a day for auditors.",
        subcommands: [Verify.self, Key.self, Export.self, Reverse.self]
    )

    /// `kioskctl ledger verify [--from SEQ]`: exit 0 when intact, 65 on a break.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check every record's sequence, link, hash and signature.",
            discussion: "Exits 0 when every terminal's chain is intact, 65 (EX_DATAERR) when one is broken; the first break is named by terminal, record and reason."
        )

        @Option(name: .long, help: "Start at this sequence of each terminal (the record before it is trusted).")
        var from: Int64 = 1

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard from >= 1 else { throw ValidationError("--from must be 1 or more") }
        }

        func run() throws {
            let (reply, json) = try connection.call(ControlMethods.LedgerVerify.self, .init(from: from))
            let intact = reply.ok
            if connection.json {
                try connection.printJSON(json)
            } else {
                let verified = reply.verified
                let breaks = reply.breaks
                if intact {
                    print("ledger intact: \(verified) record\(verified == 1 ? "" : "s") verified\(from > 1 ? " from #\(from)" : "")")
                } else {
                    print("ledger BROKEN: \(breaks.count) terminal\(breaks.count == 1 ? "" : "s") broken, \(verified) records verified before the breaks")
                    for found in breaks {
                        print("break \(found.terminal) #\(found.sequence): \(found.description) [\(found.reason)]")
                    }
                }
                if !reply.heads.isEmpty {
                    print(Table(header: ["TERMINAL", "PROVED TO", "HASH"], rows: reply.heads.map { [$0.terminal, "#\($0.sequence)", $0.hash] }).text)
                }
            }
            if !intact { throw ExitCode(65) }  // EX_DATAERR
        }
    }

    /// `kioskctl ledger key`: the public key for registration at the centre.
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key", abstract: "Print the kiosk's Ed25519 ledger public key (base64)."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let (reply, json) = try connection.call(ControlMethods.LedgerKey.self)
            if connection.json {
                try connection.printJSON(json)
            } else {
                print(reply.publicKey)
            }
        }
    }

    /// `kioskctl ledger export --date D`: the day's CSV and the public key, for auditors.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write one hall day's ledger as CSV, with the public key (admin group).",
            discussion: """
                The files are written by kioskd under its state directory: exports/ledger-DATE.csv and \
                exports/ledger-DATE.key, mode 0600. Check them with scripts/verify-ledger-export.py \
                (--public-key-file and each --head printed here).
                """
        )

        @Option(name: .long, help: "The hall day (YYYY-MM-DD).")
        var date: String

        @OptionGroup var connection: ConnectionOptions

        func validate() throws { try checkDay(date) }

        func run() throws {
            let (reply, json) = try connection.call(ControlMethods.LedgerExport.self, .init(date: date))
            if connection.json {
                try connection.printJSON(json)
                return
            }
            print("\(reply.records) records of \(reply.date)")
            print("csv: \(reply.csvPath)")
            print("key: \(reply.keyPath)")
            for head in reply.heads { print("head: \(head.terminal):\(head.sequence):\(head.hash)") }
        }
    }
}

extension LedgerCommand {
    /// `kioskctl ledger reverse SEQ [--terminal NAME] --reason TEXT`: a reversal record.
    struct Reverse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reverse", abstract: "Reverse a payment with a new ledger record (admin group).",
            discussion: """
                Appends a reversal to the payment's terminal: same item and channel, the negated amount, pointing \
                at the payment. A payment is reversed once; a reversal cannot be reversed. The reason is kept in \
                the audit log with every run of five or more digits masked: do not write names in it.
                """
        )

        @Argument(help: "The payment's ledger sequence (see `kioskctl payments`).")
        var sequence: Int64

        @Option(name: .long, help: "The payment's terminal; needed when several terminals have that sequence.")
        var terminal: String?

        @Option(name: .long, help: "Why (at most 200 characters), e.g. \"refunded at the counter\".")
        var reason: String

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard sequence >= 1 else { throw ValidationError("the sequence must be 1 or more") }
            if let problem = LedgerReversal.reasonProblem(reason) { throw ValidationError("--reason: \(problem)") }
        }

        func run() throws {
            let parameters = ControlMethods.ReversePayment.Parameters(terminal: terminal, sequence: sequence, reason: reason)
            let (reply, json) = try connection.call(ControlMethods.ReversePayment.self, parameters)
            if connection.json {
                try connection.printJSON(json)
                return
            }
            print("reversed \(reply.terminal) #\(reply.reverses) as #\(reply.sequence): \(reply.item) \(reply.channel) \(Money.display(reply.amountFen))")
        }
    }
}

/// `kioskctl settlement [DATE] [--print] [--export]`: the daily settlement (日结).
struct SettlementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settlement", abstract: "Show one hall day's settlement (日结) and where it stands; --print prints its slip, --export writes its CSV.",
        discussion: """
            A day's books close at [payments] settlement_time; its settlement covers the payments from the \
            previous day's closing to its own. A settled day shows what was stored, printed and forwarded, \
            and the centre's answer: a mismatch or a refusal is a FAULT.
            """
    )

    @Argument(help: "The hall day (YYYY-MM-DD); the day still open when left out.")
    var date: String?

    @Flag(name: .long, help: "Print the day's slip on the receipt printer, settling a closed day first (admin group).")
    var print = false

    @Flag(name: .long, help: "Also write the CSV under the state directory's exports/ (admin group).")
    var export = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { try checkDay(date) }

    func run() throws {
        let (reply, json) = try connection.call(ControlMethods.Settlement.self, .init(date: date, export: export, print: print))
        if connection.json {
            try connection.printJSON(json)
            return
        }
        for line in Self.lines(reply) { kioskctl.print(line) }
    }

    /// The reply as technicians read it.
    static func lines(_ reply: SettlementReply) -> [String] {
        func fen(_ amount: Int64) -> String { Money.display(amount) }
        var out: [String] = []
        out.append("settlement \(reply.date) (\(reply.timeZone)): \(reply.state)")
        out.append("period: \(reply.periodStart) to \(reply.periodEnd)")
        switch reply.state {
        case "open": out.append("books close at \(reply.closesAt); the report is the day so far")
        case "unsettled": out.append("closed at \(reply.closesAt), not settled (--print settles and prints it)")
        default:
            out.append("settled at \(reply.settledAt ?? "") by \(reply.settledBy ?? ""), report hash \(reply.reportHash ?? "")")
        }
        if !reply.lines.isEmpty {
            out.append(Table(header: ["ITEM", "CHANNEL", "PAYMENTS", "AMOUNT", "REVERSALS", "REVERSED", "NET"], rows: reply.lines.map {
                [$0.item, $0.channel, "\($0.paymentCount)", fen($0.paymentFen), "\($0.reversalCount)", fen($0.reversalFen), fen($0.netFen)]
            }).text)
        }
        out.append("total: \(reply.paymentCount) payments \(fen(reply.paymentFen)), "
                   + "\(reply.reversalCount) reversals \(fen(reply.reversalFen)), net \(fen(reply.netFen))")
        if !reply.terminals.isEmpty {
            out.append(Table(header: ["TERMINAL", "RECORDS", "FIRST", "LAST", "FIRST AT", "LAST AT", "HEAD"], rows: reply.terminals.map {
                [$0.terminal, "\($0.recordCount)", "\($0.firstSequence)", "\($0.lastSequence)", $0.firstAt, $0.lastAt, $0.head]
            }).text)
        }
        for reversal in reply.reversals {
            out.append("reversal \(reversal.terminal) #\(reversal.sequence) of #\(reversal.reverses): \(reversal.item) "
                       + "\(fen(reversal.amountFen)) at \(reversal.recordedAt)")
        }
        out.append("unprinted receipts: \(reply.unprintedReceipts); paid after the session ended: \(reply.paidAfterSession)")
        if let slip = reply.print {
            out.append("slip: \(slip.number) \(slip.state)")
        } else if reply.state == "settled" {
            out.append("slip: not printed")
        }
        if let forward = reply.forward {
            var line = "centre: \(forward.state) after \(forward.attempts) tr\(forward.attempts == 1 ? "y" : "ies")"
            if forward.state == "pending", let next = forward.nextAttemptAt { line += ", next try \(next)" }
            if let error = forward.lastError { line += " (\(error))" }
            out.append(line)
        }
        if let centre = reply.centre {
            out.append("centre answered \(centre.result) at \(centre.receivedAt)")
            if !centre.differences.isEmpty {
                out.append(Table(header: ["ITEM", "KIOSK", "KIOSK AMOUNT", "CENTRE", "CENTRE AMOUNT"], rows: centre.differences.map {
                    [$0.item, "\($0.kioskCount)", fen($0.kioskFen), "\($0.centreCount)", fen($0.centreFen)]
                }).text)
            }
            for order in centre.orders {
                out.append("order \(order.orderNumber ?? order.orderId) \(order.item) \(fen(order.amountFen)): "
                           + word(order.side, as: SettlementAnswer.OrderDifference.Side.self))
            }
        }
        if let fault = reply.fault {
            out.append(fault == "mismatch"
                ? "FAULT: the centre's paid orders differ from this kiosk's payments"
                : "FAULT: the centre refused this settlement")
        }
        if let printed = reply.printed { out.append("printed: \(printed.number) \(printed.result)") }
        if let path = reply.exportPath { out.append("exported: \(path)") }
        return out
    }
}
