/// The canonical encoding: the exact bytes whose SHA-256 is a record's `hash`. The same
/// specification, for readers outside Swift, is `LEDGER-FORMAT.md` beside this file; the
/// two change together, and only with a new version line.
///
/// ```
/// kioskd-ledger-v1
/// terminal=hall-1
/// sequence=1
/// recorded_at=2026-11-23T06:05:09.120Z
/// kind=payment
/// item_id=water-bill
/// channel=qr
/// amount_fen=12345
/// currency=CNY
/// order_reference=7d0c8f4e-…
/// masked_account=3101****5678
/// reversal_of=
/// previous_hash=0000…0000
/// ```
///
/// Thirteen lines of UTF-8, each ended by one LF (0x0A), the last one too; no BOM, no CR.
/// Keys are fixed and in this order; a value is everything after the first `=` of its
/// line. Integers are decimal ASCII without leading zeros or `+` (a `-` for negatives),
/// `reversal_of` is empty for a payment. Text values are written as they are, never
/// escaped or normalised: instead a text value that could blur the encoding (or a CSV
/// export) is **refused** when the record is sealed — see `canonicalTextProblem`.
extension LedgerRecord {
    /// The first line, naming the encoding's version.
    public static let canonicalVersion = "kioskd-ledger-v1"

    /// The most UTF-8 bytes a text value may have.
    public static let maximumTextBytes = 256

    /// The canonical bytes of this record (its `hash` and `signature` are not part of them).
    /// Throws `LedgerError` naming the field when one cannot be encoded unambiguously.
    public func canonicalBytes() throws -> [UInt8] {
        guard sequence >= 1 else { throw LedgerError.invalidField("sequence", "must be 1 or more") }
        guard let time = LedgerTime.canonical(milliseconds: recordedAtMilliseconds) else {
            throw LedgerError.invalidField("recorded_at", "outside 1970-01-01 to 9999-12-31 UTC")
        }
        func check(_ name: String, _ value: String, mayBeEmpty: Bool = false) throws {
            if let problem = Self.canonicalTextProblem(value, mayBeEmpty: mayBeEmpty) {
                throw LedgerError.invalidField(name, problem)
            }
        }
        try check("terminal", terminal)
        try check("item_id", itemID)
        try check("channel", channel)
        try check("order_reference", orderReference)
        try check("masked_account", maskedAccount, mayBeEmpty: true)
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
        else { throw LedgerError.invalidField("currency", "must be three capital letters (ISO 4217)") }
        guard LedgerHex.isHex(previousHash, byteCount: 32) else {
            throw LedgerError.invalidField("previous_hash", "must be 64 lowercase hex digits")
        }

        var bytes = [UInt8]()
        bytes.reserveCapacity(320)
        func line(_ key: String, _ value: String) {
            bytes.append(contentsOf: key.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: value.utf8)
            bytes.append(0x0A)
        }
        bytes.append(contentsOf: Self.canonicalVersion.utf8)
        bytes.append(0x0A)
        line("terminal", terminal)
        line("sequence", String(sequence))
        line("recorded_at", time)
        line("kind", kind.rawValue)
        line("item_id", itemID)
        line("channel", channel)
        line("amount_fen", String(amountFen))
        line("currency", currency)
        line("order_reference", orderReference)
        line("masked_account", maskedAccount)
        line("reversal_of", reversalOf.map { String($0) } ?? "")
        line("previous_hash", previousHash)
        return bytes
    }

    /// Why `value` cannot be a canonical text value, or nil when it can. Refused: the empty
    /// text (unless `mayBeEmpty`), more than `maximumTextBytes` UTF-8 bytes, any control
    /// character (C0 including LF and CR, DEL, C1), bidirectional overrides and isolates,
    /// U+2028/U+2029 (the same set `UntrustedText` removes from screens), and a first
    /// character `=`, `+`, `-` or `@`, which spreadsheets opening the CSV export would run
    /// as a formula. `=` elsewhere is fine: keys are fixed, and a value runs from the first
    /// `=` of its line to the LF.
    public static func canonicalTextProblem(_ value: String, mayBeEmpty: Bool = false) -> String? {
        if value.isEmpty { return mayBeEmpty ? nil : "must not be empty" }
        if value.utf8.count > maximumTextBytes { return "longer than \(maximumTextBytes) bytes" }
        if let unsafe = value.unicodeScalars.first(where: { !UntrustedText.isSafe($0) }) {
            return "holds the control or layout character U+\(String(unsafe.value, radix: 16, uppercase: true))"
        }
        if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
            return "must not start with \(first) (a spreadsheet formula)"
        }
        return nil
    }

    /// Why this record breaks the rules of its kind, or nil: a payment has a positive amount
    /// and no `reversalOf`; a reversal has a negative amount and reverses an earlier
    /// sequence of its terminal.
    public var kindProblem: (field: String, reason: String)? {
        switch kind {
        case .payment:
            if amountFen <= 0 { return ("amount_fen", "a payment's amount must be positive") }
            if reversalOf != nil { return ("reversal_of", "a payment reverses nothing") }
        case .reversal:
            if amountFen >= 0 || amountFen == .min { return ("amount_fen", "a reversal's amount must be negative") }
            guard let target = reversalOf else { return ("reversal_of", "a reversal must name the payment it reverses") }
            if target < 1 || target >= sequence { return ("reversal_of", "a reversal must name an earlier sequence") }
        }
        return nil
    }
}
