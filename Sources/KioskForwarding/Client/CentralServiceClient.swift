import AsyncHTTPClient
import CaseServiceAPI
import Foundation
import HTTPTypes
import KioskCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// kioskd's side of the central service's contract: the generated client, with the
/// kiosk's bearer token on every request, speaking in KioskCore's types.
public struct CentralServiceClient: Sendable {
    let client: Client

    /// The kiosk's token; every request carries it as `Authorization: Bearer …`.
    public init(baseURL: URL, token: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        let transport = AsyncHTTPClientTransport(
            configuration: .init(client: httpClient, timeout: .milliseconds(timeout.components.seconds * 1000))
        )
        client = Client(
            serverURL: baseURL, configuration: Configuration(dateTranscoder: InternetDateTranscoder()), transport: transport,
            middlewares: [BearerToken(token: token)]
        )
    }

    /// What one try to deliver something ended with.
    public enum Delivery: Sendable, Hashable {
        case delivered(CaseReceipt?)
        /// Try again later; `outage` says the service itself is failing (the circuit
        /// breaker counts it), `retryAfter` is the server's lower bound.
        case retry(reason: String, retryAfter: Duration?, outage: Bool)
        /// The service refused it for good (422, other 4xx): a dead letter.
        case refused(reason: String)
    }

    /// Submits an application with its UUID as the Idempotency-Key.
    public func submit(_ application: Application, now: Date) async -> Delivery {
        let key = application.id.uuidString.lowercased()
        let body = Components.Schemas.ApplicationSubmission(
            applicationId: key, applicationNumber: application.number, itemId: application.itemID,
            submittedAt: application.submittedAt, fields: .init(additionalProperties: application.values),
            subItems: application.subItems,
            delivery: .init(method: application.delivery.method == .ems ? .ems : .pickup, address: application.delivery.address),
            consentToGaps: application.consentToGaps, manualReview: application.needsReview,
            identityProof: application.identityProof.map {
                .init(method: $0.method == .card ? .idCard : .oneTimeCode, tokenDigest: $0.tokenDigest)
            }
        )
        do {
            switch try await client.submitApplication(headers: .init(idempotencyKey: key), body: .json(body)) {
            case .created(let created):
                return .delivered(Self.receipt(try created.body.json))
            case .ok(let repeated):
                return .delivered(Self.receipt(try repeated.body.json))
            case .conflict:
                return .retry(reason: "409 in flight", retryAfter: nil, outage: false)
            case .tooManyRequests(let response):
                return .retry(reason: "429 too many requests", retryAfter: Self.retryAfter(response.headers.retryAfter, now), outage: false)
            case .serviceUnavailable(let response):
                return .retry(reason: "503 unavailable", retryAfter: Self.retryAfter(response.headers.retryAfter, now), outage: true)
            case .internalServerError:
                return .retry(reason: "500 server error", retryAfter: nil, outage: true)
            case .unauthorized:
                // A wrong token is the kiosk's configuration, not the application's fault.
                return .retry(reason: "401 token refused", retryAfter: nil, outage: false)
            case .unprocessableContent(let problem):
                return .refused(reason: "422 " + Self.title(problem))
            case .badRequest(let problem):
                return .refused(reason: "400 " + Self.title(problem))
            // Documented since the contract says what every status means; refused as before.
            case .contentTooLarge:
                return Self.undocumentedDelivery(413)
            case .unsupportedMediaType:
                return Self.undocumentedDelivery(415)
            case .undocumented(let status, _):
                return Self.undocumentedDelivery(status)
            }
        } catch {
            return .retry(reason: "unreachable", retryAfter: nil, outage: true)
        }
    }

    /// Submits a rating with its UUID as the Idempotency-Key.
    public func submit(_ rating: Rating, now: Date) async -> Delivery {
        let key = rating.id.uuidString.lowercased()
        let body = Components.Schemas.RatingSubmission(
            ratingId: key, applicationNumber: rating.applicationNumber, itemId: rating.itemID, level: rating.level,
            reason: rating.reason, ratedAt: rating.ratedAt
        )
        do {
            switch try await client.submitRating(headers: .init(idempotencyKey: key), body: .json(body)) {
            case .created, .ok:
                return .delivered(nil)
            case .tooManyRequests(let response):
                return .retry(reason: "429 too many requests", retryAfter: Self.retryAfter(response.headers.retryAfter, now), outage: false)
            case .serviceUnavailable(let response):
                return .retry(reason: "503 unavailable", retryAfter: Self.retryAfter(response.headers.retryAfter, now), outage: true)
            case .unauthorized:
                return .retry(reason: "401 token refused", retryAfter: nil, outage: false)
            case .unprocessableContent(let problem):
                return .refused(reason: "422 " + Self.title(problem))
            // Documented since the contract says what every status means; refused as before.
            case .badRequest:
                return Self.undocumentedDelivery(400)
            case .contentTooLarge:
                return Self.undocumentedDelivery(413)
            case .unsupportedMediaType:
                return Self.undocumentedDelivery(415)
            case .undocumented(let status, _):
                return Self.undocumentedDelivery(status)
            }
        } catch {
            return .retry(reason: "unreachable", retryAfter: nil, outage: true)
        }
    }

    /// One page of status changes after `cursor`; nil when the service does not answer.
    public func statusChanges(after cursor: Int64, limit: Int = 200) async -> (changes: [CaseStatusChange], next: Int64)? {
        guard case .ok(let ok) = try? await client.listStatusChanges(query: .init(cursor: cursor, limit: limit)),
              let page = try? ok.body.json
        else { return nil }
        let changes = page.changes.compactMap { change -> CaseStatusChange? in
            guard let id = UUID(uuidString: change.applicationId), let status = CaseStatus(rawValue: change.status.rawValue)
            else { return nil }
            return CaseStatusChange(
                applicationID: id, caseNumber: change.caseNumber, subItem: change.subItem, status: status,
                changedAt: change.changedAt
            )
        }
        return (changes, page.nextCursor)
    }

    /// What the service says now about a case, by the kiosk's application number or the
    /// case number. `.failure` when it does not answer; `.success(nil)` when it does not
    /// know the case.
    public func progress(applicationNumber: String?, caseNumber: String?) async -> Result<CaseProgress?, CentralServiceUnavailable> {
        do {
            let found: Components.Schemas.Case?
            if let applicationNumber {
                switch try await client.getApplication(path: .init(applicationNumber: applicationNumber)) {
                case .ok(let ok): found = try ok.body.json
                // A number longer than the contract allows (400) names no case either; the
                // centre answered 404 for it before it enforced the limit.
                case .notFound, .badRequest: found = nil
                default: return .failure(CentralServiceUnavailable())
                }
            } else if let caseNumber {
                switch try await client.getCase(path: .init(caseNumber: caseNumber)) {
                case .ok(let ok): found = try ok.body.json
                case .notFound, .badRequest: found = nil
                default: return .failure(CentralServiceUnavailable())
                }
            } else {
                found = nil
            }
            guard let found else { return .success(nil) }
            var subItems: [String: CaseStatus] = [:]
            for item in found.subItems { subItems[item.id] = CaseStatus(rawValue: item.status.rawValue) }
            return .success(CaseProgress(
                applicationNumber: found.applicationNumber, caseNumber: found.caseNumber, itemID: "",
                status: CaseStatus(rawValue: found.status.rawValue) ?? .accepted, changedAt: found.statusChangedAt,
                live: true, subItems: subItems
            ))
        } catch {
            return .failure(CentralServiceUnavailable())
        }
    }

    /// Any kiosk's application, by its application number or case number, proved by the
    /// last six characters of the applicant's ID (sent in a header, never in the URL).
    /// `.failure` when the service does not answer; `.success(nil)` when it knows no such
    /// application for that applicant.
    public func findApplication(number: String, idSuffix: String) async -> Result<CaseProgress?, CentralServiceUnavailable> {
        do {
            switch try await client.findApplication(path: .init(number: number), headers: .init(applicantIdSuffix: idSuffix)) {
            case .ok(let ok):
                let found = try ok.body.json
                var subItems: [String: CaseStatus] = [:]
                for item in found.subItems { subItems[item.id] = CaseStatus(rawValue: item.status.rawValue) }
                return .success(CaseProgress(
                    applicationNumber: found.applicationNumber, caseNumber: found.caseNumber, itemID: found.itemId ?? "",
                    status: CaseStatus(rawValue: found.status.rawValue) ?? .accepted, changedAt: found.statusChangedAt,
                    live: true, subItems: subItems
                ))
            case .notFound, .badRequest:
                return .success(nil)
            default:
                return .failure(CentralServiceUnavailable())
            }
        } catch {
            return .failure(CentralServiceUnavailable())
        }
    }

    /// The person's social insurance summary and, when the service has one, the housing
    /// fund's; asked live with the proof of who asks, never stored.
    public func insuranceSummary(idNumber: String, name: String, proof: IdentityCredential) async -> LookupAnswer<InsuranceSummary> {
        let person = Components.Schemas.VerifiedPerson(idNumber: idNumber, name: name, proof: Self.evidence(proof))
        let insurance: Components.Schemas.SocialInsuranceSummary
        do {
            switch try await client.getSocialInsuranceSummary(body: .json(person)) {
            case .ok(let ok): insurance = try ok.body.json
            // An ID or name the contract cannot hold (400) is no insured person either; the
            // centre answered 404 for it before it enforced the limits.
            case .notFound, .badRequest: return .notFound
            case .forbidden: return .proofRefused
            default: return .unavailable
            }
        } catch {
            return .unavailable
        }
        var summary = InsuranceSummary(
            nameMasked: insurance.nameMasked, insuredSince: insurance.insuredSince, monthsPaid: insurance.monthsPaid,
            pensionBalanceFen: insurance.pensionBalanceFen, medicalBalanceFen: insurance.medicalBalanceFen,
            lastPaidMonth: insurance.lastPaidMonth
        )
        if case .ok(let ok) = try? await client.getHousingFundSummary(body: .json(person)), let fund = try? ok.body.json {
            summary.housingBalanceFen = fund.balanceFen
            summary.monthlyDepositFen = fund.monthlyDepositFen
            summary.lastDepositMonth = fund.lastDepositMonth
        }
        return .found(summary)
    }

    private static func receipt(_ found: Components.Schemas.Case) -> CaseReceipt {
        CaseReceipt(
            caseNumber: found.caseNumber, status: CaseStatus(rawValue: found.status.rawValue) ?? .accepted,
            changedAt: found.statusChangedAt
        )
    }

    private static func retryAfter(_ header: String?, _ now: Date) -> Duration? {
        RetryAfter.parse(header, now: now)
    }

    private static func title(_ problem: Components.Responses.Problem) -> String {
        (try? problem.body.applicationProblemJson.title) ?? "refused"
    }

    static func undocumentedDelivery(_ status: Int) -> Delivery {
        switch status {
        case 408, 409, 425, 429: .retry(reason: "\(status)", retryAfter: nil, outage: false)
        case 400..<500: .refused(reason: "\(status) refused")
        default: .retry(reason: "\(status) server error", retryAfter: nil, outage: true)
        }
    }
}

/// The central service did not answer.
public struct CentralServiceUnavailable: Error, Hashable {}

/// Adds the kiosk's bearer token to every request.
struct BearerToken: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
