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
///
/// A client that sends calls without reading the replies is not served without bound:
/// the pipeline's `BackPressureHandler` stops reading while the connection is not
/// writable, and replies written here but not yet taken by the client are counted; past
/// `maximumPendingOutput` the connection is closed (a client that never read grew the
/// daemon by 410 MB in a minute before).
///
/// It also closes a connection idle for `idleTimeout`: counted from its start, its last
/// complete call and its last reply, and only while no reply is owed. Neither an idle
/// client nor one that sends half a frame and stops keeps its descriptor, and a call
/// that takes long to answer is never cut.
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
    /// Reply bytes written and not yet handed to the kernel.
    private var pendingOutput = 0
    /// Calls passed on that will be answered (not oneway) and are not yet.
    private var repliesOwed = 0
    private let idleTimeout: TimeAmount
    private var idleTimer: Scheduled<Void>?
    /// When the last complete call came or the last reply went: the idle time counts from
    /// here. Noting it costs a clock read per call; the timer looks at it when it fires.
    private var lastActivity = NIODeadline.now()

    /// The most reply bytes a connection may leave untaken before it is closed.
    static let maximumPendingOutput = 1 << 20

    init(dispatcher: VarlinkDispatcher, peer: PeerCredentials, idleTimeout: TimeAmount = .seconds(60)) {
        self.dispatcher = dispatcher
        self.peer = peer
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lastActivity = .now()
        scheduleIdleCheck(context, at: lastActivity + idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
    }

    /// At `deadline`: closes the connection when it has been idle for `idleTimeout` with
    /// no reply owed; otherwise looks again when it would have been.
    private func scheduleIdleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            let due = handler.lastActivity + handler.idleTimeout
            if handler.repliesOwed > 0 {
                handler.scheduleIdleCheck(context, at: .now() + handler.idleTimeout)
            } else if due <= .now() {
                context.close(promise: nil)
            } else {
                handler.scheduleIdleCheck(context, at: due)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        lastActivity = .now()
        let call = decode(frame)
        if passedOn == 0, let call, let reply = dispatcher.answerNow(call, caller: peer) {
            guard call.oneway != true else { return }
            guard let bytes = try? reply.frame() else {
                context.close(promise: nil)
                return
            }
            pendingOutput += bytes.count
            guard pendingOutput <= Self.maximumPendingOutput else {
                context.close(promise: nil)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let count = bytes.count
            written.futureResult.whenComplete { _ in handler.value.pendingOutput -= count }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: written)
            return
        }
        passedOn += 1
        // A oneway call is owed nothing; a frame that is no call closes the connection.
        if call?.oneway != true { repliesOwed += 1 }
        context.fireChannelRead(data)
    }

    /// Whether `frame` is a reply of a stream that goes on: `VarlinkReply.frame()` ends
    /// those with `"continues":true}` and the NUL.
    static func continues(_ frame: ByteBuffer) -> Bool {
        let marker = Array(#""continues":true}"#.utf8) + [0]
        return frame.readableBytes >= marker.count && frame.readableBytesView.suffix(marker.count).elementsEqual(marker)
    }

    private func decode(_ frame: ByteBuffer) -> VarlinkCall? {
        if let lastFrame, lastFrame.bytes == frame { return lastFrame.call }
        guard let call = try? JSONDecoder().decode(VarlinkCall.self, from: Data(frame.readableBytesView)) else { return nil }
        lastFrame = (frame, call)
        return call
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A reply from the async loop; one of a stream (`continues`) settles nothing yet.
        if !Self.continues(unwrapOutboundIn(data)) {
            passedOn = max(0, passedOn - 1)
            repliesOwed = max(0, repliesOwed - 1)
        }
        lastActivity = .now()
        context.write(data, promise: promise)
    }
}
