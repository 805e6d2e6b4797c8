/// The two printers of a terminal, by what they are for. Each names a CUPS queue in the
/// configuration.
public enum PrintRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// The 80 mm thermal printer: raw ESC/POS with GB18030 text.
    case receipt
    /// The A4 printer: PDF with an embedded CJK font.
    case document
}

/// What a print job prints.
public enum PrintKind: String, Sendable, Hashable, Codable, CaseIterable {
    case acceptanceSlip = "acceptance-slip"
    case paymentReceipt = "payment-receipt"
    case serviceGuide = "service-guide"
    case dailySettlement = "daily-settlement"
    /// 参保证明, from the social-insurance lookup.
    case insuranceCertificate = "insurance-certificate"

    /// True for paper about one citizen (an acceptance slip, a payment receipt, an
    /// insurance certificate): it is held when its session ends before it prints, and
    /// reprinted by others only with proof (a certificate never: only in its own session).
    public var isPersonal: Bool {
        self == .acceptanceSlip || self == .paymentReceipt || self == .insuranceCertificate
    }

    /// The printer a kind goes to: guides and certificates are A4 documents, everything
    /// else is a slip.
    public var role: PrintRole {
        self == .serviceGuide || self == .insuranceCertificate ? .document : .receipt
    }
}
