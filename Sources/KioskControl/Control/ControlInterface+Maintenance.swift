import Foundation
import KioskCore

/// What the audit and backup methods ask of the daemon.
public protocol MaintenanceControlBackend: Sendable {
    /// The newest `limit` audit rows, newest first, of `actor` only and with `action` in
    /// their action when given; what was called until now is included.
    func auditLog(limit: Int, actor: String?, action: String?) async throws -> [AuditEntryReply]
    /// Backs the database up to `backups/<name>.sqlite` under the state directory (a name
    /// from the hall's time when nil), verified; throws `ControlBackupError` when it cannot.
    func backup(name: String?) async throws -> BackupReply
    /// Reads the configuration and the catalog again (as SIGHUP does) and says what
    /// changed; throws `ControlReloadError` when the files are broken (nothing changed).
    func reload() async throws -> ReloadReport
}

/// The reply of `Reload`: the catalog now in force, whether it changed, what applied live
/// and which settings differ from the running ones but need a restart.
public struct ReloadReport: Sendable, Hashable, Codable {
    public var catalogItems: Int
    public var catalogStages: Int
    public var catalogChanged: Bool
    public var applied: [String]
    public var needsRestart: [String]

    public init(catalogItems: Int, catalogStages: Int, catalogChanged: Bool, applied: [String], needsRestart: [String]) {
        self.catalogItems = catalogItems
        self.catalogStages = catalogStages
        self.catalogChanged = catalogChanged
        self.applied = applied
        self.needsRestart = needsRestart
    }
}

/// A reload refused: the configuration file or the catalog is broken (file, line, key).
public struct ControlReloadError: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// `AuditEntry`: one row of the audit log, its time in the hall's zone.
public struct AuditEntryReply: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var outcome: String
    public var detail: String

    public init(id: Int64, at: String, actor: String, action: String, outcome: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.outcome = outcome
        self.detail = detail
    }
}

/// The reply of `AuditLog`.
public struct AuditLogReply: Sendable, Hashable, Codable {
    public var entries: [AuditEntryReply]
}

/// The reply of `Backup`: where the copy is, its size in bytes and its page count.
public struct BackupReply: Sendable, Hashable, Codable {
    public var path: String
    public var size: Int64
    public var pages: Int

    public init(path: String, size: Int64, pages: Int) {
        self.path = path
        self.size = size
        self.pages = pages
    }
}

/// A backup that could not be written or whose copy failed the integrity check.
public struct ControlBackupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension ControlInterface {
    /// AuditLog's default and largest `limit`.
    public static let auditLogLimits = (standard: 100, maximum: 1000)
    /// The longest backup name, in characters.
    public static let maximumBackupNameLength = 64

    /// A backup's file name without its `.sqlite`: letters, digits, `-`, `_` and `.`
    /// (not first, so never `..` nor a hidden file), at most 64 characters; a trailing
    /// `.sqlite` is dropped. Nil for any other name (a `/`, `..`, control characters).
    public static func backupName(_ raw: String) -> String? {
        var name = raw
        if name.hasSuffix(".sqlite") { name.removeLast(".sqlite".count) }
        guard !name.isEmpty, name.count <= maximumBackupNameLength, !name.hasPrefix("."), !name.contains("..") else { return nil }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
        }
        return allowed ? name : nil
    }
}
