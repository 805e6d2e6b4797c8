import Crypto
import Foundation
import GRDB

/// How one-time codes behave at the reference centre.
public struct IdentitySettings: Sendable, Hashable {
    /// A code not typed this long after it was sent is expired.
    public var codeLifetime: TimeInterval
    /// How long a proof token opens a person's lookups.
    public var proofLifetime: TimeInterval
    /// Wrong codes in a row (over all of a person's challenges) that lock the person.
    public var maximumWrongCodes: Int
    /// How long the lock lasts.
    public var lockDuration: TimeInterval

    public init(codeLifetime: TimeInterval = 300, proofLifetime: TimeInterval = 600, maximumWrongCodes: Int = 5, lockDuration: TimeInterval = 900) {
        self.codeLifetime = codeLifetime
        self.proofLifetime = proofLifetime
        self.maximumWrongCodes = maximumWrongCodes
        self.lockDuration = lockDuration
    }
}

/// One-time codes by SMS: challenges sent to the phone on file, wrong codes counted per
/// person, locks, and the proof tokens a right code earns. The phone and the code never
/// leave the store except masked (the phone) or through the admin route (the last code,
/// for tests and the demo: the reference service sends no real SMS).
extension CaseStore {
    static func registerIdentityMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-identity") { db in
            try db.alter(table: "resident") { t in t.add(column: "phone", .text) }
            try db.create(table: "identityChallenge") { t in
                t.primaryKey("challengeId", .text)
                t.column("kiosk", .text).notNull()
                t.column("idNumber", .text).notNull().indexed()
                t.column("code", .text).notNull()
                t.column("maskedPhone", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                // open, used, replaced
                t.column("state", .text).notNull()
            }
            try db.create(table: "identityPerson") { t in
                t.primaryKey("idNumber", .text)
                t.column("wrongCodes", .integer).notNull()
                t.column("lockedUntil", .datetime)
            }
            try db.create(table: "identityProof") { t in
                t.primaryKey("token", .text)
                t.column("kiosk", .text).notNull()
                t.column("idNumber", .text).notNull()
                t.column("expiresAt", .datetime).notNull()
                // SHA-256 of the token, lowercase hex: how applications name it.
                t.column("tokenDigest", .text).notNull().indexed()
            }
        }
    }

    enum ChallengeOutcome: Sendable, Hashable {
        case sent(challengeId: String, maskedPhone: String, expiresAt: Date)
        case noPhone
        case locked(until: Date)
    }

    enum VerificationOutcome: Sendable, Hashable {
        case proved(token: String, expiresAt: Date)
        case wrong(attemptsLeft: Int)
        /// Expired, used, or replaced by a newer challenge.
        case gone
        case notFound
        case locked(until: Date)
    }

    /// Sends (records) a new code for the person with `idNumber`, ending their open ones;
    /// afterwards the code is the only open one of that person.
    func challenge(idNumber: String, kiosk: String, settings: IdentitySettings, now: Date) async throws -> ChallengeOutcome {
        let id = idNumber.uppercased()
        return try await writeAsync { db in
            guard let phone = try String.fetchOne(db, sql: "SELECT phone FROM resident WHERE idNumber = ?", arguments: [id]) ?? nil,
                  !phone.isEmpty
            else { return .noPhone }
            if let until = try Self.lockedUntil(db, idNumber: id, now: now) { return .locked(until: until) }
            try db.execute(sql: "UPDATE identityChallenge SET state = 'replaced' WHERE idNumber = ? AND state = 'open'", arguments: [id])
            let challengeId = UUID().uuidString.lowercased()
            let masked = String(phone.prefix(3)) + "****" + String(phone.suffix(4))
            let expiresAt = now.addingTimeInterval(settings.codeLifetime)
            // SystemRandomNumberGenerator reads the kernel's CSPRNG.
            let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
            try db.execute(
                sql: "INSERT INTO identityChallenge VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                arguments: [challengeId, kiosk, id, code, masked, now, expiresAt]
            )
            return .sent(challengeId: challengeId, maskedPhone: masked, expiresAt: expiresAt)
        }
    }

    /// Checks `code` against the kiosk's challenge; a right one uses the challenge up and
    /// earns a proof token, a wrong one counts against the person (the last allowed one
    /// locks them).
    func verify(challengeId: String, code: String, kiosk: String, settings: IdentitySettings, now: Date) async throws -> VerificationOutcome {
        try await writeAsync { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM identityChallenge WHERE challengeId = ? AND kiosk = ?", arguments: [challengeId.lowercased(), kiosk]
            ) else { return .notFound }
            let id: String = row["idNumber"]
            if let until = try Self.lockedUntil(db, idNumber: id, now: now) { return .locked(until: until) }
            let state: String = row["state"]
            let expiresAt: Date = row["expiresAt"]
            guard state == "open", now < expiresAt else { return .gone }
            let expected: String = row["code"]
            if expected == code {
                try db.execute(sql: "UPDATE identityChallenge SET state = 'used' WHERE challengeId = ?", arguments: [challengeId.lowercased()])
                try db.execute(sql: "DELETE FROM identityPerson WHERE idNumber = ?", arguments: [id])
                let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                    + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                let proofExpiresAt = now.addingTimeInterval(settings.proofLifetime)
                try db.execute(
                    sql: "INSERT INTO identityProof VALUES (?, ?, ?, ?, ?)",
                    arguments: [token, kiosk, id, proofExpiresAt, Self.digest(token)]
                )
                return .proved(token: token, expiresAt: proofExpiresAt)
            }
            let wrong = (try Int.fetchOne(db, sql: "SELECT wrongCodes FROM identityPerson WHERE idNumber = ?", arguments: [id]) ?? 0) + 1
            guard wrong < settings.maximumWrongCodes else {
                let until = now.addingTimeInterval(settings.lockDuration)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO identityPerson (idNumber, wrongCodes, lockedUntil) VALUES (?, 0, ?)", arguments: [id, until]
                )
                try db.execute(sql: "UPDATE identityChallenge SET state = 'replaced' WHERE idNumber = ? AND state = 'open'", arguments: [id])
                return .locked(until: until)
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO identityPerson (idNumber, wrongCodes, lockedUntil) VALUES (?, ?, NULL)", arguments: [id, wrong]
            )
            return .wrong(attemptsLeft: settings.maximumWrongCodes - wrong)
        }
    }

    /// True when `token` is a proof this kiosk earned for `idNumber` and it has not expired.
    func proofHolds(token: String, idNumber: String, kiosk: String, now: Date) async throws -> Bool {
        try await readAsync { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM identityProof WHERE token = ?", arguments: [token]) else { return false }
            let expiresAt: Date = row["expiresAt"]
            return row["kiosk"] == kiosk && row["idNumber"] == idNumber.uppercased() && now < expiresAt
        }
    }

    /// True when this kiosk earned a proof whose token has `digest`, for one of `idNumbers`
    /// (an application's values): the application's applicant was proved by a code. Its
    /// expiry does not matter: the application reaches the centre from the kiosk's outbox,
    /// possibly later; the kiosk sends it only while the proof held.
    func proofIssued(digest: String, kiosk: String, toOneOf idNumbers: [String]) async throws -> Bool {
        let candidates = Set(idNumbers.map { $0.uppercased() })
        return try await readAsync { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM identityProof WHERE tokenDigest = ?", arguments: [digest.lowercased()])
            else { return false }
            let owner: String = row["idNumber"]
            return row["kiosk"] == kiosk && candidates.contains(owner)
        }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The code sent last, for `GET /admin/identity/last-code`.
    func lastCode() async throws -> LastCode? {
        try await readAsync { db in
            try Row.fetchOne(db, sql: "SELECT * FROM identityChallenge ORDER BY createdAt DESC, rowid DESC LIMIT 1").map {
                LastCode(challengeId: $0["challengeId"], code: $0["code"], maskedPhone: $0["maskedPhone"], expiresAt: $0["expiresAt"])
            }
        }
    }

    /// When the person's lock ends, if they are locked at `now`.
    private static func lockedUntil(_ db: Database, idNumber: String, now: Date) throws -> Date? {
        guard let until = try Date.fetchOne(db, sql: "SELECT lockedUntil FROM identityPerson WHERE idNumber = ?", arguments: [idNumber])
        else { return nil }
        return now < until ? until : nil
    }
}

/// What the admin route shows of the last code sent.
struct LastCode: Codable, Sendable, Hashable {
    var challengeId: String
    var code: String
    var maskedPhone: String
    var expiresAt: Date
}
