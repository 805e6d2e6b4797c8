import Foundation

extension CatalogItem {
    /// The number that identifies the applicant in `values`: the form's first resident ID
    /// (in the catalog's field order), else the enterprise's unified social credit code.
    public func applicantID(in values: [String: String]) -> String? {
        let id = fields.first { $0.type == .residentID && values[$0.id] != nil }.flatMap { values[$0.id] }
        return id ?? fields.first { $0.type == .creditCode }.flatMap { values[$0.id] }
    }

    /// The applicant's name in `values`: the first field holding a person's name, else the
    /// company's name.
    public func applicantName(in values: [String: String]) -> String? {
        let nameField = fields.first { $0.holdsPersonalName }
        return nameField.flatMap { values[$0.id] } ?? values[FormFieldID.companyName]
    }
}

/// The ids of the form fields the menu's logic reads, named once.
public enum FormFieldID {
    /// The enterprise bundle's company name: the applicant's name when no person is named.
    public static let companyName = "company-name"
    /// The progress query: an application or case number, and the last six of the ID.
    public static let caseNumber = "number"
    public static let idSuffix = "id-suffix"
    /// The insurance lookup: the person's ID number and name.
    public static let applicantID = "applicant-id"
    public static let applicantName = "applicant-name"
}

extension AcceptanceSlip {
    /// The slip (受理回执) for `application` as stored, with what the catalog says of its
    /// item and sub-items; an item gone from the catalog is named by its id and promises no
    /// time limit.
    public init(application: Application, catalog: Catalog) {
        let item = catalog.item(id: application.itemID)
        let values = application.values
        self.init(
            applicationNumber: application.number, itemID: application.itemID,
            itemName: item?.name ?? LocalizedText(chinese: application.itemID, english: application.itemID),
            applicantName: item?.applicantName(in: values) ?? values[FormFieldID.companyName] ?? "",
            applicantID: item?.applicantID(in: values) ?? "",
            submittedAt: application.submittedAt, timeLimitDays: item?.timeLimitDays ?? 0, kind: item?.kind ?? .promised,
            delivery: application.delivery.method, terminal: application.terminal,
            department: item?.department ?? LocalizedText(chinese: "", english: ""), feeFen: item?.feeFen ?? 0,
            zeroMaterial: item?.zeroMaterial ?? false, materials: item?.materials ?? [], consentToGaps: application.consentToGaps,
            subItems: catalog.subItems(of: application.itemID, keys: application.subItems)
        )
    }
}

extension CaseQuery {
    /// True when the query's proof, the last six characters of the applicant's ID, matches
    /// `applicantID`: a typed number alone reveals nothing.
    public func isProved(by applicantID: String?) -> Bool {
        guard idSuffix.count == 6, let applicantID else { return false }
        return applicantID.uppercased().hasSuffix(idSuffix.uppercased())
    }
}

extension CaseProgress {
    /// Where the locally stored `application` stands: the central service's `live` answer
    /// when there is one (with the kiosk's catalog item, which the centre does not know),
    /// else the last status known here, as of when it changed.
    public static func merged(live: CaseProgress?, local application: Application, subItems: [String: CaseStatus]) -> CaseProgress {
        if var live {
            live.itemID = application.itemID
            return live
        }
        return CaseProgress(
            applicationNumber: application.number, caseNumber: application.caseNumber, itemID: application.itemID,
            status: application.status, changedAt: application.statusChangedAt ?? application.submittedAt, live: false,
            subItems: subItems
        )
    }
}
