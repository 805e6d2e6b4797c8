#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension FileHandle {
    /// What one read returns: up to 64 KiB, empty at end of file or on an error.
    ///
    /// Foundation's `availableData` and `readDataToEndOfFile()` wrap a throwing read in
    /// `try!`: a read error traps and ends the whole test process (every suite shares it),
    /// where a test should see an empty read and fail on its own.
    public func readSome() -> Data {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            return count > 0 ? Data(buffer[..<count]) : Data()
        }
    }

    /// Everything up to end of file (or the first read error), never trapping.
    public func readAll() -> Data {
        var all = Data()
        while true {
            let chunk = readSome()
            if chunk.isEmpty { return all }
            all.append(chunk)
        }
    }
}
