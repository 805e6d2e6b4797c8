import Foundation

/// The canonical encoding of a settlement: the bytes whose SHA-256 is its report hash,
/// stored with the settlement, printed on the slip and sent to the centre. It holds the
/// ledger's facts of the period only (not the receipt counts, which change when a receipt
/// is reprinted), so the same period of the same ledger always has the same hash.
///
/// ```
/// kioskd-settlement-v1
/// day=2026-11-23
/// time_zone=Asia/Shanghai
/// period_start=2026-11-22T15:55:00.000Z
/// period_end=2026-11-23T15:55:00.000Z
/// totals=2<TAB>24690<TAB>1<TAB>-12345
/// line=bill-water<TAB>wechat<TAB>2<TAB>24690<TAB>1<TAB>-12345
/// terminal=hall-1<TAB>3<TAB>1<TAB>3<TAB>HASH
/// reversal=hall-1<TAB>3<TAB>1<TAB>bill-water<TAB>wechat<TAB>-12345
/// payment=hall-1<TAB>1<TAB>ORDER-UUID<TAB>bill-water<TAB>wechat<TAB>12345
/// ```
///
/// UTF-8, one LF after every line; lines in this order, `line`s by item and channel, the
/// others by terminal and sequence. Fields within a line are separated by one TAB, which
/// a ledger text value can never hold (`LedgerRecord.canonicalTextProblem`).
extension SettlementReport {
    /// The first line, naming the encoding's version.
    public static let canonicalVersion = "kioskd-settlement-v1"

    /// The canonical bytes of this report.
    public var canonicalBytes: [UInt8] {
        var text = Self.canonicalVersion + "\n"
        func line(_ key: String, _ fields: [String]) {
            text += key + "=" + fields.joined(separator: "\t") + "\n"
        }
        func time(_ date: Date) -> String {
            LedgerTime.canonical(milliseconds: LedgerTime.milliseconds(of: date)) ?? "-"
        }
        line("day", [day.description])
        line("time_zone", [timeZone.identifier])
        line("period_start", [time(periodStart)])
        line("period_end", [time(periodEnd)])
        line("totals", [String(paymentCount), String(paymentFen), String(reversalCount), String(reversalFen)])
        for item in lines {
            line("line", [item.itemID, item.channel, String(item.paymentCount), String(item.paymentFen),
                          String(item.reversalCount), String(item.reversalFen)])
        }
        for span in terminals {
            line("terminal", [span.terminal, String(span.recordCount), String(span.firstSequence), String(span.lastSequence),
                              span.head.hash])
        }
        for reversal in reversals {
            line("reversal", [reversal.terminal, String(reversal.sequence), String(reversal.reverses), reversal.itemID,
                              reversal.channel, String(reversal.amountFen)])
        }
        for payment in payments {
            line("payment", [payment.terminal, String(payment.sequence), payment.orderReference, payment.itemID,
                             payment.channel, String(payment.amountFen)])
        }
        return Array(text.utf8)
    }

    /// Lowercase hex of SHA-256 over `canonicalBytes`, through the ledger's crypto port.
    public func hash(with crypto: any LedgerCrypto) -> String {
        LedgerHex.encode(crypto.sha256(canonicalBytes))
    }
}
