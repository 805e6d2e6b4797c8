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
        var parameters: [String: JSONValue] = ["unprinted": .bool(unprinted)]
        if let date { parameters["date"] = .string(date) }
        let reply = try connection.call("io.kioskd.Control.Payments", parameters: .object(parameters))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        let payments = reply["payments"]?.arrayValue ?? []
        let scope = (date.map { " on \($0)" } ?? "") + (unprinted ? " with an unprinted receipt" : "")
        guard !payments.isEmpty else {
            print("no payments\(scope)")
            return
        }
        let rows = payments.map { payment -> [String] in
            [
                payment["order_number"]?.stringValue ?? "-", payment["terminal"]?.stringValue ?? "",
                "\(payment["sequence"]?.integerValue ?? 0)", payment["item"]?.stringValue ?? "",
                payment["channel"]?.stringValue ?? "", Money.display(payment["amount_fen"]?.integerValue ?? 0),
                payment["paid_at"]?.stringValue ?? "", payment["receipt_number"]?.stringValue ?? "-",
                payment["receipt_printed"]?.boolValue == true ? "yes" : "NO",
                payment["after_session"]?.boolValue == true ? "yes" : "no",
            ]
        }
        let total = payments.reduce(Int64(0)) { $0 + ($1["amount_fen"]?.integerValue ?? 0) }
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
            let reply = try connection.call("io.kioskd.Control.LedgerVerify", parameters: .object(["from": .integer(from)]))
            let intact = reply["ok"]?.boolValue == true
            if connection.json {
                try connection.printJSON(reply)
            } else {
                let verified = reply["verified"]?.integerValue ?? 0
                let breaks = reply["breaks"]?.arrayValue ?? []
                if intact {
                    print("ledger intact: \(verified) record\(verified == 1 ? "" : "s") verified\(from > 1 ? " from #\(from)" : "")")
                } else {
                    print("ledger BROKEN: \(breaks.count) terminal\(breaks.count == 1 ? "" : "s") broken, \(verified) records verified before the breaks")
                    for found in breaks {
                        print("break \(found["terminal"]?.stringValue ?? "") #\(found["sequence"]?.integerValue ?? 0): "
                              + "\(found["description"]?.stringValue ?? "") [\(found["reason"]?.stringValue ?? "")]")
                    }
                }
                let heads = reply["heads"]?.arrayValue ?? []
                if !heads.isEmpty {
                    print(Table(header: ["TERMINAL", "PROVED TO", "HASH"], rows: heads.map {
                        [$0["terminal"]?.stringValue ?? "", "#\($0["sequence"]?.integerValue ?? 0)", $0["hash"]?.stringValue ?? ""]
                    }).text)
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
            let reply = try connection.call("io.kioskd.Control.LedgerKey")
            if connection.json {
                try connection.printJSON(reply)
            } else {
                print(reply["public_key"]?.stringValue ?? "")
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
            let reply = try connection.call("io.kioskd.Control.LedgerExport", parameters: .object(["date": .string(date)]))
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            print("\(reply["records"]?.integerValue ?? 0) records of \(reply["date"]?.stringValue ?? date)")
            print("csv: \(reply["csv_path"]?.stringValue ?? "")")
            print("key: \(reply["key_path"]?.stringValue ?? "")")
            for head in reply["heads"]?.arrayValue ?? [] {
                print("head: \(head["terminal"]?.stringValue ?? ""):\(head["sequence"]?.integerValue ?? 0):\(head["hash"]?.stringValue ?? "")")
            }
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
            var parameters: [String: JSONValue] = ["sequence": .integer(sequence), "reason": .string(reason)]
            if let terminal { parameters["terminal"] = .string(terminal) }
            let reply = try connection.call("io.kioskd.Control.ReversePayment", parameters: .object(parameters))
            if connection.json {
                try connection.printJSON(reply)
                return
            }
            print("reversed \(reply["terminal"]?.stringValue ?? "") #\(reply["reverses"]?.integerValue ?? 0) "
                  + "as #\(reply["sequence"]?.integerValue ?? 0): \(reply["item"]?.stringValue ?? "") "
                  + "\(reply["channel"]?.stringValue ?? "") \(Money.display(reply["amount_fen"]?.integerValue ?? 0))")
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
        var parameters: [String: JSONValue] = ["export": .bool(export), "print": .bool(print)]
        if let date { parameters["date"] = .string(date) }
        let reply = try connection.call("io.kioskd.Control.Settlement", parameters: .object(parameters))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        for line in Self.lines(reply) { kioskctl.print(line) }
    }

    /// The reply as technicians read it.
    static func lines(_ reply: JSONValue) -> [String] {
        func fen(_ value: JSONValue?, _ key: String) -> String { Money.display(value?[key]?.integerValue ?? 0) }
        func count(_ value: JSONValue?, _ key: String) -> String { "\(value?[key]?.integerValue ?? 0)" }
        func text(_ value: JSONValue?, _ key: String) -> String { value?[key]?.stringValue ?? "" }
        var out: [String] = []
        out.append("settlement \(text(reply, "date")) (\(text(reply, "time_zone"))): \(text(reply, "state"))")
        out.append("period: \(text(reply, "period_start")) to \(text(reply, "period_end"))")
        switch text(reply, "state") {
        case "open": out.append("books close at \(text(reply, "closes_at")); the report is the day so far")
        case "unsettled": out.append("closed at \(text(reply, "closes_at")), not settled (--print settles and prints it)")
        default:
            out.append("settled at \(text(reply, "settled_at")) by \(text(reply, "settled_by")), report hash \(text(reply, "report_hash"))")
        }
        let lines = reply["lines"]?.arrayValue ?? []
        if !lines.isEmpty {
            out.append(Table(header: ["ITEM", "CHANNEL", "PAYMENTS", "AMOUNT", "REVERSALS", "REVERSED", "NET"], rows: lines.map {
                [text($0, "item"), text($0, "channel"), count($0, "payment_count"), fen($0, "payment_fen"),
                 count($0, "reversal_count"), fen($0, "reversal_fen"), fen($0, "net_fen")]
            }).text)
        }
        out.append("total: \(count(reply, "payment_count")) payments \(fen(reply, "payment_fen")), "
                   + "\(count(reply, "reversal_count")) reversals \(fen(reply, "reversal_fen")), net \(fen(reply, "net_fen"))")
        let terminals = reply["terminals"]?.arrayValue ?? []
        if !terminals.isEmpty {
            out.append(Table(header: ["TERMINAL", "RECORDS", "FIRST", "LAST", "FIRST AT", "LAST AT", "HEAD"], rows: terminals.map {
                [text($0, "terminal"), count($0, "record_count"), count($0, "first_sequence"), count($0, "last_sequence"),
                 text($0, "first_at"), text($0, "last_at"), text($0, "head")]
            }).text)
        }
        for reversal in reply["reversals"]?.arrayValue ?? [] {
            out.append("reversal \(text(reversal, "terminal")) #\(count(reversal, "sequence")) of "
                       + "#\(count(reversal, "reverses")): \(text(reversal, "item")) \(fen(reversal, "amount_fen")) "
                       + "at \(text(reversal, "recorded_at"))")
        }
        out.append("unprinted receipts: \(count(reply, "unprinted_receipts")); paid after the session ended: \(count(reply, "paid_after_session"))")
        if let slip = reply["print"], slip != .null {
            out.append("slip: \(text(slip, "number")) \(text(slip, "state"))")
        } else if text(reply, "state") == "settled" {
            out.append("slip: not printed")
        }
        if let forward = reply["forward"], forward != .null {
            var line = "centre: \(text(forward, "state")) after \(count(forward, "attempts")) tr\(forward["attempts"]?.integerValue == 1 ? "y" : "ies")"
            if text(forward, "state") == "pending", let next = forward["next_attempt_at"]?.stringValue { line += ", next try \(next)" }
            if let error = forward["last_error"]?.stringValue { line += " (\(error))" }
            out.append(line)
        }
        if let centre = reply["centre"], centre != .null {
            out.append("centre answered \(text(centre, "result")) at \(text(centre, "received_at"))")
            let differences = centre["differences"]?.arrayValue ?? []
            if !differences.isEmpty {
                out.append(Table(header: ["ITEM", "KIOSK", "KIOSK AMOUNT", "CENTRE", "CENTRE AMOUNT"], rows: differences.map {
                    [text($0, "item"), count($0, "kiosk_count"), fen($0, "kiosk_fen"), count($0, "centre_count"), fen($0, "centre_fen")]
                }).text)
            }
            for order in centre["orders"]?.arrayValue ?? [] {
                out.append("order \(order["order_number"]?.stringValue ?? text(order, "order_id")) \(text(order, "item")) "
                           + "\(fen(order, "amount_fen")): \(word(order["side"], as: SettlementAnswer.OrderDifference.Side.self))")
            }
        }
        if let fault = reply["fault"]?.stringValue {
            out.append(fault == "mismatch"
                ? "FAULT: the centre's paid orders differ from this kiosk's payments"
                : "FAULT: the centre refused this settlement")
        }
        if let printed = reply["printed"], printed != .null {
            out.append("printed: \(text(printed, "number")) \(text(printed, "result"))")
        }
        if let path = reply["export_path"]?.stringValue { out.append("exported: \(path)") }
        return out
    }
}
