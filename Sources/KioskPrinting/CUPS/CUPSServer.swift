import CCUPS
import KioskCore

/// A CUPS scheduler reached on its local socket or on loopback, never farther.
public struct CUPSServer: Sendable, Hashable, CustomStringConvertible {
    /// A socket path (starting with "/") or a loopback host name or address.
    public let host: String
    /// The TCP port; unused for a socket path.
    public let port: Int32

    /// The system scheduler's socket.
    public static let system = CUPSServer(host: "/run/cups/cups.sock", port: 0)

    public init(host: String, port: Int32 = 631) {
        self.host = host
        self.port = port
    }

    public var description: String { host.hasPrefix("/") ? host : "\(host):\(port)" }

    /// Asks CUPS for the state of `queue` and returns what it means for the hall. A
    /// scheduler that does not answer within `timeout` milliseconds is a fault for the
    /// engineer ("cups-unreachable"), not an error: the caller always gets a condition.
    public func condition(ofQueue queue: String, timeoutMilliseconds: Int32 = 3000) -> PrinterCondition {
        guard let http = httpConnect2(host, port, nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, timeoutMilliseconds, nil)
        else {
            return PrinterCondition.from(state: nil, reasons: [])
        }
        defer { httpClose(http) }
        let request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        let uri = "ipp://localhost/printers/\(queue)"
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        let wanted = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs"]
        withCStrings(wanted) { pointers in
            _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(pointers.count), nil, pointers)
        }
        guard let response = cupsDoRequest(http, request, "/") else {
            return PrinterCondition.from(state: nil, reasons: [])
        }
        defer { ippDelete(response) }
        guard ippGetStatusCode(response).rawValue < 0x0100 else {
            return PrinterCondition(severity: .fault, responsible: .engineer, reasons: ["queue-missing"])
        }
        var state: Int?
        if let attribute = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM) {
            state = Int(ippGetInteger(attribute, 0))
        }
        var reasons: [String] = []
        if let attribute = ippFindAttribute(response, "printer-state-reasons", IPP_TAG_KEYWORD) {
            for index in 0..<ippGetCount(attribute) {
                if let value = ippGetString(attribute, index, nil) { reasons.append(String(cString: value)) }
            }
        }
        var accepting = true
        if let attribute = ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN) {
            accepting = ippGetBoolean(attribute, 0) != 0
        }
        return PrinterCondition.from(state: state, reasons: reasons, accepting: accepting)
    }
}

/// Calls `body` with C strings that stay valid for the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
