import AsyncHTTPClient
import Foundation
import NIOCore

/// The built `case-service` executable on a free loopback port, with its own database and
/// one kiosk token, for tests that must see the real binary over real HTTP.
/// `withCaseServiceProcess` stops it (SIGTERM, then waits) whatever the body did.
public struct CaseServiceProcess: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    /// The bearer token the service knows (for kiosk `kiosk-e2e` unless told otherwise).
    public let token: String
    /// The service's log (stderr).
    public let logPath: String

    /// What the service answered.
    public struct Answer: Sendable {
        public let status: Int
        /// Header values by lowercased name (repeated fields joined with ", ").
        public let headers: [String: String]
        public let body: String

        /// The body as a JSON object, or nil when it is none.
        public var json: [String: any Sendable]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: any Sendable]
        }
    }

    /// Starts `case-service --port 0` with a fresh database and `token` for `kiosk` (and
    /// `moreTokens`, token → kiosk), runs `body`, then stops it.
    public static func withCaseServiceProcess<T: Sendable>(
        token: String = "e2e-token", kiosk: String = "kiosk-e2e", moreTokens: [String: String] = [:],
        _ body: @Sendable (CaseServiceProcess) async throws -> T
    ) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "case-service-e2e")
        let logPath = directory.file("case-service.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "case-service"))
        process.arguments = ["--port", "0", "--database", directory.file("case.sqlite"), "--token", "\(token)=\(kiosk)"]
            + moreTokens.sorted { $0.key < $1.key }.flatMap { ["--token", "\($0.key)=\($0.value)"] }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // The first line on stdout is "case-service listening on URL".
        let handle = output.fileHandleForReading
        let line = try await offPool { String(decoding: handle.readSome(), as: UTF8.self) }
        guard let url = line.split(separator: " ").last.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              url.hasPrefix("http://127.0.0.1:")
        else { throw HarnessError(message: "case-service did not say where it listens: \(line)") }
        return try await body(CaseServiceProcess(url: url, token: token, logPath: logPath))
    }

    /// What a request says in its Authorization header.
    public enum Authorization: Sendable {
        /// `Bearer` with the token the service knows.
        case kioskToken
        /// No Authorization header.
        case none
        /// This value.
        case header(String)
    }

    /// Sends `method path` with `headers`, `authorization` and `body`.
    public func send(
        _ method: String, _ path: String, headers: [String: String] = [:], authorization: Authorization = .kioskToken,
        body: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url + path)
        switch method {
        case "GET": request.method = .GET
        case "POST": request.method = .POST
        case "PUT": request.method = .PUT
        case "DELETE": request.method = .DELETE
        case "PATCH": request.method = .PATCH
        case "TRACE": request.method = .TRACE
        case "OPTIONS": request.method = .OPTIONS
        default: request.method = .RAW(value: method)
        }
        switch authorization {
        case .kioskToken: request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .none: break
        case .header(let value): request.headers.add(name: "Authorization", value: value)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        var fields: [String: String] = [:]
        for header in response.headers {
            let name = header.name.lowercased()
            fields[name] = fields[name].map { $0 + ", " + header.value } ?? header.value
        }
        return Answer(status: Int(response.status.code), headers: fields, body: String(buffer: bytes))
    }
}
