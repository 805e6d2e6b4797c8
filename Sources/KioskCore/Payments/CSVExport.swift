import Foundation

/// CSV as the exports write it, for people opening them in a spreadsheet and for scripts:
/// UTF-8 with a byte order mark (so Excel reads Chinese as UTF-8), a header line, CRLF
/// after every line, RFC 4180 quoting.
public enum CSVExport {
    /// The byte order mark that starts every export.
    public static let byteOrderMark = "\u{FEFF}"

    /// The whole file: BOM, `header`, then `rows`, each line ended by CRLF.
    public static func document(header: [String], rows: [[String]]) -> String {
        var text = byteOrderMark
        text += line(header)
        for row in rows { text += line(row) }
        return text
    }

    /// One line with its CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// `value` as one CSV field: quoted (with quotes doubled) when it holds a comma, a
    /// quote, CR or LF, or starts or ends with a space; as it is otherwise.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension SettlementReport {
    /// The columns of `csv`.
    public static let csvHeader = [
        "row", "day", "time_zone", "terminal", "item_id", "channel", "count", "amount_yuan", "reversal_count",
        "reversal_yuan", "net_yuan", "first_sequence", "last_sequence", "first_time", "last_time", "chain_head", "reverses",
    ]

    /// The settlement as CSV (see `CSVExport`): one `item` row per item and channel, one
    /// `total` row (present on a zero day too), one `terminal` row per terminal with its
    /// sequences, times and chain head, one `reversal` row per reversal, then the
    /// `unprinted_receipts` and `paid_after_session_ended` counts. Amounts are yuan with two
    /// decimals; times are the hall's, with their offset.
    public var csv: String {
        let format = HallTimeFormat(timeZone: timeZone)
        let day = day.description
        let zone = timeZone.identifier
        func row(_ kind: String, terminal: String = "", item: String = "", channel: String = "", count: String = "",
                 amount: String = "", reversalCount: String = "", reversalYuan: String = "", net: String = "",
                 first: String = "", last: String = "", firstTime: String = "", lastTime: String = "",
                 head: String = "", reverses: String = "") -> [String] {
            [kind, day, zone, terminal, item, channel, count, amount, reversalCount, reversalYuan, net, first, last,
             firstTime, lastTime, head, reverses]
        }
        var rows: [[String]] = lines.map {
            row("item", item: $0.itemID, channel: $0.channel, count: String($0.paymentCount),
                amount: Money.plainYuan($0.paymentFen), reversalCount: String($0.reversalCount),
                reversalYuan: Money.plainYuan($0.reversalFen), net: Money.plainYuan($0.netFen))
        }
        rows.append(row("total", count: String(paymentCount), amount: Money.plainYuan(paymentFen),
                        reversalCount: String(reversalCount), reversalYuan: Money.plainYuan(reversalFen),
                        net: Money.plainYuan(netFen)))
        rows += terminals.map {
            row("terminal", terminal: $0.terminal, count: String($0.recordCount), first: String($0.firstSequence),
                last: String($0.lastSequence), firstTime: format.timestamp($0.firstRecordedAt),
                lastTime: format.timestamp($0.lastRecordedAt), head: $0.head.hash)
        }
        rows += reversals.map {
            row("reversal", terminal: $0.terminal, item: $0.itemID, channel: $0.channel, count: "1",
                reversalYuan: Money.plainYuan($0.amountFen), first: String($0.sequence), last: String($0.sequence),
                firstTime: format.timestamp($0.recordedAt), lastTime: format.timestamp($0.recordedAt),
                reverses: String($0.reverses))
        }
        rows.append(row("unprinted_receipts", count: String(unprintedReceipts)))
        rows.append(row("paid_after_session_ended", count: String(paidAfterSessionEnded)))
        return CSVExport.document(header: Self.csvHeader, rows: rows)
    }
}

/// The ledger export for auditors: every record with every canonical field, so that an
/// independent verifier (`scripts/verify-ledger-export.py`) recomputes each encoding, hash,
/// link and signature, plus two columns for people (the hall's local time and yuan), which
/// the verifier checks against the canonical ones.
public enum LedgerExport {
    /// The columns, canonical fields first (named as in the canonical encoding).
    public static let header = [
        "terminal", "sequence", "recorded_at", "kind", "item_id", "channel", "amount_fen", "currency",
        "order_reference", "masked_account", "reversal_of", "previous_hash", "hash", "signature",
        "recorded_at_local", "amount_yuan",
    ]

    /// `records` as CSV (see `CSVExport`), by terminal then sequence; local times in
    /// `timeZone`. A record whose time is outside the ledger's range shows an empty
    /// `recorded_at` (and fails verification, as it would in the daemon).
    public static func csv(_ records: [LedgerRecord], timeZone: TimeZone) -> String {
        let format = HallTimeFormat(timeZone: timeZone)
        let rows = records.sorted { ($0.terminal, $0.sequence) < ($1.terminal, $1.sequence) }.map { record in
            [
                record.terminal, String(record.sequence),
                LedgerTime.canonical(milliseconds: record.recordedAtMilliseconds) ?? "", record.kind.rawValue,
                record.itemID, record.channel, String(record.amountFen), record.currency, record.orderReference,
                record.maskedAccount, record.reversalOf.map { String($0) } ?? "", record.previousHash, record.hash,
                record.signature, format.timestamp(record.recordedAt), Money.plainYuan(record.amountFen),
            ]
        }
        return CSVExport.document(header: header, rows: rows)
    }
}
