#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import KioskControl

/// The `exports/` folder of the state directory, where ledger and settlement exports are
/// written for technicians and auditors. The folder is mode 0700 and every file 0600,
/// whatever the process's umask: exports hold masked accounts and the kiosk's takings.
struct ExportFolder: Sendable {
    let path: String

    init(stateDirectory: String) {
        path = (stateDirectory as NSString).appendingPathComponent("exports")
    }

    /// The path of `name` in the folder.
    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Writes `contents` to `name` in the folder, replacing an earlier export of that name.
    /// Afterwards the folder exists with mode 0700 and the file holds exactly `contents`,
    /// mode 0600, flushed to disk: it is written to a temporary file (created 0600 with
    /// O_EXCL, then `fchmod` to 0600, since the umask can only take bits away) and renamed
    /// over the old one, so a reader never sees half an export. Returns the file's path;
    /// throws `ControlExportError` naming the file and the system's reason.
    @discardableResult
    func save(_ contents: String, as name: String) throws -> String {
        try ensureFolder()
        let target = file(name)
        let temporary = "\(target).new-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure(temporary, errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        guard fchmod(descriptor, 0o600) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(temporary, code)
        }
        let bytes = Array(contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                unlink(temporary)
                throw failure(temporary, code)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(temporary, code)
        }
        closed = true
        close(descriptor)
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(target, code)
        }
        syncFolder()
        return target
    }

    /// Creates the folder (0700) when it is missing and sets an existing one to 0700;
    /// refuses a folder that is a symbolic link or not a directory.
    private func ensureFolder() throws {
        do {
            try PrivateFiles.directory(path, refusingLinks: true)
        } catch let error as PrivateFileError {
            throw ControlExportError(error.description)
        }
    }

    private func syncFolder() {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private func failure(_ path: String, _ code: Int32) -> ControlExportError {
        ControlExportError("cannot write \(path): \(String(cString: strerror(code)))")
    }
}
