import Crypto
import Foundation
import KioskCore

/// The ledger's hashes and signature checks through swift-crypto (BoringSSL on Linux):
/// everything `LedgerVerifier` needs, without any private key.
public struct SwiftCryptoHashing: LedgerCrypto {
    public init() {}

    public func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    public func isValidSignature(_ signature: [UInt8], of digest: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: digest)
    }
}

/// The kiosk's ledger signer: SHA-256 and Ed25519 (`Curve25519.Signing`) through
/// swift-crypto, with the private key held in memory only here. Made from the key file by
/// `LedgerKeyFile.loadOrCreate(path:)`, or from a key in tests.
public struct SwiftCryptoLedger: LedgerSigner {
    private let privateKey: Curve25519.Signing.PrivateKey
    private let hashing = SwiftCryptoHashing()

    /// The signer of `privateKey`.
    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
        self.publicKey = Array(privateKey.publicKey.rawRepresentation)
    }

    /// A signer with a fresh random key (tests, and `LedgerKeyFile` at first start).
    public static func generate() -> SwiftCryptoLedger {
        SwiftCryptoLedger(privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The signer of the 32-byte raw private key (the key file's contents); throws when
    /// `rawPrivateKey` is not one.
    public init(rawPrivateKey: [UInt8]) throws {
        try self.init(privateKey: Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey))
    }

    public let publicKey: [UInt8]

    /// The public key in standard base64, as `kioskctl ledger key` prints it for
    /// registration at the centre and as the export's verifier reads it.
    public var publicKeyBase64: String { Data(publicKey).base64EncodedString() }

    /// The 32 raw bytes to keep in the key file.
    var rawPrivateKey: [UInt8] { Array(privateKey.rawRepresentation) }

    public func sha256(_ bytes: [UInt8]) -> [UInt8] { hashing.sha256(bytes) }

    public func isValidSignature(_ signature: [UInt8], of digest: [UInt8], publicKey: [UInt8]) -> Bool {
        hashing.isValidSignature(signature, of: digest, publicKey: publicKey)
    }

    public func sign(_ digest: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: digest))
    }
}
