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
        let reply: VarlinkReply
        if let interface = interfaces[call.interface] {
            do {
                reply = try await interface.handle(call, caller: caller)
            } catch {
                reply = self.reply(to: error, method: call.method)
            }
        } else {
            reply = unknownInterface(call)
        }
        observer?(caller, call.method, reply.error ?? "ok")
        return reply
    }

    /// The reply to `call` when its interface has one without waiting; nil otherwise.
    func answerNow(_ call: VarlinkCall, caller: PeerCredentials) -> VarlinkReply? {
        let reply: VarlinkReply
        if let interface = interfaces[call.interface] {
            do {
                guard let now = try interface.answerNow(call, caller: caller) else { return nil }
                reply = now
            } catch {
                reply = self.reply(to: error, method: call.method)
            }
        } else {
            reply = unknownInterface(call)
        }
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
