#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import Synchronization

/// A resident ID card reader played on the master side of a pseudo-terminal: it answers
/// find, select and read commands in the reader's host protocol for the card that lies on
/// it, and can misbehave as real readers do (a card taken away mid-read, a bad checksum,
/// garbage before its answers, silence).
public final class SimulatedIDCardReader: Sendable {
    public enum Behaviour: Sendable, Hashable {
        case normal
        /// The card is taken away after it was selected: the read fails.
        case removedMidRead
        /// Every read's answer has a wrong checksum byte.
        case badChecksum
        /// Random bytes come before every answer.
        case garbage
        /// Nothing is answered.
        case silent
    }

    public let pty: PseudoTerminal
    private let state = Mutex<(card: CardIdentity?, behaviour: Behaviour, consumed: Int, commands: [IDCardProtocol.Command])>(
        (nil, .normal, 0, [])
    )
    /// Answer bytes the pseudo-terminal did not take yet (it is never waited on: the loop
    /// runs on Swift's cooperative pool, and a reader nobody reads must not hold a thread).
    private let unsent = Mutex<[UInt8]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// A reader on a new pseudo-terminal; kioskd opens `pty.devicePath`.
    public init() throws {
        pty = try PseudoTerminal()
        let loop = Task { [weak self] in
            while !Task.isCancelled {
                self?.answerPending()
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        task.withLock { $0 = loop }
    }

    deinit {
        task.withLock { $0?.cancel() }
    }

    /// Lays `card` on the reader (nil takes it away).
    public func place(_ card: CardIdentity?) {
        state.withLock { $0.card = card }
    }

    public func behave(_ behaviour: Behaviour) {
        state.withLock { $0.behaviour = behaviour }
    }

    /// The commands received so far, in order.
    public var commands: [IDCardProtocol.Command] { state.withLock { $0.commands } }

    private func answerPending() {
        let received = pty.drain()
        let (start, card, behaviour) = state.withLock { ($0.consumed, $0.card, $0.behaviour) }
        var offset = start
        var answers: [UInt8] = []
        var seen: [IDCardProtocol.Command] = []
        // Commands are ten bytes: preamble, length 00 03, command, parameter, checksum.
        while offset + 10 <= received.count {
            let frame = Array(received[offset..<(offset + 10)])
            guard frame.starts(with: IDCardProtocol.preamble) else {
                offset += 1
                continue
            }
            offset += 10
            let command: IDCardProtocol.Command
            switch (frame[7], frame[8]) {
            case (0x20, 0x01): command = .find
            case (0x20, 0x02): command = .select
            case (0x30, 0x01): command = .read
            default: continue
            }
            seen.append(command)
            guard behaviour != .silent else { continue }
            if behaviour == .garbage { answers += [0x13, 0x37, 0xAA, 0x00, 0x96, 0xFF] }
            answers += Self.answer(to: command, card: card, behaviour: behaviour)
        }
        state.withLock {
            $0.consumed = offset
            $0.commands += seen
            if behaviour == .removedMidRead, seen.contains(.read) { $0.card = nil }
        }
        let pending = unsent.withLock { unsent -> [UInt8] in
            unsent += answers
            return unsent
        }
        guard !pending.isEmpty else { return }
        let written = pending.withUnsafeBytes { write(pty.master, $0.baseAddress, $0.count) }
        unsent.withLock { unsent in
            if written > 0 {
                unsent.removeFirst(written)
            } else if errno != EAGAIN, errno != EINTR {
                // Nobody holds the reader's line any more (kioskd stopped): drop the answers.
                unsent.removeAll()
            }
        }
    }

    static func answer(to command: IDCardProtocol.Command, card: CardIdentity?, behaviour: Behaviour) -> [UInt8] {
        switch command {
        case .find:
            return card == nil ? respond(0x80, []) : respond(0x9F, [0, 0, 0, 0])
        case .select:
            return card == nil ? respond(0x81, []) : respond(0x90, Array(repeating: 0, count: 8))
        case .read:
            guard let card, behaviour != .removedMidRead else { return respond(0x41, []) }
            let data = [0x01, 0x00, 0x04, 0x00] + card.textBlock + Array(repeating: 0x5A, count: 1024)
            var frame = respond(0x90, data)
            if behaviour == .badChecksum { frame[frame.count - 1] ^= 0xFF }
            return frame
        }
    }

    private static func respond(_ status: UInt8, _ data: [UInt8]) -> [UInt8] {
        IDCardProtocol.frame(body: [0x00, 0x00, status] + data)
    }
}
