import Foundation

/// Where the built executables are: next to the test runner in the build folder, or in
/// the folder named by `KIOSKD_BIN_DIR`.
public enum BuiltProducts {
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["KIOSKD_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The runner is .build/<triple>/debug/kioskdPackageTests.xctest (a file on Linux).
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("kioskd").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }()

    public static func path(of executable: String) -> String {
        directory.appendingPathComponent(executable).path
    }
}

/// A temporary directory removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "kioskd-test") throws {
        var template = Array(((NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix).XXXXXX")).utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: made)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
