import KioskCore

/// A method's handler: the access it needs, and what decodes the call, asks the backend
/// and encodes the reply.
struct ControlHandler: Sendable {
    let access: AccessLevel
    let run: @Sendable (ControlInterface, VarlinkCall, PeerCredentials) async throws -> VarlinkReply

    /// The handler of `method`: the parameters decoded as its `Parameters` (a parameter of
    /// another type is `InvalidParameter`), `body`'s reply encoded as its `Reply`.
    static func of<Method: ControlMethod>(
        _ method: Method.Type,
        _ body: @escaping @Sendable (ControlInterface, Method.Parameters, PeerCredentials) async throws -> Method.Reply
    ) -> (String, ControlHandler) {
        (Method.name, ControlHandler(access: Method.access) { interface, call, caller in
            let parameters = try call.decodeParameters(Method.Parameters.self)
            return try VarlinkReply(encoding: try await body(interface, parameters, caller))
        })
    }
}

extension ControlInterface {
    /// The methods `handle(_:caller:)` answers: all but the streaming ones.
    public static var handledMethodNames: Set<String> { Set(handlers.keys) }

    /// Every method's handler, by name, but `Events`, which streams (`stream(_:caller:)`).
    static let handlers: [String: ControlHandler] = Dictionary(uniqueKeysWithValues: statusAndTerminalHandlers + maintenanceHandlers
        + outboxAndPrintingHandlers + paymentHandlers)

    private static let statusAndTerminalHandlers: [(String, ControlHandler)] = [
        ControlHandler.of(ControlMethods.Status.self) { interface, _, _ in StatusReply(await interface.backend.status()) },

        ControlHandler.of(ControlMethods.Terminals.self) { interface, _, _ in TerminalsReply(terminals: await interface.backend.terminals()) },
        ControlHandler.of(ControlMethods.ResetTerminal.self) { interface, parameters, caller in
            let name = try terminalName(parameters.name)
            guard await interface.backend.resetTerminal(name: name, actor: caller.description) else { throw noSuchTerminal(name) }
            return EmptyReply()
        },
        ControlHandler.of(ControlMethods.LockTerminal.self) { interface, parameters, caller in
            let name = try terminalName(parameters.name)
            let message = try lockMessage(parameters.message)
            guard await interface.backend.lockTerminal(name: name, message: message, actor: caller.description) else {
                throw noSuchTerminal(name)
            }
            return LockReply(name: name, message: message)
        },
        ControlHandler.of(ControlMethods.UnlockTerminal.self) { interface, parameters, caller in
            let name = try terminalName(parameters.name)
            guard await interface.backend.unlockTerminal(name: name, actor: caller.description) else { throw noSuchTerminal(name) }
            return EmptyReply()
        },
        ControlHandler.of(ControlMethods.SendMessage.self) { interface, parameters, caller in
            if parameters.name?.isEmpty == true { throw VarlinkError.invalidParameter("name") }
            guard let text = try lockMessage(parameters.text, parameter: "text") else { throw VarlinkError.invalidParameter("text") }
            guard (1...Int64(maximumMessageSeconds)).contains(parameters.seconds) else { throw VarlinkError.invalidParameter("seconds") }
            guard let names = await interface.backend.sendMessage(
                name: parameters.name, text: text, seconds: Int(parameters.seconds), actor: caller.description
            ) else {
                throw noSuchTerminal(parameters.name ?? "")
            }
            return ControlMethods.SendMessage.Reply(terminals: names)
        },
        ControlHandler.of(ControlMethods.ScreenSnapshot.self) { interface, parameters, _ in
            let name = try terminalName(parameters.name)
            guard let snapshot = await interface.backend.screenSnapshot(name: name) else { throw noSuchTerminal(name) }
            return snapshot
        },
    ]

    private static let maintenanceHandlers: [(String, ControlHandler)] = [
        ControlHandler.of(ControlMethods.AuditLog.self) { interface, parameters, _ in
            let limit = parameters.limit ?? Int64(auditLogLimits.standard)
            guard (1...Int64(auditLogLimits.maximum)).contains(limit) else { throw VarlinkError.invalidParameter("limit") }
            if parameters.actor?.isEmpty == true { throw VarlinkError.invalidParameter("actor") }
            if parameters.action?.isEmpty == true { throw VarlinkError.invalidParameter("action") }
            let entries = try await interface.backend.auditLog(limit: Int(limit), actor: parameters.actor, action: parameters.action)
            return AuditLogReply(entries: entries)
        },
        ControlHandler.of(ControlMethods.Backup.self) { interface, parameters, _ in
            let name = try parameters.name.map { raw in
                guard let name = backupName(raw) else { throw VarlinkError.invalidParameter("name") }
                return name
            }
            do {
                return try await interface.backend.backup(name: name)
            } catch let error as ControlBackupError {
                throw VarlinkError(name: "\(interfaceName).BackupFailed", parameters: .object(["message": .string(error.message)]))
            }
        },
        ControlHandler.of(ControlMethods.Reload.self) { interface, _, _ in
            do {
                return try await interface.backend.reload()
            } catch let error as ControlReloadError {
                throw VarlinkError(
                    name: "\(interfaceName).ReloadFailed", parameters: .object(["message": .string(UntrustedText(error.message).sanitized)])
                )
            }
        },
    ]

    private static let outboxAndPrintingHandlers: [(String, ControlHandler)] = [
        ControlHandler.of(ControlMethods.ListOutbox.self) { interface, parameters, _ in try await interface.backend.outbox(dead: parameters.dead ?? false) },
        ControlHandler.of(ControlMethods.RetryOutbox.self) { interface, _, _ in
            ControlMethods.RetryOutbox.Reply(pending: try await interface.backend.retryOutbox())
        },
        ControlHandler.of(ControlMethods.RequeueOutbox.self) { interface, parameters, _ in
            guard try await interface.backend.requeueOutbox(id: parameters.id) else {
                throw VarlinkError(name: "\(interfaceName).NoSuchEntry", parameters: .object(["id": .integer(parameters.id)]))
            }
            return EmptyReply()
        },

        ControlHandler.of(ControlMethods.Printers.self) { interface, _, _ in
            PrintersReply(printers: await interface.backend.printers().map(PrinterReply.init))
        },
        ControlHandler.of(ControlMethods.Jobs.self) { interface, parameters, _ in
            JobsReply(jobs: await interface.backend.printJobs(failedOnly: parameters.failed ?? false).map(PrintJobReply.init))
        },
        ControlHandler.of(ControlMethods.Reprint.self) { interface, parameters, _ in
            guard let number = PrintNumber.normalized(parameters.number) else { throw VarlinkError.invalidParameter("number") }
            guard let outcome = await interface.backend.reprint(number: number) else { throw VarlinkError(name: "\(interfaceName).NoSuchPrinter") }
            guard outcome.result != .unknownNumber else {
                throw VarlinkError(name: "\(interfaceName).NoSuchJob", parameters: .object(["number": .string(number)]))
            }
            return PrintOutcomeReply(outcome)
        },
        ControlHandler.of(ControlMethods.Resume.self) { interface, parameters, _ in
            guard let role = PrintRole(wireName: parameters.role) else { throw VarlinkError.invalidParameter("role") }
            let printer: PrinterStatus?
            do {
                printer = try await interface.backend.resumePrinter(role)
            } catch {
                throw VarlinkError(name: "\(interfaceName).PrinterError", parameters: .object(["message": .string("\(error)")]))
            }
            guard let printer else { throw VarlinkError(name: "\(interfaceName).NoSuchPrinter") }
            return PrintersReply(printers: [PrinterReply(printer)])
        },
    ]
}
