#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// kioskd's own files are private whatever the caller's umask: the state directory is
/// mode 0700 and the database, its WAL and shared-memory files and the log are 0600. The
/// database holds citizens' ID numbers until retention masks them, so a umask of 022 (or
/// 000) must not make it readable by other local users.
///
/// The modes are set explicitly (`chmod` after `mkdir`, `fchmod` after `open`) because a
/// umask can only take bits away from the mode asked for, never add them back, and because
/// files left by an earlier version or a hand-made state directory may already be looser.
public enum PrivateFiles {
    /// The process's umask from now on: new files the daemon makes without an explicit
    /// mode (SQLite's journals, exports, backups) get no group or other bits. Sockets that
    /// technicians reach are opened up explicitly where they are bound.
    public static let processUmask: mode_t = 0o077

    /// Afterwards `path` is a directory with mode 0700, its missing parents created with
    /// the usual modes (they are shared, like `/var/lib`). A symbolic link to a directory
    /// is followed (an admin may have moved the state to another disk) unless
    /// `refusingLinks`, for folders inside the state that nobody should redirect.
    static func directory(_ path: String, refusingLinks: Bool = false) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw PrivateFileError(path, errno) }
        var status = stat()
        guard (refusingLinks ? lstat(path, &status) : stat(path, &status)) == 0 else { throw PrivateFileError(path, errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw PrivateFileError(path, reason: PrivateFileError.notADirectory) }
        guard chmod(path, 0o700) == 0 else { throw PrivateFileError(path, errno) }
    }

    /// Afterwards the file at `path` exists (created empty when missing) with mode 0600.
    static func file(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path, errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw PrivateFileError(path, errno) }
    }

    /// Afterwards the SQLite database at `path` and whichever of its `-wal`, `-shm` and
    /// `-journal` files exist are mode 0600. SQLite gives the journals it creates later the
    /// database file's own mode, so a 0600 database keeps them private too.
    static func database(_ path: String) throws {
        try file(path)
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard chmod(path + suffix, 0o600) == 0 else { throw PrivateFileError(path + suffix, errno) }
        }
    }
}

/// A state file or directory that could not be made private; names the path and the
/// system's reason.
public struct PrivateFileError: Error, CustomStringConvertible {
    public let path: String
    private let reason: String

    init(_ path: String, _ code: Int32) {
        self.path = path
        reason = String(cString: strerror(code))
    }

    init(_ path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path) \(reason == Self.notADirectory ? reason : "cannot be made private: \(reason)")" }

    static let notADirectory = "is not a directory"
}
