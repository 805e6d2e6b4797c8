import Foundation

/// Where a terminal's citizen is in the journey, and everything the screen shows.
///
/// The menu is a pure state machine: `handle(_:context:)` takes an event, changes the
/// state and returns the effects for the session to carry out. It does no I/O, so every
/// screen and every transition can be tested without a terminal.
///
/// What a screen holds of the citizen (a form, a slip, an answer) is the screen's own
/// associated value: leaving the screen drops it, and wiping a session is replacing the
/// whole value with a fresh one.
public struct MenuState: Sendable, Hashable {
    public enum Screen: Sendable, Hashable {
        /// Nobody is using the terminal: a welcome screen that invites a key press.
        case attract
        /// The home menu of the terminal's profile.
        case home
        /// A service from the home menu whose screens are not built yet.
        case service(ServiceItem)
        /// The service guide: search and the life stages.
        case guideStages
        /// The items of one life stage.
        case guideStage(String)
        /// One item's guide, over as many pages as it needs.
        case guideItem(String)
        /// Keyword search over the catalog.
        case guideSearch
        /// The items a citizen can apply for here.
        case applyList
        /// A form: an application, or the fields of a query; `waiting` while what it
        /// started (storing, asking the central service) runs.
        case form(ApplicationForm, waiting: Bool = false)
        /// The application is stored: its slip, with the number and what happens next.
        case submitted(AcceptanceSlip)
        /// The application could not be stored; nothing was kept.
        case submitFailed
        /// 好差评: five levels, for the application just submitted if any.
        case rating(after: AcceptanceSlip?)
        /// Why the service was rated low (optional), after choosing `level`.
        case ratingReason(level: Int, after: AcceptanceSlip?)
        /// Thanks for rating (until the rating is known to be stored).
        case ratingDone(after: AcceptanceSlip?)
        /// Where a case stands.
        case progressResult(CaseProgress)
        /// Social insurance and housing fund.
        case insuranceResult(LookupAnswer<InsuranceSummary>)
        /// A service that shows personal data was chosen without proof: the two ways to
        /// prove who one is (lay the ID card on the reader, or a code by SMS).
        case proveIdentity(ProvedService)
        /// Proving by a one-time code, then going on to `ProvedService`.
        case oneTimeCode(OneTimeCodeFlow, for: ProvedService)
        /// 生活缴费: the kinds of bills.
        case payKinds
        /// The account number being typed for a kind of bill; `waiting` while the centre
        /// is asked what is due.
        case payAccount(BillKind, typed: String, waiting: Bool = false)
        /// What is due, to confirm; `waiting` while the order is created.
        case payBill(Bill, waiting: Bool = false)
        /// The order's QR code, the amount and the time left; `cancelling` after 0.
        case payQR(Bill, PaymentOrder, qr: QRMatrix?, cancelling: Bool = false)
        /// How the payment ended.
        case payResult(Bill, PaymentResult)
        /// A technician locked the terminal for maintenance: a bilingual maintenance
        /// screen with the technician's message (already stripped of control characters
        /// and bounded), and every citizen key ignored until it is unlocked.
        case locked(message: String?)
    }

    public internal(set) var screen: Screen = .attract
    public internal(set) var language: Language = .chinese
    public let profile: TerminalProfile
    /// The home menu's items, in order.
    public let items: [ServiceItem]
    /// The highlighted entry of a list screen, counted over all its pages.
    public internal(set) var selection = 0
    /// The page of a list or of an item's guide.
    public internal(set) var page = 0
    /// Elder-friendly mode (长辈模式): fewer entries per page, longer idle time.
    public internal(set) var elderMode = false
    /// What the citizen typed into the search field. Cleared with the session.
    public internal(set) var searchQuery = ""
    /// A message shown on the current screen until the next key, by localization key.
    public internal(set) var notice: String?
    /// Seconds left before an idle session ends, while the warning is shown.
    public internal(set) var idleWarning: Int?
    /// Printing in this session: the last outcome shown, the reprint number being typed.
    public internal(set) var printing = MenuPrinting()
    /// Who the citizen proved to be in this session, by ID card or by one-time code; gone
    /// with the session (a fresh state holds none).
    public internal(set) var proof: IdentityProof?

    /// When this session may ask for another one-time code (60 s after the last one was
    /// sent), whichever code screen it is asked from.
    var codeResendAt: Date?

    /// The ID card read in this session, if the proof is a card.
    public var identity: CardIdentity? {
        if case .card(let card) = proof { card } else { nil }
    }
    /// The screens to go back to, with their positions.
    var backStack: [Position] = []

    struct Position: Sendable, Hashable {
        var screen: Screen
        var selection: Int
        var page: Int
    }

    public init(profile: TerminalProfile) {
        self.profile = profile
        items = ServiceItem.homeMenu(for: profile)
    }

    /// Nobody's session runs: the attract screen, or the terminal is locked. No idle
    /// time, date or size is watched then.
    public var isWaiting: Bool {
        switch screen {
        case .attract, .locked: true
        default: false
        }
    }

    /// A technician locked the terminal (`lock(message:)`).
    public var isLocked: Bool {
        if case .locked = screen { return true }
        return false
    }

    /// Titles and choices are drawn in DEC double-height glyphs: elder mode, on a terminal
    /// that can draw them.
    public func largeGlyphs(in context: MenuContext) -> Bool {
        elderMode && context.doubleSizeLines
    }
}

/// What the menu needs to know about the world: the catalog, what is available, and the
/// size it is drawn at (which decides how many entries fit on a page).
public struct MenuContext: Sendable {
    public var catalog: Catalog
    public var availability: ServiceAvailability
    public var size: TerminalSize
    /// The hall's date: birth dates after it are refused.
    public var today: CalendarDate
    /// The terminal draws DEC double-width and double-height lines (from its
    /// configuration): elder mode then shows titles and choices in large glyphs.
    public var doubleSizeLines: Bool
    /// The wall-clock moment of the step: what a countdown counts down from.
    public var now: Date
    /// A technician's message to the hall (`SendMessage`), shown on a notice line over
    /// every screen while it lasts; already stripped of control characters and bounded.
    public var broadcast: String?

    public init(
        catalog: Catalog = .empty, availability: ServiceAvailability = .all, size: TerminalSize = .minimum,
        today: CalendarDate = CalendarDate(year: 2026, month: 1, day: 1)!, doubleSizeLines: Bool = false,
        now: Date = Date(timeIntervalSince1970: 1_795_408_920), broadcast: String? = nil
    ) {
        self.broadcast = broadcast
        self.catalog = catalog
        self.availability = availability
        self.size = size
        self.today = today
        self.doubleSizeLines = doubleSizeLines
        self.now = now
    }
}

/// What happens to a menu.
public enum MenuEvent: Sendable, Hashable {
    case key(Key)
    /// The session has been idle; `remaining` seconds are left before it ends.
    case idleCountdown(remaining: Int)
    /// The idle time ran out.
    case idleTimeout
    /// The session ends (technician reset): back to the attract screen with nothing of
    /// the citizen left in memory or on screen. A locked terminal stays locked.
    case reset
    /// A technician locks the terminal: any session ends as on a reset, then the
    /// maintenance screen shows `message` (already stripped and bounded) until `unlock`.
    case lock(message: String?)
    /// The terminal is back in service: the attract screen.
    case unlock
    /// What became of a print or reprint the menu asked for.
    case printed(PrintOutcome)
    /// The application is stored and will reach the central service.
    case applicationSubmitted(AcceptanceSlip)
    /// The application could not be stored.
    case applicationFailed
    /// The answer to a progress query; nil when no such case matches.
    case progressAnswered(CaseProgress?)
    case insuranceAnswered(LookupAnswer<InsuranceSummary>)
    /// The rating is stored.
    case ratingStored
    /// The rating could not be stored: the citizen is told and may try again.
    case ratingFailed
    /// What is due on the account asked for.
    case billAnswered(LookupAnswer<Bill>)
    /// The order was created (with its QR code), or could not be (nil: nothing charged).
    case orderCreated(PaymentOrder?, QRMatrix?)
    /// Where the followed or cancelled order stands; nil when the centre did not answer.
    case paymentFollowed(PaymentResult?)
    /// A resident ID card was read on the terminal's reader.
    case identityRead(CardIdentity)
    /// The centre's answer to a request for a one-time code.
    case codeRequested(CodeRequestAnswer)
    /// The centre's answer to a typed code.
    case codeChecked(CodeVerifyAnswer)
}

/// What the session must do after a transition.
public enum MenuEffect: Sendable, Hashable {
    /// A citizen started using the terminal.
    case sessionStarted
    /// The session ended; the screen and the scrollback must be wiped.
    case sessionEnded(reason: SessionEndReason)
    /// Print the guide of a catalog item on the document printer.
    case printGuide(itemID: String)
    /// Print the certificate (参保证明) of the insurance summary shown, on the document
    /// printer; answer with `printed`.
    case printCertificate(InsuranceCertificate)
    /// Store the application with its outbox entry; answer with `applicationSubmitted`.
    case submitApplication(ApplicationDraft)
    /// Print the acceptance slip on the receipt printer.
    case printAcceptanceSlip(AcceptanceSlip)
    /// Store and forward a rating; answer with `ratingStored` or `ratingFailed`.
    case rate(level: Int, reason: String?, applicationNumber: String?, itemID: String?)
    /// Ask where a case stands; answer with `progressAnswered`.
    case queryProgress(CaseQuery)
    /// Ask the central service for the insurance summary, showing it `proof`; answer with
    /// `insuranceAnswered`.
    case lookupInsurance(idNumber: String, name: String, proof: IdentityCredential)
    /// Ask the centre to send a one-time code to the phone on file; answer with `codeRequested`.
    case requestCode(idNumber: String)
    /// Ask the centre to check a typed code; answer with `codeChecked`.
    case verifyCode(CodeChallenge, code: String, idNumber: String)
    /// Print the job numbered `number` again, marked "重印", on the grounds of `proof`;
    /// answer with `printed`.
    case reprint(number: String, proof: ReprintProof)
    /// The session ends: hold those of its jobs that have not started printing, so they
    /// never drop into the tray for the next person. Comes before `sessionEnded`.
    case holdPrintJobs([String])
    /// Ask what is due on an account; answer with `billAnswered`.
    case lookupBill(BillKind, account: String)
    /// Create the payment order for a bill; answer with `orderCreated`.
    case createOrder(Bill)
    /// Ask where an order stands (recording it once paid); answer with `paymentFollowed`.
    case followOrder(UUID)
    /// Cancel an order; answer with `paymentFollowed`.
    case cancelOrder(UUID)
}

/// Why a session ended, as recorded in the sessions table.
public enum SessionEndReason: String, Sendable, Hashable {
    case citizenLeft = "citizen-left"
    case idle
    case reset
    /// A technician locked the terminal for maintenance.
    case locked
}
