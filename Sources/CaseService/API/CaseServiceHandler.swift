import CaseServiceAPI
import Foundation
import OpenAPIRuntime

/// The contract's operations, answered from the store. The generated server decodes the
/// requests; each handler first checks the limits the schema declares (`ContractLimits`,
/// a 400 problem), then the contract's rules (a 422 problem), so nothing the contract
/// refuses reaches the store. The kiosk is known from the authentication middleware.
struct CaseServiceHandler: APIProtocol {
    let store: CaseStore
    let switches: FaultSwitches
    let payments: PaymentSettings
    let identity: IdentitySettings

    var kiosk: String { KioskIdentity.current ?? "" }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        let healthy = (try? await store.isHealthy()) ?? false
        return healthy ? .ok(.init(body: .json(.init(status: "ok")))) : .serviceUnavailable(.init(body: .json(.init(status: "database-unavailable"))))
    }

    func submitApplication(_ input: Operations.SubmitApplication.Input) async throws -> Operations.SubmitApplication.Output {
        guard case .json(let submission) = input.body else { return .badRequest(problem(400, "Unsupported body")) }
        try ContractLimits.check {
            $0.uuid(input.headers.idempotencyKey, "Idempotency-Key")
            submission.limits(into: &$0)
        }
        guard input.headers.idempotencyKey.lowercased() == submission.applicationId.lowercased() else {
            return .unprocessableContent(problem(422, "Idempotency-Key must equal applicationId"))
        }
        if let proof = submission.identityProof, proof.method == .oneTimeCode {
            guard let digest = proof.tokenDigest,
                  try await store.proofIssued(digest: digest, kiosk: kiosk, toOneOf: Array(submission.fields.additionalProperties.values))
            else { return .unprocessableContent(problem(422, "The identity proof does not hold for this application")) }
        }
        switches.count { $0.submissions += 1 }
        switch try await store.submit(submission, kiosk: kiosk, now: Date()) {
        case .created(let row):
            return .created(.init(body: .json(row.contractCase)))
        case .replay(let row):
            switches.count { $0.replays += 1 }
            return .ok(.init(body: .json(row.contractCase)))
        case .conflict:
            switches.count { $0.conflicts += 1 }
            return .unprocessableContent(problem(422, "This application id was used with a different body"))
        }
    }

    func getApplication(_ input: Operations.GetApplication.Input) async throws -> Operations.GetApplication.Output {
        try ContractLimits.check { $0.length(input.path.applicationNumber, "applicationNumber", max: 32) }
        guard let row = try await store.caseRow(kiosk: kiosk, applicationNumber: input.path.applicationNumber) else {
            return .notFound(problem(404, "No such application"))
        }
        return .ok(.init(body: .json(row.contractCase)))
    }

    func findApplication(_ input: Operations.FindApplication.Input) async throws -> Operations.FindApplication.Output {
        let number = input.path.number
        let suffix = input.headers.applicantIdSuffix
        try ContractLimits.check {
            $0.length(number, "number", min: 1, max: 40)
            $0.alphanumeric(suffix, "Applicant-Id-Suffix", count: 6)
        }
        // Unknown and wrong proof answer alike: the answer never says whether a number exists.
        guard let row = try await store.caseRow(anyKioskNumber: number), row.applicantIDEnds(with: suffix) else {
            return .notFound(problem(404, "No such application for this applicant"))
        }
        var found = row.contractCase
        found.itemId = row.itemId
        return .ok(.init(body: .json(found)))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        try ContractLimits.check { $0.length(input.path.caseNumber, "caseNumber", max: 32) }
        guard let row = try await store.caseRow(kiosk: kiosk, caseNumber: input.path.caseNumber) else {
            return .notFound(problem(404, "No such case"))
        }
        return .ok(.init(body: .json(row.contractCase)))
    }

    func listStatusChanges(_ input: Operations.ListStatusChanges.Input) async throws -> Operations.ListStatusChanges.Output {
        try ContractLimits.check {
            $0.range(input.query.cursor, "cursor", min: 0)
            $0.range(input.query.limit, "limit", min: 1, max: 500)
        }
        let cursor = input.query.cursor ?? 0
        let limit = input.query.limit ?? 100
        let (changes, next) = try await store.statusChanges(kiosk: kiosk, after: cursor, limit: limit)
        return .ok(.init(body: .json(.init(changes: changes, nextCursor: next))))
    }

    func submitRating(_ input: Operations.SubmitRating.Input) async throws -> Operations.SubmitRating.Output {
        guard case .json(let rating) = input.body else { return .unprocessableContent(problem(422, "Unsupported body")) }
        try ContractLimits.check {
            $0.uuid(input.headers.idempotencyKey, "Idempotency-Key")
            rating.limits(into: &$0)
        }
        guard input.headers.idempotencyKey.lowercased() == rating.ratingId.lowercased() else {
            return .unprocessableContent(problem(422, "Idempotency-Key must equal ratingId"))
        }
        guard let (recordedAt, created) = try await store.rate(rating, kiosk: kiosk, now: Date()) else {
            return .unprocessableContent(problem(422, "This rating id was used with a different body"))
        }
        let receipt = Components.Schemas.RatingReceipt(ratingId: rating.ratingId, recordedAt: recordedAt)
        return created ? .created(.init(body: .json(receipt))) : .ok(.init(body: .json(receipt)))
    }

    func getBill(_ input: Operations.GetBill.Input) async throws -> Operations.GetBill.Output {
        try ContractLimits.check { $0.length(input.path.account, "account", max: 32) }
        guard let bill = try await store.bill(kind: input.path.kind.rawValue, account: input.path.account) else {
            return .notFound(problem(404, "No such account"))
        }
        return .ok(.init(body: .json(bill)))
    }

    func createPaymentOrder(_ input: Operations.CreatePaymentOrder.Input) async throws -> Operations.CreatePaymentOrder.Output {
        guard case .json(let request) = input.body else { return .unprocessableContent(problem(422, "Unsupported body")) }
        try ContractLimits.check {
            $0.uuid(input.headers.idempotencyKey, "Idempotency-Key")
            request.limits(into: &$0)
        }
        guard input.headers.idempotencyKey.lowercased() == request.orderId.lowercased() else {
            return .unprocessableContent(problem(422, "Idempotency-Key must equal orderId"))
        }
        guard let bill = try await store.bill(kind: request.kind.rawValue, account: request.account) else {
            return .unprocessableContent(problem(422, "No such account"))
        }
        guard bill.amountDueFen == request.amountFen else {
            return .unprocessableContent(problem(422, "The amount is not what is due"))
        }
        guard let (order, created) = try await store.order(request, kiosk: kiosk, settings: payments, now: Date()) else {
            return .unprocessableContent(problem(422, "This order id was used with a different body"))
        }
        return created ? .created(.init(body: .json(order))) : .ok(.init(body: .json(order)))
    }

    func getPaymentOrder(_ input: Operations.GetPaymentOrder.Input) async throws -> Operations.GetPaymentOrder.Output {
        try ContractLimits.check { $0.uuid(input.path.orderId, "orderId") }
        guard let order = try await store.paymentOrder(id: input.path.orderId, kiosk: kiosk, settings: payments, now: Date()) else {
            return .notFound(problem(404, "No such order"))
        }
        return .ok(.init(body: .json(order)))
    }

    func cancelPaymentOrder(_ input: Operations.CancelPaymentOrder.Input) async throws -> Operations.CancelPaymentOrder.Output {
        try ContractLimits.check { $0.uuid(input.path.orderId, "orderId") }
        guard let order = try await store.cancelOrder(id: input.path.orderId, kiosk: kiosk, settings: payments, now: Date()) else {
            return .notFound(problem(404, "No such order"))
        }
        return .ok(.init(body: .json(order)))
    }

    func reportPayment(_ input: Operations.ReportPayment.Input) async throws -> Operations.ReportPayment.Output {
        guard case .json(let report) = input.body else { return .unprocessableContent(problem(422, "Unsupported body")) }
        try ContractLimits.check {
            $0.uuid(input.headers.idempotencyKey, "Idempotency-Key")
            report.limits(into: &$0)
        }
        guard input.headers.idempotencyKey.lowercased() == report.orderId.lowercased() else {
            return .unprocessableContent(problem(422, "Idempotency-Key must equal orderId"))
        }
        guard let order = try await store.paymentOrder(id: report.orderId, kiosk: kiosk, settings: payments, now: Date()),
              order.state == .paid, order.amountFen == report.amountFen
        else {
            return .unprocessableContent(problem(422, "No paid order of this kiosk with this amount"))
        }
        guard let (recordedAt, created) = try await store.report(report, kiosk: kiosk, now: Date()) else {
            return .unprocessableContent(problem(422, "This order was reported with a different body"))
        }
        let receipt = Components.Schemas.PaymentReportReceipt(orderId: report.orderId, recordedAt: recordedAt)
        return created ? .created(.init(body: .json(receipt))) : .ok(.init(body: .json(receipt)))
    }

    func submitSettlement(_ input: Operations.SubmitSettlement.Input) async throws -> Operations.SubmitSettlement.Output {
        guard case .json(let settlement) = input.body else { return .unprocessableContent(problem(422, "Unsupported body")) }
        try ContractLimits.check { settlement.limits(into: &$0) }
        if let reason = Self.settlementProblem(settlement) { return .unprocessableContent(problem(422, reason)) }
        switch try await store.settle(settlement, kiosk: kiosk, settings: payments, now: Date()) {
        case .created(let answer):
            return .created(.init(body: .json(answer)))
        case .repeated(let answer):
            switches.count { $0.settlementRepeats += 1 }
            return .ok(.init(body: .json(answer)))
        case .conflict:
            switches.count { $0.settlementConflicts += 1 }
            return .conflict(problem(409, "This kiosk settled the day with a different settlement"))
        }
    }

    /// Why a settlement cannot be compared, or nil: a day that is not one, a period that
    /// ends before it starts, totals that are not the sums of the lines and payments.
    static func settlementProblem(_ settlement: Components.Schemas.SettlementSubmission) -> String? {
        let parts = settlement.day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return "day is not YYYY-MM-DD" }
        guard settlement.periodStart < settlement.periodEnd else { return "the period ends before it starts" }
        // Sums that do not fit in Int64 are not the totals either (and never trap).
        let lineCount = settlement.lines.lazy.map { Int64($0.paymentCount) }.exactSum()
        let lineFen = settlement.lines.lazy.map(\.paymentFen).exactSum()
        let paidFen = settlement.payments.lazy.map(\.amountFen).exactSum()
        guard lineCount == Int64(settlement.paymentCount), settlement.payments.count == settlement.paymentCount,
              lineFen == settlement.paymentFen, paidFen == settlement.paymentFen
        else { return "the totals are not the sums of the lines and payments" }
        guard Set(settlement.payments.map(\.orderId)).count == settlement.payments.count else { return "an order is named twice" }
        return nil
    }

    func getSocialInsuranceSummary(_ input: Operations.GetSocialInsuranceSummary.Input) async throws
        -> Operations.GetSocialInsuranceSummary.Output
    {
        guard case .json(let person) = input.body else { return .notFound(problem(404, "No such insured person")) }
        try ContractLimits.check { person.limits(into: &$0) }
        guard try await proofHolds(person.proof, idNumber: person.idNumber) else {
            return .forbidden(problem(403, "The proof of identity does not hold for this person"))
        }
        guard let row = try await store.resident(idNumber: person.idNumber, name: person.name) else {
            return .notFound(problem(404, "No such insured person"))
        }
        return .ok(.init(body: .json(.init(
            nameMasked: row.maskedName, insuredSince: row.insuredSince, monthsPaid: row.monthsPaid,
            pensionBalanceFen: row.pensionBalanceFen, medicalBalanceFen: row.medicalBalanceFen,
            lastPaidMonth: row.lastPaidMonth
        ))))
    }

    func getHousingFundSummary(_ input: Operations.GetHousingFundSummary.Input) async throws
        -> Operations.GetHousingFundSummary.Output
    {
        guard case .json(let person) = input.body else { return .notFound(problem(404, "No such depositor")) }
        try ContractLimits.check { person.limits(into: &$0) }
        guard try await proofHolds(person.proof, idNumber: person.idNumber) else {
            return .forbidden(problem(403, "The proof of identity does not hold for this person"))
        }
        guard let row = try await store.resident(idNumber: person.idNumber, name: person.name) else {
            return .notFound(problem(404, "No such depositor"))
        }
        return .ok(.init(body: .json(.init(
            nameMasked: row.maskedName, balanceFen: row.housingBalanceFen, monthlyDepositFen: row.monthlyDepositFen,
            lastDepositMonth: row.lastPaidMonth
        ))))
    }

    func problem(_ status: Int, _ title: String) -> Components.Responses.Problem {
        .init(body: .applicationProblemJson(ContractProblem.status(status, title: title).contract))
    }
}
