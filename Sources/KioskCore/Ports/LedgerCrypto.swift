/// The ledger's cryptography, behind a port so that `KioskCore` stays free of crypto
/// libraries: SHA-256 and Ed25519 verification here, signing in `LedgerSigner`. The
/// implementation (`KioskSigning.SwiftCryptoLedger`) calls swift-crypto; nothing in the
/// project hashes or signs by hand.
public protocol LedgerCrypto: Sendable {
    /// The 32-byte SHA-256 digest of `bytes`.
    func sha256(_ bytes: [UInt8]) -> [UInt8]
    /// True when `signature` is a valid Ed25519 signature of `digest` by the raw 32-byte
    /// `publicKey`; false for anything else, malformed keys and signatures included.
    func isValidSignature(_ signature: [UInt8], of digest: [UInt8], publicKey: [UInt8]) -> Bool
}

/// The kiosk's signing key: `LedgerCrypto` plus the private half, which never leaves the
/// implementation.
public protocol LedgerSigner: LedgerCrypto {
    /// The raw 32-byte Ed25519 public key that verifies this signer's signatures.
    var publicKey: [UInt8] { get }
    /// The 64-byte Ed25519 signature of `digest`. Throws when the key cannot sign.
    func sign(_ digest: [UInt8]) throws -> [UInt8]
}
