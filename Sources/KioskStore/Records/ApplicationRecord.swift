import Foundation
import GRDB
import KioskCore

/// A row of `application`: one application as the citizen confirmed it, and what the
/// central service last said about it. Holds personal data (it must be forwarded); only
/// the store and the forwarder read it, and nothing of it is logged.
public struct ApplicationRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "application"
    public var id: String
    public var sequence: Int64
    public var number: String
    public var itemID: String
    public var terminal: String
    public var valuesJSON: String
    public var subItemsJSON: String
    public var deliveryMethod: String
    public var deliveryAddress: String?
    public var consentToGaps: Bool
    public var needsReview: Bool
    public var submittedAt: Date
    public var caseNumber: String?
    public var status: String
    public var statusChangedAt: Date?
    public var subItemStatusJSON: String
    /// When retention masked its personal fields; nil while they are whole.
    public var personalDataMaskedAt: Date?
    /// `ProofDigest` of the applicant ID's last six, kept once the ID is masked.
    public var applicantProofDigest: String?
    /// How the applicant was proved (`id-card`, `one-time-code`); nil when not proved.
    public var identityProofMethod: String?
    /// For a one-time code, the SHA-256 of the centre's token (never the token).
    public var identityProofDigest: String?

    init(_ application: Application, sequence: Int64) throws {
        id = application.id.uuidString.lowercased()
        self.sequence = sequence
        number = application.number
        itemID = application.itemID
        terminal = application.terminal
        valuesJSON = try Self.encode(application.values)
        subItemsJSON = try Self.encode(application.subItems)
        deliveryMethod = application.delivery.method.rawValue
        deliveryAddress = application.delivery.address
        consentToGaps = application.consentToGaps
        needsReview = application.needsReview
        submittedAt = application.submittedAt
        caseNumber = application.caseNumber
        status = application.status.rawValue
        statusChangedAt = application.statusChangedAt
        subItemStatusJSON = "{}"
        identityProofMethod = application.identityProof?.method.rawValue
        identityProofDigest = application.identityProof?.tokenDigest
    }

    /// The application in KioskCore's terms.
    public var application: Application {
        get throws {
            let decoder = JSONDecoder()
            return Application(
                id: UUID(uuidString: id)!, number: number, itemID: itemID, terminal: terminal,
                values: try decoder.decode([String: String].self, from: Data(valuesJSON.utf8)),
                subItems: try decoder.decode([String].self, from: Data(subItemsJSON.utf8)),
                delivery: Delivery(method: Delivery.Method(rawValue: deliveryMethod) ?? .pickup, address: deliveryAddress),
                consentToGaps: consentToGaps, needsReview: needsReview, submittedAt: submittedAt,
                caseNumber: caseNumber, status: CaseStatus(rawValue: status) ?? .pending, statusChangedAt: statusChangedAt,
                identityProof: identityProofMethod.flatMap(ApplicationProof.Method.init(rawValue:)).map {
                    ApplicationProof(method: $0, tokenDigest: identityProofDigest)
                }
            )
        }
    }

    var subItemStatuses: [String: CaseStatus] {
        let raw = (try? JSONDecoder().decode([String: String].self, from: Data(subItemStatusJSON.utf8))) ?? [:]
        return raw.compactMapValues(CaseStatus.init(rawValue:))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
