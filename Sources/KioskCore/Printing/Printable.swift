import Foundation

/// Something a terminal or a technician asks to print, before it is a document.
public enum Printable: Sendable, Hashable {
    case acceptanceSlip(AcceptanceSlip)
    case paymentReceipt(PaymentReceipt)
    case serviceGuide(CatalogItem, terminal: String)
    case dailySettlement(DailySettlement)
    case insuranceCertificate(InsuranceCertificate, terminal: String)

    public var kind: PrintKind {
        switch self {
        case .acceptanceSlip: .acceptanceSlip
        case .paymentReceipt: .paymentReceipt
        case .serviceGuide: .serviceGuide
        case .dailySettlement: .dailySettlement
        case .insuranceCertificate: .insuranceCertificate
        }
    }

    /// What the job belongs to, without personal data: the application or receipt
    /// number, the catalog item, or the settled day and terminal.
    public var reference: String {
        switch self {
        case .acceptanceSlip(let slip): slip.applicationNumber
        case .paymentReceipt(let receipt): receipt.receiptNumber
        case .serviceGuide(let item, _): item.id
        case .dailySettlement(let settlement): "settlement/\(settlement.day)"
        case .insuranceCertificate: "insurance-certificate"
        }
    }
}

extension PrintTemplates {
    /// The request that prints `printable`, rendered (and masked) now.
    public func request(for printable: Printable, at date: Date) -> PrintRequest {
        let document: PrintDocument
        switch printable {
        case .acceptanceSlip(let slip): document = self.document(for: slip)
        case .paymentReceipt(let receipt): document = self.document(for: receipt)
        case .serviceGuide(let item, let terminal): document = self.document(for: item, printedAt: date, terminal: terminal)
        case .dailySettlement(let settlement): document = self.document(for: settlement, printedAt: date)
        case .insuranceCertificate(let certificate, let terminal):
            document = self.document(for: certificate, printedAt: date, terminal: terminal)
        }
        return PrintRequest(kind: printable.kind, reference: printable.reference, document: document)
    }
}

/// Print numbers: "R-000123", the number on the paper that a citizen quotes to reprint.
public enum PrintNumber {
    /// The number of the `sequence`-th job.
    public static func make(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return "R-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The number a citizen or technician typed, forgiving about case, the dash after the
    /// R and leading zeros ("123", "r123", "R-000123" are all "R-000123"); nil if it is
    /// none. Only digits count: "-1" and "+1" are no number (a sign is not the R's dash).
    public static func normalized(_ typed: String) -> String? {
        var text = Substring(typed.filter { !$0.isWhitespace }.uppercased())
        if text.hasPrefix("R") {
            text = text.dropFirst()
            if text.hasPrefix("-") { text = text.dropFirst() }
        }
        guard !text.isEmpty, text.count <= 12, text.allSatisfy({ ("0"..."9").contains($0) }), let value = Int64(text), value > 0
        else { return nil }
        return make(value)
    }
}
