/// What the kiosk keeps to check a citizen's proof without keeping the secret itself: a
/// SHA-256 digest of the secret salted with the record's id. A payment order keeps one of
/// the account number (receipts and the database show only its last four digits, which a
/// found receipt reveals); an application whose personal data retention has masked keeps
/// one of its applicant ID's last six characters, so progress queries and reprints still
/// work with the same proof.
public enum ProofDigest {
    /// The secret as compared: upper-case, without spaces or dashes.
    public static func normalized(_ secret: String) -> String {
        secret.uppercased().filter { $0 != " " && $0 != "-" }
    }

    /// The hex digest of `secret` for the record `salt` (an order's or application's id).
    public static func digest(_ secret: String, salt: String, using crypto: any LedgerCrypto) -> String {
        let text = "kioskd-proof\n\(salt.lowercased())\n\(normalized(secret))"
        return LedgerHex.encode(crypto.sha256(Array(text.utf8)))
    }
}

extension CaseQuery {
    /// True when the query's proof, the last six characters of the applicant's ID, holds
    /// for application `applicationID`: against its `proofDigest` once retention masked the
    /// ID (`PersonalDataRetention`), else against the ID itself (`applicantID`).
    public func isProved(
        by applicantID: String?, proofDigest: String?, applicationID: String, using crypto: any LedgerCrypto
    ) -> Bool {
        guard let proofDigest else { return isProved(by: applicantID) }
        return idSuffix.count == 6 && ProofDigest.digest(idSuffix, salt: applicationID, using: crypto) == proofDigest
    }
}
