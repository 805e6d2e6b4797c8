import CCUPS
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore

/// kioskd's connection to the CUPS scheduler, through libcups. Every call runs on the
/// client's own thread (see `CUPSWorker`) and reuses one HTTP connection, reopened when
/// it breaks, so submitting a job costs two IPP requests and no process.
public final class CUPSClient: @unchecked Sendable {
    // @unchecked: `http` is read and written only by closures running on `worker`'s one
    // thread, one at a time; everything else is immutable.
    public let server: CUPSServer
    private let worker: CUPSWorker
    private let timeoutMilliseconds: Int32
    private var http: OpaquePointer?

    public init(server: CUPSServer, timeoutMilliseconds: Int32 = 5000) {
        self.server = server
        self.timeoutMilliseconds = timeoutMilliseconds
        let serverName = server.description
        let port = server.port
        let loopback = !server.host.hasPrefix("/")
        worker = CUPSWorker(name: "kioskd-cups") {
            // libcups keeps the server per thread; with a loopback connection it must know
            // it talks to a scheduler (not an IPP device) or Create-Job fails.
            cupsSetServer(serverName)
            if loopback { ippSetPort(port) }
        }
    }

    deinit {
        if let http { httpClose(http) }
        worker.stop()
    }

    // MARK: Jobs

    /// Sends `data` to `queue` as a new job named `name` (IPP Print-Job); returns CUPS's
    /// job id. Afterwards CUPS has the whole document.
    public func submit(queue: String, name: String, format: String, data: [UInt8]) async throws(CUPSError) -> Int {
        try await run { [self] () throws(CUPSError) -> Int in
            try submitNow(queue: queue, name: name, format: format, data: data)
        }
    }

    /// The state of job `id`.
    public func job(id: Int) async throws(CUPSError) -> CUPSJob {
        try await run { [self] () throws(CUPSError) -> CUPSJob in
            let response = try perform({
                let request = newRequest(IPP_OP_GET_JOB_ATTRIBUTES, "job-uri", "ipp://localhost/jobs/\(id)")
                addRequestedAttributes(request, CUPSJob.attributes)
                return request
            }, resource: "/jobs/")
            defer { ippDelete(response) }
            guard let job = CUPSJob.all(in: response).first else { throw CUPSError.rejected(status: 0x0406, message: "no job \(id)") }
            return job
        }
    }

    /// Every job CUPS still knows on `queue` (active and finished), to reconcile by name.
    public func jobs(queue: String) async throws(CUPSError) -> [CUPSJob] {
        try await run { [self] () throws(CUPSError) -> [CUPSJob] in
            let response = try perform({
                let request = newRequest(IPP_OP_GET_JOBS, "printer-uri", "ipp://localhost/printers/\(queue)")
                ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nil, "all")
                addRequestedAttributes(request, CUPSJob.attributes)
                return request
            }, resource: "/")
            defer { ippDelete(response) }
            return CUPSJob.all(in: response)
        }
    }

    /// Cancels job `id`; with `purge`, CUPS also forgets it and deletes its files (the
    /// way to clear a finished job's document from the spool and history).
    public func cancel(id: Int, purge: Bool) async throws(CUPSError) {
        try await run { [self] () throws(CUPSError) in
            ippDelete(try perform({
                let request = newRequest(IPP_OP_CANCEL_JOB, "job-uri", "ipp://localhost/jobs/\(id)")
                if purge { ippAddBoolean(request, IPP_TAG_OPERATION, "purge-job", 1) }
                return request
            }, resource: "/jobs/"))
        }
    }

    // MARK: Printers

    /// What CUPS says about `queue`; an unreachable scheduler or a missing queue is a
    /// state too, never an error.
    public func printer(queue: String) async -> CUPSPrinter {
        let result = await attempt { [self] () throws(CUPSError) -> CUPSPrinter in
            let response = try perform({
                let request = newRequest(IPP_OP_GET_PRINTER_ATTRIBUTES, "printer-uri", "ipp://localhost/printers/\(queue)")
                addRequestedAttributes(request, CUPSPrinter.attributes)
                return request
            }, resource: "/")
            defer { ippDelete(response) }
            return CUPSPrinter(response: response)
        }
        switch result {
        case .success(let printer): return printer
        case .failure(let error): return error.isUnreachable ? .unreachable : .missing
        }
    }

    /// Makes `queue` accept jobs and run again (CUPS-Accept-Jobs, Resume-Printer), after
    /// clearing the reasons the last backend run left behind (CUPS keeps those until the
    /// next job runs; if the fault is still there, that job sets them again).
    public func resume(queue: String) async throws(CUPSError) {
        try await run { [self] () throws(CUPSError) in
            let uri = "ipp://localhost/printers/\(queue)"
            ippDelete(try perform({
                let request = newRequest(IPP_OP_CUPS_ADD_MODIFY_PRINTER, "printer-uri", uri)
                ippAddString(request, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", nil, "none")
                return request
            }, resource: "/admin/"))
            for operation in [IPP_OP_CUPS_ACCEPT_JOBS, IPP_OP_RESUME_PRINTER] {
                ippDelete(try perform({
                    let request = newRequest(operation, "printer-uri", uri)
                    return request
                }, resource: "/admin/"))
            }
        }
    }

    /// Runs `work` on the worker thread and hands back its result or error.
    private func run<T: Sendable>(_ work: @escaping @Sendable () throws(CUPSError) -> T) async throws(CUPSError) -> T {
        try await attempt(work).get()
    }

    private func attempt<T: Sendable>(_ work: @escaping @Sendable () throws(CUPSError) -> T) async -> Result<T, CUPSError> {
        await worker.run { () -> Result<T, CUPSError> in
            do throws(CUPSError) { return .success(try work()) } catch { return .failure(error) }
        }
    }

    // MARK: On the worker thread

    private func connection() throws(CUPSError) -> OpaquePointer {
        if let http { return http }
        guard let opened = httpConnect2(server.host, server.port, nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, timeoutMilliseconds, nil)
        else { throw CUPSError.unreachable }
        http = opened
        return opened
    }

    private func dropConnection() {
        if let http { httpClose(http) }
        http = nil
    }

    /// Sends the request `make` builds and returns the response; a broken connection is
    /// reopened once (the request is built again: libcups consumes it).
    private func perform(_ make: () -> OpaquePointer?, resource: String) throws(CUPSError) -> OpaquePointer {
        for _ in 0..<2 {
            let http = try connection()
            let request = make()
            if let response = cupsDoRequest(http, request, resource) {
                let status = Int(ippGetStatusCode(response).rawValue)
                guard status < 0x0400 else {
                    ippDelete(response)
                    throw CUPSError.rejected(status: status, message: lastErrorText())
                }
                return response
            }
            let status = Int(cupsLastError().rawValue)
            if status >= 0x0400, status < 0x0500 {
                throw CUPSError.rejected(status: status, message: lastErrorText())
            }
            dropConnection()
        }
        throw CUPSError.unreachable
    }

    /// IPP Print-Job carrying the document: one round trip where Create-Job +
    /// Send-Document (`cupsCreateJob` … `cupsFinishDocument`) take two. The document goes
    /// through libcups's own `cupsDoIORequest` from an in-memory file. The job name is
    /// what recovery matches on, so a job sent just before a crash is found either way.
    private func submitNow(queue: String, name: String, format: String, data: [UInt8]) throws(CUPSError) -> Int {
        let resource = "/printers/\(queue)"
        let file = kioskd_memfd("kioskd-job")
        guard file >= 0 else { throw CUPSError.rejected(status: 0, message: "memfd_create failed: errno \(errno)") }
        defer { close(file) }
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CUPSError.rejected(status: 0, message: "cannot buffer the document: errno \(errno)") }
            offset += written
        }
        for attempt in 0..<2 {
            let http = try connection()
            lseek(file, 0, SEEK_SET)
            let request = newRequest(IPP_OP_PRINT_JOB, "printer-uri", "ipp://localhost\(resource)")
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nil, name)
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nil, format)
            guard let response = cupsDoIORequest(http, request, resource, file, -1) else {
                let status = Int(cupsLastError().rawValue)
                dropConnection()
                if attempt == 0, status >= 0x0500 || status == 0 { continue }
                throw status >= 0x0500 ? CUPSError.unreachable : CUPSError.rejected(status: status, message: lastErrorText())
            }
            defer { ippDelete(response) }
            let status = Int(ippGetStatusCode(response).rawValue)
            guard status < 0x0400, let id = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER).map({ Int(ippGetInteger($0, 0)) }), id > 0
            else { throw CUPSError.rejected(status: status, message: lastErrorText()) }
            return id
        }
        throw CUPSError.unreachable
    }
}

/// libcups's words for the last error of this thread, or "" when it has none.
func lastErrorText() -> String {
    guard let text = cupsLastErrorString() else { return "" }
    return String(cString: text)
}

/// A new IPP request of `operation` with the operation attributes every request starts
/// with, in the order IPP asks: charset, language, the target (`printer-uri` or
/// `job-uri`), requesting-user-name.
func newRequest(_ operation: ipp_op_t, _ target: String, _ uri: String) -> OpaquePointer? {
    let request = ippNewRequest(operation)
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, target, nil, uri)
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
    return request
}

/// Adds `requested-attributes` to `request`.
func addRequestedAttributes(_ request: OpaquePointer?, _ names: [String]) {
    let copies = names.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(pointers.count), nil, pointers)
}
