import Foundation

/// The four templates of printed documents, and how each is filled from KioskCore types.
/// Personal data is masked here, before anything becomes a document: a document is what
/// gets stored for reprints and sent to CUPS.
public struct PrintTemplates: Sendable {
    public let acceptanceSlip: PrintTemplate
    public let paymentReceipt: PrintTemplate
    public let serviceGuide: PrintTemplate
    public let dailySettlement: PrintTemplate
    public let insuranceCertificate: PrintTemplate
    /// The time zone dates are printed in (the hall's).
    public let timeZone: TimeZone
    /// The hall's name, address and hotline, on every acceptance slip.
    public let hall: HallInfo

    /// The template file names in `Resources/templates/`, without ".txt".
    public static let names = ["acceptance-slip", "payment-receipt", "service-guide", "daily-settlement", "insurance-certificate"]

    /// Templates from their texts, keyed by the names in `names`; a missing one is empty.
    public init(texts: [String: String], timeZone: TimeZone, hall: HallInfo = HallInfo()) {
        self.hall = hall
        func template(_ name: String) -> PrintTemplate { PrintTemplate(name: name, text: texts[name] ?? "") }
        acceptanceSlip = template("acceptance-slip")
        paymentReceipt = template("payment-receipt")
        serviceGuide = template("service-guide")
        dailySettlement = template("daily-settlement")
        insuranceCertificate = template("insurance-certificate")
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
            "kind": .choice(slip.kind.rawValue),
            "due": .list(slip.kind == .immediate || slip.timeLimitDays == 0 ? [] : [due(slip)]),
            "immediate": .list(slip.kind == .immediate || slip.timeLimitDays == 0 ? [""] : []),
            "fee": slip.feeFen == 0 ? .choice("free") : .text(Money.yuan(slip.feeFen)),
            // A bank desk's pickup is at the branch, not at the hall's window.
            "delivery": .choice(slip.delivery == .pickup && slip.profile == .enterprise ? "pickup-branch" : slip.delivery.rawValue),
            "sub_items_heading": .list(slip.subItems.isEmpty ? [] : [""]),
            "sub_items": .list(slip.subItems.map(Self.slipLine)),
            "department": .list(slip.department.chinese.isEmpty ? [] : [slip.department.chinese]),
            "zero_material": .list(slip.zeroMaterial ? [""] : []),
            "materials_required": .list(!slip.zeroMaterial && !slip.materials.isEmpty && !slip.consentToGaps ? [""] : []),
            "materials_missing": .list(!slip.zeroMaterial && !slip.materials.isEmpty && slip.consentToGaps ? [""] : []),
            "materials": .list(slip.zeroMaterial ? [] : slip.materials.map(\.chinese)),
            "gaps_deadline": .list(slip.consentToGaps && !slip.zeroMaterial ? [gapDeadline(slip)] : []),
            "hall_name": .list(hall.name.isEmpty ? [] : [hall.name]),
            "hall_address": .list(hall.address.isEmpty ? [] : [hall.address]),
            "hall_hotline": .list(hall.hotline.isEmpty ? [] : [hall.hotline]),
            "terminal": .text(slip.terminal),
        ])
    }

    /// A sub-item on the slip: "印章刻制 Seal engraving（公安局）".
    static func slipLine(_ subItem: SubItem) -> String {
        var line = subItem.name.chinese
        if !subItem.name.english.isEmpty, subItem.name.english != subItem.name.chinese { line += " " + subItem.name.english }
        if let department = subItem.department?.chinese, !department.isEmpty { line += "（\(department)）" }
        return line
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

    /// The daily settlement slip (日结单) of the kiosk: amounts as ¥, hashes short (the
    /// first 16 hex digits, as on receipts).
    public func document(for settlement: DailySettlement, printedAt: Date) -> PrintDocument {
        func short(_ hash: String) -> String { String(hash.prefix(16)) }
        let totals = settlement.totals.isEmpty
            ? ["—"]
            : settlement.totals.map { total in
                var text = "\(total.item) \(total.channel) ×\(total.count) \(Money.display(total.paymentFen))"
                if total.reversalCount > 0 { text += " / ×\(total.reversalCount) \(Money.display(total.reversalFen))" }
                return text
            }
        let spans = settlement.spans.isEmpty
            ? ["—"]
            : settlement.spans.map { "\($0.terminal) #\($0.firstSequence)–#\($0.lastSequence) \(short($0.head))" }
        let reversals = settlement.reversals.isEmpty
            ? ["—"]
            : settlement.reversals.map { "\($0.terminal) #\($0.sequence) → #\($0.reverses) \($0.item) \(Money.display($0.amountFen))" }
        return dailySettlement.render([
            "day": .text(settlement.day),
            "period": .text("\(format(settlement.periodStart)) – \(format(settlement.periodEnd))"),
            "terminals": .text(settlement.terminals.isEmpty ? "—" : settlement.terminals.joined(separator: ", ")),
            "totals": .list(totals),
            "count": .text(String(settlement.count)),
            "total": .text(Money.display(settlement.paymentFen)),
            "reversal_count": .text(String(settlement.reversalCount)),
            "reversal_total": .text(Money.display(settlement.reversalFen)),
            "net": .text(Money.display(settlement.netFen)),
            "spans": .list(spans),
            "reversals": .list(reversals),
            "unprinted": .text(String(settlement.unprintedReceipts)),
            "late": .text(String(settlement.paidAfterSession)),
            "report_hash": .text(short(settlement.reportHash)),
            "printed_at": .text(format(printedAt)),
        ])
    }

    /// The certificate (参保证明) of a social-insurance lookup: masked name and ID, the
    /// hall's name, the time; the print number is its verification number.
    public func document(for certificate: InsuranceCertificate, printedAt: Date, terminal: String) -> PrintDocument {
        let summary = certificate.summary
        return insuranceCertificate.render([
            "name": .text(Masking.name(summary.nameMasked)),
            "id": .text(certificate.idMasked),
            "insured_since": .text(summary.insuredSince),
            "months": .text(String(summary.monthsPaid)),
            "pension": .text(Money.yuan(summary.pensionBalanceFen)),
            "medical": .text(Money.yuan(summary.medicalBalanceFen)),
            "last_paid": .text(summary.lastPaidMonth),
            "housing": .list(summary.housingBalanceFen.map { [Money.yuan($0)] } ?? []),
            "hall": .text(hall.name.isEmpty ? terminal : hall.name),
            "printed_at": .text(format(printedAt)),
            "terminal": .text(terminal),
        ])
    }

    /// "2026-11-23 14:05" in the hall's time zone.
    /// "2026-12-16（10 个工作日）": the promised day in the hall's zone, weekends skipped.
    func due(_ slip: AcceptanceSlip) -> String {
        let day = CalendarDate.of(slip.submittedAt, in: timeZone).adding(workingDays: slip.timeLimitDays)
        return "\(day)（\(slip.timeLimitDays) 个工作日 working days）"
    }

    /// The day by which an application accepted with gaps must bring its materials.
    func gapDeadline(_ slip: AcceptanceSlip) -> String {
        CalendarDate.of(slip.submittedAt, in: timeZone).adding(workingDays: AcceptanceSlip.gapWorkingDays).description
    }

    func format(_ date: Date) -> String {
        HallTimeFormat(timeZone: timeZone).minute(date)
    }
}
