/// Why a ledger record could not be sealed (or encoded): a field the canonical encoding
/// refuses, a rule of its kind broken, or the signing key failing. Nothing was recorded.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case invalidField(field: String, reason: String)
        case sequenceExhausted(terminal: String)
        case signingFailed(String)
    }

    private let kind: Kind

    static func invalidField(_ field: String, _ reason: String) -> LedgerError {
        LedgerError(kind: .invalidField(field: field, reason: reason))
    }

    static func sequenceExhausted(terminal: String) -> LedgerError {
        LedgerError(kind: .sequenceExhausted(terminal: terminal))
    }

    /// The signing port failed; `message` is its own description (never key material).
    public static func signingFailed(_ message: String) -> LedgerError {
        LedgerError(kind: .signingFailed(message))
    }

    /// The canonical name of the refused field ("amount_fen", "order_reference"…), if the
    /// error is about one field.
    public var field: String? {
        if case .invalidField(let field, _) = kind { return field }
        return nil
    }

    public var description: String {
        switch kind {
        case .invalidField(let field, let reason): "ledger field \(field) refused: \(reason)"
        case .sequenceExhausted(let terminal): "ledger of terminal \(terminal) has no sequence number left"
        case .signingFailed(let message): "ledger record could not be signed: \(message)"
        }
    }
}
