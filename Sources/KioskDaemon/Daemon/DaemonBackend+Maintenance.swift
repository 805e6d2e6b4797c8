#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import KioskControl
import KioskCore
import KioskStore

/// The audit log and backups for technicians.
extension DaemonBackend {
    func auditLog(limit: Int, actor: String?, action: String?) async throws -> [AuditEntryReply] {
        // What was called until now is in the table, not only what the last flush wrote.
        await audit.flush()
        let format = time.format
        return try await database.auditEntries(limit: limit, actor: actor, action: action).map { record in
            AuditEntryReply(
                id: record.id ?? 0, at: format.timestamp(record.at), actor: record.actor, action: record.action,
                outcome: record.outcome, detail: record.detail
            )
        }
    }

    /// The state directory's `backups/` folder: 0700, never a symbolic link.
    var backupFolder: String { (stateDirectory as NSString).appendingPathComponent("backups") }

    /// The file is made first, 0600 and exclusively (an existing backup is never
    /// replaced, a link never followed), so that SQLite writes into a private file whatever
    /// the umask; a copy that fails or fails its integrity check is removed.
    func backup(name: String?) async throws -> BackupReply {
        do {
            try PrivateFiles.directory(backupFolder, refusingLinks: true)
        } catch {
            throw ControlBackupError("\(error)")
        }
        let fileName = (name ?? Self.defaultBackupName(time.format.timestamp(time.wallNow))) + ".sqlite"
        let path = (backupFolder as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw ControlBackupError(code == EEXIST ? "backups/\(fileName) exists already" : "cannot create \(path): \(String(cString: strerror(code)))")
        }
        let madePrivate = fchmod(descriptor, 0o600) == 0
        close(descriptor)
        guard madePrivate else {
            Self.remove(path)
            throw ControlBackupError("cannot make \(path) private")
        }
        let summary: DatabaseBackupSummary
        do {
            summary = try await database.backup(to: path)
        } catch {
            Self.remove(path)
            logger.error("backup failed", metadata: ["path": "\(path)", "error": "\(error)"])
            throw ControlBackupError("the backup failed: \(error)")
        }
        guard summary.isSound else {
            Self.remove(path)
            logger.error("backup copy failed its integrity check", metadata: ["path": "\(path)", "integrity": "\(summary.integrity)"])
            throw ControlBackupError("the copy failed the integrity check: \(summary.integrity)")
        }
        var status = stat()
        let size = stat(path, &status) == 0 ? Int64(status.st_size) : 0
        logger.notice("database backed up", metadata: ["path": "\(path)", "pages": "\(summary.pages)"])
        return BackupReply(path: path, size: size, pages: summary.pages)
    }

    func reload() async throws -> ReloadReport {
        do {
            return try reloader.reload()
        } catch {
            throw ControlReloadError(error.description)
        }
    }

    /// `kioskd-20261123-140509` from the hall time `2026-11-23T14:05:09+08:00`.
    static func defaultBackupName(_ timestamp: String) -> String {
        let digits = timestamp.prefix(19).filter { $0.isNumber }
        return "kioskd-\(digits.prefix(8))-\(digits.dropFirst(8))"
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
