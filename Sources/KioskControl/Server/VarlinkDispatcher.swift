import Foundation
import Logging

/// Routes a call to its interface and reports every answer to the observer: the logic
/// both of the server's paths share (answered now on the event loop, or by an async
/// `handle`).
struct VarlinkDispatcher: Sendable {
    let interfaces: [String: any VarlinkInterface]
    let observer: VarlinkServer.CallObserver?
    let logger: Logger

    /// The reply to `call`; never throws, so a failing method cannot end the connection.
    func answer(_ call: VarlinkCall, caller: PeerCredentials) async -> VarlinkReply {
        guard let interface = interfaces[call.interface] else { return observed(unknownInterface(call), call, caller) }
        do {
            return observed(try await interface.handle(call, caller: caller), call, caller)
        } catch {
            return observed(reply(to: error, method: call.method), call, caller)
        }
    }

    /// The reply to `call` when its interface has one without waiting; nil otherwise.
    func answerNow(_ call: VarlinkCall, caller: PeerCredentials) -> VarlinkReply? {
        guard let interface = interfaces[call.interface] else { return observed(unknownInterface(call), call, caller) }
        do {
            guard let reply = try interface.answerNow(call, caller: caller) else { return nil }
            return observed(reply, call, caller)
        } catch {
            return observed(reply(to: error, method: call.method), call, caller)
        }
    }

    /// Tells the observer (the audit trail) how the call ended.
    private func observed(_ reply: VarlinkReply, _ call: VarlinkCall, _ caller: PeerCredentials) -> VarlinkReply {
        observer?(caller, call.method, reply.error ?? "ok")
        return reply
    }

    private func reply(to error: any Error, method: String) -> VarlinkReply {
        if let error = error as? VarlinkError { return VarlinkReply(error) }
        logger.error("control method failed", metadata: ["method": .string(method), "error": "\(error)"])
        return VarlinkReply(VarlinkError(name: "io.kioskd.Control.InternalError"))
    }

    private func unknownInterface(_ call: VarlinkCall) -> VarlinkReply {
        call.interface.isEmpty ? VarlinkReply(.methodNotFound(call.method)) : VarlinkReply(.interfaceNotFound(call.interface))
    }
}
