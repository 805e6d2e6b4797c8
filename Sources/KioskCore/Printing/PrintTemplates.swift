import Foundation

/// The four templates of printed documents, and how each is filled from KioskCore types.
/// Personal data is masked here, before anything becomes a document: a document is what
/// gets stored for reprints and sent to CUPS.
public struct PrintTemplates: Sendable {
    public let acceptanceSlip: PrintTemplate
    public let paymentReceipt: PrintTemplate
    public let serviceGuide: PrintTemplate
    public let dailySettlement: PrintTemplate
    /// The time zone dates are printed in (the hall's).
    public let timeZone: TimeZone

    /// The template file names in `Resources/templates/`, without ".txt".
    public static let names = ["acceptance-slip", "payment-receipt", "service-guide", "daily-settlement"]

    /// Templates from their texts, keyed by the names in `names`; a missing one is empty.
    public init(texts: [String: String], timeZone: TimeZone) {
        func template(_ name: String) -> PrintTemplate { PrintTemplate(name: name, text: texts[name] ?? "") }
        acceptanceSlip = template("acceptance-slip")
        paymentReceipt = template("payment-receipt")
        serviceGuide = template("service-guide")
        dailySettlement = template("daily-settlement")
        self.timeZone = timeZone
    }

    /// The acceptance slip (受理回执) of an application: name and ID masked.
    public func document(for slip: AcceptanceSlip) -> PrintDocument {
        acceptanceSlip.render([
            "application_number": .text(slip.applicationNumber),
            "item_name": .text(slip.itemName.chinese),
            "item_name_en": .text(slip.itemName.english),
            "applicant_name": .text(Masking.name(slip.applicantName)),
            "applicant_id": .text(Masking.idNumber(slip.applicantID)),
            "submitted_at": .text(format(slip.submittedAt)),
            "time_limit": .text(slip.kind == .immediate ? "0" : String(slip.timeLimitDays)),
            "kind": .choice(slip.kind.rawValue),
            "delivery": .choice(slip.delivery.rawValue),
            "terminal": .text(slip.terminal),
        ])
    }

    /// The receipt of a payment: the payer's phone masked.
    public func document(for receipt: PaymentReceipt) -> PrintDocument {
        paymentReceipt.render([
            "receipt_number": .text(receipt.receiptNumber),
            "item_name": .text(receipt.itemName.chinese),
            "item_name_en": .text(receipt.itemName.english),
            "amount": .text(Money.display(receipt.amountFen)),
            "channel": .choice(receipt.channel),
            "account": .text(receipt.maskedAccount),
            "paid_at": .text(format(receipt.paidAt)),
            "terminal": .text(receipt.terminal),
            "sequence": .text(String(receipt.sequence)),
            "short_hash": .text(receipt.shortHash),
            "verification": .text(receipt.verificationData),
        ])
    }

    /// The service guide (办事指南) of a catalog item, in Chinese with English names.
    public func document(for item: CatalogItem, printedAt: Date, terminal: String) -> PrintDocument {
        serviceGuide.render([
            "item_id": .text(item.id),
            "item_name": .text(item.name.chinese),
            "item_name_en": .text(item.name.english),
            "department": .text(item.department.chinese),
            "kind": .choice(item.kind.rawValue),
            "time_limit": .text(String(item.timeLimitDays)),
            "fee": .text(Money.yuan(item.feeFen)),
            "location": .text(item.location.chinese),
            "materials": .list(item.materials.enumerated().map { "\($0.offset + 1). \($0.element.chinese)" }),
            "printed_at": .text(format(printedAt)),
            "terminal": .text(terminal),
        ])
    }

    /// The daily settlement (日结) of a terminal.
    public func document(for settlement: DailySettlement, printedAt: Date) -> PrintDocument {
        dailySettlement.render([
            "day": .text(settlement.day),
            "terminal": .text(settlement.terminal),
            "totals": .list(settlement.totals.map { "\($0.item) \($0.channel) ×\($0.count) \(Money.yuan($0.totalFen))" }),
            "count": .text(String(settlement.count)),
            "total": .text(Money.yuan(settlement.totalFen)),
            "first_sequence": .text(String(settlement.firstSequence)),
            "last_sequence": .text(String(settlement.lastSequence)),
            "chain_head": .text(settlement.chainHead),
            "printed_at": .text(format(printedAt)),
        ])
    }

    /// "2026-11-23 14:05" in the hall's time zone.
    func format(_ date: Date) -> String {
        HallTimeFormat(timeZone: timeZone).minute(date)
    }
}
