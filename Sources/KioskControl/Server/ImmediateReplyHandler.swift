import Foundation
import NIOCore

/// Answers, on the connection's event loop, the calls that need no waiting (Status from
/// memory), and passes every other frame on to the connection's async loop.
///
/// An async call costs two thread switches (event loop → concurrency pool → event loop),
/// which dominated a Status call. Replies stay in order: once a call has been passed on,
/// every later one is passed on too until the async loop has written its reply, because
/// that reply must go out first. A oneway call passed on gets no reply, so its connection
/// keeps using the async loop from then on.
final class ImmediateReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: VarlinkDispatcher
    private let peer: PeerCredentials
    /// Calls passed on to the async loop and not answered yet.
    private var passedOn = 0
    /// The last frame decoded and its call: a monitor sends the same bytes every time.
    private var lastFrame: (bytes: ByteBuffer, call: VarlinkCall)?

    init(dispatcher: VarlinkDispatcher, peer: PeerCredentials) {
        self.dispatcher = dispatcher
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if passedOn == 0, let call = decode(frame), let reply = dispatcher.answerNow(call, caller: peer) {
            guard call.oneway != true else { return }
            guard let bytes = try? reply.frame() else {
                context.close(promise: nil)
                return
            }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
            return
        }
        passedOn += 1
        context.fireChannelRead(data)
    }

    private func decode(_ frame: ByteBuffer) -> VarlinkCall? {
        if let lastFrame, lastFrame.bytes == frame { return lastFrame.call }
        guard let call = try? JSONDecoder().decode(VarlinkCall.self, from: Data(frame.readableBytesView)) else { return nil }
        lastFrame = (frame, call)
        return call
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A reply from the async loop.
        passedOn = max(0, passedOn - 1)
        context.write(data, promise: promise)
    }
}
