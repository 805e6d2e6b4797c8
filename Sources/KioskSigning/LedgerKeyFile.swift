import Crypto
import Foundation
import KioskCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The kiosk's Ed25519 ledger key in the state directory: 32 raw bytes (the private key's
/// seed, RFC 8032), a regular file of the daemon's user with mode 0600.
public struct LedgerKeyFile: Sendable {
    /// Where the key was read from.
    public let path: String
    /// The signer holding the key.
    public let signer: SwiftCryptoLedger
    /// True when this call created the key (first start).
    public let created: Bool

    /// The raw 32-byte public key.
    public var publicKey: [UInt8] { signer.publicKey }
    /// The public key in standard base64, for `kioskctl ledger key` and the export.
    public var publicKeyBase64: String { signer.publicKeyBase64 }

    /// Loads the key at `path`, or creates it when no file is there. Afterwards the file
    /// exists, holds the returned key, is owned by this process's user and has mode 0600
    /// whatever the umask. A new key is written to a temporary file opened with
    /// `O_CREAT|O_EXCL` and mode 0600 (then `fchmod` to 0600, since the umask may have
    /// taken bits away but never adds them, and `fchmod` makes it exact), flushed to disk,
    /// and only then linked to `path`, so `path` never holds half a key and two starting
    /// daemons never end with different keys. Throws `LedgerKeyError` for a file that is
    /// not a regular file (symbolic links are not followed), belongs to another user, can
    /// be read or written by group or others, or does not hold 32 bytes: such a key is not
    /// used, and not replaced either.
    public static func loadOrCreate(path: String) throws -> LedgerKeyFile {
        if let signer = try load(path: path) {
            return LedgerKeyFile(path: path, signer: signer, created: false)
        }
        let fresh = SwiftCryptoLedger.generate()
        let temporary = "\(path).new-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw LedgerKeyError.uncreatable(temporary, errno) }
        defer { unlink(temporary) }
        let written: Bool = {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else { return false }
            let bytes = fresh.rawPrivateKey
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            return count == bytes.count && fsync(descriptor) == 0
        }()
        guard written else { throw LedgerKeyError.uncreatable(temporary, errno) }
        guard link(temporary, path) == 0 else {
            // Another process created the key first: use that one.
            if errno == EEXIST, let signer = try load(path: path) {
                return LedgerKeyFile(path: path, signer: signer, created: false)
            }
            throw LedgerKeyError.uncreatable(path, errno)
        }
        syncDirectory(of: path)
        return LedgerKeyFile(path: path, signer: fresh, created: true)
    }

    /// The signer of the key at `path`; nil when there is no file.
    private static func load(path: String) throws -> SwiftCryptoLedger? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw LedgerKeyError.unreadable(path, errno)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw LedgerKeyError.unreadable(path, errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw LedgerKeyError.notRegularFile(path) }
        guard status.st_uid == geteuid() else { throw LedgerKeyError.foreignOwner(path, uid: status.st_uid) }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw LedgerKeyError.tooOpen(path, mode: mode) }
        var bytes = [UInt8](repeating: 0, count: 33)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count == 32 else { throw LedgerKeyError.malformed(path, size: count) }
        do {
            return try SwiftCryptoLedger(rawPrivateKey: Array(bytes[0..<32]))
        } catch {
            throw LedgerKeyError.malformed(path, size: count)
        }
    }

    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// Why the ledger key could not be loaded or created; the message says what to fix. The
/// key itself never appears in it.
public struct LedgerKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case unreadable(path: String, errno: Int32)
        case uncreatable(path: String, errno: Int32)
        case notRegularFile(path: String)
        case foreignOwner(path: String, uid: UInt32)
        case tooOpen(path: String, mode: UInt32)
        case malformed(path: String, size: Int)
    }

    private let kind: Kind

    static func unreadable(_ path: String, _ code: Int32) -> LedgerKeyError { .init(kind: .unreadable(path: path, errno: code)) }
    static func uncreatable(_ path: String, _ code: Int32) -> LedgerKeyError { .init(kind: .uncreatable(path: path, errno: code)) }
    static func notRegularFile(_ path: String) -> LedgerKeyError { .init(kind: .notRegularFile(path: path)) }
    static func foreignOwner(_ path: String, uid: uid_t) -> LedgerKeyError { .init(kind: .foreignOwner(path: path, uid: UInt32(uid))) }
    static func tooOpen(_ path: String, mode: mode_t) -> LedgerKeyError { .init(kind: .tooOpen(path: path, mode: UInt32(mode))) }
    static func malformed(_ path: String, size: Int) -> LedgerKeyError { .init(kind: .malformed(path: path, size: size)) }

    /// True when the file is there but group or others may read or write it.
    public var isTooOpen: Bool {
        if case .tooOpen = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .unreadable(let path, let code):
            "ledger key \(path) cannot be read: \(String(cString: strerror(code)))"
        case .uncreatable(let path, let code):
            "ledger key \(path) cannot be created: \(String(cString: strerror(code)))"
        case .notRegularFile(let path):
            "ledger key \(path) is not a regular file (symbolic links are refused)"
        case .foreignOwner(let path, let uid):
            "ledger key \(path) belongs to uid \(uid), not to this daemon's user \(geteuid()); chown it"
        case .tooOpen(let path, let mode):
            "ledger key \(path) has mode 0\(String(mode, radix: 8)), readable or writable by group or others; "
                + "the key may be exposed: run chmod 600 on it if it is safe, or replace the key and register the new one"
        case .malformed(let path, let size):
            "ledger key \(path) holds \(size < 0 ? "unreadable" : String(min(size, 32)) + (size > 32 ? "+" : "")) bytes, not a 32-byte Ed25519 key"
        }
    }
}
