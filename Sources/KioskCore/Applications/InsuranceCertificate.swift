/// 参保证明: what a certificate of a social-insurance lookup prints, already masked (the
/// name as the centre masked it, the proved ID number masked here). Only the summary the
/// citizen saw on screen goes on paper; nothing is asked of the centre again.
public struct InsuranceCertificate: Sendable, Hashable {
    public var summary: InsuranceSummary
    /// The proved person's ID number, masked (`1101**********002X`).
    public var idMasked: String

    public init(summary: InsuranceSummary, idNumber: String) {
        self.summary = summary
        idMasked = Masking.idNumber(idNumber)
    }
}
