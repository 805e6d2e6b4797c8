import Foundation
import KioskCore
import Logging

/// Routes a call to its interface and reports every answer to the observer: the logic
/// both of the server's paths share (answered now on the event loop, or by an async
/// `handle`).
struct VarlinkDispatcher: Sendable {
    let interfaces: [String: any VarlinkInterface]
    let observer: VarlinkServer.CallObserver?
    let logger: Logger

    /// The longest method name served; a longer one is refused before anything of it is
    /// stored or echoed (50 calls with 900 KiB names once added 44.6 MB to the audit).
    static let maximumMethodLength = 255

    /// The reply to `call`; never throws, so a failing method cannot end the connection.
    func answer(_ call: VarlinkCall, caller: PeerCredentials) async -> VarlinkReply {
        if let refused = refusedName(call, caller) { return refused }
        guard let interface = interfaces[call.interface] else { return observed(unknownInterface(call), call, caller) }
        if let refused = refusedShape(call, interface) { return observed(refused, call, caller) }
        do {
            return observed(try await interface.handle(call, caller: caller), call, caller)
        } catch {
            return observed(reply(to: error, method: call.method), call, caller)
        }
    }

    /// How a streaming call is answered: refused with one reply, or with replies as they come.
    enum StreamAnswer: Sendable {
        case refused(VarlinkReply)
        case replies(AsyncStream<VarlinkReply>)
    }

    /// The answer to `call` when it is a call of a streaming method made with `more`; nil
    /// for every other call (then `answer` answers it, refusing a streaming method called
    /// without `more`). The call is audited once, when its stream starts or is refused.
    func stream(_ call: VarlinkCall, caller: PeerCredentials) async -> StreamAnswer? {
        guard call.more == true, call.method.utf8.count <= Self.maximumMethodLength,
              let interface = interfaces[call.interface], interface.streamingMethods.contains(call.memberName)
        else { return nil }
        if let refused = refusedShape(call, interface) { return .refused(observed(refused, call, caller)) }
        do {
            let replies = try await interface.stream(call, caller: caller)
            _ = observed(VarlinkReply(), call, caller)
            return .replies(replies)
        } catch {
            return .refused(observed(reply(to: error, method: call.method), call, caller))
        }
    }

    /// The reply to `call` when its interface has one without waiting; nil otherwise.
    func answerNow(_ call: VarlinkCall, caller: PeerCredentials) -> VarlinkReply? {
        if let refused = refusedName(call, caller) { return refused }
        guard let interface = interfaces[call.interface] else { return observed(unknownInterface(call), call, caller) }
        if let refused = refusedShape(call, interface) { return observed(refused, call, caller) }
        do {
            guard let reply = try interface.answerNow(call, caller: caller) else { return nil }
            return observed(reply, call, caller)
        } catch {
            return observed(reply(to: error, method: call.method), call, caller)
        }
    }

    /// `MethodNotFound` for a method name over `maximumMethodLength` bytes, audited by
    /// its length only; nil for any other call.
    private func refusedName(_ call: VarlinkCall, _ caller: PeerCredentials) -> VarlinkReply? {
        let length = call.method.utf8.count
        guard length > Self.maximumMethodLength else { return nil }
        let reply = VarlinkReply(.methodNotFound("(a method name of \(length) bytes)"))
        observer?(caller, "(a method name of \(length) bytes)", reply.error ?? "refused")
        return reply
    }

    /// The standard refusal of a call its method cannot take as it came, checked for every
    /// interface before its handler runs: `ExpectedMore` for a streaming method called
    /// without `more`, `InvalidParameter` ("parameters") when the parameters are not an
    /// object. Nil when the call may go on.
    private func refusedShape(_ call: VarlinkCall, _ interface: any VarlinkInterface) -> VarlinkReply? {
        switch call.parameters {
        case nil, .null?, .object?: break
        default: return VarlinkReply(.invalidParameter("parameters"))
        }
        if call.more != true, interface.streamingMethods.contains(call.memberName) { return VarlinkReply(.expectedMore) }
        return nil
    }

    /// Tells the observer (the audit trail) how the call ended, with the method name as
    /// safe text: control and layout characters written as `\u{…}` escapes, so the audit
    /// keeps what was sent without carrying it raw.
    private func observed(_ reply: VarlinkReply, _ call: VarlinkCall, _ caller: PeerCredentials) -> VarlinkReply {
        observer?(caller, Self.auditText(call.method), reply.error ?? "ok")
        return reply
    }

    /// `text` with every character `UntrustedText` would strip escaped as `\u{XX}`.
    static func auditText(_ text: String) -> String {
        UntrustedText.escaped(text)
    }

    private func reply(to error: any Error, method: String) -> VarlinkReply {
        if let error = error as? VarlinkError { return VarlinkReply(error) }
        logger.error("control method failed", metadata: ["method": .string(method), "error": "\(error)"])
        return VarlinkReply(VarlinkError(name: "io.kioskd.Control.InternalError"))
    }

    private func unknownInterface(_ call: VarlinkCall) -> VarlinkReply {
        call.interface.isEmpty
            ? VarlinkReply(.methodNotFound(Self.auditText(call.method)))
            : VarlinkReply(.interfaceNotFound(Self.auditText(call.interface)))
    }
}
