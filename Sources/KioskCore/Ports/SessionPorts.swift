/// The outside services a terminal session reaches through ports. Each one is optional so
/// a session (and its tests) can run with only what it needs; a missing port makes the
/// services that need it unavailable, never a crash.
public struct SessionPorts: Sendable {
    /// Where sessions are recorded.
    public var journal: (any SessionJournal)?
    /// Where applications, ratings and progress questions go.
    public var applications: (any ApplicationDesk)?
    /// Where slips, receipts and guides are printed.
    public var printer: (any SlipPrinter)?
    /// Where bills are asked for and payments made and recorded.
    public var payments: (any PaymentDesk)?
    /// Draws the QR code of a payment order.
    public var qrCodes: (any QRCodeEncoder)?
    /// Who the citizen is: the cards read on the terminals' readers and the centre's
    /// one-time codes.
    public var identity: (any IdentityPort)?

    public init(
        journal: (any SessionJournal)? = nil, applications: (any ApplicationDesk)? = nil, printer: (any SlipPrinter)? = nil,
        payments: (any PaymentDesk)? = nil, qrCodes: (any QRCodeEncoder)? = nil,
        identity: (any IdentityPort)? = nil
    ) {
        self.identity = identity
        self.journal = journal
        self.applications = applications
        self.printer = printer
        self.payments = payments
        self.qrCodes = qrCodes
    }
}
