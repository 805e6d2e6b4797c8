import Foundation

/// Where terminal sessions are recorded (the store, in the daemon). Records hold the
/// terminal's name, times and the reason a session ended; never anything a citizen typed.
public protocol SessionJournal: Sendable {
    /// A citizen started using `terminal` at `date`.
    func sessionStarted(terminal: String, at date: Date) async
    /// The open session of `terminal` ended at `date`.
    func sessionEnded(terminal: String, reason: SessionEndReason, at date: Date) async
}
