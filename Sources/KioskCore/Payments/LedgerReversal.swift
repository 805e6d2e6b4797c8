import Foundation

/// What asking to reverse a ledger payment ended with. A reversal is a new record
/// (`LedgerEntry.reversal(of:…)`) appended to the payment's terminal: the ledger itself is
/// never changed.
public enum LedgerReversal: Sendable, Hashable {
    /// Recorded: `reversal` points at `original` with the negated amount.
    case recorded(original: LedgerRecord, reversal: LedgerRecord)
    /// No record has that sequence (on that terminal).
    case noSuchRecord
    /// The record is not a payment (a reversal cannot be reversed).
    case notAPayment(LedgerRecord)
    /// The payment was reversed before, by `by`.
    case alreadyReversed(original: LedgerRecord, by: LedgerRecord)
    /// Several terminals have a record with that sequence: the terminal must be named.
    case ambiguous(terminals: [String])

    /// Why a technician's reason cannot be recorded, or nil: it must be 1 to 200
    /// characters of text without control or layout characters.
    public static func reasonProblem(_ reason: String) -> String? {
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "a reason is required" }
        if trimmed.count > 200 { return "at most 200 characters" }
        if trimmed.unicodeScalars.contains(where: { !UntrustedText.isSafe($0) }) {
            return "control or layout characters are not allowed"
        }
        return nil
    }

    /// The reason as the audit log keeps it: trimmed, and every run of five or more digits
    /// (an ID, phone or account number typed in by mistake) replaced by asterisks, so the
    /// audit holds no personal number.
    public static func auditedReason(_ reason: String) -> String {
        var result = ""
        var digits = ""
        func flush() {
            result += digits.count >= 5 ? String(repeating: "*", count: digits.count) : digits
            digits = ""
        }
        for character in reason.trimmingCharacters(in: .whitespaces) {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}
