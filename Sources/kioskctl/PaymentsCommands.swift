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
        subcommands: [Verify.self, Key.self, Export.self]
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

/// `kioskctl settlement [DATE] [--export]`: the daily settlement (日结).
struct SettlementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settlement", abstract: "Show one hall day's settlement (日结); --export writes its CSV."
    )

    @Argument(help: "The hall day (YYYY-MM-DD); today when left out.")
    var date: String?

    @Flag(name: .long, help: "Also write the CSV under the state directory's exports/ (admin group).")
    var export = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { try checkDay(date) }

    func run() throws {
        var parameters: [String: JSONValue] = ["export": .bool(export)]
        if let date { parameters["date"] = .string(date) }
        let reply = try connection.call("io.kioskd.Control.Settlement", parameters: .object(parameters))
        if connection.json {
            try connection.printJSON(reply)
            return
        }
        func fen(_ value: JSONValue?, _ key: String) -> String { Money.display(value?[key]?.integerValue ?? 0) }
        func count(_ value: JSONValue?, _ key: String) -> String { "\(value?[key]?.integerValue ?? 0)" }
        print("settlement \(reply["date"]?.stringValue ?? "") (\(reply["time_zone"]?.stringValue ?? ""))")
        let lines = reply["lines"]?.arrayValue ?? []
        if !lines.isEmpty {
            print(Table(header: ["ITEM", "CHANNEL", "PAYMENTS", "AMOUNT", "REVERSALS", "REVERSED", "NET"], rows: lines.map {
                [$0["item"]?.stringValue ?? "", $0["channel"]?.stringValue ?? "", count($0, "payment_count"), fen($0, "payment_fen"),
                 count($0, "reversal_count"), fen($0, "reversal_fen"), fen($0, "net_fen")]
            }).text)
        }
        print("total: \(count(reply, "payment_count")) payments \(fen(reply, "payment_fen")), "
              + "\(count(reply, "reversal_count")) reversals \(fen(reply, "reversal_fen")), net \(fen(reply, "net_fen"))")
        let terminals = reply["terminals"]?.arrayValue ?? []
        if !terminals.isEmpty {
            print(Table(header: ["TERMINAL", "RECORDS", "FIRST", "LAST", "FIRST AT", "LAST AT", "HEAD"], rows: terminals.map {
                [$0["terminal"]?.stringValue ?? "", count($0, "record_count"), count($0, "first_sequence"), count($0, "last_sequence"),
                 $0["first_at"]?.stringValue ?? "", $0["last_at"]?.stringValue ?? "", $0["head"]?.stringValue ?? ""]
            }).text)
        }
        for reversal in reply["reversals"]?.arrayValue ?? [] {
            print("reversal \(reversal["terminal"]?.stringValue ?? "") #\(count(reversal, "sequence")) of "
                  + "#\(count(reversal, "reverses")): \(reversal["item"]?.stringValue ?? "") \(fen(reversal, "amount_fen")) "
                  + "at \(reversal["recorded_at"]?.stringValue ?? "")")
        }
        print("unprinted receipts: \(count(reply, "unprinted_receipts")); paid after the session ended: \(count(reply, "paid_after_session"))")
        if let path = reply["export_path"]?.stringValue { print("exported: \(path)") }
    }
}
