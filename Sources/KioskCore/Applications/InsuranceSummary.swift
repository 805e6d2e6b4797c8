/// A person's social insurance and housing fund accounts, as the central service answers
/// them: shown once, masked, never stored.
public struct InsuranceSummary: Sendable, Hashable {
    public var nameMasked: String
    public var insuredSince: String
    public var monthsPaid: Int
    public var pensionBalanceFen: Int64
    public var medicalBalanceFen: Int64
    public var lastPaidMonth: String
    public var housingBalanceFen: Int64?
    public var monthlyDepositFen: Int64?
    public var lastDepositMonth: String?

    public init(
        nameMasked: String, insuredSince: String, monthsPaid: Int, pensionBalanceFen: Int64, medicalBalanceFen: Int64,
        lastPaidMonth: String, housingBalanceFen: Int64? = nil, monthlyDepositFen: Int64? = nil, lastDepositMonth: String? = nil
    ) {
        self.nameMasked = nameMasked
        self.insuredSince = insuredSince
        self.monthsPaid = monthsPaid
        self.pensionBalanceFen = pensionBalanceFen
        self.medicalBalanceFen = medicalBalanceFen
        self.lastPaidMonth = lastPaidMonth
        self.housingBalanceFen = housingBalanceFen
        self.monthlyDepositFen = monthlyDepositFen
        self.lastDepositMonth = lastDepositMonth
    }
}

/// The answer to a live lookup.
public enum LookupAnswer<Value: Sendable & Hashable>: Sendable, Hashable {
    case found(Value)
    /// The service answered that it knows no such person (or the name does not match).
    case notFound
    /// The service did not answer: live lookups have no offline fallback.
    case unavailable
    /// The service refused the proof of identity the lookup carried.
    case proofRefused
}
