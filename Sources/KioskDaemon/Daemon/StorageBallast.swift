#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A file of reserved space in the state directory (`storage-reserve`, 4 MiB, 0600). When
/// the disk fills up, SQLite cannot even open the database (its WAL index needs room), and
/// a kiosk that exits at start shows nothing at all; releasing the reserve gives it the
/// room to start, out of service, and say why. It is made again once there is room.
struct StorageBallast: Sendable {
    let path: String
    static let size: Int64 = 4 << 20

    init(stateDirectory: String) {
        path = (stateDirectory as NSString).appendingPathComponent("storage-reserve")
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Afterwards the reserve exists with its full size, unless that would leave less than
    /// `keepFree` bytes free; true when it exists.
    @discardableResult
    func ensure(freeBytes: Int64, keepFree: Int64) -> Bool {
        if exists { return true }
        guard freeBytes >= keepFree + Self.size else { return false }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        // Blocks really allocated (not a sparse file), so unlinking it frees them.
        guard posix_fallocate(descriptor, 0, off_t(Self.size)) == 0, fsync(descriptor) == 0 else {
            unlink(path)
            return false
        }
        return true
    }

    /// Deletes the reserve; true when there was one to free.
    func release() -> Bool {
        unlink(path) == 0
    }
}
