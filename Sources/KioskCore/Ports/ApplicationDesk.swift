import Foundation

/// An application as the citizen confirmed it on the summary screen.
public struct ApplicationDraft: Sendable, Hashable {
    public var itemID: String
    public var values: [String: String]
    public var subItems: [String]
    public var delivery: Delivery
    public var consentToGaps: Bool
    public var needsReview: Bool
    /// The session's proof, when the applicant is the person it proves (their ID number is
    /// one of the values); in memory only until the desk stores how they were proved.
    public var proof: IdentityCredential?

    public init(
        itemID: String, values: [String: String], subItems: [String], delivery: Delivery, consentToGaps: Bool,
        needsReview: Bool, proof: IdentityCredential? = nil
    ) {
        self.proof = proof
        self.itemID = itemID
        self.values = values
        self.subItems = subItems
        self.delivery = delivery
        self.consentToGaps = consentToGaps
        self.needsReview = needsReview
    }
}

/// A citizen's question "where is my case": a case number or an application number, and
/// the last six characters of the applicant's ID number as proof.
public struct CaseQuery: Sendable, Hashable {
    public var number: String
    public var idSuffix: String

    public init(number: String, idSuffix: String) {
        self.number = number
        self.idSuffix = idSuffix
    }
}

/// The answer to a progress query.
public struct CaseProgress: Sendable, Hashable {
    public var applicationNumber: String
    public var caseNumber: String?
    public var itemID: String
    public var status: CaseStatus
    public var changedAt: Date?
    /// False when the central service did not answer and this is the last status known
    /// locally, as of `changedAt`.
    public var live: Bool
    /// Bundle sub-items and their statuses.
    public var subItems: [String: CaseStatus]

    public init(
        applicationNumber: String, caseNumber: String?, itemID: String, status: CaseStatus, changedAt: Date?, live: Bool,
        subItems: [String: CaseStatus] = [:]
    ) {
        self.applicationNumber = applicationNumber
        self.caseNumber = caseNumber
        self.itemID = itemID
        self.status = status
        self.changedAt = changedAt
        self.live = live
        self.subItems = subItems
    }
}

/// Where a terminal hands in applications and ratings, and asks about cases (the store
/// and the forwarder, in the daemon).
public protocol ApplicationDesk: Sendable {
    /// Stores the application and its outbox entry in one transaction; when this returns,
    /// the application survives a crash and will reach the central service exactly once.
    func submit(_ draft: ApplicationDraft, terminal: String) async throws -> AcceptanceSlip
    /// Stores the rating and its outbox entry in one transaction.
    func rate(_ rating: Rating) async throws
    /// Live from the central service when it answers, else the last known status; nil
    /// when no such case exists or the ID suffix does not match.
    func progress(of query: CaseQuery) async -> CaseProgress?
    /// Live only: the person's social insurance and housing fund summary, with the proof of
    /// who is asking shown to the centre.
    func insuranceSummary(idNumber: String, name: String, proof: IdentityCredential) async -> LookupAnswer<InsuranceSummary>
}
